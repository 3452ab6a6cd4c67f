"""The 行政征用's forms (传染病防治法's temporary requisition, returned and compensated), declared once for the pages
and the API: the registration (a new act) and the steps of ``lifecycle.REQUISITION_STEPS``, which ``forms.SPECS``
takes in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import actions
from .choices import Source
from .forms import HEAD, ActionSpec, F, _choices

OPEN_FIELDS = (
    F("party", _("被征用人"), "party"),
    F("cause", _("事由（如：新冠肺炎疫情防控临时隔离场所）")),
    F("source", _("来源"), "choice", choices=_choices(Source)),
    F("source_detail", _("来源说明"), required=False),
    F("field", _("执法领域"), "field"),
    F("unit", _("承办机构"), "unit"),
    F("officers", _("承办人员（至少两名持证执法人员，第一位为主办）"), "people"),
    F("summary", _("征用理由（疫情情况和控制需要）"), "textarea"),
    F(
        "basis",
        _("法律依据"),
        "textarea",
        help=_("如《中华人民共和国传染病防治法》关于临时征用房屋、交通工具以及相关设施、设备的规定"),
    ),
    F(
        "requisitioned",
        _("征用清单（每行一项：名称｜规格｜数量｜生产者｜生产日期｜编号）"),
        "textarea",
    ),
    F("place", _("地点"), required=False),
)
OPEN = ActionSpec("open_requisition", _("登记征用"), OPEN_FIELDS, None)

REQUISITION_SPECS: dict[str, ActionSpec] = {
    s.action: s
    for s in [
        ActionSpec(
            "decide_requisition",
            _("作出征用决定"),
            (F("opinion", _("审批意见"), "textarea"),),
            lambda a, c, d: actions.decide_requisition(a, c, opinion=d["opinion"]),
            HEAD,
            _("以已定稿的行政征用决定书作出决定；决定自作出之日起二十个工作日内公开。"),
        ),
        ActionSpec(
            "refuse_requisition",
            _("不予征用"),
            (F("reason", _("不予征用的理由"), "textarea"),),
            lambda a, c, d: actions.refuse_requisition(a, c, reason=d["reason"]),
            HEAD,
        ),
        ActionSpec(
            "return_requisition",
            _("返还被征用财物"),
            (
                F("returned_on", _("返还日期"), "date", required=False),
                F("note", _("说明"), "textarea", required=False),
            ),
            lambda a, c, d: actions.return_requisition(
                a, c, returned_on=d.get("returned_on"), note=d.get("note") or ""
            ),
            description=_("能返还的，应当及时返还；被征用人在征用财物返还清单上签收。"),
        ),
        ActionSpec(
            "compensate_requisition",
            _("作出征用补偿决定"),
            (F("compensated_on", _("补偿决定日期"), "date", required=False),),
            lambda a, c, d: actions.compensate_requisition(a, c, compensated_on=d.get("compensated_on")),
            HEAD,
            _("补偿金额以已定稿的征用补偿决定书为准（依法给予补偿）。"),
        ),
    ]
}
