from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    CONSULTATION = "consultation", _("咨询")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已登记")
    PROCESSING = "processing", _("办理中")
    ANSWERED = "answered", _("已办结")
    REJECTED = "rejected", _("不予受理")


class PublicationKind(models.TextChoices):
    """Which period applies (国办发〔2018〕118号; law-facts.md §2.1): a penalty decision within 7 working days, other
    enforcement decisions within 20 — the deadline kinds ``publication_penalty`` and ``publication_other``."""

    PENALTY = "penalty", _("行政处罚决定")
    OTHER = "other", _("其他行政执法决定")


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("待编辑")
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已公开")
    WITHDRAWN = "withdrawn", _("已撤回")
    OFFLINE = "offline", _("已到期下线")
    NOT_PUBLISHED = "not_published", _("不予公开")
