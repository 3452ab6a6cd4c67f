import signal
import time

from django.core.management.base import BaseCommand

from zhifa.core import periodic


class Command(BaseCommand):
    help = "运行后台定期任务（账本检查点等）。可同时运行多个。"
    # No system checks: they import the URL conf and every view, which a worker never serves (docs/performance.md).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="把到期任务各运行一次后退出")
        parser.add_argument("--tick", type=float, default=30.0, help="检查间隔（秒）")

    def handle(self, *args, once, tick, **options):
        from django.apps import apps

        for config in apps.get_app_configs():  # importing each app's jobs module registers its jobs
            try:
                __import__(f"{config.name}.jobs")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.jobs":
                    raise
        if once:
            for name in periodic.run_due():
                self.stdout.write(name)
            return
        stop = False

        def _stop(*_):
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        while not stop:
            periodic.run_due()
            for _ in range(int(tick * 10)):
                if stop:
                    break
                time.sleep(0.1)
