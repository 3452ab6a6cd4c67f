"""The working-day calendar (platform-wide reference data), deadline kinds, and deadlines on objects."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CalendarSource, DayKind, DeadlineEventKind, Direction, HolidayRule, ReminderStage, Unit


class CalendarYear(models.Model):
    """One year's schedule: where it came from and whether it is the confirmed official one.

    A year without a row, or with ``confirmed=False``, is *estimated*: deadlines that touch it say so.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    confirmed = models.BooleanField(_("已确认"), default=False, help_text=_("已按国务院办公厅正式通知核对"))
    source = models.CharField(_("数据来源"), max_length=20, choices=CalendarSource.choices)
    notice = models.CharField(
        _("通知文号"),
        max_length=200,
        blank=True,
        help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"),
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="calendar_year_range"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the ordinary week on one date: a holiday (放假) or a make-up workday (调休上班)."""

    date = models.DateField(_("日期"), unique=True)
    year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarVersion(models.Model):
    """One row whose token changes with every calendar change: the key of each process's calendar cache.

    A random token rather than a counter, so a rolled-back change can never make a stale cache look fresh.
    """

    token = models.UUIDField(_("版本"))
    changed_at = models.DateTimeField(_("变更时间"), default=timezone.now)

    class Meta:
        verbose_name = _("工作日历版本")
        verbose_name_plural = _("工作日历版本")


class DeadlineKind(models.Model):
    """A kind of statutory or agency-set time limit, with the article it comes from. Platform-wide data."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    legal_basis = models.CharField(_("法律依据"), max_length=200)
    start_event = models.CharField(_("起算事件"), max_length=100)
    length = models.PositiveIntegerField(_("期限长度"))
    unit = models.CharField(_("单位"), max_length=20, choices=Unit.choices)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices, default=Direction.AFTER)
    holiday_rule = models.CharField(
        _("节假日规则"),
        max_length=20,
        choices=HolidayRule.choices,
        default=HolidayRule.NONE,
        help_text=_("按日、月、年计算的期限届满日为节假日时的处理；按工作日计算的期限不适用"),
    )
    agency_may_change = models.BooleanField(_("执法主体可自行设定"), default=False)
    binds_party = models.BooleanField(
        _("约束当事人的期限"),
        default=False,
        help_text=_("如陈述申辩期限、听证申请期限、缴款期限：届满是当事人的期限届满，不是执法机关超期"),
    )
    extension_length = models.PositiveIntegerField(
        _("每次可延长"), null=True, blank=True, help_text=_("单位同期限；留空表示由批准人确定")
    )
    max_extensions = models.PositiveSmallIntegerField(
        _("最多延期次数"), null=True, blank=True, default=0, help_text=_("0 表示不得延期；留空表示不限")
    )
    note = models.TextField(_("说明"), blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("期限种类")
        verbose_name_plural = _("期限种类")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(length__gte=1), name="deadline_kind_length_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    # The seeded kinds are Chinese data; these show them in the reader's language (workdays/labels.py).
    @property
    def label(self) -> str:
        from .labels import shown

        return shown(self.name)

    @property
    def basis_label(self) -> str:
        from .labels import shown

        return shown(self.legal_basis)

    @property
    def start_label(self) -> str:
        from .labels import shown

        return shown(self.start_event)

    @property
    def note_label(self) -> str:
        from .labels import shown

        return shown(self.note)


class AgencyDeadlineSetting(models.Model):
    """An agency's own length for a kind it may set (陈述申辩期限, 法制审核时限 …)."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="deadline_settings"
    )
    kind = models.ForeignKey(
        DeadlineKind, verbose_name=_("期限种类"), on_delete=models.CASCADE, related_name="+"
    )
    length = models.PositiveIntegerField(_("期限长度"))
    reason = models.CharField(_("依据或理由"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("本机关期限设定")
        verbose_name_plural = _("本机关期限设定")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="one_deadline_setting_per_agency_kind"),
            models.CheckConstraint(condition=Q(length__gte=1), name="deadline_setting_length_positive"),
        ]


class Deadline(models.Model):
    """A running time limit attached to any object (a case, a publication, a review).

    The period (length, unit, direction, holiday rule) is copied from the kind when the deadline opens, so a
    later change to the kind does not move deadlines already running. ``due`` and ``estimated`` are derived
    from start, period, events and the calendar, and recomputed when any of them changes.
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(
        DeadlineKind, verbose_name=_("期限种类"), on_delete=models.PROTECT, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("事项"), max_length=200, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
    )
    start = models.DateField(_("起算日"))
    length = models.PositiveIntegerField(_("期限长度"))
    unit = models.CharField(_("单位"), max_length=20, choices=Unit.choices)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    holiday_rule = models.CharField(_("节假日规则"), max_length=20, choices=HolidayRule.choices)
    due = models.DateField(_("届满日"), db_index=True)
    estimated = models.BooleanField(_("估算"), default=False, help_text=_("计算中使用了尚未确认的节假日安排"))
    suspended_since = models.DateField(_("中止日"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("已延期次数"), default=0)
    met_on = models.DateField(_("完成日"), null=True, blank=True)
    ended_on = models.DateField(
        _("结束日"), null=True, blank=True, help_text=_("事项未完成而不再计算（如案件撤销立案、终止、结案）")
    )
    end_reason = models.CharField(_("结束原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="deadline_target"),
            models.Index(fields=["agency", "met_on", "due"], name="deadline_agency_open_due"),
            models.Index(fields=["responsible", "met_on", "due"], name="deadline_responsible_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(length__gte=0), name="deadline_length_not_negative"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(met_on__isnull=True), name="deadline_met_or_ended"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.label or self.object_id} · {self.due}"


class DeadlineEvent(models.Model):
    """What happened to a deadline: opened, suspended (中止), resumed, extended (延期), met, recomputed.

    Suspension and extension carry the reason and the approving 负责人.
    """

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("期限"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事件"), max_length=20, choices=DeadlineEventKind.choices)
    on = models.DateField(_("日期"))
    length = models.PositiveIntegerField(_("延长"), default=0)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_before = models.DateField(_("原届满日"), null=True, blank=True)
    due_after = models.DateField(_("新届满日"), null=True, blank=True)
    at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("期限变动记录")
        verbose_name_plural = _("期限变动记录")
        ordering = ["deadline", "id"]


class Reminder(models.Model):
    """A deadline's reminder to one person, sent by the periodic task (``actions.send_reminders``): once per
    deadline, person, stage and due date, so an extended deadline is reminded of again at its new date.
    Shown on the person's 工作台 and their reminder list; ``read_at`` is the person's own bookkeeping."""

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("期限"), on_delete=models.PROTECT, related_name="reminders"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提醒对象"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    stage = models.CharField(_("提醒事项"), max_length=20, choices=ReminderStage.choices)
    due = models.DateField(_("届满日"))
    created_at = models.DateTimeField(_("提醒时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("期限提醒")
        verbose_name_plural = _("期限提醒")
        ordering = ["-id"]
        indexes = [models.Index(fields=["person", "read_at", "id"], name="reminder_person_unread")]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "due", "stage", "person"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} · {self.deadline}"
