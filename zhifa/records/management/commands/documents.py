"""``zhifa documents verify FILE.pdf`` and ``zhifa documents certificate --agency CODE``.

verify exits 0 when every signature of the PDF is intact and the signer's certificate chains to a trusted agency
CA, 1 when the file was changed after signing (or has no signature, or cannot be read), 2 when the signatures are
intact but the certificate is not one this installation trusts (add it with --trust CA.pem).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhifa.records import seal


class Command(BaseCommand):
    help = (
        "执法文书：verify 验证PDF的数字签名（电子印章）是否完整；certificate 输出执法主体的电子印章根证书。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="验证PDF文件中的数字签名是否完整、签名证书是否受信任")
        verify.add_argument("files", nargs="+", metavar="FILE.pdf")
        verify.add_argument(
            "--trust", action="append", default=[], metavar="CA.pem", help="另外信任的根证书（PEM）"
        )
        verify.add_argument("--json", action="store_true", dest="as_json", help="以JSON输出验证结果")
        cert = sub.add_parser("certificate", help="输出执法主体的电子印章根证书（PEM），供外部验证时信任")
        cert.add_argument("--agency", required=True, metavar="CODE")

    def handle(self, *args, subcommand, **options):
        return getattr(self, f"_{subcommand}")(**options)

    def _verify(self, files, trust=(), as_json=False, **options):
        worst = 0
        reports = []
        for name in files:
            path = Path(name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                result = seal.Verification(1, f"无法读取文件：{exc.strerror or exc}")
            else:
                result = seal.verify_pdf(data, extra_roots=[Path(t) for t in trust])
            worst = max(worst, result.code)
            reports.append((name, result))
        if as_json:
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "file": n,
                            "code": r.code,
                            "message": r.message,
                            "signatures": [vars(s) for s in r.signatures],
                        }
                        for n, r in reports
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for name, result in reports:
                write = self.stdout.write if result.ok else self.stderr.write  # failures on stderr, whole
                write(f"{name}：{result.message}")
                for s in result.signatures:
                    write(
                        f"  签名域 {s.field}：{s.signer or '（未知签名人）'}，时间 {s.signed_at or '—'}，"
                        f"内容未改动：{'是' if s.intact else '否'}，证书受信任：{'是' if s.trusted else '否'}，"
                        f"覆盖整个文件：{'是' if s.whole_file else '否'}"
                    )
        if worst:
            raise SystemExit(worst)

    def _certificate(self, agency=None, **options):
        from zhifa.org.models import Agency

        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"没有代码为 {agency} 的执法主体。")
        self.stdout.write(seal.ca_certificate_pem(found).decode(), ending="")
