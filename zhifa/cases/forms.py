"""Forms for the case actions, declared once and used by the pages and the API alike.

Each ``ActionSpec`` names its fields and how to call the action with the cleaned data; ``form_for`` builds the
Django form (pages), ``api.serializer_for`` the DRF serializer (API) from the same declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.org.choices import Role
from zhifa.org.models import Certificate, EnforcementField, Person, Unit

from . import actions
from .choices import (
    IdType,
    Outcome,
    PartyKind,
    PaymentKind,
    PenaltyKind,
    RecordKind,
    ServiceMethod,
    ServiceProofKind,
    Source,
)
from .models import Party


@dataclass(frozen=True)
class F:
    """One field of an action form: ``kind`` is text/textarea/date/datetime/decimal/int/bool/choice/multichoice/
    person/people/certificates/party/field/unit."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple = ()
    help: str = ""


@dataclass(frozen=True)
class ActionSpec:
    action: str
    title: str
    fields: tuple[F, ...]
    call: Callable
    roles: frozenset = field(
        default_factory=lambda: frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD})
    )
    description: str = ""
    initial: Callable | None = None  # case -> {field: value}: what the form opens with


HEAD = frozenset({Role.AGENCY_HEAD})
REASON = F("reason", _("理由"), "textarea")
# Extending the decision period: the reason is one of the agency's (cases.actions.extension_rule).
EXTENSION_FIELDS = (
    F("days", _("延长天数"), "int"),
    F("reason", _("延长理由"), "extension_reason"),
    F("note", _("具体情况"), "textarea", required=False),
)


def _people(agency, roles=None):
    qs = Person.objects.filter(agency=agency, is_active=True)
    if roles:
        qs = qs.filter(roles__role__in=roles, roles__agency=agency).distinct()
    return qs.order_by("unit_id", "id")


def _django_field(spec: F, case=None, agency=None):
    agency = agency or (case.agency if case else None)
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help}
    k = spec.kind
    if k == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if k == "hidden":
        return forms.CharField(widget=forms.HiddenInput, max_length=64, **common)
    if k == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if k == "datetime":
        return forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common)
    if k == "decimal":
        return forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, **common)
    if k == "int":
        return forms.IntegerField(min_value=0, **common)
    if k == "bool":
        return forms.BooleanField(**{**common, "required": False})
    if k == "file":
        return forms.FileField(**common)
    if k == "choice":
        return forms.ChoiceField(choices=spec.choices, **common)
    if k == "extension_reason":
        reasons = actions.extension_rule(agency).reasons if agency is not None else ()
        return forms.ChoiceField(choices=[(r, _(r)) for r in reasons], **common)
    if k == "multichoice":
        return forms.MultipleChoiceField(choices=spec.choices, widget=forms.CheckboxSelectMultiple, **common)
    if k == "person":
        return forms.ModelChoiceField(queryset=_people(agency), **common)
    if k == "people":
        return forms.ModelMultipleChoiceField(
            queryset=_people(agency, {Role.OFFICER}), widget=forms.CheckboxSelectMultiple, **common
        )
    if k == "certificates":
        qs = Certificate.objects.filter(person__agency=agency).select_related("person")
        if case is not None:
            qs = qs.filter(person__in=case.officers.all())
        certificates = forms.ModelMultipleChoiceField(
            queryset=qs, widget=forms.CheckboxSelectMultiple, **common
        )
        certificates.label_from_instance = lambda c: f"{c.person.full_name} {c.number}"
        return certificates
    if k == "items":
        from django.apps import apps

        choices = []
        if apps.is_installed("zhifa.catalog") and agency is not None:
            Item = apps.get_model("catalog", "EnforcementItem")
            choices = [
                (i.code, f"{i.code} {i.name}") for i in Item.objects.filter(agency=agency).order_by("code")
            ]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.SelectMultiple(attrs={"size": 6}), **common
        )
    if k == "party":
        return forms.ModelChoiceField(queryset=Party.objects.filter(agency=agency), **common)
    if k == "field":
        return forms.ModelChoiceField(queryset=EnforcementField.objects.all(), **common)
    if k == "unit":
        return forms.ModelChoiceField(queryset=Unit.objects.filter(agency=agency), **common)
    return forms.CharField(max_length=300, **common)


def form_for(spec: ActionSpec, data=None, *, case=None, agency=None, files=None) -> forms.Form:
    """The Django form of ``spec``; on a case, it opens with the case's current values."""
    initial = spec.initial(case) if (spec.initial and case is not None and data is None) else None
    form = forms.Form(data, files, initial=initial)
    for f in spec.fields:
        form.fields[f.name] = _django_field(f, case=case, agency=agency)
    return form


def _choices(enum) -> tuple:
    return tuple(enum.choices)


ITEM_KEYS = ("name", "spec", "quantity", "producer", "production_date", "batch")
# Where each kind of record keeps its main text (the documents read these keys).
RECORD_TEXT_KEY = {RecordKind.INQUIRY: "qa", RecordKind.ONSITE: "observations"}


def record_data(d: dict) -> dict:
    """A record's data from the form: the text under the kind's key, and the item list as rows."""
    data = {"content": d["content"]}
    if d.get("in_case_room"):
        data["in_case_room"] = True  # the case-handling room must be recorded in full (音像记录事项清单)
    if (d.get("av_skip_reason") or "").strip():
        data["av_skip_reason"] = d["av_skip_reason"].strip()
    key = RECORD_TEXT_KEY.get(d["kind"])
    if key:
        data[key] = d["content"]
    lines = [line.strip() for line in (d.get("items") or "").splitlines() if line.strip()]
    if lines:
        data["items"] = [
            dict(zip(ITEM_KEYS, [p.strip() for p in line.replace("|", "｜").split("｜")], strict=False))
            for line in lines
        ]
    return data


PARTY_CHOICE_FIELDS = (
    F("on", _("当事人作出表示的日期"), "date", required=False),
    F("signer", _("签名人（当事人或其委托代理人）"), required=False),
    F(
        "refusal_note",
        _("当事人拒绝签名的，注明其如何作出表示及见证情况"),
        "textarea",
        required=False,
    ),
)


def _draft_initial(case) -> dict:
    initial = {name: getattr(case, name) for name in actions.DRAFT_FIELDS}
    initial["fine_amount"] = case.fine_amount or None
    initial["confiscation_amount"] = case.confiscation_amount or None
    initial["confiscated_property_value"] = case.confiscated_property_value or None
    return initial


# Each spec's ``call(actor, case, data)`` runs the action with the cleaned data.
SPECS: dict[str, ActionSpec] = {
    s.action: s
    for s in [
        ActionSpec("request_filing", _("报请立案"), (), lambda a, c, d: actions.request_filing(a, c)),
        ActionSpec(
            "approve_filing",
            _("批准立案"),
            (F("opinion", _("负责人意见"), "textarea"),),
            lambda a, c, d: actions.approve_filing(a, c, opinion=d["opinion"]),
            HEAD,
        ),
        ActionSpec(
            "refuse_filing",
            _("不予立案"),
            (REASON,),
            lambda a, c, d: actions.refuse_filing(a, c, reason=d["reason"]),
            HEAD,
        ),
        ActionSpec(
            "assign_officers",
            _("指派承办人员"),
            (F("officers", _("承办人员"), "people"),),
            lambda a, c, d: actions.assign_officers(a, c, officers=list(d["officers"])),
            frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD}),
            initial=lambda case: {"officers": list(case.officers.all())},
        ),
        ActionSpec(
            "decide_recusal",
            _("决定回避"),
            (
                F("person", _("申请回避或自行回避的人员"), "person"),
                F("reason", _("回避理由"), "textarea"),
                F("applied_by_party", _("由当事人申请"), "bool"),
                F("granted", _("决定回避"), "bool", help=_("不勾选即决定不予回避")),
            ),
            lambda a, c, d: actions.decide_recusal(
                a,
                c,
                person=d["person"],
                reason=d["reason"],
                granted=d["granted"],
                applied_by_party=d["applied_by_party"],
            ),
            HEAD,
            _(
                "《行政处罚法》第四十三条：执法人员与案件有直接利害关系或者有其他关系可能影响公正执法的，应当回避；由负责人决定。"
            ),
        ),
        ActionSpec(
            "add_record",
            _("制作调查取证记录"),
            (
                F(
                    "kind",
                    _("记录类型"),
                    "choice",
                    choices=tuple(
                        (k, lbl)
                        for k, lbl in RecordKind.choices
                        if k not in actions.investigation.NOT_INVESTIGATION
                    ),
                ),
                F("started_at", _("开始时间"), "datetime"),
                F("place", _("地点"), required=False),
                F("content", _("记录内容"), "textarea"),
                F(
                    "items",
                    _(
                        "物品清单（先行登记保存、查封扣押：每行一项，名称｜规格｜数量｜生产者｜生产日期｜批号）"
                    ),
                    "textarea",
                    required=False,
                ),
                F("in_case_room", _("在办案场所（询问室）进行"), "bool"),
                F(
                    "av_skip_reason",
                    _("未进行音像记录的理由（按音像记录事项清单“根据情况”记录的）"),
                    required=False,
                ),
                F("officers", _("执法人员"), "people", required=False),
                F("certificates_shown", _("出示的执法证"), "certificates", required=False),
                F(
                    "approved_by",
                    _("批准负责人"),
                    "person",
                    required=False,
                    help=_("先行登记保存、查封扣押须经负责人批准"),
                ),
                F("period_days", _("查封扣押期限（日）"), "int", required=False),
            ),
            lambda a, c, d: actions.add_record(
                a,
                c,
                kind=d["kind"],
                data=record_data(d),
                started_at=d["started_at"],
                place=d["place"],
                officers=list(d["officers"] or []),
                certificates_shown=list(d["certificates_shown"] or []),
                approved_by=d["approved_by"],
                period_days=d["period_days"],
            ),
        ),
        ActionSpec(
            "update_draft",
            _("填写处理意见"),
            (
                F("outcome", _("处理意见"), "choice", choices=_choices(Outcome)),
                F(
                    "penalty_kinds",
                    _("处罚种类"),
                    "multichoice",
                    required=False,
                    choices=_choices(PenaltyKind),
                ),
                F("fine_amount", _("罚款金额（元）"), "decimal", required=False),
                F("confiscation_amount", _("没收违法所得金额（元）"), "decimal", required=False),
                F(
                    "confiscated_property_value",
                    _("没收非法财物价值（元）"),
                    "decimal",
                    required=False,
                    help=_(
                        "选择没收非法财物的须填写；价值达到本机关标准的，当事人可以要求听证（第六十三条）"
                    ),
                ),
                F("facts", _("违法事实"), "textarea"),
                F("evidence_summary", _("证据"), "textarea"),
                F("violated_provisions", _("违反的条款"), "textarea", required=False),
                F("penalty_provisions", _("处罚依据"), "textarea", required=False),
                F("discretion", _("裁量说明"), "textarea", required=False),
                F("transfer_to", _("移送机关"), required=False),
                F("complex_case", _("案情疑难复杂或涉及多个法律关系"), "bool"),
                F("complex_reason", _("疑难复杂理由"), required=False),
                F("public_interest", _("涉及重大公共利益"), "bool"),
                F("public_interest_reason", _("重大公共利益说明"), required=False),
            ),
            lambda a, c, d: actions.update_draft(
                a,
                c,
                **{
                    **d,
                    "fine_amount": d["fine_amount"] or 0,
                    "confiscation_amount": d["confiscation_amount"] or 0,
                    "confiscated_property_value": d["confiscated_property_value"] or 0,
                    "penalty_kinds": list(d["penalty_kinds"] or []),
                },
            ),
            initial=_draft_initial,
        ),
        ActionSpec(
            "close_investigation", _("调查终结"), (), lambda a, c, d: actions.close_investigation(a, c)
        ),
        ActionSpec(
            "reopen_investigation",
            _("补充调查"),
            (REASON,),
            lambda a, c, d: actions.reopen_investigation(a, c, reason=d["reason"]),
        ),
        ActionSpec(
            "issue_notice",
            _("事先告知"),
            (
                F("served_on", _("告知书送达日期"), "date", required=False),
                F(
                    "method",
                    _("送达方式"),
                    "choice",
                    required=False,
                    choices=(("", "—"), *_choices(ServiceMethod)),
                    help=_("填写的，按送达方式检查送达凭证（与决定书的送达相同）"),
                ),
                F("recipient", _("签收人"), required=False),
                F("witness", _("见证人"), required=False),
                F("recording", _("音像记录"), required=False),
                F("consent", _("电子送达确认书"), required=False),
                F(
                    "proof_kind",
                    _("送达凭证类型"),
                    "choice",
                    required=False,
                    choices=(("", "—"), *_choices(ServiceProofKind)),
                ),
                F("proof", _("送达凭证（截屏、照片、录音或录像）"), "file", required=False),
            ),
            lambda a, c, d: actions.issue_notice(
                a, c, **{**d, "proof": d["proof"].read() if d.get("proof") else None}
            ),
        ),
        ActionSpec(
            "record_statement",
            _("记录陈述申辩"),
            (
                F("content", _("陈述申辩内容"), "textarea"),
                F("recheck", _("复核意见"), "textarea"),
            ),
            lambda a, c, d: actions.record_statement(a, c, content=d["content"], recheck=d["recheck"]),
            description=_("当事人提出陈述申辩的，记录其内容并进行复核（《行政处罚法》第四十五条）。"),
        ),
        ActionSpec(
            "waive_statement",
            _("记录放弃陈述申辩"),
            PARTY_CHOICE_FIELDS,
            lambda a, c, d: actions.waive_statement(
                a, c, on=d["on"], signer=d["signer"], refusal_note=d["refusal_note"]
            ),
            description=_("当事人明确表示放弃陈述和申辩权利的，记录其书面表示（签名）或拒绝签名的情况。"),
        ),
        ActionSpec(
            "waive_hearing",
            _("记录放弃听证"),
            PARTY_CHOICE_FIELDS,
            lambda a, c, d: actions.waive_hearing(
                a, c, on=d["on"], signer=d["signer"], refusal_note=d["refusal_note"]
            ),
            description=_("当事人表示不要求听证的，记录其书面表示；陈述申辩的权利不受影响。"),
        ),
        ActionSpec(
            "request_hearing",
            _("登记听证申请"),
            (F("requested_on", _("申请日期"), "date"), *PARTY_CHOICE_FIELDS[1:]),
            lambda a, c, d: actions.request_hearing(
                a, c, requested_on=d["requested_on"], signer=d["signer"], refusal_note=d["refusal_note"]
            ),
        ),
        ActionSpec(
            "late_hearing_request",
            _("登记逾期听证申请"),
            (
                F("requested_on", _("申请日期"), "date"),
                *PARTY_CHOICE_FIELDS[1:],
                F("reason", _("当事人说明的逾期理由"), "textarea", required=False),
            ),
            lambda a, c, d: actions.late_hearing_request(
                a,
                c,
                requested_on=d["requested_on"],
                signer=d["signer"],
                refusal_note=d["refusal_note"],
                reason=d["reason"],
            ),
            description=_(
                "超过告知后五个工作日提出的听证申请，记入案卷，视为放弃听证（《行政处罚法》第六十四条）。"
            ),
        ),
        ActionSpec(
            "schedule_hearing",
            _("通知听证"),
            (
                F("hearing_on", _("听证日期"), "date"),
                F("place", _("听证地点")),
                F("chair", _("听证主持人"), "person"),
                F("notified_on", _("通知日期"), "date", required=False),
            ),
            lambda a, c, d: actions.schedule_hearing(
                a,
                c,
                hearing_on=d["hearing_on"],
                place=d["place"],
                chair=d["chair"],
                notified_on=d["notified_on"],
            ),
        ),
        ActionSpec(
            "record_hearing",
            _("记录听证"),
            (
                F("record", _("听证笔录"), "textarea"),
                F("opinion", _("听证意见"), "textarea"),
                F("party_absent", _("当事人无正当理由未到场"), "bool"),
            ),
            lambda a, c, d: actions.record_hearing(
                a, c, record=d["record"], opinion=d["opinion"], party_absent=d["party_absent"]
            ),
        ),
        ActionSpec(
            "decide",
            _("作出决定"),
            (
                F(
                    "seen",
                    _("所审阅处理意见的摘要"),
                    "hidden",
                    required=False,
                    help=_(
                        "决定页面所示处理意见的 SHA-256；与当前处理意见不符时拒绝（防止签发已被修改的内容）"
                    ),
                ),
            ),
            lambda a, c, d: actions.decide(a, c, seen=d["seen"] or None),
            HEAD,
            _("负责人审阅处理意见、法制审核结果和当事人陈述申辩后签发决定。"),
            initial=lambda case: {"seen": actions.brief_digest(case)},
        ),
        ActionSpec(
            "serve_decision",
            _("登记送达"),
            (
                F("method", _("送达方式"), "choice", choices=_choices(ServiceMethod)),
                F("delivered_on", _("送达（交付、邮寄、公告）日期"), "date"),
                F("recipient", _("签收人"), required=False),
                F("witness", _("见证人"), required=False),
                F("recording", _("音像记录"), required=False),
                F("consent", _("电子送达确认书"), required=False),
                F(
                    "proof_kind",
                    _("送达凭证类型"),
                    "choice",
                    required=False,
                    choices=(("", "—"), *_choices(ServiceProofKind)),
                ),
                F(
                    "proof",
                    _("送达凭证（截屏、照片、录音或录像）"),
                    "file",
                    required=False,
                    help=_("电子送达须上传（《卫生健康行政处罚程序规定》第五十七条）"),
                ),
            ),
            lambda a, c, d: actions.serve_decision(
                a, c, **{**d, "proof": d["proof"].read() if d.get("proof") else None}
            ),
            description=_("公告送达须先登记以其他方式未能送达的情况（《民事诉讼法》第九十五条）。"),
        ),
        ActionSpec(
            "record_failed_service",
            _("登记未能送达"),
            (
                F(
                    "method",
                    _("送达方式"),
                    "choice",
                    choices=tuple(c for c in _choices(ServiceMethod) if c[0] != ServiceMethod.PUBLIC_NOTICE),
                ),
                F("attempted_on", _("送达日期"), "date"),
                F("reason", _("未能送达的原因"), "textarea"),
            ),
            lambda a, c, d: actions.record_failed_service(
                a, c, method=d["method"], attempted_on=d["attempted_on"], reason=d["reason"]
            ),
        ),
        ActionSpec(
            "record_payment",
            _("登记缴款"),
            (
                F("kind", _("款项"), "choice", choices=_choices(PaymentKind)),
                F("amount", _("金额（元）"), "decimal"),
                F("paid_on", _("缴纳日期"), "date"),
                F("receipt_number", _("缴款凭证号")),
            ),
            lambda a, c, d: actions.record_payment(a, c, **d),
        ),
        ActionSpec(
            "approve_deferral",
            _("批准延期或分期缴纳"),
            (
                REASON,
                F(
                    "deferred_until",
                    _("延期至"),
                    "date",
                    required=False,
                    help=_("延期缴纳的，填写新的缴款日期"),
                ),
                F(
                    "instalments",
                    _("分期计划"),
                    "textarea",
                    required=False,
                    help=_("分期缴纳的，每行一期：日期 金额（如 2026-07-01 2500），各期合计等于尚欠的罚款"),
                ),
            ),
            lambda a, c, d: actions.approve_deferral(
                a,
                c,
                reason=d["reason"],
                deferred_until=d["deferred_until"],
                instalments=actions.parse_instalments(d["instalments"]),
            ),
            HEAD,
            _(
                "当事人确有经济困难，申请延期或者分期缴纳罚款的，经负责人批准（《行政处罚法》第六十六条）；逾期未缴的一期按日加处3%，以该期金额为限。"
            ),
        ),
        ActionSpec(
            "serve_demand",
            _("送达催告书"),
            (F("served_on", _("送达日期"), "date"),),
            lambda a, c, d: actions.serve_demand(a, c, served_on=d["served_on"]),
        ),
        ActionSpec(
            "apply_court_enforcement",
            _("申请法院强制执行"),
            (),
            lambda a, c, d: actions.apply_court_enforcement(a, c),
            HEAD,
        ),
        ActionSpec(
            "record_execution",
            _("登记执行完毕"),
            (F("executed_on", _("执行日期"), "date"), F("note", _("执行情况"), "textarea")),
            lambda a, c, d: actions.record_execution(a, c, **d),
        ),
        ActionSpec(
            "close_case",
            _("批准结案"),
            (
                F(
                    "report",
                    _("结案意见"),
                    "textarea",
                    required=False,
                    help=_("留空时取已定稿结案报告的结案理由"),
                ),
            ),
            lambda a, c, d: actions.close_case(a, c, report=d["report"]),
            frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD}),
            _("负责人审查承办人员制作并定稿的结案报告，批准结案。"),
            initial=lambda case: {"report": actions.closing_reason(case)},
        ),
        ActionSpec(
            "archive_case",
            _("归档"),
            (),
            lambda a, c, d: actions.archive_case(a, c),
            frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD}),
        ),
        ActionSpec(
            "revoke_filing",
            _("撤销立案"),
            (REASON,),
            lambda a, c, d: actions.revoke_filing(a, c, reason=d["reason"]),
            HEAD,
        ),
        ActionSpec(
            "terminate",
            _("终止案件"),
            (REASON,),
            lambda a, c, d: actions.terminate(a, c, reason=d["reason"]),
            HEAD,
        ),
        ActionSpec(
            "suspend",
            _("中止调查"),
            (REASON,),
            lambda a, c, d: actions.suspend(a, c, reason=d["reason"]),
            HEAD,
        ),
        ActionSpec("resume", _("恢复调查"), (), lambda a, c, d: actions.resume(a, c), HEAD),
        ActionSpec(
            "request_extension",
            _("申请延长办案期限"),
            EXTENSION_FIELDS,
            lambda a, c, d: actions.request_extension(
                a, c, days=d["days"], reason=d["reason"], note=d.get("note") or ""
            ),
            description=_("承办人员在办案期限届满前申请，按本机关延长办案期限规则报批。"),
        ),
        ActionSpec(
            "extend",
            _("批准延长办案期限"),
            EXTENSION_FIELDS,
            lambda a, c, d: actions.extend(
                a, c, days=d["days"], reason=d["reason"], note=d.get("note") or ""
            ),
            HEAD,
            _("按本机关延长办案期限规则，在期限届满前批准；次数、天数和理由以规则为限。"),
            initial=lambda case: dict(case.extension_request or {}),
        ),
    ]
}

ACCEPT_FIELDS = (
    F("party", _("当事人"), "party"),
    F("cause", _("案由")),
    F("source", _("案件来源"), "choice", choices=_choices(Source)),
    F("source_detail", _("来源说明"), required=False),
    F("complaint_receipt", _("投诉举报受理编号（来自公示门户的）"), required=False),
    F("items", _("执法事项"), "items", required=False),
    F("field", _("执法领域"), "field"),
    F("unit", _("承办机构"), "unit"),
    F("officers", _("承办人员（至少两名持证执法人员，第一位为主办）"), "people"),
    F("summary", _("案情摘要"), "textarea"),
    F("place", _("案发地点"), required=False),
    F("violation_date", _("违法行为发生日期"), "date"),
    F("violation_ended", _("连续或继续状态终了日期"), "date", required=False),
    F("life_health_harm", _("涉及公民生命健康安全且有危害后果"), "bool"),
)
ACCEPT = ActionSpec("accept_case", _("受理案件"), ACCEPT_FIELDS, None)

PARTY_FIELDS = (
    F("kind", _("当事人类型"), "choice", choices=_choices(PartyKind)),
    F("name", _("名称或姓名")),
    F("id_type", _("证件类型"), "choice", choices=_choices(IdType)),
    F("id_number", _("证件号码")),
    F("legal_representative", _("法定代表人（负责人）"), required=False),
    F("address", _("住所（地址）")),
    F("phone", _("联系电话"), required=False),
)
PARTY = ActionSpec("register_party", _("登记当事人"), PARTY_FIELDS, None)

# The simple procedure's steps (备案, 当场收缴, its hand-in), declared in simple_forms.
from .simple_forms import SIMPLE_SPECS  # noqa: E402

SPECS.update(SIMPLE_SPECS)

# The 行政强制措施's steps (查封、扣押), declared in compulsion_forms.
from .compulsion_forms import COMPULSION_SPECS  # noqa: E402

SPECS.update(COMPULSION_SPECS)

# The 行政征用's steps, declared in requisition_forms.
from .requisition_forms import REQUISITION_SPECS  # noqa: E402

SPECS.update(REQUISITION_SPECS)

# The 行政确认's steps, declared in confirmation_forms.
from .confirmation_forms import CONFIRMATION_SPECS  # noqa: E402

SPECS.update(CONFIRMATION_SPECS)

# The 行政检查's steps (outside a random-inspection plan), declared in inspection_forms.
from .inspection_forms import INSPECTION_SPECS  # noqa: E402

SPECS.update(INSPECTION_SPECS)
