"""The embedded mode's cache is shared by the processes of one deployment (`zhifa run` starts two web workers):
a table in the platform's database (zhifa.core.cache), with an increment that loses no count under concurrency.

Each process here is a separate Python interpreter, as gunicorn's workers are. On SQLite they use a database file of
their own in a temporary directory (the embedded mode); on PostgreSQL, the test database (the cache table of
``createcachetable``) with keys of their own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import pytest

# One worker process: count ``n`` hits of one client address on the certificate check, print what each got.
HITS = """
import json, os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
django.setup()
from django.core.cache import caches
from django.test import RequestFactory
from zhifa.publicity import ratelimit
n, address, now = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
request = RequestFactory().get("/portal/certificates/verify/", REMOTE_ADDR=address)
c = caches["default"]
print(json.dumps({"cache": type(c).__module__ + "." + type(c).__name__,
                  "allowed": [ratelimit.hit(request, "verify", now=now)[0] for _ in range(n)]}))
"""

# One worker process: wait until all ``count`` processes are ready (a file each in ``barrier``), then increment one
# counter ``n`` times.
INCR = """
import os, sys, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
django.setup()
from django.core.cache import cache
n, key, barrier, count = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
cache.add(key, 0, timeout=300)
open(os.path.join(barrier, str(os.getpid())), "w").close()
while len(os.listdir(barrier)) < count:
    time.sleep(0.01)
for _ in range(n):
    cache.incr(key)
print(cache.get(key))
"""


@pytest.fixture(scope="module")
def embedded_var(tmp_path_factory):
    """A fresh var dir whose SQLite database `zhifa migrate` made — and with it the cache table (post_migrate).

    Under pytest-xdist the database starts as a copy of the run's migrated test template (tests/dbtemplate.py)
    without its cache table, so `zhifa migrate` has no migration left to apply (about 12 s of a core less) and makes
    the cache table as on a new deployment."""
    import sqlite3
    from contextlib import closing

    from django.conf import settings

    from tests import dbtemplate

    var = tmp_path_factory.mktemp("shared-cache") / "var"
    env = _base_env(var)
    template = f"{settings.VAR_DIR / 'test.sqlite3'}_tpl{dbtemplate.migrations_digest()}"
    if os.path.exists(template):
        var.mkdir()
        dbtemplate.copy_sqlite(template, var / "zhifa.sqlite3")
        with closing(sqlite3.connect(var / "zhifa.sqlite3")) as db:
            db.execute("DROP TABLE IF EXISTS zhifa_cache")
    subprocess.run(
        [sys.executable, "-m", "zhifa.cli", "migrate", "-v0"], env=env, check=True, capture_output=True
    )
    with closing(sqlite3.connect(var / "zhifa.sqlite3")) as db:
        assert db.execute("SELECT 1 FROM sqlite_master WHERE name = 'zhifa_cache'").fetchone()
    return var


def _base_env(var) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("ZHIFA_DATABASE_URL", "ZHIFA_REDIS_URL")}
    env["ZHIFA_VAR_DIR"] = str(var)
    env["ZHIFA_SECRET_KEY"] = "test-shared-cache"
    return env


@pytest.fixture
def shared_env(request, tmp_path, django_db_setup, django_db_blocker):
    """The environment of a deployment's processes: SQLite in the var dir `zhifa migrate` made (the embedded mode),
    or the test database on PostgreSQL. No transaction of this test is open (it would hold SQLite's write lock)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return _base_env(request.getfixturevalue("embedded_var"))
    env = _base_env(tmp_path / "var")
    s = connection.settings_dict
    env["ZHIFA_DATABASE_URL"] = (
        f"postgresql://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )
    return env


def _run(code: str, env: dict, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _out(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return out


def test_two_worker_processes_share_the_portal_rate_limit(shared_env):
    """The finding: 21 certificate checks spread over `zhifa run`'s two workers got no 429 (limit 20 a minute)."""
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}-{uuid.uuid4().hex[:8]}"
    now = time.time()
    first = json.loads(_out(_run(HITS, shared_env, 10, address, now)))
    second = json.loads(_out(_run(HITS, shared_env, 11, address, now)))
    assert first["cache"] == second["cache"] == "zhifa.core.cache.DatabaseCache"
    assert first["allowed"] == [True] * 10
    # The second process has counted only 11 itself, but sees the first one's 10: the 21st request is refused.
    assert second["allowed"] == [True] * 10 + [False]


def test_concurrent_increments_lose_no_count(shared_env, tmp_path):
    """Django's own database cache increments by get-then-set, so workers counting at once lose counts (seen: 3 × 100
    increments ended at 131); ours holds the row for the whole increment. Three processes start counting together."""
    key = f"zhifa:test:incr:{uuid.uuid4().hex}"
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    procs = [_run(INCR, shared_env, 100, key, barrier, 3) for _ in range(3)]
    finals = [int(_out(p)) for p in procs]
    assert max(finals) == 300


def test_incr_of_a_missing_key_is_refused(db):
    from django.core.cache import cache, caches

    from zhifa.core.cache import DatabaseCache

    assert isinstance(caches["default"], DatabaseCache)
    with pytest.raises(ValueError):
        cache.incr(f"missing-{uuid.uuid4().hex}")
    key = f"present-{uuid.uuid4().hex}"
    assert cache.add(key, 5) and cache.incr(key) == 6 and cache.incr(key, 4) == 10 and cache.get(key) == 10
