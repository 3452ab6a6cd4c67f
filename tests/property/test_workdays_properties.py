"""Properties of the working-day arithmetic that must hold for every date and length."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.workdays import rules, seed
from zhifa.workdays.choices import Direction, HolidayRule, Unit
from zhifa.workdays.textformat import format_schedule, parse_schedule

CAL = rules.Calendar(seed.chinesecalendar_schedules(last_year=seed.SEED_LAST_YEAR))

# Away from the ends of the span (2004–2100), so periods of up to 10 years stay inside it.
# From 2006: 400 working days (the longest count drawn) before the earliest date stay within the calendar (2004 on);
# a count that leaves it is refused (test_counting_back_past_the_calendar_is_refused).
dates = st.dates(min_value=dt.date(2006, 1, 1), max_value=dt.date(2090, 12, 31))
counts = st.integers(min_value=0, max_value=400)
lengths = st.integers(min_value=1, max_value=400)


@given(dates, counts)
def test_adding_n_then_counting_back_gives_n(start, n):
    due = rules.add_working_days(CAL, start, n)
    assert rules.working_days_between(CAL, start, due.date).days == n


@given(st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2005, 1, 31)), st.integers(300, 400))
def test_counting_back_past_the_calendar_is_refused(end, n):
    """A due date the calendar cannot know is an error, never a guess (2005-01-01 less 253 working days, say)."""
    with pytest.raises(rules.OutOfRange):
        rules.due_date(CAL, end, n, Unit.WORKING_DAYS, Direction.BEFORE)


@given(dates, lengths)
def test_working_day_due_dates_are_working_days(start, n):
    for direction in (Direction.AFTER, Direction.BEFORE):
        due = rules.due_date(CAL, start, n, Unit.WORKING_DAYS, direction)
        assert CAL.is_working_day(due.date)
        assert (due.date > start) if direction == Direction.AFTER else (due.date < start)


@given(dates, counts)
def test_monotonic_in_n(start, n):
    assert rules.add_working_days(CAL, start, n).date < rules.add_working_days(CAL, start, n + 1).date


@given(dates, dates, lengths)
def test_monotonic_in_start(a, b, n):
    a, b = min(a, b), max(a, b)
    assert rules.add_working_days(CAL, a, n).date <= rules.add_working_days(CAL, b, n).date


# Counting back up to 400 working days (about 20 months) must stay inside the span too.
later_dates = st.dates(min_value=dt.date(2007, 1, 1), max_value=dt.date(2090, 12, 31))


@given(later_dates, lengths)
def test_counting_back_then_forward_returns_to_a_working_day(day, n):
    if CAL.is_working_day(day):
        back = rules.subtract_working_days(CAL, day, n)
        assert rules.add_working_days(CAL, back.date, n).date == day


@given(dates, st.integers(min_value=1, max_value=120), st.sampled_from([Unit.DAYS, Unit.MONTHS, Unit.YEARS]))
def test_rolled_calendar_periods_end_on_a_working_day(start, n, unit):
    if unit == Unit.YEARS:
        n = n % 5 + 1
    plain = rules.due_date(CAL, start, n, unit)
    rolled = rules.due_date(CAL, start, n, unit, Direction.AFTER, HolidayRule.NEXT_WORKDAY)
    assert CAL.is_working_day(rolled.date)
    assert rolled.date >= plain.date
    assert plain.estimated is False  # no holiday data used without a roll
    earlier = rules.due_date(CAL, start, n, unit, Direction.AFTER, HolidayRule.PREVIOUS_WORKDAY)
    assert CAL.is_working_day(earlier.date) and earlier.date <= plain.date


@given(dates, counts)
def test_estimated_exactly_when_an_unconfirmed_year_is_crossed(start, n):
    due = rules.add_working_days(CAL, start, n)
    crosses = n > 0 and due.date.year > seed.SEED_LAST_YEAR
    assert due.estimated is crosses


@given(dates, st.integers(min_value=-30, max_value=30))
def test_months_keep_the_day_or_the_month_end(start, n):
    end = rules.add_months(start, n)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == n
    assert end.day == start.day or (end.day < start.day and (end + dt.timedelta(days=1)).day == 1)


years = st.integers(min_value=2027, max_value=2090)


@settings(max_examples=50)
@given(years, st.data())
def test_text_format_round_trips(year, data):
    days = data.draw(
        st.lists(
            st.dates(min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31)), unique=True, max_size=40
        )
    )
    names = st.sampled_from(["元旦", "春节", "清明", "国庆节", ""])
    holidays = {d: data.draw(names) for d in days if d.weekday() < 5 or data.draw(st.booleans())}
    workdays = {d: data.draw(names) for d in days if d not in holidays and d.weekday() >= 5}
    if not holidays and not workdays:
        return
    parsed = parse_schedule(format_schedule(holidays, workdays), year)
    assert parsed.holidays == holidays and parsed.workdays == workdays
