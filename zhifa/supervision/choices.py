from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ItemGroup(models.TextChoices):
    """The parts of a 评查标准: the veto items of the 基本标准, and the points for 卷面 and 内容."""

    BASIC = "basic", _("基本标准（否决项）")
    FORM = "form", _("卷面")
    CONTENT = "content", _("内容")


class Verdict(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", pgettext_lazy("评查结论", "不适用")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class EvaluationState(models.TextChoices):
    OPEN = "open", _("待抽样")
    DRAWN = "drawn", _("评查中")
    FINISHED = "finished", _("评查完成")


class RectificationState(models.TextChoices):
    OPEN = "open", _("整改中")
    SUBMITTED = "submitted", _("待核验")
    VERIFIED = "verified", _("已整改")


class Measure(models.TextChoices):
    """问责 measures for officers of an agency, as the provinces' 行政执法责任追究 rules list them (the platform
    records the decision the competent body took; it takes none itself)."""

    CRITICISM = "criticism", _("批评教育")
    SELF_EXAMINATION = "self_examination", _("责令作出书面检查")
    CIRCULAR = "circular", _("通报批评")
    ADMONITION = "admonition", _("诫勉谈话")
    SUSPEND_CERTIFICATE = "suspend_certificate", _("暂扣行政执法证件")
    REMOVE_FROM_POST = "remove_from_post", _("调离行政执法岗位")
    DISCIPLINE = "discipline", _("移送有权机关依法给予处分")


class InspectionState(models.TextChoices):
    PREPARED = "prepared", _("待签发")
    SIGNED = "signed", _("已签发")


class InspectionArea(models.TextChoices):
    """The parts of a quarterly publicity inspection (每季度网上巡查)."""

    LISTS = "lists", _("事前公开清单")
    OFFICERS = "officers", _("执法人员")
    PUBLICATIONS = "publications", _("事后公开")
    COMPLAINTS = "complaints", _("投诉举报答复")
    OTHER = "other", _("其他")


class LineResult(models.TextChoices):
    OK = "ok", _("符合")
    PROBLEM = "problem", _("问题")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("季度")
    HALF = "half", _("半年")
    YEAR = "year", _("年度")
