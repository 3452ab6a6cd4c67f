"""The platform's own plumbing: demo loader, settings, the console script (the task queue: test_queue.py)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from zhifa.org.choices import Role
from zhifa.org.models import Agency, Certificate, Person, RoleAssignment


@pytest.mark.slow(seconds=16)
def test_demo_is_idempotent_complete_and_verifies(db, capsys):
    """Loading the demo twice adds nothing; the demo has its people and roles; and it verifies — the ledger, the files
    it names, and every object's live row (one load for the three: it takes a quarter of a minute)."""
    call_command("demo")
    counts = (
        Agency.objects.count(),
        Person.objects.count(),
        Certificate.objects.count(),
        RoleAssignment.objects.count(),
    )
    call_command("demo")
    assert counts == (
        Agency.objects.count(),
        Person.objects.count(),
        Certificate.objects.count(),
        RoleAssignment.objects.count(),
    )
    out = capsys.readouterr().out
    assert "Mingshan#2026" in out and "zhifa01" in out
    bureau = Agency.objects.get(name="明山区卫生健康局")
    assert bureau.units.get(is_legal_review_unit=True).name == "政策法规科"
    officers = Person.objects.filter(roles__role=Role.OFFICER, roles__agency=bureau).distinct()
    assert officers.count() == 20
    reviewers = Person.objects.filter(roles__role=Role.LEGAL_REVIEWER)
    assert reviewers.count() == 2 and reviewers.filter(legal_qualification=True).count() == 1
    supervisor = Person.objects.get(username="jiandu")
    assert supervisor.agency.name == "明山区司法局"
    assert RoleAssignment.objects.filter(person=supervisor, role=Role.SUPERVISOR, agency=bureau).exists()
    for admin_role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        assert RoleAssignment.objects.filter(role=admin_role, agency=bureau).count() == 1

    from zhifa.ledger import actions as ledger_actions
    from zhifa.ledger import checks
    from zhifa.ledger.models import Log

    ledger_actions.make_checkpoints(force=True)
    report = checks.verify(state=True)
    assert report.ok, [str(p) for p in report.problems[:5]]
    assert report.entries > 50 and report.checkpoints >= 2 and report.objects > 20
    assert Log.objects.count() >= 2
    # 事后公开: every decision of the demo has its publication, in more than one state (zhifa/publicity/demo.py).
    from zhifa.cases.models import Case
    from zhifa.publicity.models import Publication

    states = list(Publication.objects.order_by("decided_on", "id").values_list("state", flat=True))
    decided = Case.objects.filter(decided_on__isnull=False).exclude(outcome="transfer")
    assert len(states) == decided.count() > 3
    assert (
        Publication.objects.filter(case__procedure="simple").count()
        == decided.filter(procedure="simple").count()
        > 0
    )
    counts = {state: states.count(state) for state in set(states)}
    # three penalty decisions, and the 扣押's, the 征用's and the 专项检查's (责令改正) decisions (the other acts:
    # docs/compulsion.md, requisition.md, inspections.md)
    assert set(
        Publication.objects.filter(state="published")
        .exclude(case__act_kind="penalty")
        .values_list("case__act_kind", flat=True)
    ) == {"compulsion", "requisition", "inspection"}
    assert counts == {
        "published": 6,
        "pending": 1,
        "withdrawn": 1,
        "not_published": 1,
        "draft": len(states) - 9,
    }
    withdrawn = Publication.objects.get(state="withdrawn")
    assert withdrawn.public_reason and withdrawn.withdrawn_by.username == "juzhang"
    assert "撤销" in Publication.objects.get(state="not_published").public_reason
    # The demo's decisions as labelled redaction corpus (tests/publicity/redaction_corpus.py): every person's data
    # the case records is removed from the platform's own rendered documents, and nothing that must stay is lost.
    from tests.publicity.redaction_corpus import demo_decisions, score
    from zhifa.publicity import redaction

    labelled = demo_decisions()
    figures = score(labelled, lambda d: redaction.redact(d.text, d.context))
    assert len(labelled) >= 10 and figures["must_remove"] > 0, figures
    assert figures["recall"] == 1 and figures["precision"] == 1, figures


def test_secret_key_is_generated_once_with_mode_600(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ZHIFA_SECRET_KEY"}
    env["ZHIFA_VAR_DIR"] = str(tmp_path)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    run = lambda: subprocess.run(  # noqa: E731
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='zhifa.settings'; {code}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    first, second = run(), run()
    assert first and first == second
    assert stat.S_IMODE((Path(tmp_path) / "secret_key").stat().st_mode) == 0o600


def test_embedded_defaults():
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.LANGUAGE_CODE == "zh-hans"
    assert settings.PASSWORD_HASHERS  # tests swap in a fast hasher; the module default is Argon2:
    import zhifa.settings as module

    assert module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert (
        module.SESSION_COOKIE_AGE == 30 * 60
        and "zhifa.org.middleware.SessionRenewalMiddleware" in module.MIDDLEWARE
    )


def test_console_script_wraps_management(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "zhifa.cli", "help"],
        capture_output=True,
        text=True,
        env={**os.environ, "ZHIFA_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0
    for command in ("demo", "run", "worker", "migrate", "createsuperuser"):
        assert command in result.stdout


def test_a_bucket_name_selects_object_storage(tmp_path):
    env = {
        **os.environ,
        "ZHIFA_VAR_DIR": str(tmp_path),
        "ZHIFA_S3_BUCKET": "zhifa-files",
        "ZHIFA_S3_ENDPOINT_URL": "http://127.0.0.1:9",
    }
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='zhifa.settings'; django.setup(); "
        "from django.core.files.storage import default_storage as s; print(type(s._wrapped if hasattr(s, '_wrapped') "
        "else s).__name__ if (s._setup() or True) else '', s.bucket_name)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["S3Storage", "zhifa-files"]
