"""Page timings at a million cases (issue 14 item 3): every page of the issue's table through gunicorn, measured from
a second process on loopback at 1 and at 20 concurrent users, beside the time of the page's main query in psql.

    .venv/bin/python bench/load.py                                   # zhifa_province and zhifa_province_1k
    .venv/bin/python bench/load.py --db zhifa_province --markdown    # one database, a Markdown table
    .venv/bin/python bench/load.py --db load_demo --pages case_list  # pages whose name contains "case_list"

For each database (PostgreSQL, ``postgresql://postgres@127.0.0.1:5432/<db>``), after ``zhifa migrate`` and
``ALTER DATABASE <db> SET random_page_cost = 1.1`` (``--random-page-cost``; docs/deploy.md: the data on SSD, the
working set in memory):

1. a Django process of its own (``bench/load.py --prepare <db>``) reads the scenario — the agency with the most cases,
   its case with the most records, an officer, the head, a reviewer of it, the supervisor of the most agencies —
   from ``var/bench/province-<db>.json`` (written by ``bench/generate.py``) where it names them, else from the
   database; opens every page once through Django's test client as its user and captures the SQL the page runs; the
   page's *main query* is the slowest of them (a warm second request);
2. ``gunicorn zhifa.wsgi`` starts with 2 workers (``ZHIFA_DEBUG`` off, persistent connections, the cache in Redis
   as in production) on a free loopback port;
3. this process logs in as each role through the login form (CSRF token, real session), and for each page sends
   ``--n1`` requests from 1 user, then ``--n20`` requests from 20 users at once (threads, one session each), after
   one untimed request per user; it records each response's wall time and counts as errors what is not a 200;
4. psql runs each main query ``--psql-runs`` times (``\\timing``; the median) and once under
   ``EXPLAIN (ANALYZE, BUFFERS)``.

It prints a table: p50/p95/p99 and errors at 1 and 20 users, the goal, the psql time of the main query and the
ratio p50 (1 user) / psql time; with two databases also the 1.5× comparison of the small one against the large one.
``--markdown`` prints it as Markdown and ``--explain`` adds the EXPLAIN of each main query (docs/performance.md).
``--json PATH`` keeps the raw figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Mingshan#2026"
PG = "postgresql://postgres@127.0.0.1:5432/"

# Pages of the table: (name, role, goal p95 in ms, what the page is). Paths are filled in by --prepare.
GOALS = {
    "case_list": 100,
    "case_page": 150,
    "workbench": 100,
    "review_queue": 100,
    "deadlines": 100,
    "access_log": 100,
    "supervisor_list": 200,
    "portal": 50,
}


# --- the scenario and the main queries (a Django process of its own) --------------------------------------------------


def _manifest(db: str) -> dict:
    path = ROOT / "var" / "bench" / f"province-{db}.json"
    if path.exists():
        return json.loads(path.read_text())
    return {}


def _pick(manifest: dict, *keys):
    """The first of ``keys`` the manifest has (top level or under "users"/"ids"), else None."""
    for key in keys:
        for where in (manifest, manifest.get("users") or {}, manifest.get("ids") or {}):
            if isinstance(where, dict) and where.get(key) not in (None, ""):
                return where[key]
    return None


def scenario(db: str) -> dict:
    """Who and what the pages are measured on: from the generator's manifest where it says, else from the data."""
    from django.db.models import Count

    from zhifa.cases.models import Case, CaseOfficer
    from zhifa.org.choices import Role
    from zhifa.org.models import Agency, Person

    m = _manifest(db)
    code = _pick(m, "big_agency_code")
    big = _pick(m, "big_agency_id", "big_agency")
    if isinstance(big, dict):
        code, big = big.get("code"), big.get("id")
    if big is None and code:
        big = Agency.objects.get(code=code).pk
    if big is None:
        big = (
            Case.objects.values("agency_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("agency_id", flat=True)
        )[0]
    agency = Agency.objects.get(pk=big)
    case_id = _pick(m, "big_case_id", "big_case")
    if isinstance(case_id, dict):
        case_id = case_id.get("id")
    if case_id is None:
        from zhifa.cases.models import CaseRecord as Record

        case_id = (
            Record.objects.filter(case__agency=agency)
            .values("case_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("case_id", flat=True)
        )[0]

    def user(key, role, agency_scope=True):
        name = _pick(m, key, f"{key}_username")
        if isinstance(name, dict):
            name = name.get("username")
        if name:
            return name
        people = Person.objects.filter(is_active=True, roles__role=role)
        if agency_scope:
            people = people.filter(roles__agency=agency)
        if role == Role.OFFICER:
            busiest = (
                CaseOfficer.objects.filter(case__agency=agency, person__in=people)
                .values("person_id")
                .annotate(n=Count("id"))
                .order_by("-n")
                .values_list("person_id", flat=True)[:1]
            )
            return Person.objects.get(pk=busiest[0]).username
        if role == Role.SUPERVISOR:
            people = people.annotate(n=Count("roles")).order_by("-n", "id")
        return people.order_by("id").first().username if role != Role.SUPERVISOR else people.first().username

    users = {
        "officer": user("officer", Role.OFFICER),
        "case_officer": _pick(m, "big_case_officer") or user("officer", Role.OFFICER),
        "head": user("head", Role.AGENCY_HEAD),
        "reviewer": user("reviewer", Role.LEGAL_REVIEWER),
        "supervisor": user("supervisor", Role.SUPERVISOR, agency_scope=False),
    }
    officer = Person.objects.get(username=users["officer"])
    some = Case.objects.filter(agency=agency).order_by("-accepted_on", "-id")
    item = next((c.items[0] for c in some[:200] if c.items), "")
    word = Case.objects.get(pk=case_id).cause[:2]
    deep = list(some.values_list("accepted_on", "id")[1000:1001])
    return {
        "agency": {"id": agency.pk, "code": agency.code, "name": agency.name, "cases": some.count()},
        "case_id": int(case_id),
        "users": users,
        "officer_id": officer.pk,
        "item": item,
        "word": word,
        "deep": [deep[0][0].isoformat(), deep[0][1]] if deep else None,
        "portal_agency": _pick(m, "portal_agency_code") or agency.code,
    }


def pages(s: dict) -> list[dict]:
    """The pages of the issue's table as (name, role, path)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    lst = reverse("cases:list")
    rows = [
        ("case_list", "officer", lst),
        ("case_list q", "officer", lst + "?" + urlencode({"q": s["word"]})),
        ("case_list state", "officer", lst + "?state=investigating"),
        ("case_list mine", "officer", lst + "?mine=1"),
        ("case_list officer", "officer", lst + f"?officer={s['officer_id']}"),
        ("case_list item", "officer", lst + "?" + urlencode({"item": s["item"]})),
        ("case_list due=overdue", "officer", lst + "?due=overdue"),
        ("case_list due=soon", "officer", lst + "?due=soon"),
    ]
    if s["deep"]:
        rows.append(
            ("case_list page 21", "officer", lst + "?" + urlencode({"after": "{}_{}".format(*s["deep"])}))
        )
    case = s["case_id"]
    rows += [
        ("case_page officer", "case_officer", reverse("cases:detail", args=[case])),
        ("case_page head", "head", reverse("cases:detail", args=[case])),
        ("workbench head", "head", reverse("home")),
        ("workbench officer", "officer", reverse("home")),
        ("workbench supervisor", "supervisor", reverse("home")),
        ("review_queue reviewer", "reviewer", reverse("review:home")),
        ("review_queue head", "head", reverse("review:home")),
        ("deadlines head", "head", reverse("workdays:deadlines")),
        ("access_log case", "head", reverse("records:access_log") + f"?case={case}"),
        ("supervisor_list", "supervisor", lst),
        ("supervisor_list state", "supervisor", lst + "?state=investigating"),
        ("supervisor_list due=overdue", "supervisor", lst + "?due=overdue"),
    ]
    aq = "?agency=" + s["portal_agency"]
    for name in (
        "home",
        "agency",
        "people",
        "items",
        "random_inspection_items",
        "av_items",
        "guides",
        "flowcharts",
    ):
        rows.append((f"portal {name}", "", reverse(f"publicity:{name}") + aq))
    rows.append(("portal posts", "", reverse("publicity:posts") + aq))
    rows.append(("portal ledger", "", reverse("portal_ledger") + aq))
    return [{"name": n, "role": r, "path": p, "goal": GOALS[n.split()[0]]} for n, r, p in rows]


def _cost(query: dict) -> float:
    """A read's own time (best of three, run again here: the captured times are rounded to milliseconds)."""
    from django.db import connection

    sql = query["sql"]
    if not sql.lstrip().upper().startswith("SELECT") or "FOR UPDATE" in sql:
        return -1.0
    best = float("inf")
    with connection.cursor() as cursor:
        for _ in range(3):
            t0 = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            best = min(best, time.perf_counter() - t0)
    return best


def prepare(db: str) -> dict:
    """Run in a process of its own: the scenario, and each page's queries captured through the test client."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhifa.org.models import Person

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    s = scenario(db)
    out = []
    clients = {}
    for page in pages(s):
        role = page["role"]
        if role not in clients:
            clients[role] = Client()
            if role:
                clients[role].force_login(Person.objects.get(username=s["users"][role]))
        client = clients[role]
        client.get(page["path"])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page["path"])
        queries = [
            q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
        ]
        main = max(queries, key=_cost, default=None)
        out.append(
            {
                **page,
                "status": response.status_code,
                "queries": len(queries),
                "main_sql": main["sql"] if main else "",
                "main_ms_django": _cost(main) * 1000 if main else 0.0,
            }
        )
    return {"db": db, "scenario": s, "pages": out}


# --- the server and the load ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(db: str, workers: int, var_dir: str, redis: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "ZHIFA_DATABASE_URL": PG + db,
        "ZHIFA_DEBUG": "0",
        "ZHIFA_VAR_DIR": var_dir,
        "ZHIFA_CONN_MAX_AGE": "60",
        "ZHIFA_REDIS_URL": redis,
    }
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "zhifa.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    import requests

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=10).status_code == 200:
                return proc, url
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited")
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


def login(url: str, username: str):
    import requests

    session = requests.Session()
    session.headers["Referer"] = url + "/login/"
    if not username:
        return session
    page = session.get(url + "/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = session.post(
        url + "/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        allow_redirects=False,
    )
    if done.status_code != 302:
        raise SystemExit(f"login of {username} failed: {done.status_code}")
    # A first password change would send every page to the password form: the generator's users need none.
    return session


def run_load(sessions: list, url: str, n: int, think: float = 0.0) -> tuple[list[float], int]:
    """``n`` requests of ``url`` from len(sessions) users at once, each user waiting ``think`` seconds on average
    (uniformly 0.5–1.5 × ``think``) between its requests; (latencies in ms, errors)."""
    import random

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    per = max(1, n // len(sessions))
    start = threading.Barrier(len(sessions))

    def user(session):
        try:
            session.get(
                url, allow_redirects=False, timeout=120
            )  # untimed: the connection, the worker's caches
        except Exception:  # noqa: BLE001 - an error of the warm-up is counted with the others below
            pass
        start.wait()
        if think:  # users arrive on their own, not all in the same instant
            time.sleep(think * random.uniform(0, 1))  # noqa: S311 - not cryptography
        mine, bad = [], 0
        for _ in range(per):
            t0 = time.perf_counter()
            try:
                r = session.get(url, allow_redirects=False, timeout=120)
                ok = r.status_code == 200
            except Exception:  # noqa: BLE001 - a refused or timed-out request is an error of the page
                ok = False
            mine.append((time.perf_counter() - t0) * 1000)
            bad += not ok
            if think:
                time.sleep(think * random.uniform(0.5, 1.5))  # noqa: S311 - not cryptography
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=user, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# --- psql ----------------------------------------------------------------------------------------------------------


def psql(db: str, script: str) -> str:
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-X", "-q", "-v", "ON_ERROR_STOP=1"],
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(done.stderr)
    return done.stdout


def psql_time(db: str, sql: str, runs: int) -> float:
    """Median wall time (ms) of ``sql`` run ``runs`` times in psql (\\timing), after one untimed run."""
    sql = sql.rstrip().rstrip(";") + ";\n"
    script = "\\o /dev/null\n" + sql + "\\timing on\n" + sql * runs
    out = psql(db, script)
    times = [float(t) for t in re.findall(r"Time: ([0-9.]+) ms", out)]
    return statistics.median(times)


def explain(db: str, sql: str) -> str:
    return psql(db, "EXPLAIN (ANALYZE, BUFFERS) " + sql.rstrip().rstrip(";") + ";\n").rstrip()


# --- the run --------------------------------------------------------------------------------------------------------


def measure(db: str, args) -> dict:
    t0 = time.monotonic()
    # the generator's folder holds the agencies' ledger keys (a case page's access entry may sign a checkpoint)
    var_dir = _manifest(db).get("var_dir") or args.var_dir
    env = {**os.environ, "ZHIFA_DATABASE_URL": PG + db, "ZHIFA_VAR_DIR": var_dir, "ZHIFA_DEBUG": "0"}
    env["ZHIFA_REDIS_URL"] = args.redis
    if (
        not args.no_migrate
    ):  # the schema of the code measured (its indexes), as a deployment's upgrade applies it
        subprocess.run([str(ROOT / ".venv/bin/zhifa"), "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    if args.random_page_cost:  # the planner told what docs/deploy.md tells a deployment (SSD, data in memory)
        psql(db, f"ALTER DATABASE {db} SET random_page_cost = {args.random_page_cost:g};")
    done = subprocess.run(
        [sys.executable, __file__, "--prepare", db],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"--prepare {db} failed")
    plan = json.loads(done.stdout.strip().splitlines()[-1])
    chosen = [p for p in plan["pages"] if not args.pages or any(f in p["name"] for f in args.pages)]
    print(f"# {db}: prepared in {time.monotonic() - t0:.0f} s; scenario {plan['scenario']}", file=sys.stderr)
    for p in chosen:
        if p["status"] != 200:
            print(f"# {db}: {p['name']} answered {p['status']} to the test client", file=sys.stderr)
    proc, url = start_gunicorn(db, args.workers, var_dir, args.redis)
    try:
        levels = [int(u) for u in args.users.split(",")]
        sessions = {
            role: [login(url, plan["scenario"]["users"].get(role, "")) for _ in range(max(levels))]
            for role in {p["role"] for p in chosen}
        }
        for p in chosen:
            for users in levels:
                n = args.n1 if users == 1 else args.n20
                think = args.think if users > 1 else 0.0
                started = time.monotonic()
                lat, errors = run_load(sessions[p["role"]][:users], url + p["path"], n, think)
                elapsed = time.monotonic() - started
                p[f"u{users}"] = {
                    "n": len(lat),
                    "errors": errors,
                    "p50": pct(lat, 50),
                    "p95": pct(lat, 95),
                    "p99": pct(lat, 99),
                    "rps": len(lat) / elapsed,
                }
            print(
                f"# {db}: {p['name']}: "
                + "; ".join(
                    f"{u} users p50 {p[f'u{u}']['p50']:.1f} p95 {p[f'u{u}']['p95']:.1f} err {p[f'u{u}']['errors']}"
                    for u in levels
                ),
                file=sys.stderr,
            )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    for p in chosen:
        if p["main_sql"]:
            p["psql_ms"] = psql_time(db, p["main_sql"], args.psql_runs)
            if args.explain:
                p["explain"] = explain(db, p["main_sql"])
    plan["pages"] = chosen
    plan["seconds"] = time.monotonic() - t0
    return plan


def table(runs: list[dict], levels: list[int], markdown: bool) -> str:
    big = runs[0]
    small = runs[1] if len(runs) > 1 else None
    head = ["页面或调用", "用户", "目标 p95", *[f"{u}人 p50/p95/p99（错误）" for u in levels]]
    head += [f"{levels[-1]}人 请求/秒", "查询数", "主查询 psql", "p50÷psql"]
    if small:
        head += [f"{small['db']} p95（{levels[0]}人）", "大÷小"]
    rows = []
    small_pages = {p["name"]: p for p in small["pages"]} if small else {}
    for p in big["pages"]:
        row = [p["name"], p["role"] or "—", f"< {p['goal']} ms"]
        for u in levels:
            r = p.get(f"u{u}")
            row.append(f"{r['p50']:.0f} / {r['p95']:.0f} / {r['p99']:.0f}（{r['errors']}）" if r else "—")
        q = p.get("psql_ms")
        last = p.get(f"u{levels[-1]}")
        row.append(f"{last['rps']:.1f}" if last else "—")
        row += [str(p["queries"]), f"{q:.2f} ms" if q else "—"]
        row.append(f"{p['u' + str(levels[0])]['p50'] / q:.0f}×" if q and p.get(f"u{levels[0]}") else "—")
        if small:
            sp = small_pages.get(p["name"], {}).get(f"u{levels[0]}")
            bp = p.get(f"u{levels[0]}")
            row.append(f"{sp['p95']:.0f} ms" if sp else "—")
            row.append(f"{bp['p95'] / sp['p95']:.2f}" if sp and bp else "—")
        rows.append(row)
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    return "\n".join(
        "  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=False)) for r in [head, *rows]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", action="append", help="database names (the first is the large one)")
    parser.add_argument("--users", default="1,20")
    parser.add_argument("--n1", type=int, default=40, help="requests per page from 1 user")
    parser.add_argument("--n20", type=int, default=400, help="requests per page from 20 users")
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds a user waits between requests (more than 1 user)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--psql-runs", type=int, default=7)
    parser.add_argument("--pages", action="append", help="only pages whose name contains this")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print the EXPLAIN (ANALYZE, BUFFERS) of each")
    parser.add_argument("--json", help="write the raw figures here")
    parser.add_argument("--var-dir", default=os.environ.get("ZHIFA_VAR_DIR", "/tmp/zv_load"))
    parser.add_argument("--redis", default=os.environ.get("ZHIFA_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument(
        "--no-migrate", action="store_true", help="do not run zhifa migrate on the database first"
    )
    parser.add_argument(
        "--random-page-cost",
        type=float,
        default=1.1,
        help="ALTER DATABASE … SET random_page_cost first, as docs/deploy.md recommends (0: leave it as it is)",
    )
    parser.add_argument("--table", nargs="+", help="print the table of earlier runs' --json files instead")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on the way out
    if args.prepare:
        print(json.dumps(prepare(args.prepare), default=str))
        return 0
    started = time.monotonic()
    if args.table:  # the figures of earlier runs (--json), the large database's first
        runs = [run for path in args.table for run in json.loads(Path(path).read_text())]
        dbs = [run["db"] for run in runs]
    else:
        dbs = args.db or ["zhifa_province", "zhifa_province_1k"]
        runs = [measure(db, args) for db in dbs]
    levels = [int(u) for u in args.users.split(",")]
    if args.json:
        Path(args.json).write_text(json.dumps(runs, ensure_ascii=False, indent=1, default=str))
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    took = sum(run.get("seconds", 0) for run in runs) if args.table else time.monotonic() - started
    print(f"{when}; {', '.join(db for db in dbs)}; {took:.0f} s")
    print(table(runs, levels, args.markdown))
    if args.explain:
        # one plan per row of the table: the page of the group whose main query took longest in psql
        worst: dict[str, dict] = {}
        for p in runs[0]["pages"]:
            group = p["name"].split()[0]
            if p.get("explain") and p.get("psql_ms", 0) >= worst.get(group, {}).get("psql_ms", -1):
                worst[group] = p
        for group, p in worst.items():
            sql = re.sub(r"^SELECT (DISTINCT )?(.{200,}?) FROM ", r"SELECT \1… FROM ", p["main_sql"], count=1)
            print(
                f"\n#### {group}（{p['name']}，psql {p['psql_ms']:.2f} ms）\n\n```sql\n{sql}\n```\n\n"
                f"```\n{p['explain']}\n```"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
