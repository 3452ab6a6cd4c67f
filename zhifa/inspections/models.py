"""行政检查 with 双随机一公开 (issue 17): the target pool (检查对象名录库), the agency's draw settings, and a random
inspection plan with its committed draw — the targets drawn and the inspectors paired with each."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    """One regulated unit of an agency's 检查对象名录库: who may be drawn for random inspection. Its changes are in the
    ledger (the history page shows them); a target is retired (``active`` off), never deleted, so a past draw still
    names it."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    licence = models.CharField(_("许可证号"), max_length=100, blank=True)
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=300)
    contact = models.CharField(_("联系电话"), max_length=50, blank=True)
    field = models.ForeignKey(
        "org.EnforcementField", verbose_name=_("执法领域"), on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("在库"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象名录库")
        ordering = ["agency", "credit_code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "credit_code"], name="inspection_target_unique"),
        ]
        indexes = [models.Index(fields=["agency", "field", "active", "credit_code"], name="target_pool")]

    def __str__(self) -> str:
        return self.name


class DrawPolicy(models.Model):
    """An agency's 抽查细则 as data: the lowest sampling rate a plan may set and how many inspectors go to each target.
    No row: the platform's defaults (``rules.DEFAULT_MINIMUM_RATE``, ``rules.MINIMUM_INSPECTORS``)."""

    agency = models.OneToOneField(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    minimum_rate = models.PositiveSmallIntegerField(_("最低抽查比例（%）"))
    inspectors = models.PositiveSmallIntegerField(_("每个对象的检查人员数"))

    class Meta:
        verbose_name = _("抽查细则")
        verbose_name_plural = _("抽查细则")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_rate__gte=1, minimum_rate__lte=100), name="policy_rate"
            ),
            models.CheckConstraint(
                condition=Q(inspectors__gte=2, inspectors__lte=10), name="policy_inspectors"
            ),
        ]


class PlanState(models.TextChoices):
    OPEN = "open", _("待抽取")
    DRAWN = "drawn", _("已抽取")


class Plan(models.Model):
    """一次双随机抽查: the items checked, the field whose targets and inspectors are drawn, the period and the rate.

    At creation the platform picks the seed and records only its SHA-256 (``commitment``) in the ledger and on the
    portal; the draw then records the frozen pools (the frame) and after them reveals the seed, and the selection is
    ``rules.draw(frame, seed)`` (published in docs/inspections.md)."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    field = models.ForeignKey(
        "org.EnforcementField", verbose_name=_("执法领域"), on_delete=models.PROTECT, related_name="+"
    )
    items = models.ManyToManyField(
        "catalog.RandomInspectionItem", verbose_name=_("抽查事项"), related_name="+"
    )
    period_start = models.DateField(_("检查期间自"))
    period_end = models.DateField(_("检查期间至"))
    rate = models.PositiveSmallIntegerField(_("抽查比例（%）"))
    inspectors = models.PositiveSmallIntegerField(_("每个对象的检查人员数"))
    commitment = models.CharField(_("随机种子承诺值（SHA-256）"), max_length=64)
    draw_seed = models.CharField(max_length=64)  # secret until the draw (core.snapshot.SECRET_FIELDS)
    revealed_seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=PlanState.choices, default=PlanState.OPEN)
    pool_size = models.PositiveIntegerField(_("检查对象名录库（户）"), null=True, blank=True)
    officer_pool_size = models.PositiveIntegerField(_("检查人员名录库（人）"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    frame = models.JSONField(
        _("封存的名录库"), default=dict, blank=True
    )  # as recorded by the draw (close_pools)
    # A national or provincial plan imported: the targets the upper level drew (credit codes), and that plan's name.
    assigned = models.JSONField(_("上级下达的检查对象"), default=list, blank=True)
    assigned_by = models.CharField(_("上级下达的抽查计划"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "org.Person", verbose_name=_("制定人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("制定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("双随机抽查计划")
        verbose_name_plural = _("双随机抽查计划")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=F("period_end")), name="plan_period"),
            models.CheckConstraint(condition=Q(rate__gte=1, rate__lte=100), name="plan_rate"),
            models.CheckConstraint(condition=Q(inspectors__gte=2), name="plan_inspectors"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan", args=[self.pk])


class Drawn(models.Model):
    """A target drawn by a plan, in the draw's order, with the inspectors paired with it (and those passed over for a
    declared connection with it: 回避). Fixed by the draw: nobody changes or deletes it."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="drawn")
    position = models.PositiveIntegerField(_("序号"))
    target = models.ForeignKey(Target, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="+")
    inspectors = models.ManyToManyField("org.Person", verbose_name=_("检查人员"), related_name="+")
    certificates = models.JSONField(_("检查人员执法证号"), default=list)
    recused = models.JSONField(_("回避的人员"), default=list, blank=True)
    # 变更: an inspector replaced after the draw, with the head's reason: [{"out", "in", "reason", "by", "on"}]
    changes = models.JSONField(_("检查人员变更"), default=list, blank=True)

    class Meta:
        verbose_name = _("抽中的检查对象")
        verbose_name_plural = _("抽中的检查对象")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="drawn_position_unique"),
            models.UniqueConstraint(fields=["plan", "target"], name="drawn_target_unique"),
        ]


class Outcome(models.TextChoices):
    """检查结论 (the result published for the target)."""

    PASSED = "passed", _("未发现问题")
    CORRECT = "correct", _("发现问题，责令改正")
    CASE = "case", _("发现问题，立案查处")
    ABSENT = "absent", _("未发现检查对象（关闭、迁出或查无下落）")


class Verdict(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不涉及")


class Result(models.Model):
    """检查结果 of a drawn target: who inspected it on which day, each point of the items' 检查内容 judged, the
    conclusion — with the 卫生监督意见书 and its 复查 date where a correction is ordered, or the penalty case opened — as
    recorded by its inspectors, and published on the portal's plan page (双随机一公开: the results)."""

    drawn = models.OneToOneField(
        Drawn, verbose_name=_("抽中的检查对象"), on_delete=models.PROTECT, related_name="result"
    )
    inspected_on = models.DateField(_("检查日期"))
    place = models.CharField(_("检查地点"), max_length=300)
    officers = models.ManyToManyField("org.Person", verbose_name=_("检查人员"), related_name="+")
    checks = models.JSONField(_("检查内容"), default=list)  # [{"item", "point", "verdict", "note"}]
    outcome = models.CharField(_("检查结论"), max_length=10, choices=Outcome.choices)
    opinion = models.TextField(_("卫生监督意见"), blank=True)
    recheck_by = models.DateField(_("复查期限"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("立案查处的案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "org.Person", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    # 复查 of an ordered correction: when, whether it was corrected (not corrected: a case is opened), what was seen
    rechecked_on = models.DateField(_("复查日期"), null=True, blank=True)
    corrected = models.BooleanField(_("已改正"), null=True, blank=True)
    recheck_note = models.TextField(_("复查情况"), blank=True)

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")

    def __str__(self) -> str:
        return f"{self.drawn.target.name}：{self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:drawn", args=[self.drawn_id])
