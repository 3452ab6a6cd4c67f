"""行政复议 and 行政诉讼 brought against a case's decision, and their documents."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import RemedyKind, RemedyOutcome


class Proceeding(models.Model):
    """One 复议 or 诉讼 on a case: the body, its dates, and how it ended (no outcome: pending)."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="remedies"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=RemedyKind.choices)
    body = models.CharField(_("复议机关或法院"), max_length=200)
    case_number = models.CharField(_("案号"), max_length=100, blank=True)
    applied_on = models.DateField(_("申请或起诉日期"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定或裁判日期"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=20, choices=RemedyOutcome.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        "org.Person", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    outcome_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("结果登记人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")
        ordering = ["applied_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(decided_on__isnull=True))
                | (~Q(outcome="") & Q(decided_on__isnull=False)),
                name="remedy_outcome_with_date",
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("applied_on")),
                name="remedy_accepted_after_applied",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("applied_on")),
                name="remedy_decided_after_applied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.applied_on}"

    def get_absolute_url(self) -> str:
        return reverse("remedies:detail", args=[self.pk])

    @property
    def pending(self) -> bool:
        return not self.outcome


class ProceedingDocument(models.Model):
    """A document of a proceeding (复议申请书, 受理通知书, 复议决定书, 起诉状, 判决书…): checked, stored under its
    SHA-256, the hash in the ledger."""

    proceeding = models.ForeignKey(
        Proceeding, verbose_name=_("复议诉讼"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("文书名称"), max_length=200)
    file_name = models.CharField(_("存储名称"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=50)
    uploaded_by = models.ForeignKey(
        "org.Person", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("复议诉讼文书")
        verbose_name_plural = _("复议诉讼文书")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title
