"""Enumerations of the working-day calendar and of deadlines."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """An exception to the ordinary week (Monday–Friday work, Saturday–Sunday rest)."""

    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class CalendarSource(models.TextChoices):
    """Where a year's schedule came from."""

    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 数据包")
    NOTICE = "notice", _("国务院办公厅通知（人工录入）")
    IMPORT = "import", _("文本导入")


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    DAYS = "days", _("日")
    MONTHS = "months", _("个月")
    YEARS = "years", _("年")


class Direction(models.TextChoices):
    AFTER = "after", _("起算日之后")
    BEFORE = "before", _("基准日之前")


class HolidayRule(models.TextChoices):
    """What happens when a calendar period ends on a day that is not a working day."""

    NONE = "none", _("不顺延")
    NEXT_WORKDAY = "next_workday", _("顺延至节假日后第一个工作日")
    PREVIOUS_WORKDAY = "previous_workday", _("提前至节假日前最后一个工作日")


class DeadlineState(models.TextChoices):
    OPEN = "open", _("进行中")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已超期")
    MET = "met", _("已完成")
    SUSPENDED = "suspended", _("已中止")
    # The case ended (撤销立案、终止、不予立案、结案、归档) before the thing due was done: no longer running.
    ENDED = "ended", _("已结束")
    # A period that binds the party (陈述申辩、听证申请、缴款) has run out: the party's, never the agency's breach.
    ELAPSED = "elapsed", _("已届满")


class DeadlineEventKind(models.TextChoices):
    OPENED = "opened", _("开始计算")
    SUSPENDED = "suspended", _("中止")
    RESUMED = "resumed", _("恢复计算")
    EXTENDED = "extended", _("延期")
    MET = "met", _("完成")
    ENDED = "ended", _("不再计算")
    RECOMPUTED = "recomputed", _("因工作日历变更重新计算")


class ReminderStage(models.TextChoices):
    """What a reminder tells (workdays.rules.reminder_recipients)."""

    DUE_SOON = "due_soon", _("期限即将届满")
    OVERDUE = "overdue", _("期限已超期")
    # The overdue deadline, told to the agency's 负责人 as well (escalation).
    ESCALATED = "escalated", _("本机关有期限超期")
    # A period that binds the party ran out: the case may go on (the party's period, not the agency's breach).
    ELAPSED = "elapsed", _("当事人期限已届满")
