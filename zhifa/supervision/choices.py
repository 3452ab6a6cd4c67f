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
