"""`zhifa workdays …`: working-day arithmetic for scripts, and calendar maintenance.

Stable output (scripts rely on it):
  zhifa workdays add DATE N      → the ISO date N working days after DATE, then " estimated" if unconfirmed
  zhifa workdays add --batch     → reads "DATE N" lines on stdin, one answer line each, in order
  zhifa workdays between A B     → the number of working days in (A, B], then " estimated" likewise
Bad input: a Chinese message on stderr and exit status 2 (in --batch: at the first bad line, after the
answers to the lines before it).
"""

from __future__ import annotations

import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.workdays import actions, queries, rules, textformat

from ._base import Command as Base
from ._base import answer, out_of_range, parse_count, parse_date


class Command(Base):
    help = "工作日计算与节假日安排维护：add、between、show、import、seed"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True, parser_class=type(parser))
        add = sub.add_parser(
            "add", help="DATE 之后第 N 个工作日（起算日不计入）", called_from_command_line=None
        )
        add.add_argument("date", nargs="?")
        add.add_argument("n", nargs="?")
        add.add_argument("--batch", action="store_true", help="从标准输入逐行读取“DATE N”")
        between = sub.add_parser(
            "between", help="A 之后至 B（含）之间的工作日数", called_from_command_line=None
        )
        between.add_argument("start")
        between.add_argument("end")
        show = sub.add_parser("show", help="列出某年的节假日安排（导入格式）", called_from_command_line=None)
        show.add_argument("year", type=int)
        imp = sub.add_parser("import", help="从文本文件导入某年的节假日安排", called_from_command_line=None)
        imp.add_argument("year", type=int)
        imp.add_argument("file", help="文件路径，“-”表示标准输入")
        imp.add_argument("--notice", default="", help="通知文号")
        imp.add_argument("--unconfirmed", action="store_true", help="尚未经正式通知确认（仍按估算标记）")
        seed = sub.add_parser(
            "seed", help="从已安装的 chinesecalendar 补充尚未确认的年度", called_from_command_line=None
        )
        seed.add_argument("years", nargs="*", type=int)

    def handle(self, *args, sub, **options):
        return getattr(self, "_" + sub)(**options)

    def _calendar(self) -> rules.Calendar:
        return queries.current_calendar()

    def _add(self, date=None, n=None, batch=False, **options):
        calendar = self._calendar()
        if batch:
            if date is not None:
                raise CommandError(_("--batch 从标准输入读取，不能同时给出日期。"), returncode=2)
            return self._batch(calendar, options.get("stdin") or sys.stdin)
        if date is None or n is None:
            raise CommandError(
                _("用法：zhifa workdays add DATE N，或 zhifa workdays add --batch"), returncode=2
            )
        try:
            due = rules.add_working_days(calendar, parse_date(date), parse_count(n))
        except rules.OutOfRange:
            raise out_of_range(rules.FIRST_YEAR, rules.LAST_YEAR) from None
        self.stdout.write(answer(*due))

    def _batch(self, calendar: rules.Calendar, stream) -> None:
        add = rules.add_working_days
        write = self.stdout._out.write  # the raw stream: one line each, no styling, fast
        out: list[str] = []
        for number, line in enumerate(stream, start=1):
            parts = line.split()
            if not parts:
                continue
            try:
                if len(parts) != 2:
                    raise CommandError(_("每行应为“DATE N”，如“2026-09-30 3”。"), returncode=2)
                due = add(calendar, parse_date(parts[0]), parse_count(parts[1]))
            except (CommandError, rules.OutOfRange) as exc:
                write("".join(out))
                self.stdout.flush()
                message = (
                    str(exc)
                    if isinstance(exc, CommandError)
                    else str(out_of_range(rules.FIRST_YEAR, rules.LAST_YEAR))
                )
                raise CommandError(
                    _("第%(line)d行：%(message)s") % {"line": number, "message": message}, returncode=2
                ) from None
            out.append(due.date.isoformat() + (" estimated\n" if due.estimated else "\n"))
            if len(out) >= 4096:
                write("".join(out))
                out.clear()
        write("".join(out))
        self.stdout.flush()

    def _between(self, start, end, **options):
        try:
            n, estimated = rules.working_days_between(self._calendar(), parse_date(start), parse_date(end))
        except rules.OutOfRange:
            raise out_of_range(rules.FIRST_YEAR, rules.LAST_YEAR) from None
        self.stdout.write(f"{n}" + (" estimated" if estimated else ""))

    def _show(self, year, **options):
        calendar = self._calendar()
        try:
            schedule = calendar.schedule(year)
        except rules.OutOfRange:
            raise out_of_range(rules.FIRST_YEAR, rules.LAST_YEAR) from None
        record = queries.year_record(year)
        status = _("已确认") if schedule.confirmed else _("估算")
        source = record.get_source_display() if record else schedule.note
        self.stdout.write(
            f"# {year} {status} · {source}" + (f" · {record.notice}" if record and record.notice else "")
        )
        self.stdout.write(
            textformat.format_schedule(dict(schedule.holidays), dict(schedule.workdays)), ending=""
        )

    def _import(self, year, file, notice="", unconfirmed=False, **options):
        try:
            text = (
                (options.get("stdin") or sys.stdin).read()
                if file == "-"
                else open(file, encoding="utf-8").read()
            )
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("无法读取文件：%(error)s") % {"error": exc}, returncode=2) from None
        try:
            record = actions.import_calendar_text(
                None, year=year, text=text, confirmed=not unconfirmed, notice=notice
            )
        except RuleViolation as exc:
            raise CommandError("\n".join(exc.messages), returncode=2) from None
        self.stdout.write(
            _("已导入%(year)d年节假日安排（%(n)d天）。") % {"year": year, "n": record.days.count()}
        )

    def _seed(self, years=(), **options):
        added = actions.seed_from_chinesecalendar(None, years=set(years) or None)
        if added:
            self.stdout.write(
                _("已从 chinesecalendar 导入：%(years)s") % {"years": "、".join(map(str, added))}
            )
        else:
            self.stdout.write(_("没有需要导入的年度。"))
