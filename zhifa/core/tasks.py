"""The queue's own tasks: running an on-demand job, and recovering what stopped consumers left (zhifa.core.queue)."""

from huey.contrib.djhuey import db_task, on_startup

from . import queue


@db_task(retries=queue.MAX_ATTEMPTS - 1, retry_delay=10, name="zhifa.core.tasks.run_job")
def run_job(job_id: int) -> str:
    return queue.execute(job_id)


@queue.periodic(minutes=1)
def recover() -> dict[str, int]:
    return queue.recover()


@on_startup("zhifa.core.tasks.recover_at_start")
def recover_at_start() -> None:
    """A consumer starting (often after a crash) hands on the jobs whose consumer stopped, without waiting for the
    next minute."""
    from django.db import close_old_connections

    close_old_connections()
    try:
        queue.recover()
    finally:
        close_old_connections()
