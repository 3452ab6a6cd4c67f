"""The short text format an administrator imports a year's schedule in, one date (or range) a line::

    # 国务院办公厅关于2027年部分节假日安排的通知
    2027-01-01 holiday 元旦
    2027-02-05..2027-02-12 holiday 春节
    2027-02-07 workday 春节

Type words: ``holiday`` / ``放假`` / ``休`` and ``workday`` / ``上班`` / ``班``. A range ``A..B`` (or ``A~B``,
``A至B``) covers every day from A to B. The name is optional. Blank lines and lines starting with ``#`` are
skipped. A file with any bad line is refused whole, and every bad line is named by its number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import DayKind

KIND_WORDS = {
    "holiday": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
}
MAX_LINES = 1000
MAX_RANGE_DAYS = 31
WEEKDAYS = "一二三四五六日"

_LINE = re.compile(
    r"^(?P<start>\S+?)(?:\s*(?:\.\.|~|～|至)\s*(?P<end>\S+))?\s+(?P<kind>\S+)(?:\s+(?P<name>.+?))?\s*$"
)


class ScheduleTextError(ValueError):
    """The text was refused; ``errors`` are (line number, message) pairs, messages in Chinese."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__("; ".join(m for _n, m in errors))
        self.errors = errors

    @property
    def messages(self) -> list[str]:
        return [m for _n, m in self.errors]


@dataclass
class ParsedSchedule:
    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: dict[dt.date, str] = field(default_factory=dict)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_schedule(text: str, year: int) -> ParsedSchedule:
    """Parse ``text`` as the schedule of ``year``; raise ScheduleTextError naming every bad line."""
    errors: list[tuple[int, str]] = []
    seen: dict[dt.date, int] = {}
    parsed = ParsedSchedule()
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ScheduleTextError([(MAX_LINES + 1, _("文件过长：最多%(n)d行。") % {"n": MAX_LINES})])

    def bad(number: int, message: str) -> None:
        errors.append((number, _("第%(line)d行：%(message)s") % {"line": number, "message": message}))

    for number, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if m is None:
            bad(number, _("格式应为“日期 类型 名称”，如“%(year)d-01-01 holiday 元旦”。") % {"year": year})
            continue
        start, end = _date(m["start"]), _date(m["end"]) if m["end"] else None
        if start is None or (m["end"] and end is None):
            wrong = m["start"] if start is None else m["end"]
            bad(number, _("日期“%(text)s”无效，应写作 YYYY-MM-DD。") % {"text": wrong})
            continue
        end = end or start
        kind = KIND_WORDS.get(m["kind"].lower())
        if kind is None:
            bad(
                number,
                _("类型“%(word)s”无效，应为 holiday（放假）或 workday（调休上班）。") % {"word": m["kind"]},
            )
            continue
        name = (m["name"] or "").strip()
        if len(name) > 50:
            bad(number, _("名称过长（最多50个字）。"))
            continue
        if end < start or (end - start).days >= MAX_RANGE_DAYS:
            bad(
                number, _("日期范围无效：结束日期须不早于开始日期，且不超过%(n)d天。") % {"n": MAX_RANGE_DAYS}
            )
            continue
        day = start
        while day <= end:
            if day.year != year:
                bad(number, _("%(date)s不在%(year)d年内。") % {"date": day.isoformat(), "year": year})
                break
            if day in seen:
                bad(
                    number,
                    _("%(date)s已在第%(other)d行出现。") % {"date": day.isoformat(), "other": seen[day]},
                )
                break
            if kind == DayKind.WORKDAY and day.weekday() < 5:
                bad(
                    number,
                    _("%(date)s是星期%(weekday)s，调休上班日应为星期六或星期日。")
                    % {"date": day.isoformat(), "weekday": WEEKDAYS[day.weekday()]},
                )
                break
            seen[day] = number
            (parsed.holidays if kind == DayKind.HOLIDAY else parsed.workdays)[day] = name
            day += dt.timedelta(days=1)
    if not errors and not seen:
        errors.append((0, _("没有读到任何日期：请每行填写一个日期及其类型。")))
    if errors:
        raise ScheduleTextError(errors)
    return parsed


def format_schedule(holidays: dict[dt.date, str], workdays: dict[dt.date, str]) -> str:
    """The text form of a schedule (consecutive holidays of one name joined into a range); parses back equal."""
    rows: list[tuple[dt.date, dt.date, str, str]] = []
    for day in sorted(holidays):
        name = holidays[day]
        if (
            rows
            and rows[-1][2] == "holiday"
            and rows[-1][3] == name
            and rows[-1][1] + dt.timedelta(days=1) == day
        ):
            rows[-1] = (rows[-1][0], day, "holiday", name)
        else:
            rows.append((day, day, "holiday", name))
    rows += [(day, day, "workday", workdays[day]) for day in sorted(workdays)]
    rows.sort(key=lambda r: (r[0], r[2]))
    out = []
    for start, end, kind, name in rows:
        when = start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"
        out.append(f"{when} {kind} {name}".rstrip())
    return "\n".join(out) + ("\n" if out else "")
