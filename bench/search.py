"""Benchmark: the portal's search of published decisions (issue 15 item 7) at scale.

Fills a database of its own with ``--count`` published decisions (cases cloned from the demo's; texts, parties,
文号 and dates from bench/publications.py, as bench/generate.py's province has them; written in bulk, not through
the actions), then runs the portal's own query (``decision_views.filtered`` + the capped count + the first
page, as the list page does) for a set of searches, from 1 and from ``--clients`` concurrent processes (as gunicorn's
workers are; ``--threads``: threads of one process, which share Python's global lock), each with its own connection,
and prints p50/p95/p99 in milliseconds; then the staff's due-date dashboard (决定公开) as the agency's head opens it.

    .venv/bin/python bench/search.py --count 100000                       # SQLite, in a temporary ZHIFA_VAR_DIR
    .venv/bin/python bench/search.py --count 100000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/zhifa_bench_search --clients 10

Goals: p95 < 150 ms with 10 concurrent clients on PostgreSQL at 1,000,000; < 300 ms on SQLite at 100,000.
An existing database with at least ``--count`` publications is reused (``--reset`` to refill).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    os.environ["ZHIFA_VAR_DIR"] = args.var_dir or tempfile.mkdtemp(prefix="zhifa-bench-search-")
    if args.database_url:
        os.environ["ZHIFA_DATABASE_URL"] = args.database_url
        from bench.generate import create_database, database_exists, drop_database

        if args.reset and database_exists(args.database_url):
            drop_database(args.database_url)
        if not database_exists(args.database_url):
            create_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(count: int, seed: int) -> None:
    import datetime as dt
    from collections import defaultdict

    from django.db import transaction

    from bench.publications import PublicTexts
    from zhifa.cases.models import Case
    from zhifa.core import demo
    from zhifa.ledger.tracking import unrecorded_writes
    from zhifa.publicity.choices import PublicationState
    from zhifa.publicity.models import Publication

    have = Publication.objects.filter(state=PublicationState.PUBLISHED).count()
    if have >= count:
        print(f"reusing {have:,} published decisions")
        _analyze()
        return
    if demo.is_empty():
        t = time.perf_counter()
        demo.load_all()
        print(f"demo loaded in {time.perf_counter() - t:.0f} s")
    rng = random.Random(seed)
    texts = PublicTexts(seed)
    template = Case.objects.filter(decided_on__isnull=False).order_by("id").first()
    serials: dict[int, int] = defaultdict(lambda: 1000)  # past the demo's own numbers
    t0, batch = time.perf_counter(), 5000
    done = have
    with _word_indexes_built_after():
        while done < count:
            n = min(batch, count - done)
            with transaction.atomic(), unrecorded_writes():
                pubs = []
                for case_id in _copies_of_case(template, done, n):
                    day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
                    serials[day.year] += 1
                    made = texts.make(
                        rng,
                        serials[day.year],
                        agency=template.agency.name,
                        short=template.agency.short_name,
                        county="明山区",
                        decided_on=day,
                        cause=template.cause,
                    )
                    pubs.append(
                        Publication(
                            agency_id=template.agency_id,
                            case_id=case_id,
                            kind="penalty",
                            state=PublicationState.PUBLISHED,
                            decided_on=day,
                            due_on=day,
                            **made,
                        )
                    )
                _insert_publications(pubs)
            done += n
            rate = (done - have) / (time.perf_counter() - t0)
            print(f"  {done:,} / {count:,} ({rate:,.0f} a second)", flush=True)
    _analyze()
    print(f"filled in {time.perf_counter() - t0:.0f} s")


@contextlib.contextmanager
def _word_indexes_built_after():
    """PostgreSQL: the GIN indexes of the word arrays are dropped for the fill and built once after it (one sort
    instead of a million insertions of a few hundred words each)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'publicity_publication' "
            "AND indexdef LIKE '%%USING gin%%'"
        )
        gin = cursor.fetchall()
        for name, _definition in gin:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for _name, definition in gin:
                cursor.execute(definition)
        print(f"word indexes built in {time.perf_counter() - t:.0f} s")


def _copies_of_case(template, start: int, n: int) -> list[int]:
    """``n`` copies of the template case (references BENCH-<start>…), their ids. On PostgreSQL copied in the
    database (Django's bulk insert binds every column as one large array, which is slower than the rest together)."""
    from django.db import connection

    from zhifa.cases.models import Case

    if connection.vendor != "postgresql":
        cases = []
        for i in range(start, start + n):
            c = Case(**{f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields})
            c.pk, c.reference = None, f"BENCH-{i:07d}"
            cases.append(c)
        return [c.pk for c in Case.objects.bulk_create(cases)]
    columns = [f.column for f in Case._meta.concrete_fields if not f.primary_key]
    select = ", ".join(
        "'BENCH-' || lpad(g::text, 7, '0')" if c == "reference" else f't."{c}"' for c in columns
    )
    target = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO cases_case ({target}) SELECT {select} FROM cases_case t, generate_series(%s, %s) g "
            "WHERE t.id = %s ORDER BY g RETURNING id",
            [start, start + n - 1, template.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def _insert_publications(pubs) -> None:
    """On PostgreSQL by COPY (see ``_copies_of_case``), elsewhere by bulk_create."""
    from django.db import connection

    from zhifa.publicity.models import Publication

    if connection.vendor != "postgresql":
        Publication.objects.bulk_create(pubs)
        return
    fields = [f for f in Publication._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY publicity_publication ({columns}) FROM STDIN") as copy:
            for p in pubs:
                copy.write_row([f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields])


def _analyze() -> None:
    """Statistics as autovacuum would keep them (the planner tells a rare word from a common one by them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


QUERIES = [
    ("the list, no search", {}),
    ("a common word (罚款)", {"q": "罚款"}),
    ("a party's name", {"q": "明山区康宁诊所"}),
    ("a person as published (王某)", {"q": "王某"}),
    ("two words", {"q": "医疗机构 警告"}),
    ("a document number", {"q": "明卫罚〔2024〕1123号"}),
    ("a penalty kind filter", {"penalty": "criticism"}),
    ("a word, a kind and dates", {"q": "罚款", "penalty": "fine", "from": "2024-01-01", "to": "2024-06-30"}),
    ("a word found nowhere", {"q": "不存在的词语组合"}),
]


def _one(params) -> float:
    from django.http import QueryDict

    from zhifa.publicity import decision_views

    q = QueryDict(mutable=True)
    q.update(params)
    t = time.perf_counter()
    qs, f, _problems = decision_views.filtered(q)
    page = decision_views.page_of(
        qs.only("id", "agency_id", "kind", "decided_on", "summary", "released_at"), f, 1
    )
    list(page.object_list)
    return (time.perf_counter() - t) * 1000


def _pct(values, p) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _measure(clients: int, seconds: float) -> dict[str, list[float]]:
    """``clients`` threads of this process, each with its own connection, for ``seconds``."""
    from django.db import connection

    per_thread: list[dict[str, list[float]]] = []

    def run(k: int) -> None:
        try:
            per_thread.append(_measure_one(k, seconds))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _merged(per_thread)


def _merged(parts) -> dict[str, list[float]]:
    merged: dict[str, list[float]] = {name: [] for name, _p in QUERIES}
    for part in parts:
        for name, values in part.items():
            merged[name] += values
    return merged


# The staff's due-date dashboard (决定公开, publicity.staff_views.publication_list) of the agency holding the decisions,
# as its head opens it: the page rendered, 50 rows.
DASHBOARD = [
    ("dashboard: every state, by due date", {}),
    ("dashboard: published", {"state": "published"}),
    ("dashboard: pending review", {"state": "pending"}),
    ("dashboard: late only", {"late": "1"}),
    ("dashboard: page 30", {"page": "30"}),
]


def _dashboard_call(params) -> float:
    from django.test import RequestFactory

    from zhifa.org.models import Person
    from zhifa.publicity.staff_views import publication_list

    request = RequestFactory().get("/catalog/publications/", params)
    request.user = Person.objects.get(username="juzhang")
    request.session = {}
    t = time.perf_counter()
    response = publication_list(request)
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - t) * 1000


def _measure_processes(clients: int, seconds: float) -> dict[str, list[float]]:
    """As ``_measure``, from ``clients`` processes (as gunicorn's workers are), each with its own connection."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # no connection crosses the fork
    context = multiprocessing.get_context("fork")
    results = context.Queue()

    def child(k: int) -> None:
        times = _measure_one(k, seconds)
        results.put(times)
        connections.close_all()

    procs = [context.Process(target=child, args=(k,)) for k in range(clients)]
    for proc in procs:
        proc.start()
    merged = _merged(results.get() for _proc in procs)
    for proc in procs:
        proc.join()
    return merged


def _measure_one(k: int, seconds: float) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name, _p in QUERIES}
    stop, i = time.perf_counter() + seconds, k
    while time.perf_counter() < stop:
        name, params = QUERIES[i % len(QUERIES)]
        times[name].append(_one(params))
        i += 1
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description="公开决定检索的性能（issue 15 第 7 项）")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--var-dir", default="")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument(
        "--threads",
        action="store_true",
        help="the concurrent clients as threads of one process (default: processes)",
    )
    parser.add_argument(
        "--filters-in-text",
        action="store_true",
        help="filter words in the text's word array (before migration 0010)",
    )
    args = parser.parse_args()
    if args.filters_in_text:  # every word, filter words included, against the text's word array
        from zhifa.publicity import search

        search.matching = lambda qs, words: qs.filter(search_text__matches=words) if words else qs
    _setup(args)
    from django.db import connection

    _fill(args.count, args.seed)
    print(f"database: {connection.vendor}, {args.count:,} published decisions")
    for _name, params in QUERIES:  # warm the caches once
        _one(params)
    for clients in (1, args.clients):
        if clients == 1 or args.threads:
            times = _measure(clients, args.seconds)
        else:
            times = _measure_processes(clients, args.seconds)
        if clients == 1:
            for name, params in DASHBOARD:
                _dashboard_call(params)  # warm
                times[name] = [_dashboard_call(params) for _ in range(30)]
        mode = "threads" if args.threads else "processes"
        print(f"\n{clients} client(s){f' ({mode})' if clients > 1 else ''}, {args.seconds:.0f} s:")
        print(f"  {'search':<34} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8}  (ms)")
        every = []
        for name, values in times.items():
            every += values
            if values:
                print(
                    f"  {name:<34} {len(values):>5} {statistics.median(values):>8.1f} "
                    f"{_pct(values, 95):>8.1f} {_pct(values, 99):>8.1f}"
                )
        print(
            f"  {'all':<34} {len(every):>5} {statistics.median(every):>8.1f} {_pct(every, 95):>8.1f} "
            f"{_pct(every, 99):>8.1f}"
        )


if __name__ == "__main__":
    main()
