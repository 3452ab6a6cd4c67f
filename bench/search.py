"""Benchmark: the portal's search of published decisions (issue 15 item 7) at scale.

Fills a database of its own with ``--count`` published decisions (cases cloned from the demo's, the texts of the
labelled corpus, tests/publicity/redaction_corpus.py, with varied parties, numbers and dates; written in bulk, not
through the actions), then runs the portal's own query (``decision_views.filtered`` + the capped count + the first
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

    from django.db import transaction

    from tests.publicity.redaction_corpus import corpus
    from zhifa.cases.models import Case
    from zhifa.core import demo
    from zhifa.ledger.tracking import unrecorded_writes
    from zhifa.publicity import search
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
    texts = [d.text for d in corpus(80, seed)]
    template = Case.objects.filter(decided_on__isnull=False).order_by("id").first()
    kinds = [["warning"], ["fine"], ["warning", "fine"], ["fine", "confiscate_gains"], ["criticism"]]
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    words = "康宁健民仁和济世同德安泰永福华美长青瑞丰"
    t0, batch = time.perf_counter(), 5000
    done = have
    while done < count:
        n = min(batch, count - done)
        cases, pubs = [], []
        for i in range(done, done + n):
            c = Case(**{f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields})
            c.pk, c.reference = None, f"BENCH-{i:07d}"
            cases.append(c)
        with transaction.atomic(), unrecorded_writes():
            Case.objects.bulk_create(cases)
            for i, c in enumerate(cases, start=done):
                day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
                org = rng.random() < 0.6
                party = (
                    f"明山区{rng.choice(words)}{rng.choice(words)}{rng.choice(['诊所', '药店', '餐饮店', '供水站'])}"
                    if org
                    else rng.choice(surnames) + "某" * rng.choice([1, 2])
                )
                number = f"明卫罚〔{day.year}〕{i % 9000 + 1}号"
                penalty = rng.choice(kinds)
                summary = {
                    "number": number,
                    "party": party,
                    "party_kind": "org" if org else "person",
                    "credit_code": "",
                    "cause": template.cause,
                    "items": [],
                    "outcome": "penalty",
                    "penalty_kinds": penalty,
                    "fine": str(rng.randrange(0, 50000, 100)),
                    "confiscation": "0",
                    "basis": "",
                    "agency": template.agency.name,
                    "decided_on": day.isoformat(),
                }
                text = f"{party}\n{number}\n" + rng.choice(texts)
                p = Publication(
                    agency_id=template.agency_id,
                    case_id=c.pk,
                    kind="penalty",
                    state=PublicationState.PUBLISHED,
                    decided_on=day,
                    due_on=day,
                    text=text,
                    summary=summary,
                )
                p.facets = " ".join(search.tags(p))
                p.search_text = search.tokens(f"{number}\n{party}\n{text}") + " " + p.facets
                pubs.append(p)
            Publication.objects.bulk_create(pubs)
        done += n
        rate = (done - have) / (time.perf_counter() - t0)
        print(f"  {done:,} / {count:,} ({rate:,.0f} a second)", flush=True)
    _analyze()
    print(f"filled in {time.perf_counter() - t0:.0f} s")


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
    ("a document number", {"q": "明卫罚〔2024〕123号"}),
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
