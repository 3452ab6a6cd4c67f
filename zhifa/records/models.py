"""文书 (enforcement documents) and their signatures. Rows change only through records.actions.

A document is a draft while its narrative is written and it is signed; finalising gives it its number (文号 or
编号), freezes what it states (``context``) and stores its PDF and DOCX under content-addressed names. A finalised
document never changes: a correction is a new version pointing to the one it supersedes.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    DocumentKind,
    DocumentState,
    EvidenceKind,
    Secrecy,
    SignatureMethod,
    SignatureRole,
    UploadState,
)


class FinalisedDocumentError(Exception):
    """A write to a finalised document (never done by the actions; caught here as a last guard)."""


class Document(models.Model):
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("文书种类"), max_length=40, choices=DocumentKind.choices)
    record = models.ForeignKey(
        "cases.CaseRecord",
        verbose_name=_("所依据的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("更正的文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_reason = models.CharField(_("更正理由"), max_length=300, blank=True)
    narrative = models.JSONField(_("文书内容（承办人填写）"), default=dict, blank=True)
    dated = models.DateField(_("文书日期"))

    number = models.CharField(_("文号或编号"), max_length=60, blank=True)
    number_key = models.CharField(_("编号序列"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)

    context = models.JSONField(_("定稿内容"), null=True, blank=True)
    content_sha256 = models.CharField(_("内容哈希"), max_length=64, blank=True)
    pdf_name = models.CharField(_("PDF 存储名"), max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    docx_name = models.CharField(_("DOCX 存储名"), max_length=200, blank=True)
    docx_sha256 = models.CharField(_("DOCX SHA-256"), max_length=64, blank=True)
    seal = models.JSONField(_("电子印章"), default=dict, blank=True)

    created_by = models.ForeignKey(
        "org.Person", verbose_name=_("制作人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("制作时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    finalised_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("定稿人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    fixity_checked_at = models.DateTimeField(_("最近校验时间"), null=True, blank=True)
    fixity_ok = models.BooleanField(_("校验结果"), null=True, blank=True)

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["created_at", "id"]
        constraints = [
            # 文书规范 art. 4: one number per document of a series; a correction keeps its number as a new version.
            models.UniqueConstraint(
                fields=["agency", "number_key", "year", "serial", "version"],
                condition=Q(serial__isnull=False),
                name="document_number_once",
            ),
            models.CheckConstraint(
                condition=~Q(state="final")
                | (Q(serial__isnull=False) & ~Q(number="") & ~Q(pdf_sha256="") & ~Q(content_sha256="")),
                name="final_document_numbered_and_stored",
            ),
            models.CheckConstraint(
                condition=Q(state="final") | Q(serial__isnull=True), name="draft_has_no_number"
            ),
            # A document is corrected once: one live (draft or final) correction at a time.
            models.UniqueConstraint(
                fields=["supersedes"],
                condition=Q(supersedes__isnull=False) & ~Q(state="discarded"),
                name="document_corrected_once",
            ),
            models.CheckConstraint(
                condition=(Q(supersedes__isnull=True) & Q(version=1))
                | (Q(supersedes__isnull=False) & Q(version__gt=1)),
                name="document_version_chain",
            ),
        ]
        indexes = [models.Index(fields=["case", "kind"], name="document_case_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    def save(self, *args, **kwargs):
        # The actions never write a finalised row; this keeps anything else (admin, shell code) from doing so.
        if self.pk is not None and Document.objects.filter(pk=self.pk, state=DocumentState.FINAL).exists():
            raise FinalisedDocumentError(f"document {self.pk} is finalised and cannot change")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("records:document", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise FinalisedDocumentError("documents are never deleted; a draft is discarded")

    @property
    def is_final(self) -> bool:
        return self.state == DocumentState.FINAL

    @property
    def is_draft(self) -> bool:
        return self.state == DocumentState.DRAFT


class DocumentSignature(models.Model):
    """One signature on a document: an officer's account signature, the party's handwritten signature or scan,
    or the party's refusal to sign noted with a witness. ``content_sha256`` is the content signed: a signature
    made on a draft counts only while the draft still says the same thing."""

    document = models.ForeignKey(
        Document, verbose_name=_("文书"), on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(_("签名人身份"), max_length=20, choices=SignatureRole.choices)
    method = models.CharField(_("签名方式"), max_length=20, choices=SignatureMethod.choices)
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("签名人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("签名人"), max_length=100)
    file_name = models.CharField(_("签名图像存储名"), max_length=200, blank=True)
    file_sha256 = models.CharField(_("签名图像 SHA-256"), max_length=64, blank=True)
    file_type = models.CharField(_("文件类型"), max_length=40, blank=True)
    witness = models.CharField(_("见证人"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    content_sha256 = models.CharField(_("所签内容哈希"), max_length=64)
    after_final = models.BooleanField(_("定稿后附加"), default=False)
    signed_at = models.DateTimeField(_("签名时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        "org.Person", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("文书签名")
        verbose_name_plural = _("文书签名")
        ordering = ["signed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="account") | Q(person__isnull=False), name="account_sig_person"
            ),
            models.CheckConstraint(
                condition=~Q(method="refused") | ~Q(witness=""), name="refusal_has_witness"
            ),
            models.CheckConstraint(
                condition=~Q(method__in=["handwritten", "scan"]) | ~Q(file_sha256=""),
                name="image_sig_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.signer_name}（{self.get_method_display()}）"


class ImmutableEvidenceError(Exception):
    """A write to an evidence item's content (never done by the actions; caught here as a last guard)."""


class Evidence(models.Model):
    """证据 (行政处罚法 art. 46) with its file: a photo, a scan, an inquiry recording, body-camera video.

    A row exists only once its file is completely stored under its SHA-256 and the hash checked (see
    ``evidence.finish_upload``). The file never changes; only the fixity bookkeeping does.
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("证据种类"), max_length=20, choices=EvidenceKind.choices)
    description = models.CharField(_("证据说明"), max_length=500)
    source = models.CharField(_("证据来源"), max_length=300, blank=True)
    collected_at = models.DateTimeField(_("收集时间"))
    place = models.CharField(_("收集地点"), max_length=300, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    officers = models.ManyToManyField("org.Person", verbose_name=_("收集人员"), related_name="+", blank=True)
    stage = models.CharField(_("执法环节"), max_length=40, blank=True)
    act_code = models.CharField(_("音像记录事项"), max_length=40, blank=True)
    record = models.ForeignKey(
        "cases.CaseRecord",
        verbose_name=_("所属调查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("所属文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    device_id = models.CharField(_("记录设备编号"), max_length=100, blank=True)
    duration = models.FloatField(_("时长（秒）"), null=True, blank=True)
    codec = models.CharField(_("编码"), max_length=100, blank=True)
    secrecy = models.CharField(_("涉密标识"), max_length=20, choices=Secrecy.choices, blank=True, default="")

    file_name = models.CharField(_("存储名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.BigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)

    created_by = models.ForeignKey(
        "org.Person", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    # Fixity bookkeeping (changes without an action; registered as volatile with the ledger).
    fixity_checked_at = models.DateTimeField(_("最近校验时间"), null=True, blank=True)
    fixity_ok = models.BooleanField(_("校验结果"), null=True, blank=True)

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["collected_at", "id"]
        indexes = [
            models.Index(fields=["case", "kind"], name="evidence_case_kind"),
            models.Index(fields=["fixity_checked_at", "id"], name="evidence_fixity_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=0), name="evidence_size_not_negative"),
            models.CheckConstraint(condition=~Q(sha256=""), name="evidence_has_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("records:evidence", args=[self.pk])

    @property
    def is_av(self) -> bool:
        return self.content_type.startswith(("audio/", "video/"))

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def delete(self, *args, **kwargs):
        raise ImmutableEvidenceError("evidence is never deleted (only by the archive retention rules)")


class EvidenceUpload(models.Model):
    """A resumable upload in progress: bytes arrive in pieces into a partial file outside the storage; the
    evidence row is made only when the last byte is in and the hash checked. Abandoned ones are swept."""

    id = models.UUIDField(primary_key=True)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    size = models.BigIntegerField(_("文件大小"))
    sha256 = models.CharField(_("客户端声明的SHA-256"), max_length=64, blank=True)
    received = models.BigIntegerField(_("已接收字节"), default=0)
    state = models.CharField(_("状态"), max_length=20, choices=UploadState.choices, default=UploadState.OPEN)
    evidence = models.OneToOneField(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("证据上传")
        verbose_name_plural = _("证据上传")
        constraints = [
            models.CheckConstraint(
                condition=Q(received__gte=0) & Q(received__lte=models.F("size")),
                name="upload_received_in_range",
            ),
        ]


class RecordsPolicy(models.Model):
    """The agency's records settings (data the agency sets, not law; defaults in ``rules.RECORDS_DEFAULTS``):
    how long its case files are kept, when openings of evidence are flagged as unusual, and which act of its
    音像记录事项清单 each kind of case record is. Changed only through ``records.policy.set_records_policy``."""

    agency = models.OneToOneField("org.Agency", on_delete=models.PROTECT, related_name="records_policy")
    retention_general = models.PositiveSmallIntegerField(_("一般程序案卷保管期限（年）"))
    retention_simple = models.PositiveSmallIntegerField(_("简易程序案卷保管期限（年）"))
    access_burst_count = models.PositiveIntegerField(_("异常调阅：次数"))
    access_burst_minutes = models.PositiveIntegerField(_("异常调阅：时间（分钟）"))
    record_acts = models.JSONField(_("调查记录对应的音像记录事项"), default=dict)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
