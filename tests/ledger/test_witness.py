"""Witness cosigning (C2SP tlog-witness / tlog-cosignature): a log rewritten with the agency's own key still passes
its own signature checks, but not the witness's cosignature. Both roles run in one database here, each with its
own key directory, as two deployments would."""

import base64
import hashlib
import io
import json
import struct

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import CommandError, call_command
from django.test import override_settings

from zhifa.ledger import actions, checks, keys, merkle, notes, witness
from zhifa.ledger.models import Checkpoint, Cosignature, Entry, Log, WitnessState
from zhifa.ledger.tracking import unrecorded_writes

from .conftest import log_of

pytestmark = pytest.mark.django_db

NAME = "sfj.example.gov.cn/witness"


@pytest.fixture
def witness_dir(tmp_path):
    """The witness's deployment: a key directory of its own."""
    path = tmp_path / "witness-keys"

    def inside():
        return override_settings(LEDGER_KEY_DIR=path)

    with inside():
        key = witness.new_witness_key(NAME)
    inside.key = key
    return inside


def _checkpoint(agency) -> Checkpoint:
    return actions.make_checkpoint(agency, force=True)


def _cosign(witness_dir, log, old, log_key=None):
    body = witness.request(log, old)
    with witness_dir():
        return witness.cosign(NAME, body, log_key=log_key)


def test_a_cosignature_has_the_c2sp_shape_and_verify_checks_it(world, witness_dir):
    log = log_of(world.a)
    first = _checkpoint(world.a)
    line = _cosign(witness_dir, log, 0, log_key=keys.public_key(log).vkey())
    dash, name, encoded = line.split(" ")
    raw = base64.b64decode(encoded)
    key = witness_dir.key.key
    assert (dash, name) == ("\u2014", NAME)
    assert raw[:4] == hashlib.sha256(NAME.encode() + b"\n\x04" + key).digest()[:4]
    (when,) = struct.unpack(">Q", raw[4:12])
    text, _sigs = notes.parse_note(first.note)
    Ed25519PublicKey.from_public_bytes(key).verify(
        raw[12:], f"cosignature/v1\ntime {when}\n".encode() + text.encode()
    )
    witness.record(first, line, witness_dir.key.vkey())
    assert Cosignature.objects.get().checkpoint == first
    assert checks.verify(agency=world.a).ok

    # The next checkpoint: the witness checks the consistency proof from the one it cosigned.
    actions.make_checkpoint(world.b, force=True)
    from zhifa.org import actions as org

    org.update_agency(world.sysadmin, world.a, phone="0591-1234567")
    second = _checkpoint(world.a)
    witness.record(second, _cosign(witness_dir, log, first.size), witness_dir.key.vkey())
    state = WitnessState.objects.get(witness=NAME, origin=log.origin)
    assert state.size == second.size and bytes(state.root_hash) == bytes(second.root_hash)
    report = checks.verify(agency=world.a)
    assert report.ok, [str(p) for p in report.problems]


def _forge(body: dict) -> None:
    body["record"]["payload"]["forged"] = "改写的内容"


def _rewrite(log: Log, seq: int) -> None:
    """Change entry ``seq``'s content and re-make every hash, the log row and every checkpoint with the agency's key."""
    frontier: list[bytes] = []
    prev = None
    with unrecorded_writes():
        for entry in Entry.objects.filter(log=log).order_by("seq"):
            body = json.loads(bytes(entry.body))
            body["head"]["prev"] = prev.hex() if prev else None
            if entry.seq == seq:
                _forge(body)
            data = rfc8785.dumps(body)
            leaf = merkle.leaf_hash(data)
            nodes = b"".join(merkle.append_leaf(frontier, entry.seq, leaf))
            Entry.objects.filter(log=log, seq=entry.seq).update(body=data, nodes=nodes)
            prev = leaf
            for cp in Checkpoint.objects.filter(log=log, size=entry.seq + 1):
                root = merkle.frontier_root(frontier)
                note = notes.make_checkpoint(log.origin, cp.size, root, cp.at, keys.load(log))
                Checkpoint.objects.filter(pk=cp.pk).update(root_hash=root, note=note)
        Log.objects.filter(pk=log.pk).update(frontier=b"".join(frontier), last_leaf=prev)


def test_a_rewritten_history_passes_its_own_signatures_but_not_the_witness(world, witness_dir):
    log = log_of(world.a)
    body = bytes(Entry.objects.get(log=log, seq=3).body)
    assert (
        rfc8785.dumps(json.loads(body)) == body
    )  # entries are canonical JSON: the rewrite below is faithful
    first = _checkpoint(world.a)
    line = _cosign(witness_dir, log, 0, log_key=keys.public_key(log).vkey())
    witness.record(first, line, witness_dir.key.vkey())
    _rewrite(log, 3)
    assert "改写的内容" in bytes(Entry.objects.get(log=log, seq=3).body).decode()

    report = checks.verify(agency=world.a)
    messages = [str(p) for p in report.problems]
    assert messages and all("见证方" in m for m in messages), messages  # the log's own checks all pass
    assert any("副署不成立" in m and "检查点（" in m for m in messages), messages
    assert any("与见证方 sfj.example.gov.cn/witness 副署的第" in m for m in messages), messages

    # Without the witness's records, the rewrite would be invisible to the log's own checks.
    Cosignature.objects.all().delete()
    WitnessState.objects.all().delete()
    assert checks.verify(agency=world.a).ok


def test_the_witness_refuses_a_checkpoint_inconsistent_with_what_it_cosigned(world, witness_dir):
    log = log_of(world.a)
    first = _checkpoint(world.a)
    _cosign(witness_dir, log, 0, log_key=keys.public_key(log).vkey())
    _rewrite(log, 2)
    from zhifa.org import actions as org

    org.update_agency(world.sysadmin, world.a, phone="0591-1234567")
    _checkpoint(world.a)
    with pytest.raises(witness.WitnessError, match="不一致"):
        _cosign(witness_dir, log, first.size)
    assert WitnessState.objects.get().size == first.size  # nothing remembered


def test_the_witness_refuses_bad_requests(world, witness_dir):
    log = log_of(world.a)
    first = _checkpoint(world.a)
    with pytest.raises(witness.WitnessError, match="须提供日志公钥"):
        _cosign(witness_dir, log, 0)
    other = keys.public_key(log_of(world.b)).vkey()
    with pytest.raises(witness.WitnessError, match="日志签名无效"):
        _cosign(witness_dir, log, 0, log_key=other)
    _cosign(witness_dir, log, 0, log_key=keys.public_key(log).vkey())
    with pytest.raises(witness.WitnessError, match="公钥与见证方先前记下的不同"):
        _cosign(witness_dir, log, first.size, log_key=other)
    with pytest.raises(witness.WitnessError, match="依据的条数"):
        _cosign(witness_dir, log, 0)
    with witness_dir(), pytest.raises(witness.WitnessError, match="请求格式错误"):
        witness.cosign(NAME, first.note)
    assert not WitnessState.objects.exclude(size=first.size).exists()


def test_a_forged_or_mismatched_cosignature_is_not_recorded(world, witness_dir):
    log = log_of(world.a)
    first = _checkpoint(world.a)
    line = _cosign(witness_dir, log, 0, log_key=keys.public_key(log).vkey())
    dash, name, encoded = line.split(" ")
    raw = bytearray(base64.b64decode(encoded))
    raw[-1] ^= 1
    forged = f"{dash} {name} {base64.b64encode(bytes(raw)).decode()}"
    with pytest.raises(witness.WitnessError, match="副署签名与检查点不符"):
        witness.record(first, forged, witness_dir.key.vkey())
    with pytest.raises(witness.WitnessError):
        witness.record(first, line, keys.public_key(log).vkey())  # a log key is not a witness key
    assert not Cosignature.objects.exists()
    # A stored cosignature whose line was changed afterwards is reported.
    witness.record(first, line, witness_dir.key.vkey())
    Cosignature.objects.update(line=line.replace(NAME, "someone-else"))
    problem = checks.verify(agency=world.a).problems[0]
    assert problem.checkpoint == first.size and "副署不成立" in str(problem)


def test_the_commands(world, witness_dir, tmp_path, capsys):
    log = log_of(world.a)
    first = _checkpoint(world.a)
    request = tmp_path / "request.txt"
    call_command("ledger", "witness-request", "--agency", "agency-a", "--old", "0", "-o", str(request))
    assert request.read_text().startswith("old 0\n\n" + log.origin + "\n")
    out = io.StringIO()
    with witness_dir():
        with pytest.raises(CommandError, match="已存在"):
            call_command("ledger", "witness-key", "--name", NAME)
        call_command(
            "ledger",
            "witness-cosign",
            "--name",
            NAME,
            "--request",
            str(request),
            "--log-key",
            keys.public_key(log).vkey(),
            stdout=out,
        )
    line = out.getvalue().strip()
    call_command(
        "ledger",
        "cosignature",
        "--agency",
        "agency-a",
        "--size",
        str(first.size),
        "--witness-key",
        witness_dir.key.vkey(),
        "--line",
        line,
    )
    assert "已登记见证方副署" in capsys.readouterr().out
    assert Cosignature.objects.filter(checkpoint=first).count() == 1
    with pytest.raises(CommandError, match="没有 1 条记录的检查点"):
        call_command(
            "ledger",
            "cosignature",
            "--agency",
            "agency-a",
            "--size",
            "1",
            "--witness-key",
            "x",
            "--line",
            line,
        )
