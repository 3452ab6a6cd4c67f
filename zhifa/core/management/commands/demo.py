from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhifa.core import demo


class Command(BaseCommand):
    help = "创建演示数据（明山区卫生健康局）；可重复执行。"

    def handle(self, *args, **options):
        accounts = demo.load_all()
        print_accounts(self.stdout, accounts)


def print_accounts(out, accounts) -> None:
    from zhifa.org.demo import DEMO_PASSWORD

    out.write(_("演示账户（密码均为 %(pw)s）：") % {"pw": DEMO_PASSWORD})
    for username, name, roles in accounts:
        out.write(f"  {username:<12} {name:<6} {roles}")
