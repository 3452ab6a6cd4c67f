"""The rules of 执法文书 as pure functions: numbering (《卫生行政执法文书规范》 art. 4), what a document's content
is, and which signatures it needs before it can be finalised. No database access here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785

# Numbering -------------------------------------------------------------------------------------------------------


def document_number(
    *, agency_short_name: str, field_abbreviation: str, code: str | None, year: int, serial: int
) -> str:
    """文书规范 art. 4. A document with a 文号: 地区简称 + 卫 + 执法类别 + 执法性质 + 〔年份〕 + 序号 + 号, where the
    agency's short name (明卫) carries the region and 卫, the field's abbreviation (医) the 执法类别 and ``code``
    (罚) the 执法性质: 明卫医罚〔2026〕12号. A document with a 编号 (``code`` None): 年份 + 序号: 2026-0012."""
    if serial < 1:
        raise ValueError("serial numbers start at 1")
    if code:
        return f"{agency_short_name}{field_abbreviation}{code}〔{year}〕{serial}号"
    return f"{year}-{serial:04d}"


def sequence_key(kind: str, field_id: int | None = None) -> str:
    """The counter a kind's numbers come from (per agency and year; per field too when the agency wants)."""
    key = f"doc:{kind}"
    return f"{key}:f{field_id}" if field_id is not None else key


# Content ---------------------------------------------------------------------------------------------------------


def canonical(value: Any) -> bytes:
    """RFC 8785 canonical JSON: the same content always hashes the same."""
    return rfc8785.dumps(value)


def content_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of what a document states (its data and narrative, without its number and signatures)."""
    return hashlib.sha256(canonical(dict(content))).hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Dates and money as documents write them -------------------------------------------------------------------------


def chinese_date(value: dt.date | str | None) -> str:
    """2026-06-01 → 2026年6月1日; empty for no date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_datetime(value: dt.datetime | str | None) -> str:
    """2026-06-01T10:05 → 2026年6月1日10时05分 (local time as given)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return f"{value.year}年{value.month}月{value.day}日{value.hour}时{value.minute:02d}分"


# Signatures ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """The signatures a kind needs before it is finalised (e.g. 现场笔录: two officers and the party, 行政强制法
    art. 18; a refusal to sign noted with a witness stands for the party's signature)."""

    officers: int = 0
    party: bool = False


@dataclass(frozen=True)
class Sig:
    role: str
    method: str
    person_id: int | None
    content_sha256: str


def missing_signatures(req: Requirement, signatures: Iterable[Sig], content_sha256: str) -> list[str]:
    """What is still missing for ``content_sha256``: codes "officers:N" (N more officer signatures) and "party"."""
    current = [s for s in signatures if s.content_sha256 == content_sha256]
    officers = {s.person_id for s in current if s.role == "officer" and s.method == "account"}
    missing = []
    if len(officers) < req.officers:
        missing.append(f"officers:{req.officers - len(officers)}")
    if req.party and not any(s.role == "party" for s in current):
        missing.append("party")
    return missing
