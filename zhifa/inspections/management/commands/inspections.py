"""``zhifa inspections redraw PLAN_ID``: re-do a 双随机 plan's draw from the ledger and check it."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.ledger import notes, verify_bundle

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
        if bundle:
            if not key:
                raise CommandError(_("使用 --bundle 时须用 --key 给出从公开渠道取得的公钥文件。"))
            try:
                with open(bundle, encoding="utf-8") as fh:
                    data = json.load(fh)
                with open(key, encoding="utf-8") as fh:
                    public_key = notes.parse_vkey(fh.read())
            except (OSError, ValueError) as exc:
                raise CommandError(_("无法读取：%(error)s") % {"error": exc}) from exc
        else:
            from zhifa.ledger import bundles

            try:
                data = bundles.build(KIND, str(plan))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            public_key = notes.parse_vkey(data["public_key"])
        wanted = data.get("object") or {}
        if wanted.get("kind") != KIND or str(wanted.get("id")) != str(plan):
            raise CommandError(_("证明包不是抽查计划 %(id)s 的记录。") % {"id": plan})
        try:
            entries = verify_bundle.verify(data, public_key)
        except verify_bundle.BundleError as exc:
            raise CommandError(_("证明包验证失败：%(error)s") % {"error": exc}) from exc
        try:
            drawn = rules.redraw(entries)
        except (rules.RedrawError, KeyError, TypeError, ValueError) as exc:
            raise CommandError(_("无法重新抽取：%(error)s") % {"error": exc}) from exc
        for row in drawn:
            self.stdout.write(" ".join([row["credit_code"], *row["certificates"]]))
