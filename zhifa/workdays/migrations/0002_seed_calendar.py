"""Seed the working-day calendar with the State Council schedules 2004–2026 as the chinesecalendar package
(1.11.0) has them. Platform-wide reference data; later years are entered by an administrator (or imported
with `zhifa workdays seed` from a newer chinesecalendar)."""

import datetime
import uuid

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2004, 2026


def seed(apps, schema_editor):
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarVersion = apps.get_model("workdays", "CalendarVersion")
    chinese = {h.value: h.chinese for h in Holiday}
    years = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        years[year] = CalendarYear.objects.create(
            year=year, confirmed=True, source="chinesecalendar",
            notice=f"国务院办公厅关于{year}年部分节假日安排的通知",
        )
    days = []
    for kind, table in (("holiday", chinese_calendar.holidays), ("workday", chinese_calendar.workdays)):
        for day, name in table.items():
            if FIRST_YEAR <= day.year <= LAST_YEAR:
                days.append(CalendarDay(date=day, year=years[day.year], kind=kind, name=chinese.get(name, name)))
    CalendarDay.objects.bulk_create(days, batch_size=500)
    CalendarVersion.objects.update_or_create(
        pk=1, defaults={"token": uuid.uuid4(), "changed_at": datetime.datetime.now(datetime.UTC)}
    )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarYear").objects.filter(source="chinesecalendar").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
