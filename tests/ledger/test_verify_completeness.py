"""zhifa ledger verify --state proves completeness (issue 13, item 9): rows inserted around the actions layer,
credential hashes replaced in the database, deleted login-audit rows and a deleted unsigned tail are all found,
and a clean world after a full case walk and logins verifies with no false alarm."""

import datetime as dt
import json

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.conftest import clock, cw  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD
from zhifa.cases.models import Case, CaseOfficer
from zhifa.ledger import actions, checks, credentials
from zhifa.ledger.models import Checkpoint, Entry, Log
from zhifa.ledger.tracking import LedgerIncomplete, unrecorded_writes
from zhifa.org import actions as org
from zhifa.org.choices import AuthEventKind, Role
from zhifa.org.models import ApiToken, AuthEvent, Person, RoleAssignment

from .conftest import log_of

pytestmark = pytest.mark.django_db


def _problems(report) -> list[str]:
    return [str(p) for p in report.problems]


def _ok(**kwargs):
    report = checks.verify(state=True, files=False, **kwargs)
    assert report.ok, _problems(report)
    return report


def _payload(entry):
    return json.loads(bytes(entry.body))["record"]["payload"]


# No false alarm --------------------------------------------------------------------------------------------------


def test_a_clean_world_verifies_after_a_case_walk_logins_and_credential_changes(cw, client, capsys):  # noqa: F811
    case = cw.investigate(cw.new_case())
    cw.notice(case)
    case.refresh_from_db()
    cw.clock.move_to(dt.date.fromisoformat(case.notice_snapshot["statement_due"]) + dt.timedelta(days=1))
    cw.decide(case)
    assert client.login(username=cw.officer.username, password=PASSWORD)
    client.logout()
    assert authenticate(username=cw.officer.username, password="wrong") is None
    assert authenticate(username="nobody-at-all", password="wrong") is None
    org.reset_password(cw.secadmin, cw.officer2, new_password="Reset#Pass2026")
    org.change_password(cw.officer2, old_password="Reset#Pass2026", new_password="Mine#Pass2026")
    token, _raw = org.create_api_token(cw.head, name="脚本")
    org.revoke_api_token(cw.head, token)
    report = _ok()
    assert report.objects > 0
    call_command("ledger", "verify", "--state")
    assert "账本完整" in capsys.readouterr().out


# Rows inserted with no entry -------------------------------------------------------------------------------------


def test_a_role_assignment_inserted_with_sql_is_found_in_both_modes(world):
    with unrecorded_writes(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO org_roleassignment (person_id, role, agency_id, granted_at) VALUES (%s, %s, %s, %s)",
            [world.officer.pk, Role.AGENCY_HEAD, world.a.pk, "2026-01-01 00:00:00+00:00"],
        )
    row = RoleAssignment.objects.get(person=world.officer, role=Role.AGENCY_HEAD)
    for report in (checks.verify(state=True), checks.verify(state=True, agency=world.a)):
        problem = next(p for p in report.problems if p.kind == "org.roleassignment")
        assert problem.object_id == str(row.pk) and problem.agency == "agency-a"
        assert "账本中没有任何记录" in str(problem)
    assert checks.verify(state=True, agency=world.b).ok
    with pytest.raises(CommandError) as err:
        call_command("ledger", "verify", "--state", "--agency", "agency-a")
    assert "org.roleassignment" in str(err.value) and "未经操作新增" in str(err.value)


def test_a_case_inserted_without_an_entry_is_found(cw):  # noqa: F811
    case = cw.new_case()
    with unrecorded_writes():
        copy = Case.objects.get(pk=case.pk)
        copy.pk = None
        copy.reference = case.reference + "-伪"
        copy.save()
    report = checks.verify(state=True, agency=cw.a)
    assert [(p.kind, p.object_id) for p in report.problems] == [("cases.case", str(copy.pk))]


def test_one_agency_mode_checks_rows_without_an_agency_field_of_their_own(cw):  # noqa: F811
    """A case's handling officer has no agency column: verifying agency A alone used to skip such tables."""
    case = cw.new_case()
    with unrecorded_writes():
        link = CaseOfficer.objects.create(case=case, person=cw.head)
    report = checks.verify(state=True, agency=cw.a)
    found = {(p.kind, p.object_id, p.agency): str(p) for p in report.problems}
    assert "未经操作新增" in found[("cases.caseofficer", str(link.pk), "agency-a")]
    assert "officers" in found[("cases.case", str(case.pk), "agency-a")]  # and the case's officers changed
    assert checks.verify(state=True, agency=cw.b).ok


# Credentials -----------------------------------------------------------------------------------------------------


def test_credential_changes_record_a_keyed_digest_never_the_hash(world):
    org.reset_password(world.secadmin, world.officer2, new_password="Reset#Pass2026")
    person = Person.objects.get(pk=world.officer2.pk)
    entry = Entry.objects.filter(action="org.reset_password", object_id=str(person.pk)).get()
    state = _payload(entry)["state"]
    assert "password" not in state
    assert state["password_digest"] == credentials.digest("password", person.password)
    assert state["password_digest"].startswith("hmac-sha256:")
    body = bytes(entry.body)
    assert person.password.encode() not in body and person.password.split("$")[-1].encode() not in body
    key_file = credentials.key_path()
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    token, raw = org.create_api_token(world.head, name="脚本")
    token_state = _payload(Entry.objects.get(action="org.create_api_token"))["state"]
    assert "key_hash" not in token_state and raw.encode() not in bytes(
        Entry.objects.get(action="org.create_api_token").body
    )
    assert token_state["key_hash_digest"] == credentials.digest("key_hash", token.key_hash)


def test_a_password_hash_replaced_in_the_database_is_reported(world, client):
    """Someone sets the head's hash to one of a password they know, to log in as the head."""
    with unrecorded_writes(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE org_person SET password = %s WHERE id = %s",
            [make_password("Known#Pass2026"), world.head.pk],
        )
    assert client.login(username=world.head.username, password="Known#Pass2026")
    report = checks.verify(state=True)
    (problem,) = [p for p in report.problems if p.kind == "org.person"]
    assert problem.object_id == str(world.head.pk) and problem.agency == "agency-a"
    assert "密码被直接改动" in str(problem)
    with pytest.raises(CommandError) as err:
        call_command("ledger", "verify", "--state", "--agency", "agency-a")
    assert "密码被直接改动" in str(err.value)


def test_a_token_hash_replaced_in_the_database_is_reported(world):
    token, _raw = org.create_api_token(world.head, name="脚本")
    with unrecorded_writes():
        ApiToken.objects.filter(pk=token.pk).update(key_hash=org.token_hash("zf_attacker"))
    (problem,) = checks.verify(state=True).problems
    assert (problem.kind, problem.object_id) == ("org.apitoken", str(token.pk))
    assert "哈希被直接改动" in str(problem)


def test_a_password_update_around_the_actions_layer_is_refused_in_the_application(world):
    with pytest.raises(LedgerIncomplete), transaction.atomic():
        Person.objects.filter(pk=world.head.pk).update(password=make_password("x"))
    with pytest.raises(LedgerIncomplete):
        person = Person.objects.get(pk=world.head.pk)
        person.set_password("Other#Pass2026")
        person.save(update_fields=["password"])


def test_a_rehash_on_login_is_recorded_not_a_false_alarm(world, client, settings):
    """Django re-hashes a password on login when PASSWORD_HASHERS prefers another hasher: that is an action."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert Person.objects.get(pk=world.officer.pk).password.startswith("md5$")
    assert client.login(username=world.officer.username, password=PASSWORD)
    person = Person.objects.get(pk=world.officer.pk)
    assert person.password.startswith("pbkdf2_sha256$")
    entry = Entry.objects.filter(action="org.rehash_password", object_id=str(person.pk)).get()
    assert entry.actor_id == person.pk
    assert _payload(entry)["state"]["password_digest"] == credentials.digest("password", person.password)
    _ok()


def test_a_platform_administrators_password_change_is_recorded_in_every_log(world):
    admin = Person.objects.create_superuser("platform1", "Strong#Pass2026", full_name="平台管理员")
    org.change_password(admin, old_password="Strong#Pass2026", new_password="Strong#Pass2027")
    logs = set(
        Entry.objects.filter(action="org.change_password", object_id=str(admin.pk)).values_list(
            "log", flat=True
        )
    )
    assert logs == set(Log.objects.values_list("pk", flat=True))
    _ok()


# The login audit record ------------------------------------------------------------------------------------------


def _events(world, client):
    assert client.login(username=world.officer.username, password=PASSWORD)
    client.logout()
    authenticate(username="nobody-at-all", password="wrong")  # no agency: chained, not in any log
    authenticate(username=world.officer_b.username, password="wrong")
    assert client.login(username=world.head.username, password=PASSWORD)
    return list(AuthEvent.objects.order_by("seq"))


def test_login_events_are_chained_and_recorded_in_their_agencys_log(world, client):
    events = _events(world, client)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for event in events:
        entries = Entry.objects.filter(action="org.auth_event", object_id=str(event.pk))
        if event.agency_id is None:
            assert not entries.exists()
            continue
        entry = entries.get()
        assert entry.log_id == event.agency_id
        assert _payload(entry)["event"] == {
            "seq": event.seq,
            "kind": event.kind,
            "username": event.username,
            "chain_hash": event.chain_hash,
        }
    _ok()


@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_a_deleted_login_audit_row_is_found(world, client, which):
    events = _events(world, client)
    victim = {"first": events[0], "middle": events[2], "last": events[-1]}[which]
    with unrecorded_writes(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM org_authevent WHERE id = %s", [victim.pk])
    messages = _problems(checks.verify())
    assert messages and any(f"第 {victim.seq} 条" in m and "登录审计记录" in m for m in messages), messages


def test_a_changed_login_audit_row_is_found(world, client):
    events = _events(world, client)
    AuthEvent.objects.filter(pk=events[0].pk).update(ip="192.0.2.99")
    messages = _problems(checks.verify())
    assert any("登录审计记录第 1 条的内容与链哈希不符" in m for m in messages), messages
    # Recomputing the chain from there on is caught by the hash each agency's log recorded.
    from zhifa.org.actions import auth_event_hash

    prev = ""
    for event in AuthEvent.objects.order_by("seq"):
        event.chain_hash = prev = auth_event_hash(prev, event)
        event.save(update_fields=["chain_hash"])
    messages = _problems(checks.verify())
    assert any("与账本所记的链哈希不符" in m for m in messages), messages
    assert not any("内容与链哈希不符" in m for m in messages), messages


def test_the_audit_administrators_page_still_lists_the_events(world, client):
    _events(world, client)
    from zhifa.org.queries import visible_auth_events

    seen = set(visible_auth_events(world.auditor).values_list("username", flat=True))
    assert {world.officer.username, world.head.username} <= seen


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kinds=st.lists(st.sampled_from(["officer", "head", "unknown"]), min_size=2, max_size=6),
    data=st.data(),
)
def test_deleting_any_login_rows_is_found_unless_only_an_unanchored_tail(world, kinds, data):
    """Property: deleting any non-empty set of chained rows is found — except the chain's last rows when no
    agency's log recorded any of them (unknown usernames after the last recorded event): nothing anchors those."""
    people = {"officer": world.officer, "head": world.head, "unknown": None}
    sid = transaction.savepoint()
    try:
        AuthEvent.objects.all().delete()
        events = [
            org.record_auth_event(AuthEventKind.FAILURE, username=k, person=people[k], ip="10.0.0.1")
            for k in kinds
        ]
        doomed = data.draw(st.sets(st.sampled_from(range(len(events))), min_size=1))
        anchored = {i for i, e in enumerate(events) if e.agency_id is not None}
        # Undetectable exactly when the deleted rows are the chain's last ones and no log recorded any of them.
        unanchored_tail = doomed == set(range(min(doomed), len(events))) and not doomed & anchored
        AuthEvent.objects.filter(pk__in=[events[i].pk for i in doomed]).delete()
        found = any("登录审计记录" in m for m in _problems(checks.verify()))
        assert found != unanchored_tail
    finally:
        transaction.savepoint_rollback(sid)


# Checkpoints and the unsigned tail -------------------------------------------------------------------------------


def test_a_checkpoint_is_signed_after_the_commit_of_an_action(
    world, django_capture_on_commit_callbacks, settings
):
    settings.LEDGER_CHECKPOINT_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        org.update_agency(world.sysadmin, world.a, phone="0591-1234567")
    log = log_of(world.a)
    first = Checkpoint.objects.get(log=log)
    assert first.size == log.size
    with django_capture_on_commit_callbacks(execute=True):  # within a minute of the last: left for later
        org.update_agency(world.sysadmin, world.a, phone="0591-7654321")
    assert Checkpoint.objects.filter(log=log).count() == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org.update_agency(world.sysadmin, world.a, phone="0591-1111111")
        org.update_agency(world.sysadmin, world.a, phone="0591-2222222")
    assert len(callbacks) == 2  # one per transaction and log
    with (
        time_machine.travel(timezone.now() + dt.timedelta(seconds=61)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        org.update_agency(world.sysadmin, world.a, phone="0591-3333333")
    assert Checkpoint.objects.filter(log=log).order_by("-size").first().size == log_of(world.a).size
    settings.LEDGER_CHECKPOINT_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org.update_agency(world.sysadmin, world.a, phone="0591-4444444")
    assert callbacks == []
    _ok()


def test_the_tail_of_a_burst_is_signed_by_the_periodic_job_soon_after_it_ends(
    world, django_capture_on_commit_callbacks, settings
):
    """A burst within a minute of the last signing is left unsigned by the commits; the job, run as often as
    ZHIFA_LEDGER_CHECKPOINT_SECONDS, signs it once the last checkpoint is that old — not ten minutes later."""
    from zhifa.ledger import tasks as jobs

    settings.LEDGER_CHECKPOINT_SECONDS = 60
    settings.LEDGER_CHECKPOINT_MINUTES = 10
    assert jobs.interval_minutes() == 1
    with django_capture_on_commit_callbacks(execute=True):
        org.update_agency(world.sysadmin, world.a, phone="0591-1234567")
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the burst: signed a moment ago, so left for later
        for n in range(3):
            org.update_agency(world.sysadmin, world.a, phone=f"0591-765432{n}")
    log = log_of(world.a)
    assert Checkpoint.objects.filter(log=log).order_by("-size").first().size < log.size
    assert log.pk not in {c.log_id for c in jobs.checkpoints()}  # within the minute: not yet
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        made = {c.log_id: c.size for c in jobs.checkpoints()}
    assert made[log.pk] == log_of(world.a).size
    settings.LEDGER_CHECKPOINT_SECONDS = 0  # signing on commit off: the job falls back to every 10 minutes
    assert jobs.interval_minutes() == 10
    _ok()


def test_a_checkpoint_failure_after_commit_does_not_reach_the_action(
    world, django_capture_on_commit_callbacks
):
    (actions.keys.key_dir() / log_of(world.a).key_file).unlink()
    with django_capture_on_commit_callbacks(execute=True):
        org.update_agency(world.sysadmin, world.a, phone="0591-1234567")
    assert not Checkpoint.objects.filter(log=world.a.pk).exists()
    assert type(world.a).objects.get(pk=world.a.pk).phone == "0591-1234567"


def test_a_deleted_unsigned_tail_is_found_against_an_earlier_verification(world, append):
    """No checkpoint covers the tail; the attacker deletes it and rewinds the log row to match."""
    assert not Checkpoint.objects.exists()
    log = log_of(world.a)
    before = (log.size, bytes(log.frontier), bytes(log.last_leaf))
    append("test.one")
    append("test.two")
    report = actions.run_verification()
    assert report.ok and any("尚未被签名检查点覆盖" in w for w in report.warnings)
    with unrecorded_writes():
        Entry.objects.filter(log=log, seq__gte=before[0]).delete()
        Log.objects.filter(pk=log.pk).update(size=before[0], frontier=before[1], last_leaf=before[2])
    (problem,) = checks.verify(agency=world.a).problems
    assert f"有 {before[0] + 2} 条记录，现在只有 {before[0]} 条" in str(
        problem
    ) and "末尾的记录被删除" in str(problem)


def test_a_deleted_tail_without_rewinding_the_log_row_is_found(world, append):
    append("test.one")
    with unrecorded_writes():
        Entry.objects.filter(log=world.a.pk, seq=log_of(world.a).size - 1).delete()
    assert any("账本状态" in m for m in _problems(checks.verify(agency=world.a)))


def test_a_complaint_query_code_hash_is_digested_and_a_replaced_one_reported(world):
    """The query code a complainant reads their answer with is a credential too (publicity.complaint.key_hash)."""
    from zhifa.publicity import actions as publicity

    complaint, code = publicity.submit_complaint(
        world.a, kind="consultation", subject="咨询校验时间", content="请问诊所执业许可证多久校验一次？"
    )
    entry = Entry.objects.filter(object_kind="publicity.complaint", object_id=str(complaint.pk)).latest("seq")
    state = _payload(entry)["state"]
    assert "key_hash" not in state and code.encode() not in bytes(entry.body)
    assert state["key_hash_digest"] == credentials.digest("key_hash", complaint.key_hash)
    with unrecorded_writes():
        type(complaint).objects.filter(pk=complaint.pk).update(key_hash=make_password("KNOWN123"))
    (problem,) = checks.verify(state=True).problems
    assert (problem.kind, problem.object_id) == ("publicity.complaint", str(complaint.pk))
    assert "哈希被直接改动" in str(problem)
