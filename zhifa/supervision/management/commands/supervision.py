"""``zhifa supervision redraw EVALUATION_ID``: re-do an evaluation's draw from the ledger.
``zhifa supervision figures [--months N] [--agency CODE]``: count the figures' summary table afresh."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ... import rules


class Command(BaseCommand):
    help = "执法监督：redraw 用账本记录重新抽取案卷评查的样本并核对；figures 重新计算统计汇总表。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        redraw = sub.add_parser(
            "redraw",
            help="从账本的证明包读出抽样框、规则和随机种子，核对种子与承诺值，重新抽样，按评查页面的顺序逐行输出案件编号",
        )
        redraw.add_argument("evaluation", type=int, metavar="EVALUATION_ID")
        redraw.add_argument(
            "--bundle",
            metavar="FILE",
            help="已导出的证明包（zhifa ledger bundle --object supervision.evaluation:ID）；不给则从本部署的账本导出",
        )
        redraw.add_argument(
            "--key", metavar="FILE", help="组织机关账本的公钥文件（与 --bundle 同用，须从公开渠道取得）"
        )

        figures = sub.add_parser("figures", help="重新计算统计汇总表（默认最近 36 个月，全部执法主体）")
        figures.add_argument("--months", type=int, default=None, metavar="N", help="最近几个月（含本月）")
        figures.add_argument("--agency", metavar="CODE", help="只计算这个执法主体")

    def handle(self, *args, subcommand, **options):
        if subcommand == "figures":
            return self._figures(options.get("months"), options.get("agency"))
        return self._redraw(options["evaluation"], options.get("bundle"), options.get("key"))

    def _figures(self, months, code):
        import time

        from django.utils import timezone

        from zhifa.org.models import Agency

        from ... import figures

        months = months or figures.REBUILD_MONTHS
        if months < 1:
            raise CommandError(_("月数至少为 1。"))
        agencies = Agency.objects.order_by("pk")
        if code:
            agencies = agencies.filter(code=code)
            if not agencies.exists():
                raise CommandError(_("没有代码为 %(code)s 的执法主体。") % {"code": code})
        last = figures.month_start(timezone.localdate())
        first = figures.add_months(last, -(months - 1))
        began = time.monotonic()
        rows = sum(figures.build(agency, first, last) for agency in agencies)
        figures.tidy()
        self.stdout.write(
            _("已计算 %(first)s 至 %(last)s：%(rows)d 个统计数，用时 %(s).1f 秒。")
            % {
                "first": f"{first:%Y-%m}",
                "last": f"{last:%Y-%m}",
                "rows": rows,
                "s": time.monotonic() - began,
            }
        )

    def _redraw(self, evaluation, bundle, key):
        from zhifa.ledger import bundles

        try:
            entries = bundles.verified_entries("supervision.evaluation", str(evaluation), bundle, key)
        except bundles.EntriesUnavailable as exc:
            raise CommandError(str(exc)) from exc
        try:
            sample = rules.redraw(entries)
        except (rules.RedrawError, KeyError, TypeError, ValueError) as exc:
            raise CommandError(_("无法重新抽样：%(error)s") % {"error": exc}) from exc
        for reference in sample:
            self.stdout.write(reference)
