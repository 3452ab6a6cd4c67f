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


# The agency's records settings (RecordsPolicy) -------------------------------------------------------------------
# None of these is set by national law. law-facts §8 items 3 and 7: the retention periods (档案保管期限) of
# enforcement files and AV material, and the access (调阅) rules of 国卫监督发〔2018〕54号, were not found → they are
# agency data (``records.policy.settings_for``), and these are the platform defaults a fresh agency works with.
# The 音像记录事项清单 is the agency's own list (行政执法全过程记录 制度, law-facts §3.1; catalog ListKind.AV); which
# of its acts a case record is, is the agency's map too.


@dataclass(frozen=True)
class RecordsSettings:
    retention_general: int  # years a general-procedure file is kept
    retention_simple: int  # years a simple-procedure file is kept
    access_burst_count: int  # this many openings of evidence by one person …
    access_burst_minutes: int  # … within this many minutes are flagged on the access log
    record_acts: Mapping[str, str]  # record kind → act code of the 音像记录事项清单

    def retention_for(self, procedure: str) -> int:
        return self.retention_simple if procedure == "simple" else self.retention_general


# An inquiry is a different act when it is made in the case room (询问室): the map's key for that record.
INQUIRY_IN_CASE_ROOM = "inquiry:case_room"

RECORDS_DEFAULTS = RecordsSettings(
    retention_general=30,
    retention_simple=10,
    access_burst_count=20,
    access_burst_minutes=10,
    record_acts={
        "seizure": "seizure",
        "onsite": "on-site-inspection",
        "preservation": "evidence-preservation",
        "hearing": "hearing",
        "inquiry": "evidence-collection",
        INQUIRY_IN_CASE_ROOM: "case-room-inquiry",
    },
)
RECORDS_DEFAULTS_BASIS = "平台默认值（国家未统一规定，由本机关按本省档案管理规定设置）"

# Sanity bounds of the settings (not law: what a setting can sensibly be).
RETENTION_MAX = 100
BURST_MINUTES_MAX = 24 * 60


def act_of(kind: str, data: Mapping[str, Any] | None, record_acts: Mapping[str, str]) -> str | None:
    """Which act of the 音像记录事项清单 a case record is: the act chosen on the record itself, else the agency's
    map (an inquiry in the case room under its own key)."""
    data = data or {}
    if data.get("act_code"):
        return str(data["act_code"])
    if kind == "inquiry" and data.get("in_case_room"):
        return record_acts.get(INQUIRY_IN_CASE_ROOM) or None
    return record_acts.get(kind) or None


def burst(times: Iterable[dt.datetime], count: int, minutes: int) -> bool:
    """Whether ``count`` or more of the (sorted) times fall within ``minutes`` of each other."""
    window = dt.timedelta(minutes=minutes)
    ats = list(times)
    j = 0
    for i in range(len(ats)):
        while ats[i] - ats[j] > window:
            j += 1
        if i - j + 1 >= count:
            return True
    return False


def settings_problems(
    s: RecordsSettings, record_kinds: Iterable[str], act_codes: Iterable[str] | None
) -> list:
    """What is wrong with the settings, as (code, values) pairs; ``act_codes`` is the agency's AV list (None: it
    has none yet, any code may be named)."""
    problems: list = []
    for name in ("retention_general", "retention_simple"):
        if not 1 <= getattr(s, name) <= RETENTION_MAX:
            problems.append(("retention", {"n": RETENTION_MAX}))
            break
    if s.access_burst_count < 2:
        problems.append(("burst_count", {"n": 2}))
    if not 1 <= s.access_burst_minutes <= BURST_MINUTES_MAX:
        problems.append(("burst_minutes", {"n": BURST_MINUTES_MAX}))
    keys = set(record_kinds) | {INQUIRY_IN_CASE_ROOM}
    unknown = sorted(k for k in s.record_acts if k not in keys)
    if unknown:
        problems.append(("unknown_kind", {"kinds": "、".join(unknown)}))
    codes = None if act_codes is None else set(act_codes)
    missing = sorted(v for v in s.record_acts.values() if not v or (codes is not None and v not in codes))
    if missing:
        problems.append(("unknown_act", {"acts": "、".join(missing) or '""'}))
    return problems
