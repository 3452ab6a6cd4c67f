"""Deadline arithmetic, hand-checked against the State Council schedules for 2025 and 2026.

2026 (国务院办公厅 notice of 2025-11-04): 元旦 1/1–1/3 (work Sun 1/4); 春节 2/15–2/23 (work Sat 2/14 and Sat
2/28); 清明 4/4–4/6; 劳动节 5/1–5/5 (work Sat 5/9); 端午 6/19–6/21; 中秋 9/25–9/27; 国庆 10/1–10/7 (work
Sun 9/20 and Sat 10/10).
"""

import datetime as dt

import chinese_calendar
import pytest

from zhifa.workdays import rules
from zhifa.workdays.choices import DeadlineEventKind, DeadlineState, Direction, HolidayRule, Unit

D = dt.date


def add(cal, start, n):
    return rules.add_working_days(cal, start, n)


def test_seed_calendar_agrees_with_chinesecalendar_every_day(cal):
    day = D(2004, 1, 1)
    while day <= D(2026, 12, 31):
        assert cal.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 9, 20), True),  # Sunday, make-up workday for 国庆
        (D(2026, 9, 25), False),  # 中秋 (Friday)
        (D(2026, 10, 1), False),
        (D(2026, 10, 7), False),
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday, make-up workday
        (D(2026, 10, 11), False),
        (D(2026, 2, 14), True),  # Saturday, make-up workday for 春节
        (D(2026, 2, 15), False),
        (D(2026, 2, 23), False),  # Monday, still 春节
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # Saturday, make-up workday
        (D(2026, 1, 4), True),  # Sunday, make-up workday for 元旦
    ],
)
def test_2026_working_days(cal, day, working):
    assert cal.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # National Day 2026
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 2, D(2026, 10, 9)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # the make-up Saturday counts
        (D(2026, 9, 30), 4, D(2026, 10, 12)),
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # Fri → the make-up Sunday
        (D(2026, 9, 24), 1, D(2026, 9, 28)),  # over 中秋 9/25–27
        (D(2026, 9, 24), 5, D(2026, 10, 9)),  # 9/28, 9/29, 9/30, (10/1–7 off), 10/8, 10/9
        # Spring Festival 2026
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 13), 2, D(2026, 2, 24)),
        (D(2026, 2, 12), 7, D(2026, 2, 28)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # start on a working Saturday: not counted
        # Start on a holiday: the first working day after it is day 1
        (D(2026, 10, 3), 1, D(2026, 10, 8)),
        # 2025: 国庆+中秋 10/1–10/8, make-up Sat 10/11 and Sun 9/28
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),
    ],
)
def test_add_working_days_hand_checked(cal, start, n, due):
    result = add(cal, start, n)
    assert result == (due, False)
    assert rules.working_days_between(cal, start, due) == (n, False)


def test_year_boundaries(cal):
    # 2025-12-31 (Wed) → 2026 元旦 1/1–1/3 off, Sunday 1/4 is a make-up workday.
    assert add(cal, D(2025, 12, 31), 1) == (D(2026, 1, 4), False)
    assert add(cal, D(2024, 12, 31), 1) == (D(2025, 1, 2), False)
    # Into 2027, which has no confirmed schedule: estimated.
    assert add(cal, D(2026, 12, 31), 1) == (D(2027, 1, 4), True)  # 1/1 estimated 元旦, then a weekend
    assert add(cal, D(2026, 12, 30), 1) == (D(2026, 12, 31), False)
    assert rules.working_days_between(cal, D(2026, 12, 1), D(2026, 12, 31)) == (22, False)
    assert rules.working_days_between(cal, D(2026, 12, 25), D(2027, 1, 8)).estimated is True
    assert rules.working_days_between(cal, D(2026, 12, 31), D(2027, 1, 1)) == (0, True)


def test_start_day_is_not_counted_and_zero_is_the_start(cal):
    assert add(cal, D(2026, 10, 8), 0) == (D(2026, 10, 8), False)
    assert add(cal, D(2026, 10, 8), 1) == (D(2026, 10, 9), False)
    assert rules.working_days_between(cal, D(2026, 10, 8), D(2026, 10, 8)) == (0, False)
    assert rules.working_days_between(cal, D(2026, 10, 10), D(2026, 9, 30)) == (-3, False)


def test_subtract_working_days_hearing_notice(cal):
    # A hearing on Monday 2026-10-12: notify at least 7 working days before (行政处罚法 art. 64).
    # Counting back from 10/12 (not counted): 10/10 (Sat, make-up), 10/9, 10/8, 9/30, 9/29, 9/28, 9/24.
    assert rules.subtract_working_days(cal, D(2026, 10, 12), 7) == (D(2026, 9, 24), False)
    assert rules.due_date(cal, D(2026, 10, 12), 7, Unit.WORKING_DAYS, Direction.BEFORE) == (
        D(2026, 9, 24),
        False,
    )
    assert add(cal, D(2026, 9, 24), 7).date == D(2026, 10, 12)


def test_estimated_years(cal):
    assert not cal.is_confirmed(2027)
    assert cal.is_confirmed(2026)
    due = add(cal, D(2027, 3, 1), 5)
    assert due.estimated is True
    assert cal.is_working_day(due.date)
    assert not cal.is_working_day(D(2027, 1, 1))  # 元旦, fixed by date
    assert not cal.is_working_day(D(2027, 10, 1))  # 国庆
    assert not cal.is_working_day(D(2027, 5, 1)) and not cal.is_working_day(D(2027, 5, 2))


def test_statutory_holidays_estimated_as_the_notices_decreed(cal):
    pytest.importorskip("lunar_python")
    for year in (2025, 2026):  # the first two years under the 2024 revision of the holiday regulation
        actual = {d for d in chinese_calendar.holidays if d.year == year}
        fixed = {D(year, 1, 1), D(year, 5, 1), D(year, 5, 2), D(year, 10, 1), D(year, 10, 2), D(year, 10, 3)}
        lunar = {d for d, _name in rules._lunar_festivals(year)}
        assert len(lunar) == 7  # 除夕 + 初一至初三, 清明, 端午, 中秋
        assert fixed | lunar <= actual
        assert fixed | lunar <= set(rules.estimated_schedule(year).holidays)
    e27 = rules.estimated_schedule(2027)
    assert e27.holidays[D(2027, 2, 5)] == "春节"  # 除夕
    assert e27.holidays[D(2027, 2, 6)] == "春节"  # 正月初一
    assert e27.holidays[D(2027, 4, 5)] == "清明"
    assert e27.holidays[D(2027, 6, 9)] == "端午"
    assert e27.holidays[D(2027, 9, 15)] == "中秋"


def test_weekend_holidays_are_made_up_on_a_weekday():
    # 2028-10-03 is both 国庆 and 中秋 (HOL art. 6; two festivals on one day give one more day off).
    estimate = rules.estimated_schedule(2028)
    assert D(2028, 10, 3) in estimate.holidays
    # 2028-10-01 is a Sunday: made up on the first free weekday after the festival.
    assert D(2028, 10, 4) in estimate.holidays
    assert not estimate.workdays


@pytest.mark.parametrize(
    ("start", "n", "unit", "rule", "due"),
    [
        (D(2026, 9, 23), 15, Unit.DAYS, HolidayRule.NEXT_WORKDAY, D(2026, 10, 8)),  # payment
        (D(2026, 9, 20), 15, Unit.DAYS, HolidayRule.NEXT_WORKDAY, D(2026, 10, 8)),  # 10/5 is a holiday
        (D(2026, 9, 20), 15, Unit.DAYS, HolidayRule.NONE, D(2026, 10, 5)),
        (D(2026, 9, 20), 15, Unit.DAYS, HolidayRule.PREVIOUS_WORKDAY, D(2026, 9, 30)),
        (D(2026, 7, 3), 90, Unit.DAYS, HolidayRule.NONE, D(2026, 10, 1)),  # decision: no roll
        (D(2026, 8, 2), 60, Unit.DAYS, HolidayRule.NEXT_WORKDAY, D(2026, 10, 8)),  # reconsideration
        (D(2026, 3, 31), 6, Unit.MONTHS, HolidayRule.NEXT_WORKDAY, D(2026, 9, 30)),  # litigation
        (D(2026, 4, 4), 6, Unit.MONTHS, HolidayRule.NEXT_WORKDAY, D(2026, 10, 8)),  # 10/4 → 10/8
        (D(2024, 1, 31), 1, Unit.MONTHS, HolidayRule.NONE, D(2024, 2, 29)),  # 民法典 art. 202: month end
        (D(2024, 2, 29), 2, Unit.YEARS, HolidayRule.NONE, D(2026, 2, 28)),
        (D(2024, 5, 10), 2, Unit.YEARS, HolidayRule.NONE, D(2026, 5, 10)),  # limitation
    ],
)
def test_calendar_periods(cal, start, n, unit, rule, due):
    result = rules.due_date(cal, start, n, unit, Direction.AFTER, rule)
    assert result == (due, False)


def test_calendar_period_rolled_into_an_estimated_year(cal):
    # 6 months from 2026-08-31 end on 2027-02-28 (a Sunday): rolled forward, on estimated data.
    assert rules.due_date(cal, D(2026, 8, 31), 6, Unit.MONTHS, Direction.AFTER, HolidayRule.NEXT_WORKDAY) == (
        D(2027, 3, 1),
        True,
    )
    # Without a roll no holiday data is used, so the result is exact even in 2027.
    assert rules.due_date(cal, D(2026, 8, 31), 6, Unit.MONTHS) == (D(2027, 2, 28), False)


def test_out_of_range(cal):
    with pytest.raises(rules.OutOfRange):
        add(cal, D(2003, 12, 31), 1)
    with pytest.raises(rules.OutOfRange):
        add(cal, D(2100, 12, 30), 5)
    with pytest.raises(rules.OutOfRange):
        rules.due_date(cal, D(2099, 1, 1), 5, Unit.YEARS)


def test_suspension_and_extension(cal):
    start = D(2026, 9, 1)  # service: 7 working days → 9/10
    base = dict(start=start, length=7, unit=Unit.WORKING_DAYS, direction=Direction.AFTER, holiday_rule="none")
    assert rules.recompute_due(cal, **base) == (D(2026, 9, 10), False)
    events = [
        rules.Event(DeadlineEventKind.SUSPENDED, D(2026, 9, 3)),
        rules.Event(DeadlineEventKind.RESUMED, D(2026, 9, 8)),  # 9/3, 9/4, 9/7 lost: 3 working days
    ]
    assert rules.recompute_due(cal, **base, events=events) == (D(2026, 9, 15), False)
    # Seizure: 30 days from 2026-08-01 → 8/31; extended by 30 → 9/30.
    seizure = dict(
        start=D(2026, 8, 1), length=30, unit=Unit.DAYS, direction=Direction.AFTER, holiday_rule="none"
    )
    assert rules.recompute_due(cal, **seizure).date == D(2026, 8, 31)
    extended = [rules.Event(DeadlineEventKind.EXTENDED, D(2026, 8, 20), 30)]
    assert rules.recompute_due(cal, **seizure, events=extended).date == D(2026, 9, 30)
    # Calendar suspension: the due date moves by the days the clock stood still.
    paused = [
        rules.Event(DeadlineEventKind.SUSPENDED, D(2026, 8, 10)),
        rules.Event(DeadlineEventKind.RESUMED, D(2026, 8, 20)),
    ]
    assert rules.recompute_due(cal, **seizure, events=paused).date == D(2026, 9, 10)


def test_deadline_state(cal):
    due = D(2026, 10, 12)
    state = rules.deadline_state
    assert state(cal, due=due, today=D(2026, 9, 1)) == DeadlineState.OPEN
    assert state(cal, due=due, today=D(2026, 10, 8)) == DeadlineState.DUE_SOON  # 10/9, 10/10, 10/12
    assert state(cal, due=due, today=D(2026, 9, 30)) == DeadlineState.OPEN  # 4 working days left
    assert state(cal, due=due, today=D(2026, 10, 12)) == DeadlineState.DUE_SOON
    assert state(cal, due=due, today=D(2026, 10, 13)) == DeadlineState.OVERDUE
    assert state(cal, due=due, today=D(2026, 10, 13), met_on=D(2026, 10, 12)) == DeadlineState.MET
    assert state(cal, due=due, today=D(2026, 10, 13), suspended=True) == DeadlineState.SUSPENDED


def test_next_year_warning_from_november():
    assert rules.needs_next_year_warning(D(2026, 10, 31), {2026}) is None
    assert rules.needs_next_year_warning(D(2026, 11, 1), {2026}) == 2027
    assert rules.needs_next_year_warning(D(2026, 12, 31), {2026, 2027}) is None
    assert rules.needs_next_year_warning(D(2027, 3, 1), {2026}) == 2027  # this year itself unconfirmed


def test_calendar_is_built_from_the_given_schedules_only():
    confirmed_2030 = rules.YearSchedule(
        year=2030, confirmed=True, holidays={D(2030, 3, 4): "测试"}, workdays={D(2030, 3, 9): "测试"}
    )
    cal = rules.Calendar([confirmed_2030], first_year=2030, last_year=2030)
    assert not cal.is_working_day(D(2030, 3, 4))
    assert cal.is_working_day(D(2030, 3, 9))
    assert cal.is_working_day(D(2030, 1, 1))  # a given schedule is the whole truth: no estimate mixed in
    assert cal.is_confirmed(2030)
    assert rules.add_working_days(cal, D(2030, 3, 1), 1) == (D(2030, 3, 5), False)
