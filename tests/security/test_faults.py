"""Faults: the database going away in the middle of an action, object storage failing during an evidence upload,
and a worker killed (SIGKILL) in the middle of a periodic job. In each case nothing is half-written, the ledger's
``verify --state`` passes afterwards, and doing the thing again gives the result of doing it once."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.test import Client

from tests.cases.conftest import clock, cw  # noqa: F401 (fixtures)
from zhifa.cases import actions as case_actions
from zhifa.cases.models import Party
from zhifa.ledger import actions as ledger_actions
from zhifa.ledger import checks
from zhifa.ledger.models import Checkpoint, Entry, Log
from zhifa.records import evidence, ingest
from zhifa.records.models import Evidence, EvidenceUpload
from zhifa.supervision import actions as supervision_actions

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256)) * 200


@pytest.fixture
def walk(db, request):
    """The case-walk helpers (``cw`` of tests/cases/conftest.py)."""
    return request.getfixturevalue("cw")


def _counts():
    return (
        Party.objects.count(),
        Entry.objects.count(),
        {log.pk: log.size for log in Log.objects.all()},
    )


def _verified():
    report = checks.verify(state=True)
    assert report.ok, [str(p) for p in report.problems]
    return report


def _database_goes_away(monkeypatch, *, when: str):
    """Make the next ledger append lose the database: on PostgreSQL the action's own connection is terminated
    from a second connection (pg_terminate_backend), on SQLite (a file, no server to lose) the append raises the
    OperationalError a failing disk gives. ``when`` is "before" the entry is written (the business row is) or
    "after" it (both are written, the commit never comes)."""
    original = ledger_actions.append
    fired = []

    def lose_database():
        conn = transaction.get_connection()
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    # with a timeout, pg_terminate_backend waits until the backend has gone
                    cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
                    assert cursor.fetchone()[0] is True
            finally:
                other.close()
        else:
            raise OperationalError("disk I/O error")

    def append(**kwargs):
        if fired:
            return original(**kwargs)
        fired.append(True)
        if when == "before":
            lose_database()
            return original(**kwargs)
        entry = original(**kwargs)
        lose_database()
        return entry

    monkeypatch.setattr(ledger_actions, "append", append)
    return fired


PARTY = dict(
    kind="legal",
    name="甲区故障测试诊所",
    id_type="credit_code",
    id_number="91350100M000100Y43",
    address="甲区健康路9号",
    legal_representative="王故障",
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("when", ["before", "after"])
def test_database_lost_in_the_middle_of_an_action_writes_nothing(world, monkeypatch, when):
    """The business row is written, then the database goes away before (or right after) its ledger entry:
    the action raises, neither the row nor the entry exists, verify --state passes, and the same action
    succeeds once the database is back."""
    before = _counts()
    fired = _database_goes_away(monkeypatch, when=when)
    with pytest.raises(OperationalError):
        case_actions.register_party(world.officer, world.a, **PARTY)
    assert fired
    connection.close()  # what Django does at the end of the request whose connection failed
    assert _counts() == before
    assert not Party.objects.filter(name=PARTY["name"]).exists()
    _verified()

    party = case_actions.register_party(world.officer, world.a, **PARTY)  # the database is back (hook spent)
    assert Party.objects.filter(name=PARTY["name"]).count() == 1
    assert Entry.objects.filter(object_kind="cases.party", object_id=str(party.pk)).exists()
    _verified()


@pytest.mark.django_db(transaction=True)
def test_database_lost_during_a_page_request_shows_our_error_page(world, monkeypatch):
    """The same fault through the page a person uses: our own Chinese error page (500), saying the operation did
    not happen and nothing was changed; nothing is stored."""
    client = Client(raise_request_exception=False)
    client.force_login(world.officer)
    before = _counts()
    _database_goes_away(monkeypatch, when="before")
    r = client.post("/cases/parties/new/", PARTY)
    assert r.status_code == 500
    page = r.content.decode()
    assert "系统错误" in page and "操作未完成，数据未被修改" in page
    assert "Traceback" not in page and "OperationalError" not in page
    connection.close()
    assert _counts() == before
    _verified()
    # the next request works and stores the party once
    r = client.post("/cases/parties/new/", PARTY)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Party.objects.filter(name=PARTY["name"]).count() == 1
    _verified()


# Object storage failing during an evidence upload ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class S3:
    """A real S3 endpoint (moto's server on a local port) that can be stopped and started again on the same port;
    moto keeps the buckets in this process, so what was stored before the outage is still there after it — and so
    is what other tests of the same process stored: each test has a bucket of its own."""

    def __init__(self, port: int):
        import uuid

        from moto.server import ThreadedMotoServer

        self._cls, self.port, self.server = ThreadedMotoServer, port, None
        self.bucket = f"zhifa-evidence-{uuid.uuid4().hex[:12]}"
        self.endpoint = f"http://127.0.0.1:{port}"

    def start(self):
        self.server = self._cls(ip_address="127.0.0.1", port=self.port)
        self.server.start()

    def stop(self):
        self.server.stop()
        self.server = None

    def keys(self) -> list[str]:
        import boto3

        listing = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1").list_objects_v2(
            Bucket=self.bucket
        )
        return [o["Key"] for o in listing.get("Contents", [])]


@pytest.fixture
def s3(settings, monkeypatch, tmp_path):
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "2",  # fail fast while the endpoint is down
        "AWS_RETRY_MODE": "standard",
    }.items():
        monkeypatch.setenv(name, value)
    server = S3(_free_port())
    server.start()
    boto3.client("s3", endpoint_url=server.endpoint, region_name="us-east-1").create_bucket(
        Bucket=server.bucket
    )
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": server.bucket,
                "endpoint_url": server.endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "file_overwrite": False,
            },
        },
    }
    yield server
    if server.server is not None:
        server.stop()


def test_object_storage_down_during_upload_keeps_the_upload_resumable(walk, s3):
    """The bytes of a resumable upload are in; object storage goes down as the evidence is completed: no
    evidence row, no ledger entry, nothing in the bucket, the upload still open with every byte received. When
    the storage is back, completing again makes the evidence once."""
    from django.core.files.storage import default_storage
    from storages.backends.s3 import S3Storage

    w = walk
    case = w.new_case()
    case_actions.request_filing(w.officer, case)
    case_actions.approve_filing(w.head, case, opinion="同意立案")

    client = Client(raise_request_exception=False)
    client.force_login(w.officer)
    sha = hashlib.sha256(PDF).hexdigest()
    r = client.post(
        "/api/v1/evidence-uploads/",
        {"case": case.pk, "size": len(PDF), "name": "现场照片.pdf", "sha256": sha},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    uid = r.json()["id"]
    half = len(PDF) // 2
    for offset, piece in ((0, PDF[:half]), (half, PDF[half:])):
        r = client.put(
            f"/api/v1/evidence-uploads/{uid}/",
            piece,
            content_type="application/octet-stream",
            HTTP_UPLOAD_OFFSET=str(offset),
        )
        assert r.status_code == 200, r.content
    entries = Entry.objects.count()

    s3.stop()
    complete = {"kind": "documentary", "description": "现场照片"}
    r = client.post(f"/api/v1/evidence-uploads/{uid}/complete/", complete, content_type="application/json")
    assert r.status_code >= 500
    assert not Evidence.objects.exists()
    assert Entry.objects.count() == entries
    upload = EvidenceUpload.objects.get(pk=uid)
    assert (upload.state, upload.received, upload.evidence_id) == ("open", len(PDF), None)
    assert ingest.part_path(upload.pk).stat().st_size == len(PDF)  # the received bytes are kept

    s3.start()
    assert s3.keys() == []  # nothing half-stored
    r = client.get(f"/api/v1/evidence-uploads/{uid}/")
    assert r.status_code == 200 and r["Upload-Offset"] == str(len(PDF))
    r = client.post(f"/api/v1/evidence-uploads/{uid}/complete/", complete, content_type="application/json")
    assert r.status_code == 201, r.content
    item = Evidence.objects.get()
    assert item.sha256 == sha and r.json()["id"] == item.pk
    assert isinstance(default_storage._wrapped, S3Storage)
    assert s3.keys() == [item.file_name]
    assert Entry.objects.filter(action="records.add_evidence", object_id=str(item.pk)).count() == 1
    # completing once more does not make a second item
    r = client.post(f"/api/v1/evidence-uploads/{uid}/complete/", complete, content_type="application/json")
    assert r.status_code == 400 and Evidence.objects.count() == 1
    _verified()


# A worker killed in the middle of a job ---------------------------------------------------------------------------

# Runs ``zhifa worker --once`` with one function wrapped so that its N-th call prints HOLD and sleeps: the test
# kills the process (SIGKILL) there, as a machine losing power or the OOM killer would.
HOLDING_WORKER = textwrap.dedent(
    """
    import os, sys, time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django
    django.setup()
    import importlib
    module_name, attr, hold_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
    module = importlib.import_module(module_name)
    original = getattr(module, attr)
    calls = []

    def held(*args, **kwargs):
        calls.append(1)
        if len(calls) == hold_at:
            print("HOLD", flush=True)
            time.sleep(600)
        return original(*args, **kwargs)

    setattr(module, attr, held)
    from django.core.management import call_command
    call_command("worker", once=True)
    print("DONE", flush=True)
    """
)


def _worker_env() -> dict:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        url = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        url = f"sqlite:///{db['NAME']}"
    env = dict(os.environ)
    env.update(
        ZHIFA_DATABASE_URL=url,
        ZHIFA_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        ZHIFA_LEDGER_KEY_DIR=str(settings.LEDGER_KEY_DIR),
        ZHIFA_JOB_LEASE_SECONDS="1",  # a killed run's lease runs out within a second (zhifa.core.queue)
    )
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _kill_worker_at(module: str, attr: str, hold_at: int) -> None:
    """Start the worker, wait until it is held inside the job, and kill -9 it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDING_WORKER, module, attr, str(hold_at)],
        env=_worker_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == "HOLD", (line, proc.stderr.read() if proc.poll() is not None else "")
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        time.sleep(1.2)  # its lease runs out: an exclusive job is not skipped as if it were still running
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def _run_worker_once() -> str:
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "zhifa"), "worker", "--once"],
        env=_worker_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _signed_size(log) -> int:
    last = log.checkpoints.order_by("-size").first()
    return last.size if last else 0


@pytest.mark.django_db(transaction=True)
def test_worker_killed_while_signing_checkpoints_then_run_again(world, settings, monkeypatch):
    """Three agencies' logs have grown since their last checkpoint. The worker is killed -9 while signing the
    second one (inside its transaction, the log row locked): the first checkpoint is kept, the second is not
    half-made. Run again, each log has exactly one checkpoint at its current size, as after one clean run."""
    # leave signing to the worker: no checkpoint right after each commit, and every grown log is due at once
    settings.LEDGER_CHECKPOINT_SECONDS = 0
    monkeypatch.setenv("ZHIFA_LEDGER_CHECKPOINT_SECONDS", "0")
    monkeypatch.setenv("ZHIFA_LEDGER_CHECKPOINT_MINUTES", "0")
    case_actions.register_party(world.officer, world.a, **PARTY)
    case_actions.register_party(
        world.officer_b, world.b, **{**PARTY, "name": "乙区故障测试诊所", "id_number": "91350100M000100Y43"}
    )
    # the last quarter's 网上巡查 and analysis reports made already: the worker's daily jobs append nothing after the
    # signing
    supervision_actions.prepare_due_inspections()
    supervision_actions.prepare_due_reports()
    grown = [log for log in Log.objects.order_by("pk") if log.size > _signed_size(log)]
    assert len(grown) >= 2
    before = {log.pk: set(log.checkpoints.values_list("size", flat=True)) for log in Log.objects.all()}
    _kill_worker_at("zhifa.ledger.notes", "make_checkpoint", 2)
    made = {log.pk: set(log.checkpoints.values_list("size", flat=True)) - before[log.pk] for log in grown}
    assert sum(len(sizes) for sizes in made.values()) == 1  # only the first one committed
    _verified()

    assert "zhifa.ledger.tasks.checkpoints" in _run_worker_once()
    for log in Log.objects.all():
        sizes = list(log.checkpoints.values_list("size", flat=True))
        assert len(sizes) == len(set(sizes))  # never two checkpoints of one size
        assert max(sizes) == log.size
    for log in grown:
        new = set(log.checkpoints.values_list("size", flat=True)) - before[log.pk]
        assert new == {log.size}  # one new checkpoint per grown log, as after one clean run
    assert Checkpoint.objects.count() == sum(len(s) for s in before.values()) + len(grown)
    _verified()
    # and a third run has nothing to do
    _run_worker_once()
    assert Checkpoint.objects.count() == sum(len(s) for s in before.values()) + len(grown)


@pytest.mark.django_db(transaction=True)
def test_worker_killed_during_fixity_checks_then_run_again(walk, tmp_path):
    """The fixity job re-hashes each stored evidence file and records the result, one transaction per file. Killed
    -9 before the second file: the first result is recorded whole, the rest not at all; run again, every file is
    checked and found intact, and verify --state passes."""
    w = walk
    case = w.new_case()
    case_actions.request_filing(w.officer, case)
    case_actions.approve_filing(w.head, case, opinion="同意立案")
    items = []
    for i in range(3):
        data = PDF + f"证据{i}".encode()
        path = tmp_path / f"e{i}.pdf"
        path.write_bytes(data)
        received = ingest.Received(path, hashlib.sha256(data).hexdigest(), len(data))
        items.append(
            evidence.add_evidence(
                w.officer, case, received=received, kind="documentary", description=f"书证{i}"
            )
        )
    _kill_worker_at("zhifa.records.storage", "rehash", 2)
    checked = Evidence.objects.filter(fixity_checked_at__isnull=False)
    assert checked.count() == 1
    first = checked.get()
    assert Entry.objects.filter(action="records.fixity_check", object_kind="records.evidence").count() == 1
    assert Entry.objects.get(action="records.fixity_check", object_kind="records.evidence").object_id == str(
        first.pk
    )
    _verified()

    assert "zhifa.records.tasks.fixity" in _run_worker_once()
    assert set(Evidence.objects.values_list("fixity_ok", flat=True)) == {True}
    for item in items:
        assert Entry.objects.filter(
            action="records.fixity_check", object_kind="records.evidence", object_id=str(item.pk)
        ).exists()
    _verified()
