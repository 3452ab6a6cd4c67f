"""The 行政强制措施's forms (查封、扣押, 《行政强制法》 arts. 18–28), declared once for the pages and the API: the report
for approval (a new act) and the steps of ``lifecycle.COMPULSION_STEPS``, which ``forms.SPECS`` takes in so the case
page's step links and ``POST /api/v1/cases/{id}/{step}/`` serve them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import actions
from .choices import Source
from .forms import HEAD, ActionSpec, F, _choices

MEASURE_CHOICES = tuple((m, _(m)) for m in actions.compulsion.MEASURES)

OPEN_FIELDS = (
    F("party", _("当事人"), "party"),
    F("cause", _("案由（涉嫌的违法行为）")),
    F("source", _("来源"), "choice", choices=_choices(Source)),
    F("source_detail", _("来源说明"), required=False),
    F("items", _("执法事项"), "items", required=False),
    F("field", _("执法领域"), "field"),
    F("unit", _("承办机构"), "unit"),
    F("officers", _("实施的执法人员（至少两名持证执法人员，第一位为主办）"), "people"),
    F("summary", _("实施强制措施的理由（事实）"), "textarea"),
    F(
        "basis",
        _("法律、法规依据"),
        "textarea",
        help=_(
            "行政强制措施由法律、法规设定（《行政强制法》第十条），如《医疗废物管理条例》第三十九条第（四）项"
        ),
    ),
    F("place", _("地点"), required=False),
    F(
        "emergency",
        _("情况紧急，需要当场实施"),
        "bool",
        help=_("当场实施后二十四小时内向负责人报告并补办批准手续（《行政强制法》第十九条）"),
    ),
)
OPEN = ActionSpec("open_measure", _("报请实施查封扣押"), OPEN_FIELDS, None)

OPINION = F("opinion", _("审批意见"), "textarea")

COMPULSION_SPECS: dict[str, ActionSpec] = {
    s.action: s
    for s in [
        ActionSpec(
            "approve_measure",
            _("批准实施强制措施"),
            (OPINION,),
            lambda a, c, d: actions.approve_measure(a, c, opinion=d["opinion"]),
            HEAD,
            _("实施前须向行政机关负责人报告并经批准（《行政强制法》第十八条第（一）项）。"),
        ),
        ActionSpec(
            "refuse_measure",
            _("不予批准强制措施"),
            (F("reason", _("不予批准的理由"), "textarea"),),
            lambda a, c, d: actions.refuse_measure(a, c, reason=d["reason"]),
            HEAD,
        ),
        ActionSpec(
            "carry_out_measure",
            _("实施查封扣押"),
            (
                F("started_at", _("实施时间"), "datetime"),
                F("place", _("实施地点")),
                F("measure", _("强制措施"), "choice", choices=MEASURE_CHOICES),
                F("officers", _("到场执法人员（不少于两人）"), "people"),
                F("certificates_shown", _("出示的执法证"), "certificates"),
                F(
                    "observations",
                    _("现场情况（现场笔录：通知当事人到场、告知理由依据和权利、听取陈述申辩等）"),
                    "textarea",
                ),
                F(
                    "items",
                    _("查封扣押物品清单（每行一项，名称｜规格｜数量｜生产者｜生产日期｜批号）"),
                    "textarea",
                ),
                F("keep_place", _("保管地点"), required=False),
                F(
                    "period_days",
                    _("查封扣押期限（日，不超过三十日）"),
                    "int",
                    required=False,
                    help=_("不填即为三十日（《行政强制法》第二十五条）"),
                ),
            ),
            lambda a, c, d: actions.carry_out_measure(
                a,
                c,
                started_at=d["started_at"],
                place=d["place"],
                measure=d["measure"],
                officers=list(d["officers"]),
                certificates_shown=list(d["certificates_shown"]),
                observations=d["observations"],
                items=d["items"],
                keep_place=d.get("keep_place") or "",
                period_days=d.get("period_days"),
            ),
            description=_(
                "须先在“提交证据”中上传本次实施的全程录音录像；决定书和清单当场交付当事人（《行政强制法》第十八条、第二十四条）。"
            ),
        ),
        ActionSpec(
            "ratify_measure",
            _("补办批准手续"),
            (OPINION,),
            lambda a, c, d: actions.ratify_measure(a, c, opinion=d["opinion"]),
            HEAD,
            _("当场实施后二十四小时内补办批准；不予批准的，应当立即解除（《行政强制法》第十九条）。"),
        ),
        ActionSpec(
            "extend_measure",
            _("延长查封扣押期限"),
            (
                F("reason", _("延长理由（情况复杂）"), "textarea"),
                F("days", _("延长天数（不超过三十日）"), "int", required=False),
            ),
            lambda a, c, d: actions.extend_measure(a, c, reason=d["reason"], days=d.get("days")),
            HEAD,
            _(
                "情况复杂的，经负责人批准可以延长一次，不超过三十日，并书面告知当事人（《行政强制法》第二十五条）。"
            ),
        ),
        ActionSpec(
            "release_measure",
            _("解除查封扣押"),
            (
                F("released_on", _("解除日期"), "date", required=False),
                F("note", _("物品退还情况"), "textarea", required=False),
            ),
            lambda a, c, d: actions.release_measure(
                a, c, released_on=d.get("released_on"), note=d.get("note") or ""
            ),
            description=_("以已定稿的解除查封扣押决定书解除，立即退还财物（《行政强制法》第二十八条）。"),
        ),
        ActionSpec(
            "dispose_measure",
            _("作出查封扣押处理决定"),
            (F("disposed_on", _("处理决定日期"), "date", required=False),),
            lambda a, c, d: actions.dispose_measure(a, c, disposed_on=d.get("disposed_on")),
            HEAD,
        ),
        ActionSpec(
            "open_penalty_case",
            _("移送立案查处"),
            (F("cause", _("案由")), F("summary", _("案情摘要"), "textarea")),
            lambda a, c, d: actions.open_penalty_case(a, c, cause=d["cause"], summary=d["summary"]),
            initial=lambda case: {"cause": case.cause, "summary": case.summary},
        ),
    ]
}
