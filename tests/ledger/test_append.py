"""Appending: one unbroken chain per agency, inside the caller's transaction, keys outside the database."""

import datetime as dt
import json
import stat

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.ledger import actions, checks, encoding, keys, merkle, notes, queries
from zhifa.ledger.models import Checkpoint, Entry
from zhifa.org import actions as org
from zhifa.org.choices import Role

from .conftest import log_of


def _bodies(agency):
    return [json.loads(bytes(e.body)) for e in Entry.objects.filter(log_id=agency.pk).order_by("seq")]


def test_every_agency_gets_a_log_and_a_key_at_creation(world):
    for agency in (world.a, world.b, world.justice):
        log = log_of(agency)
        first = Entry.objects.get(log=log, seq=0)
        assert first.action == "org.create_agency" and first.object_id == str(agency.pk)
        path = keys.key_dir() / log.key_file
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert str(path).startswith(str(settings.LEDGER_KEY_DIR))
        signer = keys.load(log)
        assert signer.public_bytes == bytes(log.public_key)
        # The private key is nowhere in the database row.
        private = path.read_bytes()
        for value in log.__dict__.values():
            assert not (isinstance(value, bytes | memoryview) and bytes(value) in private)
    assert log_of(world.a).origin == "zhifa.local/agency-a"


def test_entries_form_one_chain_with_sequence_numbers(world):
    bodies = _bodies(world.a)
    prev = None
    for seq, (entry, body) in enumerate(
        zip(Entry.objects.filter(log_id=world.a.pk).order_by("seq"), bodies, strict=True)
    ):
        assert body["head"]["seq"] == seq == entry.seq
        assert body["head"]["prev"] == (prev.hex() if prev else None)
        assert body["head"]["log"] == "zhifa.local/agency-a"
        prev = merkle.leaf_hash(bytes(entry.body))
        assert bytes(entry.nodes[:32]) == prev
    log = log_of(world.a)
    assert log.size == len(bodies)
    assert bytes(log.last_leaf) == prev


def test_the_entry_records_who_with_their_roles_at_the_time(world):
    org.update_person(world.secadmin, world.officer, phone="13800000000")
    entry = Entry.objects.filter(log_id=world.a.pk).order_by("-seq").first()
    body = json.loads(bytes(entry.body))
    assert body["head"]["action"] == "org.update_person"
    assert body["head"]["actor"] == world.secadmin.pk and entry.actor_id == world.secadmin.pk
    assert body["head"]["kind"] == "org.person" and body["head"]["object"] == str(world.officer.pk)
    assert body["record"]["actor"] == {"name": "甲安全管理员", "roles": [Role.SECURITY_ADMIN]}
    assert body["record"]["payload"]["state"]["phone"] == "13800000000"
    assert body["record"]["payload"]["changed"] == ["phone"]
    # Stored bytes are canonical JSON: what is hashed is what is stored.
    import rfc8785

    assert rfc8785.dumps(body) == bytes(entry.body)


@pytest.mark.django_db(transaction=True)
def test_append_refuses_to_run_outside_a_transaction(world):
    with pytest.raises(RuntimeError):
        actions.append(agency=world.a, actor=None, action="test.note", payload={})


def test_nothing_is_recorded_when_the_action_fails(world):
    size = log_of(world.a).size
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        actions.append(agency=world.a, actor=None, action="test.note", payload={})
        1 / 0  # noqa: B018 - the business write fails after the append
    assert log_of(world.a).size == size
    assert not Entry.objects.filter(log_id=world.a.pk, seq=size).exists()


def test_an_append_starts_where_this_process_left_the_log_and_survives_a_wrong_hint(world, append):
    """The process remembers where it left each log. The next append to it is one statement on PostgreSQL and two
    on SQLite (move the log if it is still there, insert); a hint left wrong by a rollback or by another writer is
    refused by the database and the append takes the long way: the chain stays one, gap-free, and verifies."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements(call):
        with CaptureQueriesContext(connection) as queries:
            call()
        return (
            len(queries) - 2
        )  # the transaction's SAVEPOINT and RELEASE (the test's own transaction is open)

    postgres = connection.vendor == "postgresql"
    append()
    assert statements(append) == (1 if postgres else 2)
    key = next(k for k in actions._hints if k[2] == world.a.pk)
    stale = actions._hints[key]
    append()
    actions._hints[key] = stale  # another writer appended since this process's hint
    assert statements(append) == (2 if postgres else 4)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        append()
        1 / 0  # noqa: B018 - rolled back: the hint now points past the log's end
    assert statements(append) == (2 if postgres else 4)
    actions._hints.pop(key)  # no hint at all (a new process)
    assert statements(append) == (2 if postgres else 3)
    entries = list(Entry.objects.filter(log_id=world.a.pk).order_by("seq"))
    assert [e.seq for e in entries] == list(range(len(entries)))
    log = log_of(world.a)
    assert log.size == len(entries) and bytes(log.last_leaf) == bytes(entries[-1].nodes[:32])
    assert checks.verify(agency=world.a).ok


def test_payload_values_are_normalised(append):
    entry = append(payload={"when": dt.date(2026, 1, 2), "ids": {3, 1, 2}, "tuple": (1, "二")})
    payload = json.loads(bytes(entry.body))["record"]["payload"]
    assert payload == {"when": "2026-01-02", "ids": [1, 2, 3], "tuple": [1, "二"]}
    with pytest.raises(TypeError):
        append(payload={"obj": object()})


def test_files_must_be_named_with_their_sha256(append):
    with pytest.raises(ValueError):
        append(files=[("a.pdf", "not-a-hash")])


def test_record_access(world):
    entry = actions.record_access(world.auditor, world.officer, "  核查执法人员资格  ")
    body = json.loads(bytes(entry.body))
    assert entry.log_id == world.a.pk and entry.action == "ledger.access"
    assert body["record"]["payload"] == {"reason": "核查执法人员资格"}
    assert body["record"]["actor"]["roles"] == [Role.AUDIT_ADMIN]
    with pytest.raises(RuleViolation):
        actions.record_access(world.auditor, world.officer, " ")
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ActionDenied):
        actions.record_access(AnonymousUser(), world.officer, "看看")
    # In the caller's transaction when there is one: rolled back with it.
    size = log_of(world.a).size
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        actions.record_access(world.auditor, world.officer, "看看")
        1 / 0  # noqa: B018
    assert log_of(world.a).size == size


def test_checkpoints_are_signed_notes(world):
    made = actions.make_checkpoints(force=True)
    assert {cp.log_id for cp in made} == {world.a.pk, world.b.pk, world.justice.pk}
    cp = Checkpoint.objects.get(log_id=world.a.pk)
    log = log_of(world.a)
    signed = notes.open_checkpoint(cp.note, keys.public_key(log))
    assert signed.size == log.size == cp.size
    assert signed.root == bytes(cp.root_hash) == queries.root_at(log, log.size)
    assert signed.time == cp.at
    # Nothing new: nothing to sign, even when forced.
    assert actions.make_checkpoints(force=True) == []


def test_periodic_checkpoints_wait_for_the_interval(world, settings):
    settings.LEDGER_CHECKPOINT_MINUTES = 10
    first = actions.make_checkpoint(world.a)
    assert first is not None
    org.update_agency(None, world.a, phone="1234")
    assert actions.make_checkpoint(world.a) is None  # grew, but the last one is fresh
    later = first.at + dt.timedelta(minutes=11)
    second = actions.make_checkpoint(world.a, now=later)
    assert second is not None and second.size == first.size + 1
    org.update_agency(None, world.a, phone="5678")
    assert actions.make_checkpoint(world.a, force=True).size == second.size + 1


def test_a_missing_key_stops_only_its_own_checkpoint(world):
    (keys.key_dir() / log_of(world.b).key_file).unlink()
    made = actions.make_checkpoints(force=True)
    assert {cp.log_id for cp in made} == {world.a.pk, world.justice.pk}


def test_checkpoint_command(world, capsys):
    call_command("ledger", "checkpoint", "--agency", "agency-a", "--force")
    assert "已签署检查点" in capsys.readouterr().out
    assert Checkpoint.objects.filter(log_id=world.a.pk).count() == 1
    call_command("ledger", "checkpoint")
    assert Checkpoint.objects.count() == 3
    call_command("ledger", "checkpoint", "--force")
    assert "没有需要签署的检查点" in capsys.readouterr().out


def test_files_are_rehashed_from_storage(world, append):
    name = default_storage.save("evidence/photo.jpg", ContentFile(b"\xff\xd8 a photo"))
    import hashlib

    digest = hashlib.sha256(b"\xff\xd8 a photo").hexdigest()
    entry = append("test.store_file", files=[(name, digest)])
    assert encoding.names_files(bytes(entry.body), len(bytes(entry.body).split(b',"record":')[0]) + 10)
    report = checks.verify(agency=world.a)
    assert report.ok and report.files == 1
    with default_storage.open(name, "wb") as fh:
        fh.write(b"\xff\xd8 a changed photo")
    report = checks.verify(agency=world.a)
    assert not report.ok
    assert report.problems[0].seq == entry.seq and name in report.problems[0].message
    default_storage.delete(name)
    report = checks.verify(agency=world.a)
    assert report.problems[0].seq == entry.seq and "不存在" in report.problems[0].message
    assert checks.verify(agency=world.a, files=False).ok


def test_sm2_keys_behind_the_same_interface(world, settings):
    pytest.importorskip("gmalg")
    settings.LEDGER_KEY_ALGORITHM = notes.SM2
    from tests.conftest import _credit

    agency = org.create_agency(
        None,
        code="agency-sm2",
        name="国密测试局",
        short_name="国密",
        credit_code=_credit("11440300MB2D0000D"),
        region="丙区",
    )
    log = log_of(agency)
    assert log.algorithm == notes.SM2 and len(bytes(log.public_key)) == 65
    actions.make_checkpoint(agency, force=True)
    assert checks.verify(agency=agency).ok
    assert notes.parse_vkey(keys.public_key(log).vkey()).algorithm == notes.SM2


def test_the_entry_table_keeps_no_index_its_primary_key_already_serves(db):
    """Each append writes every index of ``ledger_entry``: the three it needs — the primary key (log, seq), which
    also serves every lookup by log, the object's entries, and the access log's — and no separate one on the log."""
    from django.db import connection

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "ledger_entry")
    primary = [set(c["columns"]) for c in found.values() if c["primary_key"]]
    others = sorted(tuple(c["columns"]) for c in found.values() if c["index"] and not c["primary_key"])
    assert primary == [{"log_id", "seq"}]
    assert others == [("log_id", "action", "object_kind", "at", "object_id"), ("object_kind", "object_id")]
