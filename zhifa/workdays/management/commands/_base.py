"""Shared pieces of the `zhifa workdays` and `zhifa deadline` commands: Chinese errors without a traceback."""

from __future__ import annotations

import datetime as dt
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _


class Command(BaseCommand):
    """A command whose input errors print just the Chinese message on stderr and exit with status 2."""

    stealth_options = ("stdin",)

    def execute(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if not getattr(self, "_called_from_command_line", False):
                return super().execute(*args, **options)
            try:
                return super().execute(*args, **options)
            except CommandError as exc:
                self.stderr.write(str(exc))
                sys.exit(exc.returncode)


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            _("日期“%(text)s”无效，应写作 YYYY-MM-DD，如 2026-09-30。") % {"text": text}, returncode=2
        ) from None


def parse_count(text: str) -> int:
    try:
        n = int(text.strip())
    except ValueError:
        n = -1
    if n < 0:
        raise CommandError(_("天数“%(text)s”无效，应为不小于0的整数。") % {"text": text}, returncode=2)
    return n


def out_of_range(first: int, last: int) -> CommandError:
    return CommandError(_("日期超出工作日历范围（%(a)d—%(b)d年）。") % {"a": first, "b": last}, returncode=2)


def answer(day: dt.date, estimated: bool) -> str:
    """The stable output: the ISO date, then ` estimated` when unconfirmed data was used."""
    return day.isoformat() + (" estimated" if estimated else "")
