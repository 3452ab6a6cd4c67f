"""Every change an action makes is in the ledger (ledger.tracking): the guarantee, its refusals and its cost."""

import json
from pathlib import Path

import pytest
from django.db import connection, transaction

from tests.cases.conftest import clock, cw  # noqa: F401 (fixtures)
from zhifa.cases import actions as case_actions
from zhifa.cases.models import Case, CaseOfficer
from zhifa.ledger import checks, registry, tracking
from zhifa.ledger.models import Entry
from zhifa.ledger.tracking import LedgerIncomplete, unrecorded_writes
from zhifa.org import actions as org_actions
from zhifa.org.models import Certificate, Person

pytestmark = pytest.mark.django_db


def _state_ok():
    report = checks.verify(state=True, files=False)
    assert report.ok, [str(p) for p in report.problems]
    return report


def _payload(entry):
    return json.loads(bytes(entry.body))["record"]["payload"]


def test_a_waived_statement_leaves_the_ledger_verifiable(cw):  # noqa: F811
    """The issue's reproduction: a statement waiver changed the case's flag beside its own record; the case's
    new state is recorded with the action that wrote it."""
    case = cw.investigate(cw.new_case())
    cw.notice(case)
    case_actions.waive_statement(cw.officer, case, signer="李康宁")
    case.refresh_from_db()
    assert case.statement_waived
    _state_ok()
    latest = Entry.objects.filter(object_kind="cases.case", object_id=str(case.pk)).order_by("-seq").first()
    assert latest.action == "cases.waive_statement"
    assert _payload(latest)["state"]["statement_waived"] is True


def test_a_row_no_entry_describes_is_recorded_with_the_action_that_wrote_it(cw):  # noqa: F811
    """Handling officers (CaseOfficer) were never in the ledger: now each gets an entry of accept_case."""
    case = cw.new_case()
    links = list(CaseOfficer.objects.filter(case=case))
    assert len(links) == 2
    for link in links:
        entry = Entry.objects.filter(object_kind="cases.caseofficer", object_id=str(link.pk)).get()
        assert entry.action == "cases.accept_case"
        assert entry.actor_id == cw.officer.pk
        payload = _payload(entry)
        assert payload["state"]["person_id"] == link.person_id
        case_entry = Entry.objects.get(log=entry.log, seq=payload["recorded_with"]["seq"])
        assert case_entry.object_id == str(case.pk) and case_entry.action == "cases.accept_case"
    _state_ok()


def test_deleted_rows_are_recorded_as_deleted(cw):  # noqa: F811
    case = cw.new_case()
    old = set(CaseOfficer.objects.filter(case=case).values_list("pk", flat=True))
    case_actions.assign_officers(cw.head, case, officers=[cw.officer2, cw.officer])
    for pk in old:
        entry = (
            Entry.objects.filter(object_kind="cases.caseofficer", object_id=str(pk)).order_by("-seq").first()
        )
        assert _payload(entry)["state"] is None
    _state_ok()


def test_an_explicit_state_that_went_stale_is_corrected(world):
    """An action that records a snapshot and then changes the row again still ends with the true state."""
    unit = org_actions.add_unit(world.sysadmin, world.a, name="临时科")
    with transaction.atomic():
        org_actions.update_agency(world.sysadmin, world.a, phone="0591-1234567")
        agency = type(world.a).objects.get(pk=world.a.pk)
        agency.address = "甲区人民路1号"
        agency.save()  # after the entry: no entry carries this
    latest = (
        Entry.objects.filter(object_kind="org.agency", object_id=str(world.a.pk)).order_by("-seq").first()
    )
    assert _payload(latest)["state"]["address"] == "甲区人民路1号"
    assert latest.action == "org.update_agency"
    assert unit.pk
    _state_ok()


def test_a_write_with_no_action_is_refused_and_rolled_back(world):
    before = Entry.objects.count()
    with pytest.raises(LedgerIncomplete, match="没有任何操作记入账本"):
        with transaction.atomic():
            Person.objects.filter(pk=world.officer.pk).first().__class__  # noqa: B018 - a read is fine
            person = Person.objects.get(pk=world.officer.pk)
            person.full_name = "改名"
            person.save()
    assert Person.objects.get(pk=world.officer.pk).full_name == "甲执法"
    assert Entry.objects.count() == before


def test_a_write_outside_any_transaction_is_refused_before_it_is_made(world):
    person = Person.objects.get(pk=world.officer.pk)
    person.full_name = "改名"
    with pytest.raises(LedgerIncomplete, match="不在任何操作的事务中"):
        person.save()
    assert Person.objects.get(pk=world.officer.pk).full_name == "甲执法"


def test_bulk_sql_around_the_signals_is_refused(world):
    with pytest.raises(LedgerIncomplete, match="绕过了账本"):
        with transaction.atomic():
            Certificate.objects.filter(person=world.officer).update(issuer="别处")
    assert Certificate.objects.get(person=world.officer).issuer == "甲区人民政府"


def test_volatile_bookkeeping_may_change_without_an_entry(world):
    token, _raw = org_actions.create_api_token(world.officer, name="脚本")
    from django.utils import timezone

    type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())  # as authentication does
    world.officer.save(update_fields=["last_login"])  # as login does
    _state_ok()


def test_a_rolled_back_savepoint_leaves_nothing_to_record(world):
    with transaction.atomic():
        org_actions.add_unit(world.sysadmin, world.a, name="保留科")
        try:
            with transaction.atomic():
                org_actions.add_unit(world.sysadmin, world.a, name="撤回科")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Entry.objects.filter(body__contains="撤回科".encode()).exists()
    _state_ok()


def test_verify_finds_a_row_inserted_around_the_actions_layer(world):
    with unrecorded_writes():
        Person.objects.create(username="ghost", agency=world.a, full_name="幽灵")
    report = checks.verify(state=True, files=False)
    assert any("没有任何记录" in str(p) and p.kind == "org.person" for p in report.problems)


def test_every_model_of_our_apps_is_recorded_or_declared_unrecorded_with_a_reason():
    """The set verify --state checks comes from the apps, not a hand list: a new model of any zhifa app is
    recorded unless it is declared otherwise, with a reason."""
    from django.apps import apps

    declared = registry.unrecorded()
    ours = [c for c in apps.get_app_configs() if c.name.startswith("zhifa.")]
    assert {c.label for c in ours} >= {"core", "org", "ledger", "cases", "records", "publicity"}
    for config in ours:
        for model in config.get_models():
            name = model._meta.label_lower
            recorded = name in tracking.recorded_models()
            reason = str(declared.get(name, "")).strip()
            assert recorded != bool(reason), name
    assert "cases.case" in tracking.recorded_models() and "org.roleassignment" in tracking.recorded_models()
    assert "ledger.entry" not in tracking.recorded_models()


def test_only_migrations_and_the_tracker_write_around_it():
    root = Path(__file__).resolve().parents[2] / "zhifa"
    users = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "unrecorded_writes" in p.read_text(encoding="utf-8") and "migrations" not in p.parts
    ]
    assert users == ["ledger/tracking.py"]


def test_the_database_is_the_tracking_backend():
    assert connection.settings_dict["ENGINE"].startswith("zhifa.core.db.")
    assert tracking.guard in connection.execute_wrappers


def test_case_rows_are_all_recorded_after_a_walk(cw):  # noqa: F811
    case = cw.investigate(cw.new_case())
    cw.notice(case)
    case_actions.record_statement(cw.officer, case, content="当事人称已整改", recheck="复核后维持")
    assert Case.objects.filter(pk=case.pk).exists()
    report = _state_ok()
    assert report.objects > 10


def test_a_failure_while_completing_rolls_the_action_back(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(tracking, "_pending", broken)
    with pytest.raises(LedgerIncomplete, match="磁盘已满"):
        org_actions.update_person(world.secadmin, world.officer, phone="13911112222")
    assert Person.objects.get(pk=world.officer.pk).phone != "13911112222"


@pytest.mark.django_db(transaction=True)
def test_at_a_real_commit_rows_are_completed_and_unrecorded_writes_refused(world):
    """Outside the test suite's wrapping transaction: the check runs at the database commit itself."""
    assert not connection.in_atomic_block
    unit = org_actions.add_unit(world.sysadmin, world.a, name="真提交科")
    assert Entry.objects.filter(object_kind="org.unit", object_id=str(unit.pk)).exists()
    with pytest.raises(LedgerIncomplete, match="没有任何操作记入账本"):
        with transaction.atomic():
            person = Person.objects.get(pk=world.officer.pk)
            person.full_name = "改名"
            person.save()
    assert Person.objects.get(pk=world.officer.pk).full_name == "甲执法"
    _state_ok()


def test_an_entry_describing_a_change_never_saved_is_corrected(world):
    """An action that records the instance after changing it in memory without saving: the entry would claim a
    state the database does not hold; the ledger re-reads the row and records what it really is."""
    from zhifa.core.snapshot import snapshot
    from zhifa.ledger import actions as ledger

    with transaction.atomic():
        agency = type(world.a).objects.get(pk=world.a.pk)
        agency.phone = "0591-7654321"
        agency.save()
        agency.address = "从未保存的地址"
        ledger.append(
            agency=agency,
            actor=None,
            action="org.update_agency",
            obj=agency,
            payload={"state": snapshot(agency)},
        )
    latest = (
        Entry.objects.filter(object_kind="org.agency", object_id=str(world.a.pk)).order_by("-seq").first()
    )
    assert _payload(latest)["state"]["address"] != "从未保存的地址"
    assert _payload(latest)["state"]["phone"] == "0591-7654321"
    _state_ok()


def test_the_refusal_fingerprint_counts_what_the_orm_counts(cw):  # noqa: F811
    """The tests that check a refused request changed nothing (tests/fingerprint.py) count every recorded table in
    one query: the same numbers as the ORM's, and a new row or ledger entry shows."""
    from tests.fingerprint import ACCESS_ACTIONS, fingerprint

    cw.investigate(cw.new_case())
    expected = {label: m._base_manager.count() for label, m in tracking.recorded_models().items()}
    expected["ledger entries"] = Entry.objects.exclude(action__in=ACCESS_ACTIONS).count()
    before = fingerprint()
    assert before == expected and before["cases.case"] == 1 and before["ledger entries"] > 0
    cw.new_case()
    after = fingerprint()
    assert after["cases.case"] == 2 and after["ledger entries"] > before["ledger entries"]
