"""What each document states, built from the case file: the common part (agency, case, party, officers) and the
kind's own part, plus the initial text of the narrative fields the officer then edits.

Everything returned is plain JSON (dates as ISO text, amounts as text) because a finalised document keeps it
frozen in ``Document.context``: the document says what the case said when it was finalised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from zhifa.cases import rules as case_rules
from zhifa.cases.choices import (
    IdType,
    Outcome,
    PartyKind,
    PaymentKind,
    PenaltyKind,
    Procedure,
    RecordKind,
    ServiceMethod,
    Source,
)
from zhifa.cases.choices import State as S

from .choices import DocumentKind, DocumentState

# Reading the case ------------------------------------------------------------------------------------------------


def _iso(value) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def _label(choices, value) -> str:
    try:
        return str(choices(value).label) if value else ""
    except ValueError:
        return str(value)


def _officers(case, people=None) -> list[dict[str, str]]:
    from zhifa.org.queries import acting_officer_certificate

    if people is None:
        people = [link.person for link in case.officer_links.select_related("person").order_by("-lead", "id")]
    on = case.accepted_on
    out = []
    for person in people:
        cert = acting_officer_certificate(
            person, case.field.code, timezone.localdate()
        ) or acting_officer_certificate(person, case.field.code, on)
        out.append({"name": person.full_name, "certificate": cert.number if cert else ""})
    return out


def money(amount) -> dict[str, str]:
    amount = Decimal(amount or 0)
    return {"figures": f"{amount:,.2f}", "words": case_rules.amount_words(amount), "zero": amount == 0}


def penalty_view(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """A penalty (from a notice or decision snapshot, or the draft) as documents state it."""
    if not data or not data.get("outcome"):
        return {}
    p = case_rules.Penalty.from_json(data)
    labels = {value: str(label) for value, label in PenaltyKind.choices}
    return {
        "outcome": p.outcome,
        "outcome_label": _label(Outcome, p.outcome),
        "kinds": [labels.get(k, k) for k in sorted(p.kinds, key=case_rules.PENALTY_ORDER.get)],
        "fine": money(p.fine),
        "confiscation": money(p.confiscation),
        "has_fine": p.fine > 0,
        "has_confiscation": p.confiscation > 0,
        "text": case_rules.penalty_text(p, labels) or _label(Outcome, p.outcome),
    }


def _draft_penalty(case) -> dict[str, Any]:
    from zhifa.cases.actions import draft_penalty

    if not case.outcome:
        return {}
    return draft_penalty(case).as_json()


def _final_document(case, *kinds: str):
    return (
        case.documents.filter(kind__in=kinds, state=DocumentState.FINAL)
        .order_by("-finalised_at", "-id")
        .first()
    )


def base_context(case) -> dict[str, Any]:
    agency, party = case.agency, case.party
    return {
        "agency": {
            "name": agency.name,
            "short_name": agency.short_name,
            "region": agency.region,
            "address": agency.address,
            "phone": agency.phone,
            "reconsideration_body": agency.reconsideration_body or f"{agency.region}人民政府",
            "court": agency.court or f"{agency.region}人民法院",
        },
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "cause": case.cause,
            "source": _label(Source, case.source),
            "source_detail": case.source_detail,
            "procedure": _label(Procedure, case.procedure),
            "state": _label(S, case.state),
            "field": case.field.name,
            "unit": case.unit.name,
            "place": case.place,
            "summary": case.summary,
            "violation_date": _iso(case.violation_date),
            "accepted_on": _iso(case.accepted_on),
            "filed_on": _iso(case.filed_on),
            "investigation_closed_on": _iso(case.investigation_closed_on),
            "notice_on": _iso(case.notice_on),
            "decided_on": _iso(case.decided_on),
            "served_on": _iso(case.served_on),
            "payment_due": _iso(case.payment_due),
            "deferred_until": _iso(case.deferred_until),
            "demand_served_on": _iso(case.demand_served_on),
            "court_applied_on": _iso(case.court_applied_on),
            "executed_on": _iso(case.executed_on),
            "closed_on": _iso(case.closed_on),
            "filing_opinion": case.filing_opinion,
            "facts": case.facts,
            "evidence": case.evidence_summary,
            "violated_provisions": case.violated_provisions,
            "penalty_provisions": case.penalty_provisions,
            "discretion": case.discretion,
            "transfer_to": case.transfer_to,
            "hearing_on": _iso(case.hearing_on),
            "hearing_place": case.hearing_place,
            "hearing_chair": case.hearing_chair.full_name if case.hearing_chair_id else "",
            "hearing_requested_on": _iso(case.hearing_requested_on),
            "hearing_notice_on": _iso(case.hearing_notice_on),
        },
        "party": {
            "name": party.name,
            "kind": _label(PartyKind, party.kind),
            "natural": party.kind == PartyKind.NATURAL,
            "id_type": _label(IdType, party.id_type),
            "id_number": party.id_number,
            "legal_representative": party.legal_representative,
            "address": party.address,
            "phone": party.phone,
        },
        "officers": _officers(case),
    }


def record_context(record) -> dict[str, Any]:
    if record is None:
        return {}
    people = list(record.officers.all())
    shown = {c.person_id: c.number for c in record.certificates_shown.all()}
    return {
        "record": {
            "id": record.pk,
            "kind": _label(RecordKind, record.kind),
            "place": record.place,
            "started_at": _iso(record.started_at),
            "ended_at": _iso(record.ended_at),
            "due_on": _iso(record.due_on),
            "approved_by": record.approved_by.full_name if record.approved_by_id else "",
            "officers": [{"name": p.full_name, "certificate": shown.get(p.pk, "")} for p in people],
            "data": {
                k: v for k, v in (record.data or {}).items() if isinstance(v, str | int | float | bool | list)
            },
        }
    }


# Kind-specific parts ---------------------------------------------------------------------------------------------


# Periods as documents state them: from the workdays deadline kinds (the one place periods live, with their
# articles), in the agency's own length where it may set one.
_UNITS = {"working_days": "个工作日", "days": "日", "months": "个月", "years": "年"}
_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Small counts as documents write them: 3 → 三, 15 → 十五, 60 → 六十, 90 → 九十."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


def period_text(agency, code: str) -> str:
    """十五日, 六十日, 六个月, 三个工作日 … for the deadline kind ``code``."""
    from zhifa.workdays import queries as wd_queries

    kind = wd_queries.kind_by_code(code)
    if kind is None:
        raise LookupError(f"deadline kind {code} is not seeded")
    period = wd_queries.period_for(kind, agency)
    return cn_number(period.length) + _UNITS.get(period.unit, "日")


def notice_part(case) -> dict[str, Any]:
    """事先告知书 / 听证告知书: what is proposed, and until when the party may state, defend or ask for a hearing."""
    snapshot = case.notice_snapshot or {}
    penalty = snapshot or _draft_penalty(case)
    reasons = snapshot.get("hearing_reasons") if snapshot else hearing_reasons_for_draft(case)
    return {
        "penalty": penalty_view(penalty),
        "statement_period": period_text(case.agency, "statement_defence"),
        "hearing_period": period_text(case.agency, "hearing_request"),
        "statement_due": snapshot.get("statement_due") or "",
        "hearing_request_due": snapshot.get("hearing_request_due") or "",
        "hearing_eligible": bool(reasons),
    }


def hearing_reasons_for_draft(case) -> list[str]:
    from zhifa.cases.actions import draft_penalty, hearing_thresholds
    from zhifa.core.errors import RuleViolation

    if case.outcome != Outcome.PENALTY:
        return []
    try:
        return case_rules.hearing_reasons(
            case.party.kind, draft_penalty(case), hearing_thresholds(case.agency)
        )
    except RuleViolation:
        return []


def decision_part(case) -> dict[str, Any]:
    snapshot = case.decision_snapshot or {}
    return {
        # before the decision (the 代拟稿 under review) the proposed penalty; after it the decided one
        "penalty": penalty_view(snapshot) if case.decision_snapshot else penalty_view(_draft_penalty(case)),
        "decision": {
            "facts": snapshot.get("facts", case.facts),
            "evidence": snapshot.get("evidence", case.evidence_summary),
            "violated_provisions": snapshot.get("violated_provisions", case.violated_provisions),
            "penalty_provisions": snapshot.get("penalty_provisions", case.penalty_provisions),
            "discretion": snapshot.get("discretion", case.discretion),
            "transfer_to": snapshot.get("transfer_to", case.transfer_to),
        },
    }


def draft_part(case) -> dict[str, Any]:
    return {"penalty": penalty_view(_draft_penalty(case))}


def decision_document_part(case) -> dict[str, Any]:
    doc = _final_document(
        case,
        DocumentKind.PENALTY_DECISION,
        DocumentKind.ON_THE_SPOT_DECISION,
        DocumentKind.NO_PENALTY_DECISION,
    )
    return {"decision_document": {"title": doc.get_kind_display(), "number": doc.number} if doc else {}}


def owed_part(case, on: dt.date) -> dict[str, Any]:
    from zhifa.cases.actions import amount_owed

    owed = amount_owed(case, on)
    total = sum(owed.values(), Decimal("0"))
    return {
        "owed": {
            "fine": money(owed[PaymentKind.FINE]),
            "confiscation": money(owed[PaymentKind.CONFISCATION]),
            "surcharge": money(owed[PaymentKind.SURCHARGE]),
            "total": money(total),
            "on": on.isoformat(),
        }
    }


def payments_part(case) -> dict[str, Any]:
    return {
        "payments": [
            {
                "kind": _label(PaymentKind, p.kind),
                "amount": money(p.amount),
                "paid_on": _iso(p.paid_on),
                "receipt": p.receipt_number,
            }
            for p in case.payments.all()
        ]
    }


def services_part(case) -> dict[str, Any]:
    return {
        "services": [
            {
                "document": s.document,
                "method": _label(ServiceMethod, s.method),
                "delivered_on": _iso(s.delivered_on),
                "served_on": _iso(s.served_on),
                "recipient": s.recipient,
                "witness": s.witness,
                "note": s.note,
                "failed": s.failed,
            }
            for s in case.services.all()
        ]
    }


# Initial narrative text ------------------------------------------------------------------------------------------


def lead_officer_name(case) -> str:
    link = case.officer_links.select_related("person").order_by("-lead", "id").first()
    return link.person.full_name if link else ""


def items_text(record) -> str:
    """物品清单 as editable lines: 名称｜规格｜数量｜生产者（进口代理商）｜生产日期｜批号."""
    if record is None:
        return ""
    rows = []
    for item in (record.data or {}).get("items") or []:
        if isinstance(item, Mapping):
            rows.append("｜".join(str(item.get(k, "")) for k in ITEM_KEYS))
        else:
            rows.append(str(item))
    return "\n".join(rows)


ITEM_KEYS = ("name", "spec", "quantity", "producer", "production_date", "batch")
ITEM_LABELS = ("物品名称", "规格", "数量", "生产者（进口代理商）", "生产日期", "批号")


def parse_items(text: str) -> list[list[str]]:
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("|", "｜").split("｜")]
        rows.append((cells + [""] * len(ITEM_KEYS))[: len(ITEM_KEYS)])
    return rows


def statement_summary(case) -> str:
    """The procedure paragraph of a decision, written from the recorded facts: the notice served, the party's
    statement and its 复核 (or the express waiver, or silence), and — where a hearing could be asked for — the
    hearing held, waived, or not asked for in time."""
    records = list(case.records.all())
    of = lambda kind: [r for r in records if r.kind == kind]  # noqa: E731
    parts = []
    if case.notice_on:
        notice = "行政处罚听证告知书" if case.hearing_eligible else "行政处罚事先告知书"
        number = ((case.notice_snapshot or {}).get("document") or {}).get("number")
        parts.append(
            f"本机关于{_cn(case.notice_on)}向你（单位）送达了{notice}"
            + (f"（{number}）" if number else "")
            + "，告知拟作出行政处罚的事实、理由、依据及你（单位）依法享有的陈述、申辩权利"
            + ("和要求听证的权利" if case.hearing_eligible else "")
            + "。"
        )
    statements = of(RecordKind.STATEMENT)
    waivers = of(RecordKind.STATEMENT_WAIVER)
    if statements:
        for record in statements:
            parts.append(
                f"你（单位）提出陈述和申辩：{record.data.get('content', '')}。"
                f"经复核：{record.data.get('recheck', '')}"
                + ("" if str(record.data.get("recheck", "")).endswith("。") else "。")
            )
    elif waivers:
        parts.append(
            f"你（单位）于{_cn(dt.date.fromisoformat(waivers[0].data['on']))}明确表示放弃陈述和申辩的权利。"
        )
    elif case.notice_on:
        parts.append("你（单位）在规定期限内未提出陈述和申辩。")
    if case.hearing_eligible:
        hearings = of(RecordKind.HEARING)
        late = [r for r in of(RecordKind.HEARING_REQUEST) if r.data.get("late")]
        if hearings:
            if hearings[-1].data.get("party_absent"):
                parts.append(
                    f"本机关于{_cn(case.hearing_on)}依法举行听证，你（单位）无正当理由未到场，视为放弃听证权利。"
                )
            else:
                parts.append(f"本机关于{_cn(case.hearing_on)}依法举行了听证。")
        elif of(RecordKind.HEARING_WAIVER):
            waiver = of(RecordKind.HEARING_WAIVER)[0]
            parts.append(
                f"你（单位）于{_cn(dt.date.fromisoformat(waiver.data['on']))}明确表示放弃听证的权利。"
            )
        elif late:
            parts.append(
                f"你（单位）于{_cn(dt.date.fromisoformat(late[0].data['on']))}提出听证申请，已超过法定期限，视为放弃听证权利。"
            )
        elif case.notice_on:
            parts.append("你（单位）在规定期限内未要求听证。")
    return "".join(parts)


def _cn(value) -> str:
    from .rules import chinese_date

    return chinese_date(value)


def remedy_periods(case) -> dict[str, str]:
    return {
        "reconsideration_period": period_text(case.agency, "reconsideration"),
        "litigation_period": period_text(case.agency, "litigation"),
    }


def remedies_text(case) -> str:
    agency = case.agency
    body = agency.reconsideration_body or f"{agency.region}人民政府"
    court = agency.court or f"{agency.region}人民法院"
    return (
        f"如不服本决定，可以在收到本决定书之日起{period_text(agency, 'reconsideration')}内向{body}申请行政复议，"
        f"或者在{period_text(agency, 'litigation')}内依法向{court}提起行政诉讼。"
        "行政复议和行政诉讼期间，本决定不停止执行，法律另有规定的除外。"
    )


def payment_text(case) -> str:
    return (
        f"请你（单位）自收到本决定书之日起{period_text(case.agency, 'payment')}内，到指定银行或者通过电子支付系统缴纳罚没款。"
        "逾期不缴纳罚款的，本机关可以每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款数额"
        "（《中华人民共和国行政处罚法》第七十二条）。"
    )


def approval_matters() -> list[str]:
    return [
        gettext_noop("证据先行登记保存"),
        gettext_noop("查封扣押措施"),
        gettext_noop("查封扣押延期"),
        gettext_noop("行政处罚听证告知"),
        gettext_noop("行政处罚"),
        gettext_noop("案件移送"),
        gettext_noop("申请法院强制执行"),
        gettext_noop("其他"),
    ]


def proposal_text(case) -> str:
    if case.outcome == Outcome.PENALTY:
        view = penalty_view(_draft_penalty(case))
        return f"依据{case.penalty_provisions}，建议给予{view.get('text', '')}。"
    if case.outcome == Outcome.TRANSFER:
        return f"涉嫌犯罪，建议移送{case.transfer_to}。"
    return _label(Outcome, case.outcome)


def latest_service(case):
    return case.services.filter(failed=False, document="decision").order_by("-delivered_on", "-id").first()


def served_document_text(case) -> str:
    doc = _final_document(
        case,
        DocumentKind.PENALTY_DECISION,
        DocumentKind.NO_PENALTY_DECISION,
        DocumentKind.ON_THE_SPOT_DECISION,
        DocumentKind.PRIOR_NOTICE,
        DocumentKind.HEARING_RIGHTS,
        DocumentKind.HEARING_NOTICE,
        DocumentKind.DEMAND,
    )
    return f"{doc.get_kind_display()}（{doc.number}）" if doc else ""


def execution_text(case) -> str:
    lines = [
        f"当事人于{_cn(p.paid_on)}缴纳{_label(PaymentKind, p.kind)}人民币{case_rules.amount_words(p.amount)}"
        f"（¥{p.amount:,.2f}），缴款凭证号{p.receipt_number}。"
        for p in case.payments.all()
    ]
    if case.executed_on:
        lines.append(f"于{_cn(case.executed_on)}执行完毕。")
    return "".join(lines)
