"""法制审核 (legal review of major decisions) and 集体讨论 (collective discussion), bound to a case digest."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules
from .choices import (
    AppliesTo,
    CoordinationOutcome,
    CriterionKind,
    DiscussionOutcome,
    DiscussionState,
    Outcome,
    ReviewMode,
    SubmissionState,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class ReviewPolicy(models.Model):
    """The agency's settings for review: data the agency sets, not law."""

    agency = models.OneToOneField("org.Agency", on_delete=models.PROTECT, related_name="review_policy")
    reviewer_ratio = models.DecimalField(
        _("法制审核人员占执法人员的最低比例"),
        max_digits=5,
        decimal_places=4,
        default=rules.REVIEWER_RATIO_DEFAULT,
    )
    discussion_quorum = models.PositiveSmallIntegerField(_("集体讨论最少参加人数"), default=3)
    updated_at = models.DateTimeField(default=timezone.now)


class Criterion(models.Model):
    """One line of the agency's 重大执法决定法制审核事项清单 (or its collective-discussion list)."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    applies_to = models.CharField(
        _("适用"), max_length=20, choices=AppliesTo.choices, default=AppliesTo.REVIEW
    )
    kind = models.CharField(_("标准类型"), max_length=20, choices=CriterionKind.choices)
    value = models.CharField(_("处罚种类、处理结果或事项编码"), max_length=60, blank=True)
    threshold_person = models.DecimalField(_("金额标准：自然人（元）"), null=True, blank=True, **MONEY)
    threshold_organisation = models.DecimalField(
        _("金额标准：法人或其他组织（元）"), null=True, blank=True, **MONEY
    )
    label = models.CharField(_("事项"), max_length=200)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("法制审核事项")
        verbose_name_plural = _("法制审核事项清单")
        ordering = ["applies_to", "id"]

    def value_display(self) -> str:
        """The value as a person reads it: a penalty kind's or outcome's name, else the item code as stored."""
        from zhifa.cases.choices import Outcome as CaseOutcome
        from zhifa.cases.choices import PenaltyKind

        choices = {CriterionKind.PENALTY_KIND: PenaltyKind, CriterionKind.OUTCOME: CaseOutcome}.get(self.kind)
        if choices is not None and self.value in choices.values:
            return choices(self.value).label
        return self.value


class Submission(models.Model):
    """One round of 送审: the package, the digest it froze, and the outcome."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="submissions"
    )
    round = models.PositiveSmallIntegerField(_("轮次"))
    mode = models.CharField(
        _("审核方式"), max_length=20, choices=ReviewMode.choices, default=ReviewMode.SINGLE
    )
    state = models.CharField(
        _("状态"), max_length=30, choices=SubmissionState.choices, default=SubmissionState.PENDING
    )
    reasons = models.JSONField(_("须经法制审核的理由"), default=list)
    explanation = models.TextField(_("送审说明"))
    discretion_reason = models.TextField(_("裁量基准适用说明"))
    qualifications = models.TextField(_("执法人员资格说明"))
    materials = models.JSONField(_("送审材料"), default=list)
    responses = models.JSONField(_("对上一轮审核意见的逐条答复"), default=dict, blank=True)
    digest = models.CharField(_("送审材料摘要"), max_length=64)
    digest_items = models.JSONField(_("摘要包含的材料"), default=list)
    submitted_by = models.ForeignKey(
        "org.Person", verbose_name=_("送审人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("送审时间"), default=timezone.now)
    due_on = models.DateField(_("审核期限"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核完成时间"), null=True, blank=True)
    number = models.CharField(_("法制审核意见书编号"), max_length=60, blank=True)
    pdf_name = models.CharField(_("法制审核意见书 PDF"), max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("法制审核送审")
        verbose_name_plural = _("法制审核送审")
        ordering = ["case", "round"]
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="submission_round_unique")]

    def __str__(self) -> str:
        return f"{self.case.reference} 第{self.round}轮"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("review:submission", args=[self.pk])


class Assignment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="assignments")
    reviewer = models.ForeignKey(
        "org.Person", verbose_name=_("审核人员"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.BooleanField(_("主审"), default=False)
    assigned_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "reviewer"], name="assignment_once")]


class Opinion(models.Model):
    """A reviewer's written opinion: the nine points, each pass or problem with a comment, and the outcome."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="opinions")
    reviewer = models.ForeignKey(
        "org.Person", verbose_name=_("审核人员"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.JSONField(_("审核要点"))
    outcome = models.CharField(_("审核结论"), max_length=20, choices=Outcome.choices)
    summary = models.TextField(_("审核意见"))
    digest = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("签署时间"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "reviewer"], name="opinion_once")]


class Coordination(models.Model):
    """协调: the unit and the reviewers disagree; the head (or a collective discussion) decides."""

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="coordination")
    raised_by = models.ForeignKey(
        "org.Person", verbose_name=_("提请人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("分歧及理由"))
    raised_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(_("协调结果"), max_length=20, choices=CoordinationOutcome.choices, blank=True)
    decision = models.TextField(_("协调意见"), blank=True)
    decided_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)


class Discussion(models.Model):
    """集体讨论 (行政处罚法 art. 57) of a case, bound to the digest it concluded on."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="discussions"
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=DiscussionState.choices, default=DiscussionState.OPEN
    )
    held_on = models.DateField(_("讨论日期"))
    place = models.CharField(_("地点"), max_length=200)
    chair = models.ForeignKey(
        "org.Person", verbose_name=_("主持人"), on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField("org.Person", verbose_name=_("参加人员"), related_name="+")
    recusals = models.JSONField(_("回避情况"), default=list, blank=True)
    opinions = models.JSONField(_("参加人员意见"), default=dict, blank=True)
    votes = models.JSONField(_("负责人表决"), default=dict, blank=True)
    conclusion = models.TextField(_("讨论结论"), blank=True)
    outcome = models.CharField(_("讨论决定"), max_length=20, choices=DiscussionOutcome.choices, blank=True)
    resolves = models.ForeignKey(
        Submission,
        verbose_name=_("所解决的审核分歧"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolving_discussions",
    )
    pdf_name = models.CharField(_("集体讨论记录 PDF"), max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    digest = models.CharField(max_length=64, blank=True)
    opened_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("集体讨论")
        verbose_name_plural = _("集体讨论")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open") | (~Q(conclusion="") & ~Q(digest="")),
                name="discussion_concluded_complete",
            ),
        ]
