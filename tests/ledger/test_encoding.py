"""The entry's head is written without parsing JSON, and must be exactly RFC 8785."""

import datetime as dt

import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from zhifa.ledger import encoding

texts = st.text(max_size=30)
opt_texts = st.none() | texts


@given(
    action=texts,
    actor=st.none() | st.integers(0, 2**53 - 1),
    kind=opt_texts,
    log=texts,
    object_id=opt_texts,
    prev=st.none() | st.binary(min_size=32, max_size=32),
    seq=st.integers(0, 2**53 - 1),
    at=st.datetimes(timezones=st.just(dt.UTC)),
    record=st.dictionaries(texts, st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | texts),
)
def test_head_prefix_is_canonical_json(action, actor, kind, log, object_id, prev, seq, at, record):
    # Lone surrogates cannot be written as UTF-8 at all: the ledger never sees them.
    for value in (action, kind, log, object_id):
        if value is not None and any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            return
    at_text = encoding.format_time(at)
    head = {
        "action": action,
        "actor": actor,
        "at": at_text,
        "kind": kind,
        "log": log,
        "object": object_id,
        "prev": prev.hex() if prev else None,
        "seq": seq,
        "v": 1,
    }
    prefix = encoding.head_prefix(
        action=action, actor=actor, at=at_text, kind=kind, log=log, object_id=object_id, prev=prev, seq=seq
    )
    body = encoding.encode_entry(prefix, {"actor": None, "files": [], "payload": record})
    assert body == rfc8785.dumps({"head": head, "record": {"actor": None, "files": [], "payload": record}})
    assert not encoding.names_files(body, len(prefix))


def test_names_files():
    prefix = encoding.head_prefix(
        action="a", actor=None, at="t", kind=None, log="l", object_id=None, prev=None, seq=0
    )
    named = encoding.encode_entry(
        prefix,
        {
            "actor": {"name": '"files":[]', "roles": []},
            "files": [{"name": "x", "sha256": "0" * 64}],
            "payload": {"files": []},
        },
    )
    assert encoding.names_files(named, len(prefix))
    empty = encoding.encode_entry(prefix, {"actor": None, "files": [], "payload": {"files": ["x"]}})
    assert not encoding.names_files(empty, len(prefix))


# Any JSON value the ledger may hold: the fast path (the C json encoder) must give RFC 8785's bytes, or step aside.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_canonical_gives_the_bytes_of_rfc8785_or_its_refusal(value):
    try:
        expected = rfc8785.dumps(value)
    except (
        Exception
    ) as exc:  # rfc8785 refuses (a lone surrogate, an integer out of range…): so must canonical
        try:
            encoding.canonical(value)
        except type(exc):
            return
        raise AssertionError(f"canonical accepted what rfc8785 refuses: {value!r}") from None
    assert encoding.canonical(value) == expected
