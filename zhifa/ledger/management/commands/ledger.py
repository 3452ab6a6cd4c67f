"""``zhifa ledger verify | checkpoint | bundle | key``: the ledger from the command line."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.ledger import actions, bundles, keys, queries
from zhifa.org.models import Agency


class Command(BaseCommand):
    help = "执法记录账本：verify 验证、checkpoint 签署检查点、bundle 导出证明包、key 输出公钥。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="重新计算并核对全部记录、哈希链、检查点签名和文件哈希")
        verify.add_argument("--agency", metavar="CODE", help="只验证该执法主体的账本")
        verify.add_argument(
            "--state", action="store_true", help="另核对各对象最近一次记录的状态与数据库当前数据"
        )
        verify.add_argument("--no-files", action="store_true", help="不重新计算存储中文件的哈希")
        checkpoint = sub.add_parser("checkpoint", help="为有新记录的账本签署检查点")
        checkpoint.add_argument("--agency", metavar="CODE")
        checkpoint.add_argument("--force", action="store_true", help="不等待检查点间隔，立即签署")
        bundle = sub.add_parser("bundle", help="导出一个对象的全部记录及其包含证明、检查点和公钥")
        bundle.add_argument("--object", required=True, metavar="KIND:ID", help="例如 org.person:17")
        bundle.add_argument("--agency", metavar="CODE")
        bundle.add_argument("--output", "-o", metavar="FILE", help="写入文件（默认输出到屏幕）")
        bundle.add_argument("--key-output", metavar="FILE", help="同时把公钥写入该文件")
        key = sub.add_parser("key", help="输出执法主体账本的公钥（离线验证用）")
        key.add_argument("--agency", metavar="CODE", required=True)

    def handle(self, *args, subcommand, **options):
        return getattr(self, f"_{subcommand}")(**options)

    def _agency(self, code):
        if not code:
            return None
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(_("没有代码为 %(code)s 的执法主体。") % {"code": code})
        return agency

    def _verify(self, agency=None, state=False, no_files=False, **options):
        agency = self._agency(agency)
        verbosity = options.get("verbosity", 1)

        def progress(code, n):
            if verbosity > 1:
                self.stderr.write(f"  {code}: {n} …")

        report = actions.run_verification(agency=agency, state=state, files=not no_files, progress=progress)
        for warning in report.warnings:
            self.stderr.write(_("提示：%(warning)s") % {"warning": warning})
        summary = _("%(logs)d 个账本，%(entries)d 条记录，%(checkpoints)d 个检查点，%(files)d 个文件") % {
            "logs": report.logs,
            "entries": report.entries,
            "checkpoints": report.checkpoints,
            "files": report.files,
        }
        if state:
            summary += _("，%(n)d 个对象的当前数据") % {"n": report.objects}
        if report.ok:
            self.stdout.write(_("账本完整：%(summary)s均核对无误。") % {"summary": summary})
            return
        for problem in report.problems[:20]:
            self.stderr.write(str(problem))
        if len(report.problems) > 20:
            self.stderr.write(_("…… 另有 %(n)d 个问题") % {"n": len(report.problems) - 20})
        raise CommandError(
            _("账本验证未通过（%(summary)s）。第一个问题：%(problem)s")
            % {"summary": summary, "problem": report.problems[0]},
            returncode=1,
        )

    def _checkpoint(self, agency=None, force=False, **options):
        agency = self._agency(agency)
        made = actions.make_checkpoints(force=force, agencies=[agency] if agency else None)
        for cp in made:
            self.stdout.write(
                _("%(origin)s：已签署检查点，%(n)d 条记录。") % {"origin": cp.log.origin, "n": cp.size}
            )
        if not made:
            self.stdout.write(
                _("没有需要签署的检查点（账本无新记录，或距上次签署未满间隔；立即签署请加 --force）。")
            )

    def _bundle(self, object=None, agency=None, output=None, key_output=None, **options):
        kind, sep, object_id = (object or "").partition(":")
        if not sep or not kind or not object_id:
            raise CommandError(_("--object 的格式为 KIND:ID，例如 org.person:17。"))
        try:
            bundle = bundles.build(kind, object_id, agency=self._agency(agency))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        text = json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(
                _("已导出 %(n)d 条记录到 %(file)s。") % {"n": len(bundle["entries"]), "file": output}
            )
        else:
            self.stdout.write(text, ending="")
        if key_output:
            with open(key_output, "w", encoding="utf-8") as fh:
                fh.write(bundle["public_key"] + "\n")

    def _key(self, agency=None, **options):
        log = queries.public_logs().filter(agency=self._agency(agency)).first()
        if log is None:
            raise CommandError(_("该执法主体还没有账本。"))
        self.stdout.write(keys.public_key(log).vkey())
