import logging

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "运行一个后台任务进程（Huey consumer）：执行排队的任务，并默认运行定期任务的调度器。"
        "可在多台机器上运行任意多个；生产环境只让一个运行调度器，其余加 --no-scheduler。"
    )
    # No system checks: they import the URL conf and every view, which a worker never serves (docs/performance.md).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.HUEY["consumer"]["workers"],
            help="工作线程数（默认 ZHIFA_WORKER_THREADS，2）",
        )
        parser.add_argument("--no-scheduler", action="store_true", help="不运行定期任务的调度器")
        parser.add_argument(
            "--once", action="store_true", help="不启动 consumer：在本进程中把每个定期任务运行一次后退出"
        )

    def handle(self, *args, threads, no_scheduler, once, **options):
        from zhifa.core import queue

        if once:
            for kind in queue.run_all_once():
                self.stdout.write(kind)
            return
        queue.create_storage()
        # Each run of a periodic job (ran / already run by another consumer) on the console, for operators; Huey's
        # own lines (every task executed) at ZHIFA_LOG_LEVEL (settings.LOGGING).
        logging.getLogger("zhifa.core.queue").setLevel(logging.INFO)
        consumer = queue.huey().create_consumer(
            workers=max(1, threads),
            worker_type="thread",
            periodic=not no_scheduler,
            check_worker_health=True,
        )
        consumer.run()
