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
