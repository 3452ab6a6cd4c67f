"""投诉举报和咨询 submitted on the public portal, with their attachments and their progress.

The complainant's identity and contact data are seen by the agency's staff only, never on the portal.
The query code given to the submitter is stored as a salted slow hash, never in clear.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.org.models import Agency, Person

from .choices import ComplaintKind, ComplaintStatus, NotPublishedGround, PublicationKind, PublicationState
from .search import SearchTextField


class Complaint(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="complaints"
    )
    receipt_number = models.CharField(_("受理编号"), max_length=20, unique=True)
    # Named like the org app's token hash so ledger snapshots leave it out (core.snapshot.SECRET_FIELDS).
    key_hash = models.CharField(_("查询码摘要"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=ComplaintKind.choices)
    subject = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"))
    item_code = models.CharField(_("涉及执法事项"), max_length=40, blank=True)
    target = models.CharField(_("被投诉举报对象"), max_length=200, blank=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    reply = models.TextField(_("答复"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    handled_by = models.ForeignKey(
        Person, verbose_name=_("办理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"], name="complaint_agency_status")]

    def __str__(self) -> str:
        return self.receipt_number


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="complaints/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("摘要"), max_length=64)

    class Meta:
        verbose_name = _("投诉举报附件")
        verbose_name_plural = _("投诉举报附件")
        ordering = ["complaint", "id"]

    def __str__(self) -> str:
        return self.original_name


class ComplaintEvent(models.Model):
    """One step of a complaint's progress. ``public`` notes are shown on the status page."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=20, choices=ComplaintStatus.choices)
    note = models.TextField(_("说明"), blank=True)
    public = models.BooleanField(_("向提交人公开"), default=True)
    actor = models.ForeignKey(
        Person, verbose_name=_("办理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["complaint", "at", "id"]


class Publication(models.Model):
    """事后公开 of one decision: opened by the decision itself (``publicity.publication.open_for_decision``, in the
    decision's transaction), due by the deadline of its kind (a workdays Deadline whose target is this row)."""

    agency = models.ForeignKey(Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="publication"
    )
    kind = models.CharField(_("公开类别"), max_length=20, choices=PublicationKind.choices)
    state = models.CharField(
        _("状态"), max_length=20, choices=PublicationState.choices, default=PublicationState.DRAFT
    )
    decided_on = models.DateField(_("决定日期"))
    due_on = models.DateField(_("公开期限"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # The public text as submitted for review (the decision's text with personal information removed), the
    # removals the reviewer checks, and the text's SHA-256 (in the ledger with each step).
    text = models.TextField(_("公开文本"), blank=True)
    removals = models.JSONField(_("去除的内容"), default=list, blank=True)
    text_sha256 = models.CharField(_("公开文本 SHA-256"), max_length=64, blank=True)
    submitted_by = models.ForeignKey(
        Person, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        Person, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # The SHA-256 of the decision's original text the removals' offsets refer to (the removals keep no removed
    # text: what is in this row, and so in the ledger's public entries, is what the public may read).
    source_sha256 = models.CharField(_("决定书原文 SHA-256"), max_length=64, blank=True)
    # What the portal shows above the text (决定书文号, the party as published, 执法类别, 执法结论, basis, agency,
    # date), taken from the case when the text is submitted.
    summary = models.JSONField(_("公开摘要"), default=dict, blank=True)
    # The search words of the published summary and text and its filter words (character pairs and tags,
    # ``publicity.search``), indexed by SQLite FTS5 or, on PostgreSQL, a GIN-indexed word array (migration 0009).
    search_text = SearchTextField(_("检索词"), blank=True)
    # The filter words alone (act kind, penalty kinds, items, outcome, the whole 文号): on PostgreSQL a small word array
    # of their own (migration 0010), so a filter does not unpack every decision's text words (docs/publication.md).
    facets = SearchTextField(_("筛选标记"), blank=True)
    # 撤回 (行政处罚法 art. 48): due 3 working days after the decision was changed or annulled; the reason is public.
    withdrawal_due_on = models.DateField(_("撤回期限"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Person, verbose_name=_("撤回人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    public_reason = models.TextField(_("撤回或不予公开的理由（公开）"), blank=True)
    # 到期下线: the day the published decision comes off the portal (the agency's retention period for its penalty
    # kinds, from the release date), set when it is released; taken offline by the periodic task.
    offline_on = models.DateField(_("下线日期"), null=True, blank=True)
    offline_at = models.DateTimeField(_("下线时间"), null=True, blank=True)
    not_published_ground = models.CharField(
        _("不予公开的依据"), max_length=20, choices=NotPublishedGround.choices, blank=True
    )
    not_published_by = models.ForeignKey(
        Person,
        verbose_name=_("批准不予公开的负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("决定公开")
        verbose_name_plural = _("决定公开")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["agency", "state", "due_on"], name="publication_agency_state_due"),
            # The staff list (决定公开) of an agency by due date, every state.
            models.Index(fields=["agency", "due_on", "id"], name="publication_agency_due"),
            # The portal's list: what is public, newest decision first, across agencies or in one.
            models.Index(fields=["state", "decided_on", "id"], name="publication_public"),
            models.Index(fields=["agency", "state", "decided_on", "id"], name="publication_agency_public"),
            models.Index(fields=["state", "offline_on"], name="publication_offline"),
        ]

    def __str__(self) -> str:
        return self.case.reference

    # Not yet published: the states in which a publication can be late.
    OPEN_STATES = (PublicationState.DRAFT, PublicationState.PENDING)

    # On the portal: published, or withdrawn (shown with its notice).
    PUBLIC_STATES = (PublicationState.PUBLISHED, PublicationState.WITHDRAWN)

    def is_late(self, today) -> bool:
        return self.state in self.OPEN_STATES and self.due_on < today

    def withdrawal_late(self, today) -> bool:
        return (
            self.state == PublicationState.PUBLISHED
            and self.withdrawal_due_on is not None
            and self.withdrawal_due_on < today
        )


class PublicationPolicy(models.Model):
    """The agency's 事后公开 settings (data the agency sets; defaults in ``rules.PUBLICATION_DEFAULTS``): how a
    natural person is named in what is published, and how long a decision stays online. Changed only through
    ``publicity.policy.set_publication_policy``."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, related_name="publication_policy")
    person_name = models.CharField(_("自然人当事人姓名"), max_length=20)
    retention_months = models.PositiveSmallIntegerField(_("公开期限（月）"))
    short_retention_months = models.PositiveSmallIntegerField(_("较轻处罚的公开期限（月）"))
    short_kinds = models.JSONField(_("适用较短公开期限的处罚种类"), default=list)
    small_fine_limit = models.DecimalField(_("较低数额罚款（元，不超过）"), max_digits=14, decimal_places=2)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("决定公开设置")
        verbose_name_plural = _("决定公开设置")

    def __str__(self) -> str:
        return str(self.agency)


class AnnualReport(models.Model):
    """年度统计 of one agency for one year (issue 15 item 6): the figures (``publicity.statistics.figures``) generated
    by a task, reviewed by the agency and published on the portal by its head by 31 January."""

    class State(models.TextChoices):
        DRAFT = "draft", _("待发布")
        PUBLISHED = "published", _("已发布")

    agency = models.ForeignKey(Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    data = models.JSONField(_("统计数据"), default=dict, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    note = models.TextField(_("说明（公开）"), blank=True)
    published_by = models.ForeignKey(
        Person, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度统计")
        verbose_name_plural = _("年度统计")
        ordering = ["-year", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annual_report_one_per_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"
