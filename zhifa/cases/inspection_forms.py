"""The forms of a 行政检查 outside a random-inspection plan, declared once for the pages and the API: the
registration (a new act) and the steps of ``lifecycle.INSPECTION_STEPS``, which ``forms.SPECS`` takes in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import actions
from .choices import RecordKind, Source
from .forms import ActionSpec, F, _choices

OPEN_FIELDS = (
    F("party", _("检查对象"), "party"),
    F("cause", _("检查事项（如：医疗机构依法执业专项检查）")),
    F("source", _("来源"), "choice", choices=_choices(Source)),
    F("source_detail", _("来源说明"), required=False),
    F("items", _("执法事项"), "items", required=False),
    F("field", _("执法领域"), "field"),
    F("unit", _("承办机构"), "unit"),
    F("officers", _("检查人员（至少两名持证执法人员，第一位为主办）"), "people"),
    F("summary", _("检查内容"), "textarea"),
    F("basis", _("检查依据"), "textarea"),
    F("place", _("检查地点"), required=False),
)
OPEN = ActionSpec("open_inspection", _("登记行政检查"), OPEN_FIELDS, None)

INSPECTION_SPECS: dict[str, ActionSpec] = {
    s.action: s
    for s in [
        ActionSpec(
            "record_inspection",
            _("制作检查记录"),
            (
                F(
                    "kind",
                    _("记录类型"),
                    "choice",
                    choices=(
                        (RecordKind.ONSITE, _("现场笔录（检查记录）")),
                        (RecordKind.SAMPLING, _("采样记录")),
                    ),
                ),
                F("started_at", _("检查时间"), "datetime"),
                F("place", _("检查地点")),
                F("content", _("检查情况"), "textarea"),
                F(
                    "samples",
                    _("样品（采样记录：每行一项，名称｜规格｜数量｜生产者｜生产日期｜批号）"),
                    "textarea",
                    required=False,
                ),
                F("officers", _("检查人员"), "people"),
                F("certificates_shown", _("出示的执法证"), "certificates"),
                F(
                    "av_skip_reason",
                    _("未进行音像记录的理由（按音像记录事项清单“根据情况”记录的）"),
                    required=False,
                ),
            ),
            lambda a, c, d: actions.record_inspection(
                a,
                c,
                kind=d["kind"],
                started_at=d["started_at"],
                place=d["place"],
                content=d["content"],
                samples=d.get("samples") or "",
                officers=list(d["officers"]),
                certificates_shown=list(d["certificates_shown"]),
                av_skip_reason=d.get("av_skip_reason") or "",
            ),
        ),
        ActionSpec(
            "pass_inspection",
            _("检查合格"),
            (),
            lambda a, c, d: actions.pass_inspection(a, c),
            description=_("以已定稿的现场笔录作出结论；检查结果自作出之日起二十个工作日内公开。"),
        ),
        ActionSpec(
            "order_correction",
            _("责令改正"),
            (),
            lambda a, c, d: actions.order_correction(a, c),
            description=_("以已定稿的现场笔录和卫生监督意见书责令改正，复查期限自今日起计算。"),
        ),
        ActionSpec(
            "record_correction",
            _("复查合格"),
            (
                F("rechecked_on", _("复查日期"), "date", required=False),
                F("note", _("复查情况"), "textarea"),
            ),
            lambda a, c, d: actions.record_correction(
                a, c, rechecked_on=d.get("rechecked_on"), note=d["note"]
            ),
            description=_("未按要求改正的，移送立案查处。"),
        ),
    ]
}
