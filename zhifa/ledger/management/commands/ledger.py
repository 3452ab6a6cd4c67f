"""``zhifa ledger verify | checkpoint | bundle | key``: the ledger from the command line."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.ledger import actions, bundles, keys, queries
from zhifa.org.models import Agency


class Command(BaseCommand):
    help = (
        "执法记录账本：verify 验证、checkpoint 签署检查点、bundle 导出证明包、key 输出公钥；"
        "witness-key / witness-cosign（见证方）、witness-request / cosignature（见证副署）。"
    )

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
        wkey = sub.add_parser("witness-key", help="（见证方）生成本部署作为见证方的 Ed25519 密钥，输出其公钥")
        wkey.add_argument("--name", required=True, help="见证方名称，如 sfj.example.gov.cn/witness")
        wcosign = sub.add_parser(
            "witness-cosign", help="（见证方）核对检查点与一致性证明，输出副署行（C2SP tlog-witness）"
        )
        wcosign.add_argument("--name", required=True, help="见证方名称")
        wcosign.add_argument(
            "--request", required=True, metavar="FILE", help="add-checkpoint 请求文件（- 为标准输入）"
        )
        wcosign.add_argument("--log-key", metavar="VKEY", help="日志公钥（首次为该日志副署时必须提供）")
        wrequest = sub.add_parser("witness-request", help="为最新检查点生成给见证方的 add-checkpoint 请求")
        wrequest.add_argument("--agency", metavar="CODE", required=True)
        wrequest.add_argument("--old", type=int, default=0, help="见证方最近副署的条数（首次为 0）")
        wrequest.add_argument("--output", "-o", metavar="FILE")
        cosig = sub.add_parser("cosignature", help="登记见证方返回的副署行（核对后保存）")
        cosig.add_argument("--agency", metavar="CODE", required=True)
        cosig.add_argument("--size", type=int, required=True, help="被副署的检查点的条数")
        cosig.add_argument("--witness-key", required=True, metavar="VKEY")
        cosig.add_argument("--line", required=True, help="副署行（以 — 开头）")

    def handle(self, *args, subcommand, **options):
        from zhifa.ledger import witness

        try:
            return getattr(self, f"_{subcommand.replace('-', '_')}")(**options)
        except witness.WitnessError as exc:
            raise CommandError(str(exc)) from exc

    def _witness_key(self, name=None, **options):
        from zhifa.ledger import witness

        self.stdout.write(witness.new_witness_key(name).vkey())

    def _witness_cosign(self, name=None, request=None, log_key=None, **options):
        import sys

        from zhifa.ledger import witness

        if request == "-":
            body = sys.stdin.read()
        else:
            with open(request, encoding="utf-8") as fh:
                body = fh.read()
        self.stdout.write(witness.cosign(name, body, log_key=log_key))

    def _witness_request(self, agency=None, old=0, output=None, **options):
        from zhifa.ledger import witness
        from zhifa.ledger.models import Log

        log = Log.objects.filter(agency=self._agency(agency)).first()
        if log is None:
            raise CommandError(_("该执法主体还没有账本。"))
        text = witness.request(log, old)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            self.stdout.write(text, ending="")

    def _cosignature(self, agency=None, size=None, witness_key=None, line=None, **options):
        from zhifa.ledger import notes, witness
        from zhifa.ledger.models import Checkpoint

        checkpoint = Checkpoint.objects.filter(log__agency=self._agency(agency), size=size).first()
        if checkpoint is None:
            raise CommandError(_("该账本没有 %(n)d 条记录的检查点。") % {"n": size})
        try:
            witness.record(checkpoint, line, witness_key)
        except notes.NoteError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("已登记见证方副署：%(origin)s，%(n)d 条。") % {"origin": checkpoint.log.origin, "n": size}
        )

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
