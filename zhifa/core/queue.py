"""Background work on Huey: periodic jobs and on-demand jobs, each with its state in a ``Job`` row.

Huey (``huey.contrib.djhuey``, configured in settings: SQLite storage in ``var/`` embedded, PostgreSQL or Redis in
production) carries the work between processes; the database holds the truth about each piece of it, so that
any number of consumers on any number of machines, one or two schedulers by mistake, and a consumer killed with
``kill -9`` in the middle all give the same result as one clean run:

- **Periodic jobs** (``@periodic(minutes=N)`` in an app's ``tasks.py``): the scheduler enqueues them every N
  minutes. A run first inserts its ``Job`` row for the period (``kind``, ``slot`` = the period's start, unique):
  a second scheduler's copy of the same period finds the row and does nothing, so each job runs once per period
  across every consumer. ``exclusive=True``: a run is skipped while an earlier period's run is still going.
- **On-demand jobs** (``start(kind, person, …)``, handlers registered with ``@job_handler(kind)``): the row is
  written in the caller's transaction and the job's id enqueued after it commits. A consumer *claims* the row
  (queued, or running with an expired lease) in one conditional UPDATE, renews its lease while it works (a
  heartbeat thread) and reports progress on the row (the page's progress bar, ``/api/v1/jobs/{id}/``). A consumer
  that dies stops renewing: when the lease has expired, ``recover`` (every minute and when a consumer starts)
  queues the job again and another consumer takes it. Only the attempt that holds the row can finish it, so a job
  completes once. A failing job is retried (``MAX_ATTEMPTS``), then marked failed with its error.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from huey import crontab

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Periodic:
    kind: str
    func: Callable[[], object]
    minutes: int
    exclusive: bool


PERIODIC: dict[str, Periodic] = {}
HANDLERS: dict[str, Callable] = {}
LABELS: dict[str, object] = {}


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def every(minutes: int) -> crontab:
    """A crontab firing every ``minutes`` (whole minutes; a divisor of 60 or a multiple of 60 keeps it even)."""
    if minutes <= 1:
        return crontab()
    if minutes < 60:
        return crontab(minute=f"*/{minutes}")
    return crontab(minute="0", hour=f"*/{max(1, minutes // 60)}")


def huey():
    from huey.contrib.djhuey import HUEY

    return HUEY


# Periodic jobs ---------------------------------------------------------------------------------------------------


def periodic(*, minutes: float | Callable[[], float], exclusive: bool = False):
    """Register ``func`` as a periodic job every ``minutes`` (a number, or a callable read at registration)."""

    def decorator(func):
        kind = f"{func.__module__}.{func.__qualname__}"
        every_minutes = max(1, round(minutes() if callable(minutes) else minutes))
        job = Periodic(kind=kind, func=func, minutes=every_minutes, exclusive=exclusive)
        PERIODIC[kind] = job
        huey().periodic_task(every(every_minutes), name=kind)(lambda: run_periodic(job))
        return func

    return decorator


def _slot(job: Periodic, now: dt.datetime) -> str:
    period = job.minutes * 60
    start = int(now.timestamp()) // period * period
    return dt.datetime.fromtimestamp(start, tz=dt.UTC).isoformat()


def run_periodic(job: Periodic, *, slot: str | None = None) -> str:
    """Run one period of ``job`` unless it already ran (or runs) for that period; returns what happened."""
    from .models import Job

    _fresh_connections()
    try:
        now = timezone.now()
        slot = slot or _slot(job, now)
        try:
            with transaction.atomic():
                row = Job.objects.create(
                    kind=job.kind,
                    slot=slot,
                    state=Job.State.RUNNING,
                    attempts=1,
                    started_at=now,
                    lease_until=now + lease(),
                )
        except IntegrityError:
            log.info("periodic %s %s: already run by another consumer", job.kind, slot)
            return "duplicate"
        if job.exclusive and (
            Job.objects.filter(kind=job.kind, state=Job.State.RUNNING, lease_until__gt=now)
            .exclude(pk=row.pk)
            .exists()
        ):
            _finish(row, Job.State.SKIPPED, step="上一周期的运行尚未结束")
            return "skipped"
        try:
            with _heartbeat(row):
                job.func()
        except Exception as exc:
            log.exception("periodic %s %s failed", job.kind, slot)
            _finish(row, Job.State.FAILED, error=repr(exc))
            return "failed"
        _finish(row, Job.State.DONE)
        log.info("periodic %s %s: ran", job.kind, slot)
        return "ran"
    finally:
        _fresh_connections()


def run_all_once() -> list[str]:
    """Run every periodic job once now, in this process (``zhifa worker --once``); returns their kinds."""
    stamp = f"once-{timezone.now().isoformat()}"
    return [job.kind for job in PERIODIC.values() if run_periodic(job, slot=stamp) == "ran"]


# On-demand jobs --------------------------------------------------------------------------------------------------


def job_handler(kind: str, label):
    """Register the function that does the work of jobs of ``kind`` (shown as ``label``): ``handler(job, progress)``;
    it returns ``(file_name, display_name)`` of a result kept in storage (``result_path``), or None."""

    def decorator(func):
        HANDLERS[kind] = func
        LABELS[kind] = label
        return func

    return decorator


def start(kind: str, person, *, agency=None, target=None, params=None, step: str = ""):
    """Record a job of ``kind`` started by ``person`` and queue it once the caller's transaction commits."""
    from .models import Job

    if kind not in HANDLERS:
        raise LookupError(kind)
    target_kind, target_id = target if target else ("", "")
    job = Job.objects.create(
        kind=kind,
        started_by=person,
        agency=agency,
        target_kind=target_kind,
        target_id=str(target_id),
        params=params or {},
        step=step,
    )
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    from . import tasks
    from .models import Job

    Job.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    tasks.run_job(job_id)


def claim(job_id: int):
    """Take the job for this consumer: it is queued, or its last consumer's lease ran out. None if another has it."""
    from .models import Job

    now = timezone.now()
    taken = (
        Job.objects.filter(pk=job_id, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(state=Job.State.QUEUED) | Q(state=Job.State.RUNNING, lease_until__lt=now))
        .update(
            state=Job.State.RUNNING, attempts=F("attempts") + 1, lease_until=now + lease(), started_at=now
        )
    )
    return Job.objects.get(pk=job_id) if taken else None


class Progress:
    """What a handler reports while it works: how many of how many, and the current step (written at most every
    half second, and always at the end)."""

    def __init__(self, job):
        self.job = job
        self._written = 0.0

    def __call__(self, done: int | None = None, total: int | None = None, step: str | None = None) -> None:
        if done is not None:
            self.job.done = done
        if total is not None:
            self.job.total = total
        if step is not None:
            self.job.step = step[:200]
        if time.monotonic() - self._written >= 0.5 or (self.job.total and self.job.done >= self.job.total):
            self._written = time.monotonic()
            _mine(self.job).update(done=self.job.done, total=self.job.total, step=self.job.step)


def execute(job_id: int) -> str:
    """Run job ``job_id`` if this consumer can claim it (the Huey task ``core.tasks.run_job`` calls this)."""
    from .models import Job

    job = claim(job_id)
    if job is None:
        return "taken"
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise LookupError(f"没有处理“{job.kind}”的程序")
        with _heartbeat(job):
            result = handler(job, Progress(job))
    except Exception as exc:
        log.exception("job %s attempt %s failed", job.pk, job.attempts)
        if job.attempts < MAX_ATTEMPTS and handler is not None:
            _mine(job).update(state=Job.State.QUEUED, lease_until=None, error=repr(exc))
            raise  # Huey retries it after its delay; the next attempt claims the queued row
        _finish(job, Job.State.FAILED, error=repr(exc))
        return "failed"
    file_name, display_name = result or ("", "")
    if _finish(
        job, Job.State.DONE, result_file=file_name, result_name=display_name, done=max(job.done, job.total)
    ):
        _remove_other_attempts(job, file_name)
        return "done"
    return "lost"  # the lease ran out and another consumer holds the job now


def result_path(job, name: str) -> str:
    """Where attempt ``job.attempts`` of ``job`` keeps its result file in storage."""
    return f"jobs/{job.pk}/{job.attempts}/{name}"


def _remove_other_attempts(job, kept: str) -> None:
    from django.core.files.storage import default_storage

    for attempt in range(1, job.attempts):
        folder = f"jobs/{job.pk}/{attempt}"
        try:
            _, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotImplementedError):
            continue
        for name in files:
            if f"{folder}/{name}" != kept:
                default_storage.delete(f"{folder}/{name}")


def recover() -> dict[str, int]:
    """Hand on what stopped consumers left behind: on-demand jobs whose lease expired are queued again, queued
    ones whose enqueue was lost (the process stopped between commit and enqueue) are enqueued again, periodic runs
    whose consumer stopped are marked failed (the next period runs them). Safe to run anywhere at any time."""
    from .models import Job

    now = timezone.now()
    counts = {"requeued": 0, "interrupted": 0}
    expired = Job.objects.filter(state=Job.State.RUNNING, lease_until__lt=now)
    for job in expired.filter(slot="").exclude(attempts__gte=MAX_ATTEMPTS).only("pk"):
        counts["requeued"] += 1
        enqueue(job.pk)
    counts["interrupted"] += expired.exclude(slot="").update(
        state=Job.State.FAILED, finished_at=now, error="后台进程在运行中停止"
    )
    counts["interrupted"] += expired.filter(slot="", attempts__gte=MAX_ATTEMPTS).update(
        state=Job.State.FAILED, finished_at=now, error="后台进程在运行中停止"
    )
    lost = Job.objects.filter(state=Job.State.QUEUED, slot="").filter(
        Q(enqueued_at__lt=now - 5 * lease()) | Q(enqueued_at__isnull=True, created_at__lt=now - lease())
    )
    for job in lost.only("pk"):
        counts["requeued"] += 1
        enqueue(job.pk)
    # periodic runs are kept a week for operators (admin), then removed
    Job.objects.exclude(slot="").filter(finished_at__lt=now - dt.timedelta(days=7)).delete()
    return counts


def depth() -> dict[str, int]:
    """The queue's state for /readyz and monitoring."""
    from .models import Job

    h = huey()
    jobs = {row["state"]: row["n"] for row in _count_by_state(Job)}
    return {
        "pending": h.pending_count(),
        "scheduled": h.scheduled_count(),
        "jobs_queued": jobs.get(Job.State.QUEUED, 0),
        "jobs_running": jobs.get(Job.State.RUNNING, 0),
    }


def _count_by_state(Job):
    from django.db.models import Count

    return (
        Job.objects.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])
        .values("state")
        .annotate(n=Count("pk"))
        .order_by()
    )


def create_storage() -> None:
    """Make the queue's tables where the storage keeps them in the database (PostgreSQL): ``zhifa migrate`` and
    ``zhifa worker`` call this; the SQLite and Redis storages need nothing."""
    storage = huey().storage
    if hasattr(storage, "initialize_schema") and not huey().immediate:
        storage.initialize_schema()


# Helpers ---------------------------------------------------------------------------------------------------------


def _fresh_connections() -> None:
    """Drop connections that broke or grew old between two runs (a consumer lives for weeks); not inside a
    transaction (a caller's, or a test's)."""
    if not connection.in_atomic_block:
        close_old_connections()


def _mine(job):
    """The job's row while this attempt holds it."""
    from .models import Job

    return Job.objects.filter(pk=job.pk, attempts=job.attempts, state=Job.State.RUNNING)


def _finish(job, state, **fields) -> bool:
    return bool(_mine(job).update(state=state, finished_at=timezone.now(), lease_until=None, **fields))


@contextmanager
def _heartbeat(job):
    """Renew the job's lease every third of it from a thread of its own while the body runs."""
    stop = threading.Event()
    interval = max(0.2, settings.JOB_LEASE_SECONDS / 3)

    def beat():
        try:
            while not stop.wait(interval):
                _mine(job).update(lease_until=timezone.now() + lease())
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
