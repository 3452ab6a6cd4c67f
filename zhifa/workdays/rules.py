"""Working days and statutory deadlines: the law as pure functions, no database.

The calendar is loaded once into an immutable :class:`Calendar` (see ``queries.current_calendar``, which
rebuilds it when the database's calendar version changes) and passed to these functions.

Sources (see shared/spec/law-facts.md §1.1 and §5):

- 行政处罚法 art. 85: "二日""三日""五日""七日" in that law are **working days**, statutory holidays excluded.
  Every other period in it (15 days, 90 days, 2 years) is counted in calendar days.
- 行政强制法 art. 69: periods of ten days or less are working days.
- 民事诉讼法 art. 85 (期间): the day (or hour) the period starts is **not counted**; a period whose last day is a
  法定休假日 ends on the first day after it. 行政复议法 art. 88 and 行政诉讼法 art. 101 apply the civil-procedure
  rules on periods; for other administrative periods the analogy is [U] in law-facts.md, so whether a calendar
  period rolls forward is data on each deadline kind (``HolidayRule``), not code.
- 民法典 art. 202: a period in months or years ends on the corresponding day of the last month; where that month
  has no such day, on its last day.
- 全国年节及纪念日放假办法 (2024 revision, in force 2025-01-01) arts. 2 and 6: the statutory holidays used to
  *estimate* a year the State Council has not announced yet; a holiday falling on a weekend is made up on a
  working day. The real schedule, with its 调休 make-up workdays, comes from the yearly notice.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import functools
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .choices import DeadlineEventKind, DeadlineState, Direction, HolidayRule, ReminderStage, Unit

# The span the calendar covers: from the first year chinesecalendar has data for, far enough ahead for
# the longest period (5-year limitation plus extensions) started this century.
FIRST_YEAR = 2004
LAST_YEAR = 2100

ONE_DAY = dt.timedelta(days=1)


class OutOfRange(ValueError):
    """A date outside the span the calendar covers (FIRST_YEAR–LAST_YEAR)."""


class Due(NamedTuple):
    """A computed date and whether an unconfirmed (estimated) year's data was used for it."""

    date: dt.date
    estimated: bool


class Count(NamedTuple):
    days: int
    estimated: bool


@dataclass(frozen=True)
class YearSchedule:
    """One year's exceptions to the ordinary week: holidays (放假) and make-up workdays (调休上班)."""

    year: int
    confirmed: bool
    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    workdays: Mapping[dt.date, str] = field(default_factory=dict)
    note: str = ""


# Estimating a year without a confirmed schedule (全国年节及纪念日放假办法, 2024 revision).

try:  # lunar dates for 春节, 清明, 端午, 中秋; without the package those are left out of estimates
    from lunar_python import Lunar as _Lunar
except ImportError:  # pragma: no cover - exercised only where lunar-python is not installed
    _Lunar = None

LUNAR_AVAILABLE = _Lunar is not None


def _lunar_festivals(year: int) -> list[tuple[dt.date, str]]:
    """春节 (除夕 + 正月初一至初三), 清明, 端午, 中秋 of Gregorian ``year`` (HOL art. 2(4)–(7))."""
    if _Lunar is None:
        return []

    def solar(month: int, day: int) -> dt.date:
        s = _Lunar.fromYmd(year, month, day).getSolar()
        return dt.date(s.getYear(), s.getMonth(), s.getDay())

    new_year = solar(1, 1)
    qingming = _Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    days = [(new_year + dt.timedelta(days=k), "春节") for k in (-1, 0, 1, 2)]
    days.append((dt.date(qingming.getYear(), qingming.getMonth(), qingming.getDay()), "清明"))
    days.append((solar(5, 5), "端午"))
    days.append((solar(8, 15), "中秋"))
    # 除夕 of the *next* lunar year can fall on 31 December only in theory; keep the days of this year.
    return [(d, name) for d, name in days if d.year == year]


@functools.lru_cache(maxsize=256)  # a pure function of the year: the statute, not business data
def estimated_schedule(year: int) -> YearSchedule:
    """The statutory holidays of ``year`` with weekend ones made up on the next free weekday (HOL art. 6).

    No 调休 make-up workdays: those exist only in the State Council's notice, so an estimate can be off by a
    few days around long holidays. Everything computed from it is marked estimated.
    """
    statutory = [
        (dt.date(year, 1, 1), "元旦"),
        (dt.date(year, 5, 1), "劳动节"),
        (dt.date(year, 5, 2), "劳动节"),
    ]
    statutory += [(dt.date(year, 10, d), "国庆节") for d in (1, 2, 3)]
    statutory += _lunar_festivals(year)
    statutory.sort()
    holidays: dict[dt.date, str] = {}
    owed: list[tuple[dt.date, str]] = []
    for day, name in statutory:
        if day.weekday() >= 5 or day in holidays:  # on a weekend, or two festivals on one day (中秋 = 国庆)
            owed.append((day, name))
        holidays.setdefault(day, name)
    for day, name in owed:
        make_up = day + ONE_DAY
        while make_up.weekday() >= 5 or make_up in holidays:
            make_up += ONE_DAY
        if make_up.year == year:
            holidays[make_up] = name
    note = "按法定节假日估算" if LUNAR_AVAILABLE else "按周末与固定日期节日估算（未含农历节日）"
    return YearSchedule(year=year, confirmed=False, holidays=holidays, workdays={}, note=note)


# The calendar.


class Calendar:
    """An immutable working-day calendar over FIRST_YEAR–LAST_YEAR.

    ``_ords`` is the sorted array of the ordinals of every working day, so "N working days after" is one
    bisection. Years without a schedule are filled from :func:`estimated_schedule`. Never mutated after
    construction; share it freely between threads.
    """

    __slots__ = ("first", "last", "version", "_ords", "_unconfirmed", "_schedules", "_first_ord", "_last_ord")

    def __init__(
        self,
        schedules: Iterable[YearSchedule] = (),
        *,
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
        version: object = None,
    ) -> None:
        given = {s.year: s for s in schedules}
        by_year = {y: given.get(y) or estimated_schedule(y) for y in range(first_year, last_year + 1)}
        holidays: set[int] = set()
        workdays: set[int] = set()
        for s in by_year.values():
            holidays.update(d.toordinal() for d in s.holidays)
            workdays.update(d.toordinal() for d in s.workdays)
        first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
        ords = array("l")
        for o in range(first.toordinal(), last.toordinal() + 1):
            # date.fromordinal(1) is a Monday, so (o - 1) % 7 is the weekday (0 = Monday).
            if o in workdays or ((o - 1) % 7 < 5 and o not in holidays):
                ords.append(o)
        self.first, self.last, self.version = first, last, version
        self._first_ord, self._last_ord = first.toordinal(), last.toordinal()
        self._ords = ords
        self._unconfirmed = frozenset(y for y, s in by_year.items() if not s.confirmed)
        self._schedules = by_year

    # Reading the calendar.

    def schedule(self, year: int) -> YearSchedule:
        if year not in self._schedules:
            raise OutOfRange(year)
        return self._schedules[year]

    def is_confirmed(self, year: int) -> bool:
        return year not in self._unconfirmed

    @property
    def unconfirmed_years(self) -> frozenset[int]:
        return self._unconfirmed

    def estimated_between(self, lo: dt.date, hi: dt.date) -> bool:
        """Whether any day of [lo, hi] lies in a year without a confirmed schedule."""
        if hi < lo:
            lo, hi = hi, lo
        if lo.year == hi.year:
            return lo.year in self._unconfirmed
        return any(y in self._unconfirmed for y in range(lo.year, hi.year + 1))

    def check(self, day: dt.date) -> int:
        o = day.toordinal()
        if o < self._first_ord or o > self._last_ord:
            raise OutOfRange(day)
        return o

    def is_working_day(self, day: dt.date) -> bool:
        o = self.check(day)
        i = bisect_left(self._ords, o)
        return i < len(self._ords) and self._ords[i] == o


# Working-day arithmetic (行政处罚法 art. 85; the start day is not counted).


def add_working_days(cal: Calendar, start: dt.date, n: int) -> Due:
    """The N-th working day after ``start`` (``start`` itself not counted). N = 0 gives ``start``."""
    if n < 0:
        return subtract_working_days(cal, start, -n)
    o = cal.check(start)
    if n == 0:
        return Due(start, False)
    ords = cal._ords
    i = bisect_right(ords, o) + n - 1
    if i >= len(ords):
        raise OutOfRange(start)
    due = dt.date.fromordinal(ords[i])
    return Due(due, cal.estimated_between(start + ONE_DAY, due))


def subtract_working_days(cal: Calendar, end: dt.date, n: int) -> Due:
    """The N-th working day before ``end`` (``end`` itself not counted): e.g. the last day to notify a
    hearing held on ``end`` (行政处罚法 art. 64: 举行听证的七日前通知)."""
    if n < 0:
        return add_working_days(cal, end, -n)
    o = cal.check(end)
    if n == 0:
        return Due(end, False)
    i = bisect_left(cal._ords, o) - n
    if i < 0:
        raise OutOfRange(end)
    due = dt.date.fromordinal(cal._ords[i])
    return Due(due, cal.estimated_between(due, end - ONE_DAY))


def working_days_between(cal: Calendar, start: dt.date, end: dt.date) -> Count:
    """Working days in (start, end]: the start day not counted, the end day counted. Negative if end < start.

    ``working_days_between(cal, d, add_working_days(cal, d, n).date) == n`` for every N ≥ 0.
    """
    if end < start:
        n, est = working_days_between(cal, end, start)
        return Count(-n, est)
    a, b = cal.check(start), cal.check(end)
    n = bisect_right(cal._ords, b) - bisect_right(cal._ords, a)
    return Count(n, end > start and cal.estimated_between(start + ONE_DAY, end))


def next_working_day(cal: Calendar, day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the first working day after it."""
    i = bisect_left(cal._ords, cal.check(day))
    if i >= len(cal._ords):
        raise OutOfRange(day)
    return dt.date.fromordinal(cal._ords[i])


def previous_working_day(cal: Calendar, day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the last working day before it."""
    i = bisect_right(cal._ords, cal.check(day)) - 1
    if i < 0:
        raise OutOfRange(day)
    return dt.date.fromordinal(cal._ords[i])


# Calendar periods (start day not counted; 民法典 art. 202 for months and years).


def add_days(start: dt.date, n: int) -> dt.date:
    return start + dt.timedelta(days=n)


def add_months(start: dt.date, n: int) -> dt.date:
    """The corresponding day ``n`` months later (earlier if negative); the month's last day if it has none."""
    m = start.month - 1 + n
    year, month = start.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))


def add_years(start: dt.date, n: int) -> dt.date:
    return add_months(start, 12 * n)


def roll(cal: Calendar, day: dt.date, rule: str) -> Due:
    """Apply a kind's holiday rule to the last day of a calendar period (民事诉讼法 art. 85 for NEXT_WORKDAY)."""
    if rule == HolidayRule.NONE:
        return Due(day, False)
    if rule == HolidayRule.NEXT_WORKDAY:
        moved = next_working_day(cal, day)
    elif rule == HolidayRule.PREVIOUS_WORKDAY:
        moved = previous_working_day(cal, day)
    else:
        raise ValueError(f"unknown holiday rule {rule!r}")
    return Due(moved, cal.estimated_between(day, moved))


def due_date(
    cal: Calendar,
    start: dt.date,
    length: int,
    unit: str,
    direction: str = Direction.AFTER,
    holiday_rule: str = HolidayRule.NONE,
) -> Due:
    """The last day of a period of ``length`` ``unit`` after (or before) ``start``.

    Working-day periods land on a working day by construction; calendar periods follow ``holiday_rule``.
    """
    if length < 0:
        raise ValueError("length must not be negative")
    sign = -1 if direction == Direction.BEFORE else 1
    if unit == Unit.WORKING_DAYS:
        return add_working_days(cal, start, sign * length)
    if unit == Unit.DAYS:
        end = add_days(start, sign * length)
    elif unit == Unit.MONTHS:
        end = add_months(start, sign * length)
    elif unit == Unit.YEARS:
        end = add_years(start, sign * length)
    else:
        raise ValueError(f"unknown unit {unit!r}")
    cal.check(start)
    cal.check(end)
    return roll(cal, end, holiday_rule)


# Deadlines on objects: suspension (中止), extension (延期) and their state.


class Event(NamedTuple):
    """A change to a running deadline, in the order it happened."""

    kind: str  # DeadlineEventKind
    on: dt.date
    length: int = 0  # for EXTENDED: in the deadline's unit


def recompute_due(
    cal: Calendar,
    *,
    start: dt.date,
    length: int,
    unit: str,
    direction: str,
    holiday_rule: str,
    events: Sequence[Event] = (),
) -> Due:
    """The due date after the suspensions and extensions in ``events``.

    A suspension from ``s`` to a resumption on ``r`` stops the clock for the days [s, r): the due date moves by
    that many working days (working-day periods) or calendar days (calendar periods, then the holiday rule).
    An extension adds its length, counted from the current due date. A suspension not yet resumed leaves the
    due date as it was when the clock stopped.
    """
    due = due_date(cal, start, length, unit, direction, holiday_rule)
    estimated = due.estimated
    current = due.date
    suspended_on: dt.date | None = None
    for event in events:
        if event.kind == DeadlineEventKind.SUSPENDED:
            suspended_on = event.on
        elif event.kind == DeadlineEventKind.RESUMED and suspended_on is not None:
            if unit == Unit.WORKING_DAYS:
                lost = working_days_between(cal, suspended_on - ONE_DAY, event.on - ONE_DAY)
                moved = add_working_days(cal, current, lost.days)
                estimated = estimated or lost.estimated or moved.estimated
            else:
                moved = roll(cal, add_days(current, (event.on - suspended_on).days), holiday_rule)
                estimated = estimated or moved.estimated
            current = moved.date
            suspended_on = None
        elif event.kind == DeadlineEventKind.EXTENDED:
            moved = due_date(cal, current, event.length, unit, Direction.AFTER, holiday_rule)
            current, estimated = moved.date, estimated or moved.estimated
    return Due(current, estimated)


def deadline_state(
    cal: Calendar,
    *,
    due: dt.date,
    today: dt.date,
    met_on: dt.date | None = None,
    suspended: bool = False,
    due_soon_working_days: int = 3,
    ended_on: dt.date | None = None,
    binds_party: bool = False,
) -> str:
    """open / due soon / overdue / met / suspended / ended / elapsed, from the dates. "Due soon": at most
    ``due_soon_working_days`` working days left (the threshold is a setting, not law).

    A deadline that ended without being met (the case was cancelled, terminated, closed…) is ended, never
    overdue. A period that binds the party (陈述申辩、听证申请、缴款) past its last day has elapsed: the party's
    period ran out, which is not the agency's breach."""
    if met_on is not None:
        return DeadlineState.MET
    if ended_on is not None:
        return DeadlineState.ENDED
    if suspended:
        return DeadlineState.SUSPENDED
    if today > due:
        return DeadlineState.ELAPSED if binds_party else DeadlineState.OVERDUE
    try:
        left = working_days_between(cal, today, due).days
    except OutOfRange:
        return DeadlineState.OPEN
    return DeadlineState.DUE_SOON if left <= due_soon_working_days else DeadlineState.OPEN


# A party's period that ran out longer ago than this is history, not news: no reminder (the first run on an
# old database would otherwise tell every officer of every party period that ever elapsed).
ELAPSED_NEWS_DAYS = 7


def reminder_recipients(
    state: str,
    *,
    responsible: int | None,
    heads: Iterable[int] = (),
    due: dt.date | None = None,
    today: dt.date | None = None,
) -> list[tuple[int, str]]:
    """Who is reminded of a deadline in ``state``, and of what: ``[(person id, ReminderStage)]``.

    - 即将到期 (at most the due-soon threshold of working days left): the person responsible.
    - 已超期: the person responsible, and the agency's 负责人 (escalation: they answer for the agency's
      time limits, 行政处罚法 art. 60 and the agency's own rules) — a 负责人 who is the person responsible is told
      once.
    - A period that binds the party ran out (陈述申辩、听证申请): the person responsible, that the case may go on —
      not an overdue notice (it is not the agency's breach), and only within ``ELAPSED_NEWS_DAYS`` of its last day.
    - Open, met, ended, suspended: nobody. A deadline with nobody responsible reminds only its escalation."""
    out: list[tuple[int, str]] = []
    if state == DeadlineState.DUE_SOON:
        if responsible is not None:
            out.append((responsible, ReminderStage.DUE_SOON))
    elif state == DeadlineState.OVERDUE:
        if responsible is not None:
            out.append((responsible, ReminderStage.OVERDUE))
        out.extend((head, ReminderStage.ESCALATED) for head in sorted(set(heads)) if head != responsible)
    elif state == DeadlineState.ELAPSED:
        recent = due is None or today is None or (today - due).days <= ELAPSED_NEWS_DAYS
        if responsible is not None and recent:
            out.append((responsible, ReminderStage.ELAPSED))
    return out


def needs_next_year_warning(today: dt.date, confirmed_years: Iterable[int]) -> int | None:
    """The year an administrator must still enter: next year from 1 November (the State Council's notice
    usually appears in November), or the current year itself if it is still unconfirmed."""
    confirmed = set(confirmed_years)
    if today.year not in confirmed:
        return today.year
    if today.month >= 11 and today.year + 1 not in confirmed:
        return today.year + 1
    return None
