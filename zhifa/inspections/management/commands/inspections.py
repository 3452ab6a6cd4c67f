"""``zhifa inspections redraw PLAN_ID``: re-do a 双随机 plan's draw from the ledger and check it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ... import rules

KIND = "inspections.plan"


class Command(BaseCommand):
    help = "双随机一公开：redraw 用账本记录重新抽取双随机抽查计划的检查对象和检查人员并核对。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        redraw = sub.add_parser(
            "redraw",
            help="从账本的证明包读出封存的名录库、规则和随机种子，核对种子与承诺值，重新抽取，按计划页面的顺序逐行输出"
            "检查对象的统一社会信用代码和检查人员的执法证号",
        )
        redraw.add_argument("plan", type=int, metavar="PLAN_ID")
        redraw.add_argument(
            "--bundle",
            metavar="FILE",
            help="已导出的证明包（zhifa ledger bundle --object inspections.plan:ID）",
        )
        redraw.add_argument(
            "--key", metavar="FILE", help="执法主体账本的公钥文件（与 --bundle 同用，须从公开渠道取得）"
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "redraw":
            self._redraw(options["plan"], options.get("bundle"), options.get("key"))

    def _redraw(self, plan, bundle, key):
        from zhifa.ledger import bundles

        try:
            entries = bundles.verified_entries(KIND, str(plan), bundle, key)
        except bundles.EntriesUnavailable as exc:
            raise CommandError(str(exc)) from exc
        try:
            drawn = rules.redraw(entries)
        except (rules.RedrawError, KeyError, TypeError, ValueError) as exc:
            raise CommandError(_("无法重新抽取：%(error)s") % {"error": exc}) from exc
        for row in drawn:
            self.stdout.write(" ".join([row["credit_code"], *row["certificates"]]))
