"""Reference data the platform starts with: the chinesecalendar package's schedules and the deadline kinds.

The migrations copy what they need from here at the time they were written (a migration must not change when
this file does); the ``zhifa workdays seed`` command and the benchmark read it directly.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .rules import YearSchedule

# The years chinesecalendar 1.11.0 covers. Later releases add a year each November; `zhifa workdays seed`
# imports them into a database whose migration ran before.
SEED_FIRST_YEAR = 2004
SEED_LAST_YEAR = 2026


def chinesecalendar_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover
        return "?"


def chinesecalendar_schedules(
    first_year: int = SEED_FIRST_YEAR, last_year: int | None = None
) -> list[YearSchedule]:
    """Each year's holidays and make-up workdays as chinesecalendar has them, all confirmed.

    ``last_year`` None means every year the installed package covers.
    """
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    chinese = {h.value: h.chinese for h in Holiday}
    holidays: dict[int, dict[dt.date, str]] = defaultdict(dict)
    workdays: dict[int, dict[dt.date, str]] = defaultdict(dict)
    for day, name in chinese_calendar.holidays.items():
        holidays[day.year][day] = chinese.get(name, name)
    for day, name in chinese_calendar.workdays.items():
        workdays[day.year][day] = chinese.get(name, name)
    years = sorted(set(holidays) | set(workdays))
    last = years[-1] if last_year is None else last_year
    return [
        YearSchedule(
            year=y, confirmed=True, holidays=holidays[y], workdays=workdays[y], note="chinesecalendar"
        )
        for y in years
        if first_year <= y <= last
    ]
