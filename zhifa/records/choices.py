"""Enumerations of the records app: the kinds of 执法文书, their states and the ways they are signed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The health enforcement documents of 《卫生行政执法文书规范》 the platform produces (law-facts §3.2).

    What each kind needs (case states, 文号 or 编号, signatures, seal, narrative fields) is declared once, in
    ``kinds.KINDS``.
    """

    INTAKE_RECORD = "intake_record", _("案件受理记录")
    FILING_REPORT = "filing_report", _("立案报告")
    ONSITE_RECORD = "onsite_record", _("现场笔录")
    INQUIRY_RECORD = "inquiry_record", _("询问笔录")
    PRESERVATION_DECISION = "preservation_decision", _("证据先行登记保存决定书")
    SEIZURE_DECISION = "seizure_decision", _("查封扣押决定书")
    INVESTIGATION_REPORT = "investigation_report", _("案件调查终结报告")
    DELIBERATION_RECORD = "deliberation_record", _("合议记录")
    APPROVAL_FORM = "approval_form", _("卫生行政执法事项审批表")
    PRIOR_NOTICE = "prior_notice", _("行政处罚事先告知书")
    STATEMENT_RECORD = "statement_record", _("陈述和申辩笔录")
    HEARING_RIGHTS = "hearing_rights", _("行政处罚听证告知书")
    HEARING_NOTICE = "hearing_notice", _("行政处罚听证通知书")
    HEARING_RECORD = "hearing_record", _("听证笔录")
    HEARING_REPORT = "hearing_report", _("听证意见书")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
    NO_PENALTY_DECISION = "no_penalty_decision", _("不予行政处罚决定书")
    TRANSFER_LETTER = "transfer_letter", _("案件移送书")
    ON_THE_SPOT_DECISION = "on_the_spot_decision", _("当场行政处罚决定书")
    SERVICE_RECEIPT = "service_receipt", _("送达回执")
    DEMAND = "demand", _("催告书")
    ENFORCEMENT_APPLICATION = "enforcement_application", _("强制执行申请书")
    CLOSING_REPORT = "closing_report", _("结案报告")
    SUPERVISION_OPINION = "supervision_opinion", _("卫生监督意见书")
    # 行政强制措施 (行政强制法 arts. 25, 27–28)
    SEIZURE_EXTENSION_NOTICE = "seizure_extension_notice", _("查封扣押延期通知书")
    SEIZURE_RELEASE = "seizure_release", _("解除查封扣押决定书")
    SEIZURE_DISPOSAL = "seizure_disposal", _("查封扣押处理决定书")
    # 行政征用 (传染病防治法: 临时征用、返还、补偿)
    REQUISITION_DECISION = "requisition_decision", _("行政征用决定书")
    REQUISITION_RETURN = "requisition_return", _("征用财物返还清单")
    REQUISITION_COMPENSATION = "requisition_compensation", _("征用补偿决定书")
    CONFIRMATION_DECISION = "confirmation_decision", _("行政确认决定书")
    SAMPLING_RECORD = "sampling_record", _("采样记录")
    TEST_RESULT_NOTICE = "test_result_notice", _("检验结果告知书")


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FINAL = "final", _("已定稿")
    DISCARDED = "discarded", _("已作废草稿")


class SignatureRole(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    HEAD = "head", _("负责人")
    PARTY = "party", _("当事人")


class SignatureMethod(models.TextChoices):
    ACCOUNT = "account", _("账号电子签名")
    HANDWRITTEN = "handwritten", _("手写签名（触屏）")
    SCAN = "scan", _("签字纸质件扫描件")
    REFUSED = "refused", _("拒绝签名（见证人在场）")


class EvidenceKind(models.TextChoices):
    """证据种类 (《行政处罚法》第四十六条)."""

    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    STATEMENT = "statement", _("当事人的陈述")
    EXPERT = "expert", _("鉴定意见")
    INSPECTION = "inspection", _("勘验笔录、现场笔录")


class Secrecy(models.TextChoices):
    """Records holding secrets are marked and open only to the case's officers, its reviewers, heads and
    supervisors (requirements §2 归档)."""

    NONE = "", _("无")
    STATE = "state", _("国家秘密")
    COMMERCIAL = "commercial", _("商业秘密")
    PRIVACY = "privacy", _("个人隐私")


class UploadState(models.TextChoices):
    OPEN = "open", _("上传中")
    DONE = "done", _("已完成")
    ABANDONED = "abandoned", _("已放弃")
