"""Benchmark: 1,000,000 due-date computations over the working-day calendar; prints the rate.

The calendar is built from the seed data (2004–2026 confirmed, later years estimated) exactly as the
database would give it, so no database is needed. Mixes working-day, calendar-day, month and year kinds,
with and without the holiday roll, over start dates 2020–2030.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

import django  # noqa: E402

django.setup()

from zhifa.workdays import rules, seed  # noqa: E402
from zhifa.workdays.choices import Direction, HolidayRule, Unit  # noqa: E402

N = int(os.environ.get("BENCH_N", "1000000"))

# (length, unit, direction, holiday rule): the seeded kinds.
KINDS = [
    (3, Unit.WORKING_DAYS, Direction.AFTER, HolidayRule.NONE),
    (5, Unit.WORKING_DAYS, Direction.AFTER, HolidayRule.NONE),
    (7, Unit.WORKING_DAYS, Direction.AFTER, HolidayRule.NONE),
    (7, Unit.WORKING_DAYS, Direction.BEFORE, HolidayRule.NONE),
    (20, Unit.WORKING_DAYS, Direction.AFTER, HolidayRule.NONE),
    (15, Unit.DAYS, Direction.AFTER, HolidayRule.NEXT_WORKDAY),
    (30, Unit.DAYS, Direction.AFTER, HolidayRule.NONE),
    (60, Unit.DAYS, Direction.AFTER, HolidayRule.NEXT_WORKDAY),
    (90, Unit.DAYS, Direction.AFTER, HolidayRule.NONE),
    (6, Unit.MONTHS, Direction.AFTER, HolidayRule.NEXT_WORKDAY),
    (2, Unit.YEARS, Direction.AFTER, HolidayRule.NONE),
]


def main() -> None:
    t0 = time.perf_counter()
    calendar = rules.Calendar(seed.chinesecalendar_schedules(last_year=seed.SEED_LAST_YEAR))
    built = time.perf_counter() - t0

    rng = random.Random(20261125)
    first = dt.date(2020, 1, 1).toordinal()
    starts = [dt.date.fromordinal(first + rng.randrange(11 * 365)) for _ in range(4096)]
    jobs = [(starts[i % 4096], KINDS[rng.randrange(len(KINDS))]) for i in range(65536)]

    due_date = rules.due_date
    estimated = 0
    t0 = time.perf_counter()
    for i in range(N):
        start, (length, unit, direction, rule) = jobs[i & 65535]
        estimated += due_date(calendar, start, length, unit, direction, rule).estimated
    elapsed = time.perf_counter() - t0

    add = rules.add_working_days
    t1 = time.perf_counter()
    for i in range(N):
        add(calendar, starts[i & 4095], 7)
    raw = time.perf_counter() - t1

    print(f"calendar built in {built * 1000:.0f} ms ({rules.FIRST_YEAR}–{rules.LAST_YEAR})")
    print(
        f"due_date (mixed kinds): {N:,} computations in {elapsed:.2f} s = {N / elapsed:,.0f}/s ({estimated:,} estimated)"
    )
    print(f"add_working_days(7):    {N:,} computations in {raw:.2f} s = {N / raw:,.0f}/s")


if __name__ == "__main__":
    main()
