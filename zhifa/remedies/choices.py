from django.db import models
from django.utils.translation import gettext_lazy as _


class RemedyKind(models.TextChoices):
    """The two remedies a party has against a decision (行政处罚法 art. 7; 行政复议法; 行政诉讼法)."""

    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class RemedyOutcome(models.TextChoices):
    """How a 复议 or 诉讼 ended (行政复议法 arts. 63–69; 行政诉讼法 arts. 69–77, 62)."""

    UPHELD = "upheld", _("维持")
    VARIED = "varied", _("变更")
    ANNULLED = "annulled", _("撤销")
    UNLAWFUL = "unlawful", _("确认违法")
    VOID = "void", _("确认无效")
    DISMISSED = "dismissed", _("驳回")
    WITHDRAWN = "withdrawn", _("撤回")
