"""The simple procedure's forms (当场处罚, arts. 51–52, 68–71), declared once for the pages and the API: the
on-the-spot decision (a new case) and the steps on a simple-procedure case (备案, 当场收缴, its hand-in), which
``forms.SPECS`` takes in so the case page's step links and ``POST /api/v1/cases/{id}/{step}/`` serve them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import actions, rules
from .choices import PenaltyKind
from .forms import ActionSpec, F

COLLECTION_GROUNDS = (
    (rules.COLLECTION_SMALL, _("依法给予一百元以下罚款（第六十八条第（一）项）")),
    (rules.COLLECTION_HARD, _("不当场收缴事后难以执行（第六十八条第（二）项）")),
    (rules.COLLECTION_REMOTE, _("边远、水上、交通不便地区，当事人缴纳确有困难并提出（第六十九条）")),
)

ON_THE_SPOT_FIELDS = (
    F("party", _("当事人"), "party"),
    F("cause", _("案由")),
    F("field", _("执法领域"), "field"),
    F("unit", _("执法机构"), "unit"),
    F("officers", _("执法人员（至少两名持证执法人员，第一位为作出决定的执法人员）"), "people"),
    F("certificates_shown", _("出示的执法证"), "certificates"),
    F("place", _("地点")),
    F("violation_date", _("违法行为发生日期"), "date", required=False),
    F("facts", _("违法事实"), "textarea"),
    F("violated_provisions", _("违反的规定")),
    F("penalty_provisions", _("处罚依据")),
    F(
        "penalty_kinds",
        _("处罚种类（警告或罚款）"),
        "multichoice",
        choices=(
            (PenaltyKind.WARNING, PenaltyKind.WARNING.label),
            (PenaltyKind.FINE, PenaltyKind.FINE.label),
        ),
    ),
    F("fine_amount", _("罚款金额（元）"), "decimal", required=False),
    F("told_facts", _("告知：拟作出处罚的事实"), "textarea", help=_("《行政处罚法》第四十四条")),
    F("told_reasons", _("告知：理由"), "textarea"),
    F("told_basis", _("告知：依据"), "textarea"),
    F("rights_told", _("已告知当事人依法享有陈述、申辩的权利"), "bool"),
    F("statement", _("当事人的陈述申辩"), "textarea", required=False),
    F("statement_recheck", _("对陈述申辩的复核意见"), "textarea", required=False),
    F("statement_waived", _("当事人放弃陈述申辩"), "bool"),
    F("party_signed", _("当事人在决定书上签收"), "bool"),
    F("refusal_witness", _("当事人拒绝签收的见证人"), required=False),
    F("signer_name", _("签名人姓名"), required=False),
    F(
        "party_signature",
        _("当事人手写签名（PNG）"),
        "file",
        required=False,
        help=_("未上传的，决定书草稿留待在文书栏采集签名后定稿"),
    ),
)


def decide_call(actor, d: dict):
    signature = d.get("party_signature")
    return actions.decide_on_the_spot(
        actor,
        party=d["party"],
        cause=d["cause"],
        field=d["field"],
        unit=d["unit"],
        officers=list(d["officers"]),
        certificates_shown=list(d["certificates_shown"]),
        penalty_kinds=list(d["penalty_kinds"]),
        fine_amount=d.get("fine_amount") or 0,
        facts=d["facts"],
        violated_provisions=d["violated_provisions"],
        penalty_provisions=d["penalty_provisions"],
        place=d["place"],
        party_signed=bool(d.get("party_signed")),
        told_facts=d["told_facts"],
        told_reasons=d["told_reasons"],
        told_basis=d["told_basis"],
        rights_told=bool(d.get("rights_told")),
        statement=d.get("statement") or "",
        statement_recheck=d.get("statement_recheck") or "",
        statement_waived=bool(d.get("statement_waived")),
        refusal_witness=d.get("refusal_witness") or "",
        violation_date=d.get("violation_date"),
        party_signature=signature.read() if signature else None,
        signer_name=d.get("signer_name") or "",
    )


ON_THE_SPOT = ActionSpec("decide_on_the_spot", _("当场作出行政处罚决定"), ON_THE_SPOT_FIELDS, decide_call)

SIMPLE_SPECS = {
    s.action: s
    for s in [
        ActionSpec(
            "file_simple_decision",
            _("当场处罚决定备案"),
            (
                F("officer", _("报送备案的执法人员"), "person", required=False),
                F("filed_on", _("备案日期"), "date", required=False),
                F("note", _("备注"), required=False),
            ),
            lambda a, c, d: actions.file_simple_decision(
                a, c, officer=d.get("officer"), filed_on=d.get("filed_on"), note=d.get("note") or ""
            ),
            description=_(
                "执法人员将已定稿的当场行政处罚决定书报所属行政机关备案，由接收的承办机构负责人或机关负责人登记"
                "（《行政处罚法》第五十二条；备案期限由本机关设定）。"
            ),
        ),
        ActionSpec(
            "collect_on_the_spot",
            _("当场收缴罚款"),
            (
                F("amount", _("收缴金额（元）"), "decimal"),
                F("receipt_number", _("专用票据号码（财政部门统一制发）")),
                F("ground", _("当场收缴的情形"), "choice", choices=COLLECTION_GROUNDS),
                F("reason", _("具体情况"), "textarea", required=False),
                F("party_requested", _("经当事人提出"), "bool"),
                F("collected_on", _("收缴日期"), "date", required=False),
            ),
            lambda a, c, d: actions.collect_on_the_spot(
                a,
                c,
                amount=d["amount"],
                receipt_number=d["receipt_number"],
                ground=d["ground"],
                reason=d.get("reason") or "",
                party_requested=bool(d.get("party_requested")),
                collected_on=d.get("collected_on"),
            ),
            description=_(
                "只有依法给予一百元以下罚款、不当场收缴事后难以执行，或者边远、水上、交通不便地区当事人缴纳确有困难并提出的，"
                "才能当场收缴，并出具专用票据（《行政处罚法》第六十八条至第七十条）；收缴后二个工作日内交至行政机关。"
            ),
        ),
        ActionSpec(
            "hand_in_collection",
            _("当场收缴罚款交至机关"),
            (
                F("received_by", _("接收人"), "person"),
                F("handed_in_on", _("交款日期"), "date", required=False),
                F("note", _("备注"), required=False),
            ),
            lambda a, c, d: actions.hand_in_collection(
                a,
                c,
                received_by=d["received_by"],
                handed_in_on=d.get("handed_in_on"),
                note=d.get("note") or "",
            ),
            description=_(
                "执法人员自收缴罚款之日起二日（工作日）内交至行政机关（《行政处罚法》第七十一条、第八十五条）。"
            ),
        ),
    ]
}
