"""The case file: parties (当事人), penalty cases (行政处罚案件), their records, service and payments."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    ActKind,
    IdType,
    Outcome,
    PartyKind,
    PaymentKind,
    Procedure,
    RecordKind,
    ServiceMethod,
    ServiceProofKind,
    Source,
    State,
)
from .rules import default_heavier_kinds, default_property_value

MONEY = {"max_digits": 14, "decimal_places": 2}


class Party(models.Model):
    """当事人: one record per agency, reused across that agency's cases (集中·同一执法对象)."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("当事人类型"), max_length=20, choices=PartyKind.choices)
    name = models.CharField(_("名称或姓名"), max_length=200)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=40)
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)
    address = models.CharField(_("住所（地址）"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "id_type", "id_number"], name="party_unique_id_in_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_natural_person(self) -> bool:
        return self.kind == PartyKind.NATURAL


class PartyConnection(models.Model):
    """A declared connection between a person of the agency and a party: grounds for 回避 (art. 43)."""

    person = models.ForeignKey(
        "org.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="connections"
    )
    relation = models.CharField(_("关系"), max_length=200)
    declared_at = models.DateTimeField(_("申报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("利害关系申报")
        verbose_name_plural = _("利害关系申报")
        constraints = [models.UniqueConstraint(fields=["person", "party"], name="connection_once")]


class Case(models.Model):
    """A 行政处罚 case from intake to archive. Its state changes only through cases.actions."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("案件编号"), max_length=40)
    cause = models.CharField(_("案由"), max_length=200)
    source = models.CharField(_("案件来源"), max_length=20, choices=Source.choices)
    source_detail = models.CharField(_("来源说明"), max_length=300, blank=True)
    complaint_receipt = models.CharField(_("关联投诉举报回执号"), max_length=40, blank=True)
    field = models.ForeignKey(
        "org.EnforcementField", verbose_name=_("执法领域"), on_delete=models.PROTECT, related_name="+"
    )
    items = models.JSONField(_("执法事项"), default=list, blank=True, help_text=_("执法事项清单中的事项编码"))
    party = models.ForeignKey(Party, verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="+"
    )
    officers = models.ManyToManyField(
        "org.Person", verbose_name=_("承办人员"), through="CaseOfficer", related_name="handled_cases"
    )
    procedure = models.CharField(
        _("程序"), max_length=10, choices=Procedure.choices, default=Procedure.GENERAL
    )
    act_kind = models.CharField(
        _("执法行为"), max_length=20, choices=ActKind.choices, default=ActKind.PENALTY
    )
    state = models.CharField(_("状态"), max_length=30, choices=State.choices, default=State.INTAKE)
    summary = models.TextField(_("案情摘要"))
    place = models.CharField(_("案发地点"), max_length=200, blank=True)
    violation_date = models.DateField(_("违法行为发生日期"))
    violation_ended = models.DateField(_("连续或继续状态终了日期"), null=True, blank=True)
    life_health_harm = models.BooleanField(
        _("涉及公民生命健康安全且有危害后果"),
        default=False,
        help_text=_("追责时效为五年（《行政处罚法》第三十六条）"),
    )

    accepted_on = models.DateField(_("受理日期"))
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    filing_opinion = models.TextField(_("负责人立案意见"), blank=True)
    not_filed_reason = models.TextField(_("不予立案理由"), blank=True)
    investigation_closed_on = models.DateField(_("调查终结日期"), null=True, blank=True)

    # The draft of the decision: what the investigation proposes; frozen into the notice and the decision.
    outcome = models.CharField(_("处理意见"), max_length=30, choices=Outcome.choices, blank=True)
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, blank=True)
    fine_amount = models.DecimalField(_("罚款金额（元）"), default=Decimal("0"), **MONEY)
    confiscation_amount = models.DecimalField(_("没收违法所得金额（元）"), default=Decimal("0"), **MONEY)
    # 没收非法财物: the value of the property, which decides the hearing right (行政处罚法 art. 63(2)).
    confiscated_property_value = models.DecimalField(
        _("没收非法财物价值（元）"), default=Decimal("0"), **MONEY
    )
    facts = models.TextField(_("违法事实"), blank=True)
    evidence_summary = models.TextField(_("证据"), blank=True)
    violated_provisions = models.TextField(_("违反的条款"), blank=True)
    penalty_provisions = models.TextField(_("处罚依据"), blank=True)
    discretion = models.TextField(_("裁量说明"), blank=True)
    transfer_to = models.CharField(_("移送机关"), max_length=200, blank=True)
    complex_case = models.BooleanField(_("案情疑难复杂或涉及多个法律关系"), default=False)
    complex_reason = models.CharField(_("疑难复杂理由"), max_length=300, blank=True)
    public_interest = models.BooleanField(_("涉及重大公共利益"), default=False)
    public_interest_reason = models.CharField(_("重大公共利益说明"), max_length=300, blank=True)

    notice_snapshot = models.JSONField(_("事先告知内容"), null=True, blank=True)
    notice_on = models.DateField(_("事先告知送达日期"), null=True, blank=True)
    hearing_eligible = models.BooleanField(_("可以要求听证"), default=False)
    statement_waived = models.BooleanField(_("当事人明确放弃陈述申辩"), default=False)
    hearing_waived = models.BooleanField(_("当事人明确放弃听证"), default=False)
    extension_request = models.JSONField(
        _("待审批的延长办案期限申请"), null=True, blank=True, help_text=_("天数、理由、申请人、申请日期")
    )

    hearing_requested_on = models.DateField(_("听证申请日期"), null=True, blank=True)
    hearing_notice_on = models.DateField(_("听证通知日期"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_place = models.CharField(_("听证地点"), max_length=200, blank=True)
    hearing_chair = models.ForeignKey(
        "org.Person",
        verbose_name=_("听证主持人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    decision_snapshot = models.JSONField(_("决定内容"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("签发负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    payment_due = models.DateField(_("缴款期限"), null=True, blank=True)
    deferred_until = models.DateField(_("延期缴纳至"), null=True, blank=True)
    instalments = models.JSONField(_("分期缴纳计划"), default=list, blank=True)
    # 暂缓或分期缴纳 (art. 66): approved by the head on the party's application; who, when and why.
    payment_plan_approved_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("批准延期或分期缴纳的负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    payment_plan_approved_on = models.DateField(_("批准延期或分期缴纳日期"), null=True, blank=True)
    payment_plan_reason = models.CharField(_("延期或分期缴纳理由"), max_length=300, blank=True)
    demand_served_on = models.DateField(_("催告书送达日期"), null=True, blank=True)
    court_applied_on = models.DateField(_("申请法院强制执行日期"), null=True, blank=True)
    executed_on = models.DateField(_("执行完毕日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    close_report = models.TextField(_("结案报告"), blank=True)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    end_reason = models.TextField(_("撤销立案或终止理由"), blank=True)

    # 行政强制措施 (查封、扣押): the head's approval beforehand, or within 24 hours after in an emergency (行政强制法
    # arts. 18–19); the case opened from it (移送立案查处).
    confirmed = models.BooleanField(
        _("确认结果"), null=True, blank=True, help_text=_("行政确认：确认或不予确认")
    )
    compensation_amount = models.DecimalField(_("征用补偿金额（元）"), null=True, blank=True, **MONEY)
    measure_basis = models.TextField(_("实施强制措施的理由和依据"), blank=True)
    emergency = models.BooleanField(_("情况紧急，当场实施后补办批准"), default=False)
    measure_approved_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("批准实施强制措施的负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measure_approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    measure_opinion = models.TextField(_("负责人审批意见"), blank=True)
    carried_out_at = models.DateTimeField(_("实施时间"), null=True, blank=True)
    ended_on = models.DateField(_("解除或处理日期"), null=True, blank=True)
    origin = models.ForeignKey(
        "self",
        verbose_name=_("来源强制措施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
    )

    suspended_since = models.DateField(_("中止日期"), null=True, blank=True)
    suspension_reason = models.CharField(_("中止原因"), max_length=300, blank=True)
    suspended_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("中止批准人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    created_by = models.ForeignKey(
        "org.Person", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-accepted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "reference"], name="case_reference_unique"),
            models.CheckConstraint(
                condition=Q(fine_amount__gte=0) & Q(confiscation_amount__gte=0),
                name="case_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(confiscated_property_value__gte=0), name="case_property_value_not_negative"
            ),
            # 行政处罚法 art. 62: no penalty decision exists without a notice, unless the party waived.
            models.CheckConstraint(
                condition=Q(decision_snapshot__isnull=True)
                | ~Q(outcome="penalty")
                | Q(notice_snapshot__isnull=False)
                | Q(procedure="simple"),
                name="penalty_decision_needs_notice",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state"], name="case_agency_state"),
            models.Index(fields=["agency", "-accepted_on"], name="case_agency_accepted"),
            # the list of one act kind (the rare kinds among a million penalty cases)
            models.Index(fields=["act_kind", "agency", "-accepted_on"], name="case_kind_accepted"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.cause}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])

    @property
    def carried_on(self):
        """The day a compulsory measure was carried out (its documents are dated on or after it)."""
        return timezone.localdate(self.carried_out_at) if self.carried_out_at else None

    @property
    def is_penalty(self) -> bool:
        return self.act_kind == ActKind.PENALTY


class CaseOfficer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="officer_links")
    person = models.ForeignKey(
        "org.Person", verbose_name=_("承办人员"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.BooleanField(_("主办"), default=False)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="case_officer_once")]


class CaseRecord(models.Model):
    """A record made in the investigation and after: 询问笔录, 现场笔录, 先行登记保存, 查封扣押, 合议, 陈述申辩, 听证…

    ``data`` holds the kind's structured fields (the officer's narrative). ``certificates_shown`` is the 事中公示
    trace: which enforcement certificates were shown to the party on site.
    """

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("类型"), max_length=30, choices=RecordKind.choices)
    data = models.JSONField(_("内容"), default=dict)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    officers = models.ManyToManyField("org.Person", verbose_name=_("执法人员"), related_name="+")
    certificates_shown = models.ManyToManyField(
        "org.Certificate", verbose_name=_("出示的执法证"), related_name="+"
    )
    approved_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("批准负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("期限"), null=True, blank=True)
    created_by = models.ForeignKey(
        "org.Person", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")
        ordering = ["started_at", "id"]


class Recusal(models.Model):
    """回避 (行政处罚法 art. 43): applied for by the party or declared by the officer, decided by the head."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recusals")
    person = models.ForeignKey(
        "org.Person", verbose_name=_("回避人员"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("理由"), max_length=300)
    applied_by_party = models.BooleanField(_("当事人申请"), default=False)
    granted = models.BooleanField(_("决定回避"), null=True)
    decided_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)


class Service(models.Model):
    """送达: how and when a document reached the party."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="services")
    document = models.CharField(_("送达文书"), max_length=40)
    method = models.CharField(_("送达方式"), max_length=20, choices=ServiceMethod.choices)
    delivered_on = models.DateField(_("送达（交付、邮寄、公告）日期"))
    served_on = models.DateField(_("视为送达日期"))
    recipient = models.CharField(_("签收人"), max_length=100, blank=True)
    witness = models.CharField(_("见证人"), max_length=100, blank=True)
    recording = models.CharField(_("音像记录"), max_length=200, blank=True)
    consent = models.CharField(_("电子送达确认书"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # A failed attempt (未能送达) is kept: 公告送达 needs the record to show the other methods failed.
    failed = models.BooleanField(_("未能送达"), default=False)
    # The proof of electronic service (卫生健康行政处罚程序规定 art. 57: 拍照、截屏、录音、录像), a checked
    # upload kept in storage; its SHA-256 is in the ledger entry of the service.
    proof_kind = models.CharField(
        _("送达凭证类型"), max_length=20, choices=ServiceProofKind.choices, blank=True
    )
    proof_name = models.CharField(_("送达凭证文件"), max_length=200, blank=True)
    proof_sha256 = models.CharField(_("送达凭证 SHA-256"), max_length=64, blank=True)
    recorded_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["delivered_on", "id"]


class Payment(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("款项"), max_length=20, choices=PaymentKind.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("缴纳日期"))
    receipt_number = models.CharField(_("缴款凭证号"), max_length=60)
    recorded_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]


class HearingPolicy(models.Model):
    """The agency's 较大数额 thresholds for hearing rights (行政处罚法 art. 63): data the agency sets."""

    agency = models.OneToOneField("org.Agency", on_delete=models.PROTECT, related_name="hearing_policy")
    fine_person = models.DecimalField(_("较大数额罚款：自然人（元）"), **MONEY)
    fine_organisation = models.DecimalField(_("较大数额罚款：法人或其他组织（元）"), **MONEY)
    confiscation = models.DecimalField(_("较大数额没收违法所得（元）"), **MONEY)
    property_value = models.DecimalField(
        _("较大价值没收非法财物（元）"), default=default_property_value, **MONEY
    )
    # 其他较重的行政处罚 (art. 63(5)): the kinds the agency (following its province) counts as heavier.
    heavier_kinds = models.JSONField(_("其他较重的行政处罚种类"), default=default_heavier_kinds, blank=True)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)


class ExtensionPolicy(models.Model):
    """The agency's rule for extending the 90-day decision period (行政处罚法 art. 60 lets laws, regulations and
    rules say otherwise; national law fixes no count, length, approver or reasons, so they are agency data). With no
    row, ``rules.EXTENSION_DEFAULTS`` applies."""

    agency = models.OneToOneField("org.Agency", on_delete=models.PROTECT, related_name="extension_policy")
    max_count = models.PositiveSmallIntegerField(_("最多延长次数"))
    max_days = models.PositiveIntegerField(_("每次最多延长天数"))
    approver_role = models.CharField(_("批准人"), max_length=20)
    reasons = models.JSONField(_("可以延长的理由"), default=list)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("延长办案期限规则")
        verbose_name_plural = _("延长办案期限规则")
        constraints = [
            models.CheckConstraint(condition=Q(max_days__gte=1), name="extension_policy_days_positive"),
        ]


class SimpleFiling(models.Model):
    """备案 of an on-the-spot decision with the agency (行政处罚法 art. 52): the officer who handed it in, the unit head
    or head who acknowledged it (the one who records it), and when."""

    case = models.OneToOneField(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="simple_filing"
    )
    filed_on = models.DateField(_("备案日期"))
    officer = models.ForeignKey(
        "org.Person", verbose_name=_("报送备案的执法人员"), on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        "org.Person", verbose_name=_("接收备案的负责人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("当场处罚决定备案")
        verbose_name_plural = _("当场处罚决定备案")


class SpotCollection(models.Model):
    """当场收缴罚款 (arts. 68–71): the amount, the finance department's receipt, the ground, and its hand-in to the
    agency within two working days (art. 71, art. 85)."""

    case = models.OneToOneField(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="spot_collection"
    )
    payment = models.OneToOneField(
        Payment, verbose_name=_("缴款记录"), on_delete=models.PROTECT, related_name="spot_collection"
    )
    amount = models.DecimalField(_("收缴金额（元）"), **MONEY)
    receipt_number = models.CharField(_("专用票据号码"), max_length=60)
    ground = models.CharField(_("当场收缴的情形"), max_length=20)
    reason = models.CharField(_("具体情况"), max_length=300, blank=True)
    party_requested = models.BooleanField(_("经当事人提出"), default=False)
    collected_on = models.DateField(_("收缴日期"))
    collected_by = models.ForeignKey(
        "org.Person", verbose_name=_("收缴的执法人员"), on_delete=models.PROTECT, related_name="+"
    )
    handed_in_on = models.DateField(_("交至行政机关日期"), null=True, blank=True)
    handed_in_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("交款的执法人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hand_in_note = models.CharField(_("交款备注"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("当场收缴罚款")
        verbose_name_plural = _("当场收缴罚款")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="spot_collection_positive")]
