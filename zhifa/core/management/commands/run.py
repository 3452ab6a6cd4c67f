import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from zhifa.core import demo

from .demo import print_accounts


class Command(BaseCommand):
    help = (
        "迁移数据库、在数据库为空时载入演示数据，然后启动网页服务和后台任务（默认 http://127.0.0.1:8000）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("ZHIFA_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("ZHIFA_WEB_WORKERS", "2")))
        parser.add_argument("--no-demo", action="store_true", help="不载入演示数据")

    def handle(self, *args, bind, workers, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # The web workers share their rate-limit counters through this table (no Redis): zhifa.core.cache.
        # migrate makes it too (post_migrate); this is for a database migrated before the cache existed.
        call_command("createcachetable", verbosity=0)
        from zhifa.org.demo import DEMO_PASSWORD

        if not no_demo and demo.is_empty():
            self.stdout.write("载入演示数据……")
            print_accounts(self.stdout, demo.load_all())
        elif not no_demo:
            self.stdout.write(f"演示数据已存在；演示账户密码：{DEMO_PASSWORD}（账户见 README）")
        self.stdout.write(f"zhifa 已启动：http://{bind}/  （Ctrl+C 停止）")
        sys.stdout.flush()
        python = sys.executable
        children = [
            subprocess.Popen([python, "-m", "zhifa.cli", "worker"]),
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "zhifa.wsgi",
                    "--bind",
                    bind,
                    "--workers",
                    str(workers),
                    "--access-logfile",
                    "-",
                    "--timeout",
                    "120",
                ]
            ),
        ]

        def _stop(*_):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, _stop)
        try:
            children[1].wait()
        except KeyboardInterrupt:
            pass
        finally:
            _stop()
            for child in children:
                child.wait(timeout=30)
