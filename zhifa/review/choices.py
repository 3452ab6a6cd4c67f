from django.db import models
from django.utils.translation import gettext_lazy as _


class CriterionKind(models.TextChoices):
    """What a line of the 重大执法决定法制审核事项清单 tests (the agency's list is data)."""

    GENERAL_PENALTY = "general_penalty", _("一般程序行政处罚决定")
    LEVEL = "level", _("执法层级")
    FIELD = "field", _("所属领域")
    PENALTY_KIND = "penalty_kind", _("处罚种类")
    LARGE_FINE = "large_fine", _("较大数额罚款")
    CONFISCATION = "confiscation", _("较大数额没收")
    HEARING_HELD = "hearing_held", _("经过听证程序")
    COMPLEX = "complex", _("案情疑难复杂、涉及多个法律关系")
    PUBLIC_INTEREST = "public_interest", _("涉及重大公共利益")
    OUTCOME = "outcome", _("处理结果")
    ITEM = "item", _("执法事项")


class AppliesTo(models.TextChoices):
    REVIEW = "review", _("法制审核")
    COLLECTIVE = "collective", _("集体讨论")


class ReviewMode(models.TextChoices):
    SINGLE = "single", _("独任审核")
    COLLEGIAL = "collegial", _("合议审核")


class SubmissionState(models.TextChoices):
    PENDING = "pending", _("审核中")
    APPROVED = "approved", _("同意")
    PROBLEMS = "problems", _("存在问题")
    WITHDRAWN = "withdrawn", _("已撤回")


class Outcome(models.TextChoices):
    AGREE = "agree", _("同意")
    PROBLEMS = "problems", _("存在问题")


class PointResult(models.TextChoices):
    PASS = "pass", _("符合")
    PROBLEM = "problem", _("存在问题")


class CoordinationOutcome(models.TextChoices):
    UPHOLD_REVIEW = "uphold_review", _("维持审核意见，承办机构整改后重新送审")
    REFER_DISCUSSION = "refer_discussion", _("提交负责人集体讨论决定")


class DiscussionOutcome(models.TextChoices):
    AGREE = "agree", _("同意按拟处理意见作出决定")
    REJECT = "reject", _("不同意，退回承办机构")


class Vote(models.TextChoices):
    AGREE = "agree", _("同意")
    REJECT = "reject", _("不同意")


class DiscussionState(models.TextChoices):
    OPEN = "open", _("讨论中")
    CONCLUDED = "concluded", _("已作出结论")
