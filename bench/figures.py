"""执法统计 at scale (issue 16 item 4): how long counting the summary table takes and how fast the dashboard answers;
prints numbers (not a test).

    ZHIFA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/zhifa_province ZHIFA_VAR_DIR=var/bench/zhifa_province \\
        .venv/bin/python bench/figures.py [--build] [--months 36] [--repeat 20]

Run against a database made by ``bench/generate.py`` (a million cases over 100 agencies). ``--build`` first counts the
summary table for every agency (``figures.build``, what the daily task does) and prints the time per agency and in
all. Then, through Django's test client (the whole view: session, permissions, the summary's queries, the template),
it opens the figures page as the province's supervisor (``bench-jiandu``, who supervises every agency) and as the
largest agency's head, for a year, by agency, unit, item and officer, ``--repeat`` times each, and prints p50 / p95 /
max, the number of queries, and the main query's plan (``EXPLAIN ANALYZE``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="count the summary table first")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from zhifa.cases.models import Case
    from zhifa.org.choices import Role
    from zhifa.org.models import Agency, Person
    from zhifa.supervision import figures
    from zhifa.supervision.models import Tally

    settings.ALLOWED_HOSTS = ["*"]
    print(f"cases: {Case.objects.count():,}  agencies: {Agency.objects.count()}")
    today = timezone.localdate()
    if args.build:
        last = figures.month_start(today)
        first = figures.add_months(last, -(args.months - 1))
        times = []
        began = time.perf_counter()
        for agency in Agency.objects.order_by("pk"):
            t = time.perf_counter()
            figures.build(agency, first, last, today)
            times.append((time.perf_counter() - t, agency.code))
        total = time.perf_counter() - began
        t = time.perf_counter()
        figures.tidy()  # what the daily task does after counting: VACUUM (ANALYZE)
        print(f"vacuum and analyze after the count: {time.perf_counter() - t:.1f} s")
        times.sort()
        print(
            f"build {args.months} months: {total:.1f} s in all; per agency median {statistics.median(t for t, _ in times):.2f} s,"
            f" max {times[-1][0]:.2f} s ({times[-1][1]})"
        )
    print(f"summary rows: {Tally.objects.count():,}")

    supervisor = Person.objects.get(username="bench-jiandu")
    ids = list(Agency.objects.values_list("pk", flat=True))
    big = Agency.objects.get(code="bench-big")
    head = Person.objects.filter(roles__agency=big, roles__role=Role.AGENCY_HEAD, is_active=True).first()
    year = {"first": f"{today.year}-01", "last": f"{today:%Y-%m}"}
    print(f"{'who':<12}{'dimension':<14}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'queries':>9}{'rows':>7}")
    for who, person in (("supervisor", supervisor), ("head", head)):
        client = Client()
        client.force_login(person)
        deep = figures.member_page(ids, today.replace(month=1, day=1), today, "officer", size=7000)[0][-1]
        for dimension in ("all", "unit", "item", "officer", "officer p.70"):
            query = {**year, "dimension": dimension.split()[0]}
            if dimension == "officer p.70":  # a page deep in the list: 7,000 rows in, from its keyset link
                query["after"] = f"{deep[0]}:{deep[1]}"
            client.get("/supervision/figures/", query)  # warm
            samples = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    response = client.get("/supervision/figures/", query)
                    samples.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, response.status_code
            samples.sort()
            rows = response.content.decode().count("<tr>") - 1
            p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
            print(
                f"{who:<12}{dimension:<14}{statistics.median(samples):>8.1f}{p95:>8.1f}{samples[-1]:>8.1f}"
                f"{len(ctx.captured_queries):>9}{rows:>7}"
            )
    qs = Tally.objects.filter(
        agency_id__in=ids,
        dimension="unit",
        month__range=(today.replace(month=1, day=1), figures.month_start(today)),
    ).values_list("agency_id", "member", "key")
    from django.db.models import Sum

    sql, params = qs.annotate(v=Sum("value")).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()))
    # the officers' table: a page of rows from the index tally_members, in its order
    page = (
        figures._range(ids, today.replace(month=1, day=1), today, "officer")
        .values_list("agency_id", "member")
        .distinct()
        .order_by("agency_id", "member")[:101]
    )
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
