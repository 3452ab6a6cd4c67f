"""Properties of the ledger that must hold for any sequence of appends:
every inclusion and consistency proof verifies, and any single changed byte in a stored entry,
checkpoint or referenced file makes verification fail, naming the entry or checkpoint."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.ledger import actions, checks, merkle, queries
from zhifa.ledger.models import Checkpoint, Entry, Log

# Pure tree properties: many examples, no database.


@given(st.lists(st.binary(max_size=40), min_size=1, max_size=70), st.data())
def test_any_tree_proofs_verify(leaves, data):
    tree = merkle.MemoryTree()
    for leaf in leaves:
        tree.append(merkle.leaf_hash(leaf))
    size = data.draw(st.integers(1, len(leaves)), "size")
    index = data.draw(st.integers(0, size - 1), "index")
    root = tree.root(size)
    assert root == merkle.root_from_leaf_hashes([merkle.leaf_hash(leaf) for leaf in leaves[:size]])
    proof = merkle.inclusion_proof(index, size, tree.fetch)
    assert merkle.verify_inclusion(index, size, merkle.leaf_hash(leaves[index]), proof, root)
    first = data.draw(st.integers(0, size), "first")
    consistency = merkle.consistency_proof(first, size, tree.fetch)
    assert merkle.verify_consistency(first, size, tree.root(first), root, consistency)
    if proof:
        i = data.draw(st.integers(0, len(proof) - 1), "component")
        bit = data.draw(st.integers(0, 255), "bit")
        flipped = list(proof)
        flipped[i] = (
            flipped[i][: bit // 8]
            + bytes([flipped[i][bit // 8] ^ (1 << (bit % 8))])
            + flipped[i][bit // 8 + 1 :]
        )
        assert not merkle.verify_inclusion(index, size, merkle.leaf_hash(leaves[index]), flipped, root)
    if consistency:
        i = data.draw(st.integers(0, len(consistency) - 1), "ccomponent")
        flipped = list(consistency)
        flipped[i] = bytes([flipped[i][0] ^ 0x80]) + flipped[i][1:]
        assert not merkle.verify_consistency(first, size, tree.root(first), root, flipped)


# The database ledger: one agency, examples rolled back one by one.

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
steps = st.lists(
    st.tuples(
        st.dictionaries(st.text(max_size=8), json_values, max_size=4),  # the payload
        st.booleans(),  # stores a file
        st.booleans(),  # a checkpoint after this append
    ),
    min_size=1,
    max_size=12,
)


@pytest.fixture
def agency(db):
    from zhifa.org import actions as org
    from zhifa.org.rules import credit_code_check_char

    code17 = "11440300MB2D0000P"
    return org.create_agency(
        None,
        code="prop",
        name="性质测试局",
        short_name="性质",
        credit_code=code17 + credit_code_check_char(code17),
        region="测试区",
    )


def _append_all(agency, plan):
    for payload, with_file, checkpoint in plan:
        files = []
        if with_file:
            content = repr(payload).encode()
            name = default_storage.save("ledger-prop/file.bin", ContentFile(content))
            files = [(name, hashlib.sha256(content).hexdigest())]
        with transaction.atomic():
            actions.append(agency=agency, actor=None, action="test.prop", payload=payload, files=files)
        if checkpoint:
            actions.make_checkpoint(agency, force=True)
    actions.make_checkpoint(agency, force=True)


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


class Rollback(Exception):
    pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps)
def test_every_proof_of_any_ledger_verifies(agency, plan):
    try:
        with transaction.atomic():
            _append_all(agency, plan)
            log = Log.objects.get(pk=agency.pk)
            cps = list(Checkpoint.objects.filter(log=log).order_by("size"))
            leaves = [
                bytes(n[:32])
                for n in Entry.objects.filter(log=log).order_by("seq").values_list("nodes", flat=True)
            ]
            for cp in cps:
                root = bytes(cp.root_hash)
                assert root == merkle.root_from_leaf_hashes(leaves[: cp.size])
                for index in range(cp.size):
                    proof = queries.inclusion_proof(log, index, cp.size)
                    assert merkle.verify_inclusion(index, cp.size, leaves[index], proof, root)
            for old in cps:
                for new in cps:
                    if old.size <= new.size:
                        proof = queries.consistency_proof(log, old.size, new.size)
                        assert merkle.verify_consistency(
                            old.size, new.size, bytes(old.root_hash), bytes(new.root_hash), proof
                        )
            assert checks.verify(agency=agency).ok
            raise Rollback
    except Rollback:
        pass


TARGETS = ["body", "nodes", "note", "root", "file", "frontier"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps, target=st.sampled_from(TARGETS), data=st.data())
def test_any_changed_byte_is_found(agency, plan, target, data):
    try:
        with transaction.atomic():
            _append_all(agency, plan)
            log = Log.objects.get(pk=agency.pk)
            expect_seq = expect_cp = None
            if target in ("body", "nodes"):
                seq = data.draw(st.integers(0, log.size - 1), "seq")
                entry = Entry.objects.get(log=log, seq=seq)
                value = bytes(getattr(entry, target))
                at = data.draw(st.integers(0, len(value) - 1), "byte")
                Entry.objects.filter(log=log, seq=seq).update(**{target: _flip(value, at)})
                expect_seq = seq
            elif target in ("note", "root"):
                cp = data.draw(st.sampled_from(list(Checkpoint.objects.filter(log=log))), "checkpoint")
                if target == "root":
                    at = data.draw(st.integers(0, 31), "byte")
                    Checkpoint.objects.filter(pk=cp.pk).update(root_hash=_flip(bytes(cp.root_hash), at))
                else:
                    at = data.draw(st.integers(0, len(cp.note) - 1), "char")
                    note = cp.note[:at] + chr(ord(cp.note[at]) ^ 0x01) + cp.note[at + 1 :]
                    Checkpoint.objects.filter(pk=cp.pk).update(note=note)
                expect_cp = cp.size
            elif target == "file":
                named = [
                    (seq, name)
                    for seq, body in Entry.objects.filter(log=log).values_list("seq", "body")
                    for name in [_file_name(bytes(body))]
                    if name
                ]
                if not named:
                    raise Rollback
                seq, name = data.draw(st.sampled_from(named), "file")
                content = default_storage.open(name).read()
                at = data.draw(st.integers(0, len(content) - 1), "byte")
                with default_storage.open(name, "wb") as fh:
                    fh.write(_flip(content, at))
                expect_seq = seq
            else:
                at = data.draw(st.integers(0, len(bytes(log.frontier)) - 1), "byte")
                Log.objects.filter(pk=log.pk).update(frontier=_flip(bytes(log.frontier), at))
            report = checks.verify(agency=agency)
            assert not report.ok
            first = report.problems[0]
            if expect_seq is not None:
                assert first.seq == expect_seq, report.problems
            if expect_cp is not None:
                assert first.checkpoint == expect_cp, report.problems
            raise Rollback
    except Rollback:
        pass


def _file_name(body: bytes) -> str | None:
    import json

    files = json.loads(body)["record"]["files"]
    return files[0]["name"] if files else None
