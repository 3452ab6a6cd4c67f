"""zhifa ledger verify: a change anywhere is reported with the entry or checkpoint it is in."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from zhifa.ledger import actions, checks, keys, notes
from zhifa.ledger.models import Checkpoint, Entry, Log, VerificationRun
from zhifa.ledger.tracking import unrecorded_writes
from zhifa.org import actions as org
from zhifa.org.models import ApiToken, Person

from .conftest import log_of


@pytest.fixture
def signed(world):
    actions.make_checkpoints(force=True)
    return world


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _first(report):
    assert not report.ok
    return report.problems[0]


def test_intact_ledger_verifies(signed, capsys):
    report = checks.verify(state=True)
    assert report.ok, report.problems
    assert report.logs == 3 and report.checkpoints == 3 and report.entries == Entry.objects.count()
    call_command("ledger", "verify", "--state")
    assert "账本完整" in capsys.readouterr().out
    run = VerificationRun.objects.get()
    assert run.ok and run.with_state and run.entries == report.entries and run.finished_at


@pytest.mark.parametrize("where", ["head", "record", "end"])
def test_a_changed_byte_in_an_entry_is_reported_with_its_number(signed, where):
    entry = Entry.objects.get(log_id=signed.a.pk, seq=5)
    body = bytes(entry.body)
    at = {"head": 20, "record": body.index(b'"record"') + 30, "end": len(body) - 2}[where]
    Entry.objects.filter(log_id=signed.a.pk, seq=5).update(body=_flip(body, at))
    problem = _first(checks.verify(agency=signed.a))
    assert (problem.agency, problem.seq) == ("agency-a", 5)
    assert "第 5 条记录" in str(problem)
    with pytest.raises(CommandError) as err:
        call_command("ledger", "verify", "--agency", "agency-a")
    assert err.value.returncode == 1 and "第 5 条记录" in str(err.value)
    assert not VerificationRun.objects.get().ok


def test_a_rewritten_entry_with_recomputed_hashes_breaks_the_checkpoint(signed):
    """Someone who rewrites an entry and recomputes its stored hashes still cannot forge the signed root."""
    from zhifa.ledger import merkle

    log = log_of(signed.a)
    entries = list(Entry.objects.filter(log=log).order_by("seq"))
    last = entries[-1]
    body = bytes(last.body).replace(b'"v":1', b'"v":1 ')
    tree = merkle.MemoryTree()
    for e in entries[:-1]:
        tree.append(bytes(e.nodes[:32]))
    nodes = tree.append(merkle.leaf_hash(body))
    Entry.objects.filter(log=log, seq=last.seq).update(body=body, nodes=nodes)
    Log.objects.filter(pk=log.pk).update(frontier=b"".join(tree.frontier), last_leaf=nodes[:32])
    report = checks.verify(agency=signed.a)
    messages = [str(p) for p in report.problems]
    assert any("规范化" in m for m in messages)  # not canonical JSON any more
    assert any(p.checkpoint == log.size for p in report.problems)


@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "org.forged"), ("object_id", "999"), ("actor_id", 12345), ("object_kind", "org.unit")],
)
def test_a_changed_index_column_is_reported(signed, column, value):
    Entry.objects.filter(log_id=signed.a.pk, seq=3).update(**{column: value})
    problem = _first(checks.verify(agency=signed.a))
    assert problem.seq == 3
    assert "字段与记录内容不符" in problem.message


def test_a_changed_time_column_is_reported(signed):
    import datetime as dt

    entry = Entry.objects.get(log_id=signed.a.pk, seq=2)
    Entry.objects.filter(log_id=signed.a.pk, seq=2).update(at=entry.at + dt.timedelta(microseconds=1))
    assert _first(checks.verify(agency=signed.a)).seq == 2


def test_changed_tree_nodes_are_reported(signed):
    entry = Entry.objects.get(log_id=signed.a.pk, seq=7)  # completes 4 nodes
    Entry.objects.filter(log_id=signed.a.pk, seq=7).update(nodes=_flip(bytes(entry.nodes), 100))
    problem = _first(checks.verify(agency=signed.a))
    assert problem.seq == 7 and "节点" in problem.message


def test_a_deleted_entry_is_reported(signed):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_entry WHERE log_id = %s AND seq = %s", [signed.a.pk, 4])
    problem = _first(checks.verify(agency=signed.a))
    assert problem.seq == 4 and "缺少" in problem.message


def test_a_changed_checkpoint_is_reported(signed):
    cp = Checkpoint.objects.get(log_id=signed.a.pk)
    Checkpoint.objects.filter(pk=cp.pk).update(note=cp.note.replace("\n", "\n ", 1))
    problem = _first(checks.verify(agency=signed.a))
    assert problem.checkpoint == cp.size and "签名" in problem.message
    Checkpoint.objects.filter(pk=cp.pk).update(note=cp.note, root_hash=_flip(bytes(cp.root_hash), 0))
    assert _first(checks.verify(agency=signed.a)).checkpoint == cp.size


def test_a_checkpoint_signed_by_another_key_is_reported(signed):
    log = log_of(signed.a)
    cp = Checkpoint.objects.get(log=log)
    forged = notes.make_checkpoint(log.origin, cp.size, bytes(cp.root_hash), cp.at, notes.Ed25519Signer())
    Checkpoint.objects.filter(pk=cp.pk).update(note=forged)
    assert _first(checks.verify(agency=signed.a)).checkpoint == cp.size


def test_a_replaced_key_file_is_reported(signed):
    log = log_of(signed.a)
    (keys.key_dir() / log.key_file).write_bytes(notes.Ed25519Signer().private_bytes())
    assert "私钥文件" in _first(checks.verify(agency=signed.a)).message


def test_a_missing_key_file_is_only_a_warning(signed):
    log = log_of(signed.a)
    (keys.key_dir() / log.key_file).unlink()
    report = checks.verify(agency=signed.a)
    assert report.ok and report.warnings


def test_a_changed_log_row_is_reported(signed):
    Log.objects.filter(pk=signed.a.pk).update(size=3)
    assert "账本状态" in _first(checks.verify(agency=signed.a)).message


def test_state_finds_a_row_changed_straight_in_the_database(signed, capsys):
    with unrecorded_writes():  # tampering: straight in the database
        Person.objects.filter(pk=signed.officer.pk).update(phone="13999999999")
    assert checks.verify().ok  # the ledger itself is intact
    problem = _first(checks.verify(state=True))
    assert (problem.kind, problem.object_id) == ("org.person", str(signed.officer.pk))
    assert "phone" in problem.message
    with pytest.raises(CommandError) as err:
        call_command("ledger", "verify", "--state")
    assert "org.person" in str(err.value) and err.value.returncode == 1


def test_state_after_a_proper_action_is_clean(signed):
    org.update_person(signed.secadmin, signed.officer, phone="13999999999")
    assert checks.verify(state=True).ok


def test_state_finds_deleted_and_resurrected_rows(signed):
    token, _raw = org.create_api_token(signed.officer, name="脚本")
    assert checks.verify(state=True).ok
    ApiToken.objects.filter(pk=token.pk).update(last_used_at="2026-01-01T00:00:00Z")  # bookkeeping: ignored
    assert checks.verify(state=True).ok
    with unrecorded_writes():  # tampering: straight in the database
        ApiToken.objects.filter(pk=token.pk).delete()
    problem = _first(checks.verify(state=True))
    assert problem.kind == "org.apitoken" and "已不存在" in problem.message


def test_state_none_means_deleted(signed):
    """An entry whose state is None records a deletion; a row that comes back afterwards is reported."""
    from django.db import transaction

    from zhifa.org.choices import Role
    from zhifa.org.models import RoleAssignment

    assignment = RoleAssignment.objects.get(person=signed.officer2, role=Role.OFFICER)
    pk = assignment.pk
    with transaction.atomic():
        assignment.delete()
        assignment.pk = pk  # Django clears it on delete; the entry must name the deleted row
        actions.append(
            agency=signed.a, actor=None, action="org.remove_role", obj=assignment, payload={"state": None}
        )
    assert checks.verify(state=True).ok
    with unrecorded_writes():  # tampering: straight in the database
        RoleAssignment.objects.create(pk=pk, person=signed.officer2, role=Role.OFFICER, agency=signed.a)
    problem = _first(checks.verify(state=True))
    assert (problem.kind, problem.object_id) == ("org.roleassignment", str(pk))
    assert "已删除" in problem.message
