"""Proof bundles, checked offline by a separate Python process that imports neither Django nor the database."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zhifa.ledger import actions, bundles, notes, verify_bundle
from zhifa.ledger.models import Checkpoint
from zhifa.org import actions as org

ROOT = Path(__file__).resolve().parents[2]

NO_DJANGO = """
import runpy, sys
sys.argv = ["verify_bundle", *sys.argv[1:]]
try:
    runpy.run_module("zhifa.ledger.verify_bundle", run_name="__main__")
    code = 0
except SystemExit as exc:
    code = exc.code
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith(("django.", "psycopg", "sqlite3")))
if loaded:
    print("imported:", loaded)
    code = 3
sys.exit(code)
"""


def _run(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "ZHIFA"))}
    return subprocess.run(
        [sys.executable, "-c", NO_DJANGO, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def exported(world, tmp_path):
    org.update_person(world.secadmin, world.officer, phone="13800000000")
    actions.record_access(world.auditor, world.officer, "法院调取")
    bundle, key = tmp_path / "bundle.json", tmp_path / "agency-a.pub"
    call_command(
        "ledger", "bundle", "--object", f"org.person:{world.officer.pk}", "-o", bundle, "--key-output", key
    )
    return bundle, key


def test_a_bundle_verifies_offline(world, exported):
    bundle, key = exported
    data = json.loads(bundle.read_text())
    assert [json.loads(base64.b64decode(e["body"]))["head"]["action"] for e in data["entries"]] == [
        "org.add_person",
        "org.update_person",
        "ledger.access",
    ]
    # The bundle needed a checkpoint covering the newest entry: one was signed.
    assert Checkpoint.objects.filter(log_id=world.a.pk).count() == 1
    result = _run(bundle, "--key", key)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "验证通过" in result.stdout and "3 条记录" in result.stdout
    # The plain command line works too.
    plain = subprocess.run(
        [sys.executable, "-m", "zhifa.ledger.verify_bundle", bundle, "--key", key],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plain.returncode == 0, plain.stdout + plain.stderr


def test_a_changed_bundle_fails_offline(world, exported, tmp_path):
    bundle, key = exported
    data = json.loads(bundle.read_text())
    body = base64.b64decode(data["entries"][1]["body"]).replace(b"13800000000", b"13800000001")
    data["entries"][1]["body"] = base64.b64encode(body).decode()
    data["entries"][1].pop("leaf_hash")
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    result = _run(changed, "--key", key)
    assert result.returncode == 1 and "验证失败" in result.stdout and "包含证明不成立" in result.stdout


def test_a_bundle_fails_with_another_key(world, exported, tmp_path):
    bundle, _key = exported
    other = tmp_path / "other.pub"
    other.write_text(notes.Ed25519Signer().public_key("zhifa.local/agency-a").vkey() + "\n")
    result = _run(bundle, "--key", other)
    assert result.returncode == 1
    # Even when the bundle carries the impostor's key, the key given on the command line decides.
    data = json.loads(bundle.read_text())
    data["public_key"] = other.read_text().strip()
    (tmp_path / "swapped.json").write_text(json.dumps(data))
    assert _run(tmp_path / "swapped.json", "--key", other).returncode == 1


def test_verify_bundle_checks_every_piece(world, exported):
    bundle, key = exported
    data = json.loads(bundle.read_text())
    public = notes.parse_vkey(key.read_text())
    assert len(verify_bundle.verify(data, public)) == 3
    for change in (
        lambda d: d["entries"][0].__setitem__("seq", d["entries"][0]["seq"] + 1),
        lambda d: d["entries"][2]["inclusion_proof"].pop(),
        lambda d: d.__setitem__("checkpoint", d["checkpoint"].replace("\n", "\n\n", 1)),
        lambda d: d.__setitem__("object", {"kind": "org.person", "id": "0"}),
        lambda d: d.__setitem__("format", "other"),
    ):
        copy = json.loads(json.dumps(data))
        change(copy)
        with pytest.raises(verify_bundle.BundleError):
            verify_bundle.verify(copy, public)


def test_bundle_errors(world):
    with pytest.raises(CommandError):
        call_command("ledger", "bundle", "--object", "org.person")
    with pytest.raises(CommandError):
        call_command("ledger", "bundle", "--object", "org.person:99999")
    # An object recorded in two logs needs --agency.
    with __import__("django").db.transaction.atomic():
        actions.append(agency=world.b, actor=None, action="test.note", obj=world.officer, payload={})
    with pytest.raises(CommandError):
        call_command("ledger", "bundle", "--object", f"org.person:{world.officer.pk}")
    assert bundles.build("org.person", str(world.officer.pk), agency=world.b)["entries"][0]["seq"] > 0


def test_key_command(world, capsys):
    call_command("ledger", "key", "--agency", "agency-a")
    assert notes.parse_vkey(capsys.readouterr().out).name == "zhifa.local/agency-a"
