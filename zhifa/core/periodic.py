"""Periodic jobs (ledger checkpoints, later deadline reminders and fixity checks).

Apps register a job with ``@periodic(minutes=N)``; ``zhifa worker`` runs each one when it is due. Jobs
must be idempotent and safe to run from several workers at once (they take their own database locks),
because production may run many worker processes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    every_seconds: float
    func: Callable[[], object]
    last_run: float = 0.0


JOBS: dict[str, Job] = {}


def periodic(*, minutes: float | Callable[[], float]):
    """Register ``func`` to run every ``minutes`` (a number, or a callable read at registration)."""

    def decorator(func):
        every = minutes() if callable(minutes) else minutes
        name = f"{func.__module__}.{func.__qualname__}"
        JOBS[name] = Job(name=name, every_seconds=every * 60, func=func)
        return func

    return decorator


def run_due(now: float | None = None) -> list[str]:
    """Run every job whose interval has passed; a failing job is logged and does not stop the others."""
    from django.db import close_old_connections

    now = time.monotonic() if now is None else now
    ran = []
    for job in JOBS.values():
        if job.last_run and now - job.last_run < job.every_seconds:
            continue
        close_old_connections()
        try:
            job.func()
            ran.append(job.name)
        except Exception:
            log.exception("periodic job %s failed", job.name)
        job.last_run = now
    return ran
