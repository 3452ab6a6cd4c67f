"""``zhifa records fixity [--limit N]``, ``zhifa records sweep`` and ``zhifa records archive CASE [--output F]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhifa.core.errors import RuleViolation


class Command(BaseCommand):
    help = "执法记录：fixity 校验存储文件完整性；sweep 清理中断的上传；archive 导出案卷归档包。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        fixity = sub.add_parser("fixity", help="重新计算存储文件的SHA-256（最久未校验的优先），结果记入账本")
        fixity.add_argument(
            "--limit", type=int, default=None, help="本次校验的文件数（默认 RECORDS_FIXITY_BATCH）"
        )
        sub.add_parser("sweep", help="删除中断或放弃的上传留下的临时文件")
        archive = sub.add_parser(
            "archive", help="导出案卷归档包（ZIP：文书PDF、证据、卷内目录、清单、账本证明包）"
        )
        archive.add_argument("case", help="案件编号（内部ID或案件编号）")
        archive.add_argument("--output", "-o", help="输出文件（默认 CASE.zip）")

    def handle(self, *args, subcommand, **options):
        return getattr(self, f"_{subcommand}")(**options)

    def _fixity(self, limit=None, **options):
        from zhifa.records import evidence

        results = evidence.check_fixity(limit)
        bad = [r for r in results if r["result"] != "ok"]
        for r in bad:
            self.stderr.write(
                f"{r['file']}：{'缺失' if r['result'] == 'missing' else '内容与登记的SHA-256不一致'}"
            )
        self.stdout.write(f"已校验 {len(results)} 个文件，{len(bad)} 个异常。")
        if bad:
            raise SystemExit(1)

    def _sweep(self, **options):
        from zhifa.records import evidence

        self.stdout.write(f"已删除 {evidence.sweep_uploads()} 个临时上传文件。")

    def _archive(self, case, output=None, **options):
        from zhifa.cases.models import Case
        from zhifa.records import archive

        found = Case.objects.filter(reference=case).first() or (
            Case.objects.filter(pk=case).first() if case.isdigit() else None
        )
        if found is None:
            raise CommandError("没有该案件。")
        output = output or f"case-{found.pk}.zip"
        try:
            with open(output, "wb") as fh:
                manifest = archive.package(found, fh)
        except RuleViolation as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"已导出 {output}：{len(manifest['index'])} 件，{len(manifest['bundles'])} 个账本证明包。"
        )
