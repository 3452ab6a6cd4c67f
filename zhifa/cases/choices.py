from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    NATURAL = "natural", _("自然人")
    LEGAL = "legal", _("法人")
    OTHER_ORG = "other_org", _("其他组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    PASSPORT = "passport", _("护照")
    OTHER = "other", _("其他证件")


class Source(models.TextChoices):
    INSPECTION = "inspection", _("监督检查")
    COMPLAINT = "complaint", _("投诉举报")
    ASSIGNED = "assigned", _("上级交办")
    REFERRAL = "referral", _("移送")
    RANDOM = "random", _("随机抽查")
    OTHER = "other", _("其他")


class Procedure(models.TextChoices):
    SIMPLE = "simple", _("简易程序")
    GENERAL = "general", _("一般程序")


class ActKind(models.TextChoices):
    """The kinds of enforcement act the platform handles as cases, each with its own table in lifecycle.py."""

    PENALTY = "penalty", _("行政处罚")
    COMPULSION = "compulsion", _("行政强制措施")
    REQUISITION = "requisition", _("行政征用")
    CONFIRMATION = "confirmation", _("行政确认")
    INSPECTION = "inspection", _("行政检查")


class State(models.TextChoices):
    """The states of every act kind's lifecycle (lifecycle.py declares which kind goes through which)."""

    INTAKE = "intake", _("已受理")
    FILING_REQUESTED = "filing_requested", _("立案审批中")
    NOT_FILED = "not_filed", _("不予立案")
    INVESTIGATING = "investigating", _("调查取证")
    INVESTIGATED = "investigated", _("调查终结")
    NOTIFIED = "notified", _("已事先告知")
    HEARING_REQUESTED = "hearing_requested", _("已申请听证")
    HEARING_SCHEDULED = "hearing_scheduled", _("已通知听证")
    HEARING_HELD = "hearing_held", _("已听证")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达")
    EXECUTED = "executed", _("已执行")
    COURT_ENFORCEMENT = "court_enforcement", _("申请法院强制执行")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")
    REVOKED = "revoked", _("已撤销立案")
    TERMINATED = "terminated", _("已终止")
    # 行政强制措施 (查封、扣押; 行政强制法 arts. 18–28).
    MEASURE_REQUESTED = "measure_requested", _("强制措施审批中")
    MEASURE_REFUSED = "measure_refused", _("不予批准强制措施")
    MEASURE_APPROVED = "measure_approved", _("已批准，待实施")
    MEASURE_IN_FORCE = "measure_in_force", _("查封扣押期间")
    MEASURE_RELEASED = "measure_released", _("已解除查封扣押")
    MEASURE_DISPOSED = "measure_disposed", _("已作出查封扣押处理决定")
    # 行政征用 (传染病防治法: 临时征用房屋、交通工具以及相关设施、设备, returned and compensated).
    REQUISITION_REQUESTED = "requisition_requested", _("征用审批中")
    REQUISITION_REFUSED = "requisition_refused", _("不予征用")
    REQUISITION_IN_FORCE = "requisition_in_force", _("征用期间")
    REQUISITION_RETURNED = "requisition_returned", _("已返还，待补偿")
    REQUISITION_COMPENSATED = "requisition_compensated", _("已补偿")
    # 行政确认: on application, examined, decided (确认 or 不予确认), served.
    CONFIRMATION_APPLIED = "confirmation_applied", _("已申请，待审查")
    CONFIRMATION_EXAMINED = "confirmation_examined", _("已审查，待决定")
    CONFIRMATION_DECIDED = "confirmation_decided", _("已作出确认决定")
    CONFIRMATION_SERVED = "confirmation_served", _("确认决定已送达")
    # 行政检查 of a target outside a random-inspection plan (日常检查、专项检查、投诉举报核查).
    INSPECTION_OPEN = "inspection_open", _("检查中")
    INSPECTION_PASSED = "inspection_passed", _("检查合格")
    INSPECTION_ORDERED = "inspection_ordered", _("责令改正，待复查")
    INSPECTION_CORRECTED = "inspection_corrected", _("复查合格")
    INSPECTION_CASE = "inspection_case", _("已移送立案查处")


class Outcome(models.TextChoices):
    """行政处罚法 art. 57: what the investigation leads to."""

    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY_MINOR = "no_penalty_minor", _("违法行为轻微，不予行政处罚")
    NO_PENALTY_UNPROVEN = "no_penalty_unproven", _("违法事实不能成立，不予行政处罚")
    TRANSFER = "transfer", _("涉嫌犯罪，移送司法机关")


class PenaltyKind(models.TextChoices):
    """行政处罚法 art. 9, in rising order of weight (used to tell whether a decision is heavier)."""

    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_LICENSE = "suspend_license", _("暂扣许可证件")
    LOWER_QUALIFICATION = "lower_qualification", _("降低资质等级")
    RESTRICT_BUSINESS = "restrict_business", _("限制开展生产经营活动")
    RESTRICT_PRACTICE = "restrict_practice", _("限制从业")
    SUSPEND_BUSINESS = "suspend_business", _("责令停产停业")
    REVOKE_LICENSE = "revoke_license", _("吊销许可证件")
    CLOSE = "close", _("责令关闭")


class RecordKind(models.TextChoices):
    """Investigation records (调查取证) made while the case is open; and the 行政征用's list of what it takes."""

    INQUIRY = "inquiry", _("询问笔录")
    ONSITE = "onsite", _("现场笔录")
    PRESERVATION = "preservation", _("证据先行登记保存")
    PRESERVATION_DECISION = "preservation_decision", _("先行登记保存证据处理")
    SEIZURE = "seizure", _("查封扣押")
    SEIZURE_EXTENSION = "seizure_extension", _("查封扣押延期")
    SEIZURE_RELEASE = "seizure_release", _("解除查封扣押")
    DELIBERATION = "deliberation", _("合议")
    STATEMENT = "statement", _("陈述和申辩")
    RECHECK = "recheck", _("复核")
    HEARING = "hearing", _("听证")
    # The party's choices after the notice, each a record of its own with the party's signature or the refusal.
    STATEMENT_WAIVER = "statement_waiver", _("放弃陈述申辩")
    HEARING_WAIVER = "hearing_waiver", _("放弃听证")
    HEARING_REQUEST = "hearing_request", _("听证申请")
    REQUISITION = "requisition", _("征用清单")
    EXAMINATION = "examination", _("审查意见")
    SAMPLING = "sampling", _("采样记录")


class ServiceMethod(models.TextChoices):
    """送达 methods (民事诉讼法 arts. 87–95; 行政处罚法 art. 61)."""

    DIRECT = "direct", _("直接送达")
    LEFT = "left", _("留置送达")
    ELECTRONIC = "electronic", _("电子送达")
    POSTAL = "postal", _("邮寄送达")
    ENTRUSTED = "entrusted", _("委托送达")
    PUBLIC_NOTICE = "public_notice", _("公告送达")


class ServiceProofKind(models.TextChoices):
    """How electronic service was recorded (卫生健康行政处罚程序规定 art. 57: 拍照、截屏、录音、录像)."""

    SCREENSHOT = "screenshot", _("截屏")
    PHOTO = "photo", _("拍照")
    AUDIO = "audio", _("录音")
    VIDEO = "video", _("录像")


class PaymentKind(models.TextChoices):
    FINE = "fine", _("罚款")
    SURCHARGE = "surcharge", _("加处罚款")
    CONFISCATION = "confiscation", _("没收违法所得")
