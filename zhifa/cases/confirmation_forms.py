"""The 行政确认's forms, declared once for the pages and the API: the application (a new act) and the steps of
``lifecycle.CONFIRMATION_STEPS``, which ``forms.SPECS`` takes in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import actions
from .choices import ServiceMethod, Source
from .forms import HEAD, ActionSpec, F, _choices

OPEN_FIELDS = (
    F("party", _("申请人"), "party"),
    F("cause", _("确认事项（如：农村部分计划生育家庭奖励扶助对象资格确认）")),
    F("source", _("来源"), "choice", choices=_choices(Source)),
    F("items", _("执法事项"), "items", required=False),
    F("field", _("执法领域"), "field"),
    F("unit", _("承办机构"), "unit"),
    F("officers", _("承办人员（至少两名持证执法人员，第一位为主办）"), "people"),
    F("summary", _("申请内容和理由"), "textarea"),
    F("basis", _("法律依据"), "textarea"),
    F("applied_on", _("申请日期"), "date", required=False),
)
OPEN = ActionSpec("open_confirmation", _("受理确认申请"), OPEN_FIELDS, None)

CONFIRMATION_SPECS: dict[str, ActionSpec] = {
    s.action: s
    for s in [
        ActionSpec(
            "examine_confirmation",
            _("审查确认申请"),
            (F("opinion", _("审查意见"), "textarea"),),
            lambda a, c, d: actions.examine_confirmation(a, c, opinion=d["opinion"]),
        ),
        ActionSpec(
            "decide_confirmation",
            _("作出确认决定"),
            (F("opinion", _("负责人意见"), "textarea", required=False),),
            lambda a, c, d: actions.decide_confirmation(a, c, opinion=d.get("opinion") or ""),
            HEAD,
            _("确认或不予确认以已定稿的行政确认决定书为准；决定自作出之日起二十个工作日内公开。"),
        ),
        ActionSpec(
            "serve_confirmation",
            _("送达确认决定"),
            (
                F("served_on", _("送达日期"), "date", required=False),
                F("method", _("送达方式"), "choice", choices=_choices(ServiceMethod)),
                F("recipient", _("签收人"), required=False),
            ),
            lambda a, c, d: actions.serve_confirmation(
                a,
                c,
                served_on=d.get("served_on"),
                method=d["method"],
                recipient=d.get("recipient") or "",
            ),
        ),
    ]
}
