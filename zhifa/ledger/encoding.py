"""The bytes of a ledger entry: RFC 8785 canonical JSON, hashed and stored exactly as written.

An entry is the canonical JSON object::

    {"head":   {"action": ..., "actor": <person id or null>, "at": "<UTC time>", "kind": <object kind or null>,
                "log": <origin>, "object": <object id as a string, or null>, "prev": <hex leaf hash of the
                previous entry, or null for the first>, "seq": <entry number from 0>, "v": 1},
     "record": {"actor": {"name": ..., "roles": [...]} or null, "files": [{"name": ..., "sha256": ...}],
                "payload": {...}}}

Every value in ``head`` is also a database column (or known to the verifier), so ``verify`` checks the
columns against the stored bytes by rebuilding the head and comparing prefixes, without parsing JSON.
``head`` sorts before ``record`` and canonical JSON sorts keys, so the head is always the prefix.
Pure Python: the offline verifier may import it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from typing import Any

import rfc8785
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise

VERSION = 1
_TAIL = f',"v":{VERSION}}},"record":'
_SAFE = frozenset(chr(c) for c in range(0x20, 0x7F)) - {'"', "\\"}


def format_time(at: dt.datetime) -> str:
    """The entry's time as written in its head: UTC, always six decimals, ``Z``."""
    if at.tzinfo is not dt.UTC:
        at = at.astimezone(dt.UTC)
    return at.isoformat(timespec="microseconds")[:-6] + "Z"


def encode_string(value: str) -> str:
    """RFC 8785 form of a JSON string; printable ASCII without quotes or backslashes is taken as is."""
    if value.isascii() and _SAFE.issuperset(value):
        return '"' + value + '"'
    return rfc8785.dumps(value).decode("utf-8")


class HeadEncoder:
    """Writes the head of one log's entries; remembers the encoding of repeated strings (actions, kinds).

    The verifier rebuilds every entry's head with it, so it is the one definition of the head's bytes. The
    constant stretches of a head (its opening and action, its kind and log) are kept per action and kind, so a
    head costs one formatting of its few varying values.
    """

    def __init__(self, log: str) -> None:
        self._log = encode_string(log)
        self._strings: dict[str, str] = {}
        self._parts: dict[tuple[str, str | None], tuple[str, str]] = {}

    def _string(self, value: str | None) -> str:
        if value is None:
            return "null"
        encoded = self._strings.get(value)
        if encoded is None:
            encoded = encode_string(value)
            if len(self._strings) < 10_000:
                self._strings[value] = encoded
        return encoded

    def _constant_parts(self, action: str, kind: str | None) -> tuple[str, str]:
        """The text before the actor, and the text from the time's closing quote to the object."""
        parts = (
            '{"head":{"action":' + self._string(action) + ',"actor":',
            '","kind":' + self._string(kind) + ',"log":' + self._log + ',"object":',
        )
        if len(self._parts) < 10_000:
            self._parts[(action, kind)] = parts
        return parts

    def prefix(
        self,
        action: str,
        actor: int | None,
        at: str,
        kind: str | None,
        object_id: str | None,
        prev: bytes | None,
        seq: int,
    ) -> bytes:
        """``{"head":{...},"record":``. ``at`` is :func:`format_time`'s text (digits and ``-:.TZ``, so
        it needs no escaping)."""
        parts = self._parts.get((action, kind)) or self._constant_parts(action, kind)
        if object_id is None:
            obj = "null"
        elif object_id.isdigit():
            obj = '"' + object_id + '"'  # digits need no escaping in any script
        else:
            obj = encode_string(object_id)
        before, after = parts
        who = "null" if actor is None else str(actor)
        last = "null" if prev is None else '"' + prev.hex() + '"'
        return f'{before}{who},"at":"{at}{after}{obj},"prev":{last},"seq":{seq}{_TAIL}'.encode()


def head_prefix(
    *,
    action: str,
    actor: int | None,
    at: str,
    kind: str | None,
    log: str,
    object_id: str | None,
    prev: bytes | None,
    seq: int,
) -> bytes:
    """The first bytes of the entry: ``{"head":{...},"record":``. ``at`` is already :func:`format_time`-ed."""
    return HeadEncoder(log).prefix(action, actor, at, kind, object_id, prev, seq)


_SAFE_INT = 2**53 - 1
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False).encode


def _plain(value: Any) -> bool:
    """Does ``json`` write ``value`` exactly as RFC 8785 does? It does for None, booleans, integers in JSON's safe
    range, strings (both escape the same characters the same way, and leave the rest as they are), lists, and
    objects whose keys are ASCII (sorted by code point, as RFC 8785 sorts by UTF-16 unit only when they differ).
    Not for floats (ECMAScript's number form) or anything else."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return -_SAFE_INT <= value <= _SAFE_INT
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not key.isascii() or not _plain(item):
                return False
        return True
    if kind is list:
        return all(_plain(item) for item in value)
    return False


def canonical(value: Any) -> bytes:
    """RFC 8785 canonical JSON of ``value`` (already :func:`normalize`-d), the same bytes as ``rfc8785.dumps``:
    through the C ``json`` encoder when that writes the same bytes (:func:`_plain`), which is most records."""
    if _plain(value):
        try:
            return _dumps(value).encode("utf-8")
        except (UnicodeEncodeError, ValueError):
            pass  # a lone surrogate: rfc8785 refuses it with its own error
    return rfc8785.dumps(value)


def encode_entry(prefix: bytes, record: dict[str, Any]) -> bytes:
    """The whole entry: the head prefix, the canonical record, the closing brace."""
    return prefix + rfc8785.dumps(record) + b"}"


def decode(body: bytes) -> dict[str, Any]:
    return json.loads(body)


def files_offset(body: bytes, prefix_length: int) -> int:
    """Where the record's ``"files":`` value starts.

    The record's keys sort ``actor`` < ``files`` < ``payload``, and the actor object holds only a name
    and a list of roles, whose strings cannot contain an unescaped quote, so the first ``,"files":``
    after the head is the record's own.
    """
    at = body.find(b',"files":', prefix_length)
    return -1 if at < 0 else at + 9


def names_files(body: bytes, prefix_length: int) -> bool:
    """Does this entry name any stored file? (Cheap: no JSON parsing for the usual empty list.)"""
    at = files_offset(body, prefix_length)
    return at < 0 or body[at : at + 2] != b"[]"


def normalize(value: Any) -> Any:
    """Make ``value`` plain JSON for RFC 8785: dates as ISO text, decimals and UUIDs as text, lazy
    translations as text, sets sorted. Anything else unknown is a programming error."""
    if value is None or type(value) in (bool, int, str, float):
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str | Promise):
        return str(value)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str | Promise):
                raise TypeError(f"ledger payload keys must be strings, not {type(key).__name__}")
            out[str(key)] = normalize(item)
        return out
    if isinstance(value, list | tuple):
        return [normalize(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(normalize(item) for item in value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name  # a stored file is named by its storage name (its hash goes in ``files``)
    if isinstance(value, float):
        return float(value)
    raise TypeError(f"cannot record a {type(value).__name__} in the ledger")
