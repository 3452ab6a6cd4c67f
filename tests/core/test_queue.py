"""The task queue (zhifa.core.queue on Huey): periodic jobs run once per period whatever the number of schedulers
and consumers, on-demand jobs are claimed by one consumer, retried, and survive a consumer killed with kill -9."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from tests.security.test_faults import _worker_env
from zhifa.core import queue
from zhifa.core.models import Job

ROOT = Path(__file__).resolve().parents[2]


def _periodic(func, minutes=10, exclusive=False, kind="tests.periodic"):
    return queue.Periodic(kind=kind, func=func, minutes=minutes, exclusive=exclusive)


# Periodic jobs ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_run_a_periodic_job_once_per_period():
    """Two consumers whose schedulers both enqueued the same period, running at the same moment: one runs the
    job, the other finds the period taken. The next period runs again."""
    calls = []
    started = threading.Barrier(2)

    def work():
        calls.append(threading.get_ident())
        time.sleep(0.3)

    job = _periodic(work)
    results = []

    def consumer():
        started.wait()
        results.append(queue.run_periodic(job, slot="2026-12-02T08:00:00+00:00"))

    threads = [threading.Thread(target=consumer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["duplicate", "ran"] and len(calls) == 1
    assert queue.run_periodic(job, slot="2026-12-02T08:10:00+00:00") == "ran" and len(calls) == 2
    rows = Job.objects.filter(kind="tests.periodic").order_by("slot")
    assert [(r.slot[11:16], r.state) for r in rows] == [("08:00", "done"), ("08:10", "done")]


@pytest.mark.django_db
def test_the_period_of_a_run_is_the_same_for_every_consumer():
    job = _periodic(lambda: None, minutes=10)
    at = dt.datetime(2026, 12, 2, 8, 7, 59, tzinfo=dt.UTC)
    assert (
        queue._slot(job, at) == queue._slot(job, at - dt.timedelta(minutes=7)) == "2026-12-02T08:00:00+00:00"
    )
    assert queue._slot(job, at + dt.timedelta(minutes=2, seconds=1)) == "2026-12-02T08:10:00+00:00"
    # and the scheduler fires on those minutes
    minute = lambda h, m: dt.datetime(2026, 12, 2, h, m)  # noqa: E731
    assert queue.every(10)(minute(8, 10)) and not queue.every(10)(minute(8, 7))
    assert (
        queue.every(1)(minute(8, 7))
        and queue.every(120)(minute(10, 0))
        and not queue.every(120)(minute(11, 0))
    )


@pytest.mark.django_db
def test_an_exclusive_job_is_skipped_while_the_previous_period_still_runs():
    job = _periodic(lambda: pytest.fail("must not run"), exclusive=True)
    Job.objects.create(
        kind=job.kind,
        slot="earlier",
        state=Job.State.RUNNING,
        attempts=1,
        lease_until=timezone.now() + queue.lease(),
    )
    assert queue.run_periodic(job, slot="now") == "skipped"
    assert Job.objects.get(slot="now").state == Job.State.SKIPPED


@pytest.mark.django_db
def test_a_failing_periodic_job_is_recorded_and_does_not_stop_the_next_period():
    def boom():
        raise RuntimeError("存储不可用")

    job = _periodic(boom)
    assert queue.run_periodic(job, slot="a") == "failed"
    row = Job.objects.get(slot="a")
    assert row.state == Job.State.FAILED and "存储不可用" in row.error and row.finished_at
    assert queue.run_periodic(job, slot="b") == "failed"  # the next period runs again


def test_every_periodic_job_of_the_platform_is_registered_with_huey():
    """Ledger checkpoints, fixity, the upload sweep, publications taken offline and the queue's recovery: each a\n    Huey periodic task."""
    from huey.contrib.djhuey import HUEY

    names = {task.name for task in HUEY._registry.periodic_tasks}
    for kind in (
        "zhifa.ledger.tasks.checkpoints",
        "zhifa.records.tasks.fixity",
        "zhifa.records.tasks.sweep_uploads",
        "zhifa.publicity.tasks.take_offline",
        "zhifa.workdays.tasks.remind",
        "zhifa.core.tasks.recover",
    ):
        assert kind in queue.PERIODIC and kind in names, kind


# On-demand jobs --------------------------------------------------------------------------------------------------

ATTEMPTS: list[int] = []


@queue.job_handler("tests.echo", "测试任务")
def _echo(job, progress):
    ATTEMPTS.append(job.attempts)
    progress(done=1, total=2, step="第一步")
    if job.params.get("fail_times", 0) >= job.attempts:
        raise RuntimeError(f"第 {job.attempts} 次失败")
    if job.params.get("hold") and job.attempts == 1:
        print("HOLD", flush=True)
        time.sleep(600)
    progress(done=2, step="完成")
    name = queue.result_path(job, "echo.txt")
    return default_storage.save(name, ContentFile(f"attempt {job.attempts}".encode())), "echo.txt"


@pytest.mark.django_db
def test_a_job_is_claimed_by_one_consumer_and_only_its_holder_finishes_it(world):
    job = queue.start("tests.echo", world.officer)
    first = queue.claim(job.pk)
    assert first is not None and first.attempts == 1 and first.state == Job.State.RUNNING
    assert queue.claim(job.pk) is None  # the lease holds: a second consumer gets nothing
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    second = queue.claim(job.pk)  # the first consumer stopped renewing: another takes it
    assert second.attempts == 2
    assert not queue._finish(first, Job.State.DONE)  # the first one, come back, cannot finish it
    assert queue._finish(second, Job.State.DONE)
    assert queue.claim(job.pk) is None  # done is done


def _run_retries() -> None:
    """What the scheduler does once a retry's delay has passed: run the retries Huey put in its schedule."""
    from huey.contrib.djhuey import HUEY

    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)
    while due := HUEY.read_schedule(later):
        for task in due:
            HUEY.execute(
                task, timestamp=later
            )  # as at that hour: else Huey puts it back until its delay passes


@pytest.mark.django_db
def test_a_failing_job_is_retried_then_marked_failed(world, django_capture_on_commit_callbacks):
    ATTEMPTS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ok = queue.start("tests.echo", world.officer, params={"fail_times": 1})
    ok.refresh_from_db()
    assert (ok.state, ok.attempts, ok.error) == (Job.State.QUEUED, 1, "RuntimeError('第 1 次失败')")
    _run_retries()
    ok.refresh_from_db()
    assert (ok.state, ok.attempts, ATTEMPTS) == (Job.State.DONE, 2, [1, 2])
    assert default_storage.open(ok.result_file).read() == b"attempt 2" and ok.percent == 100
    ATTEMPTS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bad = queue.start("tests.echo", world.officer, params={"fail_times": 9})
    _run_retries()
    bad.refresh_from_db()
    assert (bad.state, bad.attempts, ATTEMPTS) == (Job.State.FAILED, queue.MAX_ATTEMPTS, [1, 2, 3])
    assert "第 3 次失败" in bad.error and not bad.result_file


@pytest.mark.django_db
def test_recover_requeues_jobs_whose_consumer_stopped_and_closes_interrupted_periodic_runs(
    world, django_capture_on_commit_callbacks
):
    past = timezone.now() - dt.timedelta(minutes=1)
    stuck = Job.objects.create(kind="tests.echo", state=Job.State.RUNNING, attempts=1, lease_until=past)
    lost = Job.objects.create(kind="tests.echo", created_at=past - dt.timedelta(minutes=5))  # never enqueued
    waiting = Job.objects.create(kind="tests.echo", enqueued_at=timezone.now())  # queued a moment ago
    periodic = Job.objects.create(
        kind="tests.periodic", slot="x", state=Job.State.RUNNING, attempts=1, lease_until=past
    )
    assert queue.recover() == {"requeued": 2, "interrupted": 1}
    for job in (stuck, lost, waiting, periodic):
        job.refresh_from_db()
    assert stuck.state == lost.state == Job.State.DONE and stuck.attempts == 2  # run by the (inline) queue
    assert waiting.state == Job.State.QUEUED and periodic.state == Job.State.FAILED
    assert queue.recover() == {"requeued": 0, "interrupted": 0}


def test_the_job_page_refreshes_while_the_job_runs_and_offers_the_file_after(world, client, db):
    job = Job.objects.create(
        kind="tests.echo", started_by=world.officer, state=Job.State.RUNNING, done=1, total=4
    )
    client.force_login(world.officer)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert (
        'http-equiv="refresh"' in page and 'value="25"' in page and "测试任务" in page and "下载" not in page
    )
    job.state, job.result_file, job.result_name = Job.State.DONE, "jobs/x/1/echo.txt", "echo.txt"
    job.save()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "下载 echo.txt" in page
    client.force_login(world.officer_b)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/jobs/{job.pk}/").status_code == 302
    assert client.get(f"/api/v1/jobs/{job.pk}/").status_code in (401, 403)


def test_readyz_reports_the_queue_depth(client, db):
    body = client.get("/readyz").json()
    assert body["status"] == "ok" and set(body["queue"]) == {
        "pending",
        "scheduled",
        "jobs_queued",
        "jobs_running",
    }


# A real consumer killed with kill -9 -----------------------------------------------------------------------------

# The consumer as `zhifa worker` starts it, with this module's test handler registered (importing the module
# registers it) and the lease short, so a job whose consumer died is handed on within seconds.
CONSUMER = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    sys.path.insert(0, os.getcwd())
    import django
    django.setup()
    import tests.core.test_queue  # registers tests.echo
    from django.core.management import call_command
    call_command("worker", threads=1, no_scheduler=True)
    """
)


def _storage_url(tmp_path) -> str:
    if connection.vendor == "postgresql":
        return _worker_env()["ZHIFA_DATABASE_URL"]
    return f"sqlite:///{tmp_path / 'tasks.sqlite3'}"


@pytest.fixture
def real_queue(tmp_path, settings):
    """This process queues into the storage the consumer processes read (not the inline queue of the tests)."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import PostgresStorage, SqliteStorage

    url = _storage_url(tmp_path)
    if url.startswith("sqlite"):
        storage = SqliteStorage(name="zhifa", filename=url.removeprefix("sqlite://"))
    else:
        storage = PostgresStorage(name="zhifa", dsn=url)
    HUEY.immediate = False
    saved, HUEY.storage = HUEY.storage, storage
    settings.MEDIA_ROOT = tmp_path / "media"
    env = _worker_env()
    env.update(ZHIFA_TASKS_URL=url, ZHIFA_JOB_LEASE_SECONDS="2", ZHIFA_VAR_DIR=str(tmp_path / "var"))
    env.update(ZHIFA_MEDIA_ROOT=str(settings.MEDIA_ROOT))
    try:
        yield env
    finally:
        HUEY.storage = saved
        HUEY.immediate = True
        storage.close()


def _consumer(env):
    return subprocess.Popen(
        [sys.executable, "-c", CONSUMER],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(proc, sig=signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, sig)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.stdout.close()
    proc.stderr.close()


@pytest.mark.django_db(transaction=True)
def test_a_consumer_killed_in_the_middle_of_a_job_loses_nothing_and_the_job_completes_once(world, real_queue):
    from huey.contrib.djhuey import HUEY

    first = _consumer(real_queue)
    try:
        with transaction.atomic():
            job = queue.start("tests.echo", world.officer, params={"hold": True})
        line = first.stdout.readline()
        assert line.strip() == "HOLD", (line, first.stderr.read() if first.poll() is not None else "")
        os.kill(first.pid, signal.SIGKILL)  # as the OOM killer or a power cut would
        assert first.wait(timeout=30) == -signal.SIGKILL
    finally:
        _stop(first, signal.SIGKILL)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.done, job.total) == (Job.State.RUNNING, 1, 1, 2)
    time.sleep(2.5)  # the dead consumer's lease runs out
    second = _consumer(real_queue)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state == Job.State.DONE:
                break
            assert second.poll() is None, second.stderr.read()
            time.sleep(0.2)
    finally:
        _stop(second)
    assert (job.state, job.attempts, job.percent) == (Job.State.DONE, 2, 100)
    assert default_storage.open(job.result_file).read() == b"attempt 2"  # run to its end once
    assert not default_storage.exists(f"jobs/{job.pk}/1/echo.txt")
    assert HUEY.pending_count() == 0
    assert queue.recover() == {"requeued": 0, "interrupted": 0}
    assert Job.objects.filter(kind="tests.echo").count() == 1
