"""Catalog rules as pure functions: article numbers, citations, versions and their differences.

No database access here; the actions and the import call these and refuse with the message they give.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numerals as laws write article numbers: 1→一, 10→十, 12→十二, 42→四十二, 104→一百零四."""
    if n <= 0 or n >= 10000:
        raise ValueError(n)
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out = ""
    rest = n
    zero_pending = False
    for value, name in units:
        digit, rest = divmod(rest, value)
        if digit:
            if zero_pending:
                out += "零"
                zero_pending = False
            # 十二 rather than 一十二 when it leads; 一百一十 inside a larger number.
            out += ("" if (value == 10 and digit == 1 and not out) else DIGITS[digit]) + name
        elif out:
            zero_pending = True
    if rest:
        if zero_pending:
            out += "零"
        out += DIGITS[rest]
    return out


def parse_cn_number(text: str) -> int:
    """The inverse of ``cn_number``; Arabic digits are accepted too. Raises ValueError."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in DIGITS + "十百千两" for c in text):
        raise ValueError(text)
    total = 0
    digit = None
    for c in text:
        if c in "十百千":
            value = {"十": 10, "百": 100, "千": 1000}[c]
            total += (1 if digit is None else digit) * value
            digit = None
        else:
            digit = 2 if c == "两" else DIGITS.index(c)
    if digit:
        total += digit
    if total <= 0:
        raise ValueError(text)
    return total


def article_label(number: int) -> str:
    return f"第{cn_number(number)}条"


# 《名称》第四十二条、第四十三条第一款；《名称》第5条
_CITATION = re.compile(
    r"《([^《》]+)》((?:\s*[、,，]?\s*第[0-9零一二三四五六七八九十百千两]+条(?:第[^、,，；;《]*?款)?(?:第[^、,，；;《]*?项)?)+)"
)
_ARTICLE = re.compile(r"第([0-9零一二三四五六七八九十百千两]+)条")


def parse_citations(text: str) -> list[tuple[str, int]]:
    """``"《医师法》第二十四条、第五十六条；《医疗机构管理条例》第27条"`` → [(law, number), ...].

    Raises ValueError with a Chinese message naming the part that cannot be read.
    """
    result: list[tuple[str, int]] = []
    text = (text or "").strip()
    if not text:
        return result
    for part in re.split(r"[；;\n]+", text):
        part = part.strip()
        if not part:
            continue
        matches = list(_CITATION.finditer(part))
        consumed = "".join(m.group(0) for m in matches)
        if not matches or re.sub(r"[\s、,，]", "", consumed) != re.sub(r"[\s、,，]", "", part):
            raise ValueError(
                _("无法识别的引用“%(text)s”，应写作“《法规名称》第X条”，多条用“、”或“；”分隔")
                % {"text": part}
            )
        for m in matches:
            law = m.group(1).strip()
            for a in _ARTICLE.finditer(m.group(2)):
                try:
                    result.append((law, parse_cn_number(a.group(1))))
                except ValueError:
                    raise ValueError(_("条号“%(text)s”无法识别") % {"text": a.group(0)}) from None
    return list(dict.fromkeys(result))


def format_citations(citations: Iterable[tuple[str, int]]) -> str:
    """The inverse of ``parse_citations``: articles of one law grouped, in the order given."""
    grouped: dict[str, list[int]] = {}
    for law, number in citations:
        grouped.setdefault(law, [])
        if number not in grouped[law]:
            grouped[law].append(number)
    return "；".join(
        f"《{law}》" + "、".join(article_label(n) for n in numbers) for law, numbers in grouped.items()
    )


FLAG_PREFIX = "依据已变更，待调整"


def law_change_reason(law_name: str, status_label: str, on: dt.date | None) -> str:
    """The reason shown on an item whose cited law changed status."""
    when = f"（{on.isoformat()}）" if on else ""
    return f"{FLAG_PREFIX}：《{law_name}》{status_label}{when}"


def article_change_reason(citation: str, version: int) -> str:
    return f"{FLAG_PREFIX}：{citation}已修改（第{version}版）"


def fine_range_problem(fine_min: Decimal | None, fine_max: Decimal | None) -> str | None:
    """Why a benchmark's fine range is not valid, or None."""
    for value in (fine_min, fine_max):
        if value is not None and value < 0:
            return _("罚款金额不能为负数")
    if fine_min is not None and fine_max is not None and fine_min > fine_max:
        return _("罚款下限不能高于上限")
    return None


# Versions.


@dataclass(frozen=True)
class VersionRef:
    number: int
    effective_on: dt.date


def effective_version(versions: Iterable[VersionRef], on: dt.date) -> VersionRef | None:
    """The version in force on ``on``: the highest-numbered one whose effective date has come."""
    due = [v for v in versions if v.effective_on <= on]
    return max(due, key=lambda v: v.number) if due else None


def publish_date_problem(
    effective_on: dt.date, previous: dt.date | None, today: dt.date, by_platform: bool
) -> str | None:
    """A new version cannot take effect before the previous one, nor (for a person) retroactively."""
    if previous is not None and effective_on < previous:
        return _("施行日期不能早于上一版本的施行日期（%(date)s）") % {"date": previous.isoformat()}
    if not by_platform and effective_on < today:
        return _("施行日期不能早于今天：清单不能溯及既往地生效")
    return None


def diff_rows(old: Sequence[dict], new: Sequence[dict], key: str = "code") -> dict[str, list[str]]:
    """Codes added, removed and changed between two versions' rows."""
    before = {r[key]: r for r in old}
    after = {r[key]: r for r in new}
    return {
        "added": [k for k in after if k not in before],
        "removed": [k for k in before if k not in after],
        "changed": [k for k in after if k in before and canonical(after[k]) != canonical(before[k])],
    }


def canonical(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def digest(rows) -> str:
    return hashlib.sha256(canonical(rows).encode()).hexdigest()


def has_changes(changes: dict[str, list[str]]) -> bool:
    return any(changes.get(k) for k in ("added", "removed", "changed"))
