"""`zhifa deadline KIND DATE`: the due date of a deadline kind started on DATE.

Stable output: the ISO date, then " estimated" when unconfirmed calendar data was used. `--agency CODE`
applies that agency's own length where the kind allows one; `--list` prints the kinds.
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from zhifa.org.models import Agency
from zhifa.workdays import queries, rules

from ._base import Command as Base
from ._base import answer, out_of_range, parse_date


class Command(Base):
    help = "计算某种期限的届满日：zhifa deadline KIND DATE"

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", help="期限种类代码，见 --list")
        parser.add_argument("date", nargs="?", help="起算日（“之前”类期限为基准日），YYYY-MM-DD")
        parser.add_argument("--agency", help="执法主体代码：适用该主体自行设定的期限")
        parser.add_argument("--list", action="store_true", help="列出全部期限种类")

    def handle(self, *args, kind=None, date=None, agency=None, list=False, **options):
        if list:
            for k in queries.kinds():
                self.stdout.write(f"{k.code}\t{k.length}{k.get_unit_display()}\t{k.name}\t{k.legal_basis}")
            return
        if kind is None or date is None:
            raise CommandError(
                _("用法：zhifa deadline KIND DATE（期限种类见 zhifa deadline --list）"), returncode=2
            )
        found = queries.kind_by_code(kind)
        if found is None:
            codes = "、".join(queries.kinds().values_list("code", flat=True))
            raise CommandError(
                _("没有代码为“%(code)s”的期限种类。可用：%(codes)s") % {"code": kind, "codes": codes},
                returncode=2,
            )
        owner = None
        if agency:
            owner = Agency.objects.filter(code=agency).first()
            if owner is None:
                raise CommandError(_("没有代码为“%(code)s”的执法主体。") % {"code": agency}, returncode=2)
        try:
            due = queries.compute_due(found, parse_date(date), owner)
        except rules.OutOfRange:
            raise out_of_range(rules.FIRST_YEAR, rules.LAST_YEAR) from None
        self.stdout.write(answer(*due))
