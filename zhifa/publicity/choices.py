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


class NotPublishedGround(models.TextChoices):
    """Why a decision is not published (issue 15 item 1; law-facts.md §6): 《政府信息公开条例》第十四条 (state secrets;
    information whose disclosure would endanger national, public or economic security or social stability), 第十五条
    (trade secrets and personal privacy whose disclosure would harm third parties), 《未成年人保护法》第四条、第一百零三条
    (a minor's identity is protected), the agency's own policy on kinds of decisions, and a decision changed or annulled
    before it was published (《行政处罚法》第四十八条; recorded by the outcome itself)."""

    MINOR = "minor", _("当事人是未成年人（《未成年人保护法》第一百零三条）")
    SECRET = "secret", _("涉及国家秘密、商业秘密（《政府信息公开条例》第十四条、第十五条）")
    SECURITY = (
        "security",
        _("公开后可能危及国家安全、公共安全、经济安全、社会稳定（《政府信息公开条例》第十四条）"),
    )
    POLICY = "policy", _("属于本执法主体规定不公开的决定类别")
    CHANGED = "changed", _("决定在公开前被变更、撤销或者确认违法、无效（《行政处罚法》第四十八条）")
