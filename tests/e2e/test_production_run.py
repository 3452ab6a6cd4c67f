"""A production-shaped run on this machine (issue 14): PostgreSQL, Redis (cache, rate limits and the task queue), an
S3 object store (moto's server), 2 gunicorn workers and 2 Huey consumers, each started as docs/deploy.md starts it,
in processes of their own, on a database of their own with the demo loaded. A browser walks a case against it: an
officer's 工作台 and case, a document's PDF read back from the object store, and the head's export of an archived case's
archive package, made by one of the consumers from the queue in Redis and downloaded from the object store. Both
consumers run the scheduler (the mistake docs/tasks.md warns of): every periodic job still runs once per period."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from zhifa.org.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_CACHE_DB, REDIS_QUEUE_DB = 14, 13


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _psql(url: str, sql: str, *params):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def deployment(tmp_path):
    import boto3
    import redis
    from moto.server import ThreadedMotoServer

    name = f"zhifa_prodrun_{uuid.uuid4().hex[:8]}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    _psql(admin, f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    s3_port = _free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port)
    s3.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    bucket = "zhifa-prodrun"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket=bucket)
    for db in (REDIS_CACHE_DB, REDIS_QUEUE_DB):
        redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ZHIFA_", "DJANGO_"))},
        "ZHIFA_DATABASE_URL": url,
        "ZHIFA_VAR_DIR": str(tmp_path / "var"),
        "ZHIFA_REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_CACHE_DB}",
        "ZHIFA_TASKS_URL": f"redis://127.0.0.1:6379/{REDIS_QUEUE_DB}",
        "ZHIFA_S3_BUCKET": bucket,
        "ZHIFA_S3_ENDPOINT_URL": endpoint,
        "ZHIFA_S3_ACCESS_KEY": "test",
        "ZHIFA_S3_SECRET_KEY": "test",
        "ZHIFA_S3_REGION": "us-east-1",
        "ZHIFA_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ZHIFA_CONN_MAX_AGE": "60",
    }
    zhifa = str(BIN / "zhifa")
    for step in (["migrate", "-v", "0"], ["demo"]):
        done = subprocess.run([zhifa, *step], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
    logs = tmp_path / "logs"
    logs.mkdir()
    commands = {
        "web": [str(BIN / "gunicorn"), "zhifa.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        "worker1": [zhifa, "worker", "--threads", "2"],
        "worker2": [zhifa, "worker", "--threads", "2"],
    }
    procs = {}
    for role, command in commands.items():
        out = open(logs / f"{role}.log", "w")
        procs[role] = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        out.close()
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _ready(base), 120, "/readyz")
        yield {
            "url": base,
            "db": url,
            "logs": logs,
            "procs": procs,
            "s3": (endpoint, bucket),
            "started": time.time(),
        }
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        s3.stop()
        for db in (REDIS_CACHE_DB, REDIS_QUEUE_DB):
            redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()
        _psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ready(base: str):
    import urllib.request

    try:
        with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return None


@pytest.mark.slow(seconds=100)
def test_a_case_walked_on_a_production_shaped_deployment(deployment, page):
    base, db = deployment["url"], deployment["db"]
    ready = _ready(base)
    assert ready["status"] == "ok" and set(ready["queue"]) >= {"pending", "scheduled"}

    # an officer: the 工作台, a case of theirs and one of its documents' PDF, read back from the object store
    log_in(page, base, "zhifa01", DEMO_PASSWORD)
    page.goto(f"{base}/")
    expect(page.locator("main")).to_contain_text("待办")
    [(case_id, reference)] = _psql(
        db,
        "SELECT c.id, c.reference FROM cases_case c JOIN cases_caseofficer o ON o.case_id = c.id "
        "JOIN org_person p ON p.id = o.person_id JOIN records_document d ON d.case_id = c.id "
        "WHERE p.username = 'zhifa01' AND d.state = 'final' ORDER BY c.id LIMIT 1",
    )
    page.goto(f"{base}/cases/{case_id}/")
    expect(page.locator("h1")).to_contain_text(reference)
    [(document_id,)] = _psql(
        db,
        "SELECT id FROM records_document WHERE case_id = %s AND state = 'final' ORDER BY id LIMIT 1",
        case_id,
    )
    pdf = page.request.get(f"{base}/records/documents/{document_id}/download/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # the head exports an archived case's package: a job on the consumers, its file in the object store
    log_in(page, base, "juzhang", DEMO_PASSWORD)
    [(archived,)] = _psql(db, "SELECT id FROM cases_case WHERE state = 'archived' ORDER BY id LIMIT 1")
    page.goto(f"{base}/records/cases/{archived}/file/")
    page.get_by_role("button", name="导出归档包").click()
    expect(page.locator("progress")).to_be_visible()
    expect(page.locator(".job-state")).to_have_text("已完成", timeout=120_000)  # the page refreshes itself
    link = page.get_by_role("link", name=f"下载 case-{archived}.zip")
    package = page.request.get(base + link.get_attribute("href"))
    assert package.ok and package.headers["content-type"] == "application/zip"
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(package.body())).read("manifest.json"))
    assert manifest["case"]["id"] == archived and manifest["index"]
    [(state, attempts, result)] = _psql(
        db, "SELECT state, attempts, result_file FROM core_job WHERE kind = 'records.archive_package'"
    )
    assert (state, attempts) == ("done", 1)
    assert _in_bucket(deployment["s3"], result)

    # every periodic job once per period, though both consumers run the scheduler: wait for a second period
    first = deployment["started"]
    _wait(
        lambda: (
            time.time() - first > 65
            and _psql(
                db, "SELECT count(DISTINCT slot) FROM core_job WHERE kind = 'zhifa.core.tasks.recover'"
            )[0][0]
            >= 2
        ),
        150,
        "two periods of the recovery job",
    )
    time.sleep(3)  # the second scheduler's copy of the last period has been taken from the queue
    rows = _psql(db, "SELECT kind, slot, state FROM core_job WHERE slot <> ''")
    per_period = Counter((kind, slot) for kind, slot, _ in rows)
    assert per_period and max(per_period.values()) == 1
    assert {state for *_, state in rows} <= {"done", "running"}
    ran, duplicates = _periodic_log(deployment["logs"])
    assert ran and max(ran.values()) == 1, ran  # across both consumers' logs: each (job, period) ran once
    assert set(ran) <= set(per_period)
    assert duplicates, "both schedulers queued the periodic jobs; the second copy found its period taken"
    for role, proc in deployment["procs"].items():
        assert proc.poll() is None, (
            f"{role} stopped: {(deployment['logs'] / f'{role}.log').read_text()[-2000:]}"
        )


def _in_bucket(s3, key: str) -> bool:
    import boto3

    endpoint, bucket = s3
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    return any(
        item["Key"] == key for item in client.list_objects_v2(Bucket=bucket, Prefix="jobs/")["Contents"]
    )


LINE = re.compile(r"periodic (\S+) (\S+): (ran|already run by another consumer)")


def _periodic_log(logs: Path) -> tuple[Counter, int]:
    ran: Counter = Counter()
    duplicates = 0
    for role in ("worker1", "worker2"):
        for match in LINE.finditer((logs / f"{role}.log").read_text()):
            if match[3] == "ran":
                ran[(match[1], match[2])] += 1
            else:
                duplicates += 1
    return ran, duplicates
