"""Investigation (调查取证): records, the proposed handling, closing and reopening the investigation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import RuleViolation
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Certificate, Person
from zhifa.workdays import actions as wd_actions

from .. import access, deadlines, rules
from ..choices import Outcome, RecordKind
from ..models import Case, CaseRecord
from .common import (
    APPROVED_RECORDS,
    ONSITE_RECORDS,
    RECORD_CHECKS,
    _move,
    _not_future,
    _record,
    _save,
    _today,
)

# Records made by steps of their own (陈述申辩, 听证, 复核) or by another act kind (the 行政征用's list), not by 调查取证.
NOT_INVESTIGATION = frozenset(
    {
        RecordKind.STATEMENT,
        RecordKind.HEARING,
        RecordKind.RECHECK,
        RecordKind.REQUISITION,
        RecordKind.EXAMINATION,
        RecordKind.SAMPLING,
    }
)

# Investigation ----------------------------------------------------------------------------------------------------


@transaction.atomic
def add_record(
    actor: Person,
    case: Case,
    *,
    kind: str,
    data: dict,
    started_at: dt.datetime,
    place: str = "",
    ended_at: dt.datetime | None = None,
    officers: Sequence[Person] = (),
    certificates_shown: Sequence[Certificate] = (),
    approved_by: Person | None = None,
    period_days: int | None = None,
) -> CaseRecord:
    """调查取证: an inquiry, an on-site inspection, preservation of evidence, a seizure, the 合议."""
    case = access.lock(case)
    access.require(actor, case, "add_record")
    if kind in NOT_INVESTIGATION:
        raise RuleViolation(_("该类记录不能在调查阶段制作。"))
    return make_record(
        actor,
        case,
        kind=kind,
        data=data,
        started_at=started_at,
        place=place,
        ended_at=ended_at,
        officers=officers,
        certificates_shown=certificates_shown,
        approved_by=approved_by,
        period_days=period_days,
    )


def make_record(
    actor: Person,
    case: Case,
    *,
    kind: str,
    data: dict,
    started_at: dt.datetime,
    place: str = "",
    ended_at: dt.datetime | None = None,
    officers: Sequence[Person] = (),
    certificates_shown: Sequence[Certificate] = (),
    approved_by: Person | None = None,
    period_days: int | None = None,
) -> CaseRecord:
    """Make a record on the locked ``case`` after the calling action's own permission check (``add_record`` in an
    investigation, the compulsory measure's steps): its rules, its periods as deadlines, its recording, its entry."""
    if kind not in RecordKind.values:
        raise RuleViolation(_("该类记录不能在调查阶段制作。"))
    if started_at > timezone.now():
        raise RuleViolation(_("记录时间不能晚于现在。"))
    officers = list(dict.fromkeys(officers))
    if kind in ONSITE_RECORDS:
        org_queries.check_acting_officers(officers, case.field.code, timezone.localdate(started_at))
        shown_owners = {c.person_id for c in certificates_shown}
        if not certificates_shown or shown_owners != {p.pk for p in officers}:
            raise RuleViolation(_("现场执法须记录每名执法人员出示的执法证（《行政处罚法》第五十五条）。"))
    # 行政强制法 art. 19: in an emergency the measure is carried out first and approved within 24 hours after.
    emergency = kind == RecordKind.SEIZURE and bool(data.get("emergency"))
    if kind in APPROVED_RECORDS and not emergency:
        if approved_by is None or not org_queries.has_role(approved_by, Role.AGENCY_HEAD, case.agency_id):
            raise RuleViolation(_("先行登记保存、查封扣押须经本机关负责人批准。"))
    if (
        kind == RecordKind.SEIZURE
        and period_days
        and period_days > deadlines.length(case.agency, deadlines.SEIZURE)
    ):
        raise RuleViolation(_("查封扣押期限不得超过三十日（《行政强制法》第二十五条）。"))
    if kind in (RecordKind.PRESERVATION, RecordKind.SEIZURE) and not data.get("items"):
        raise RuleViolation(
            _("先行登记保存、查封扣押须附物品清单（《行政处罚法》第五十六条，《行政强制法》第二十四条）。")
        )
    start = timezone.localdate(started_at)
    seizure = case.records.filter(kind=RecordKind.SEIZURE).order_by("-id").first()
    if kind in (RecordKind.SEIZURE_EXTENSION, RecordKind.SEIZURE_RELEASE) and seizure is None:
        raise RuleViolation(_("本案没有查封扣押记录。"))
    record = CaseRecord.objects.create(
        case=case,
        kind=kind,
        data=data,
        place=place,
        started_at=started_at,
        ended_at=ended_at,
        approved_by=approved_by,
        created_by=actor or officers[0],
    )
    record.officers.set(officers)
    record.certificates_shown.set(certificates_shown)
    # The periods run as deadlines: art. 56 (7 working days to decide on preserved items); 行政强制法 art. 25
    # (30 days, extended once by 30 with the head's approval).
    if kind == RecordKind.PRESERVATION:
        record.due_on = deadlines.open_(actor, case, deadlines.PRESERVED, start, target=record).due
    elif kind == RecordKind.PRESERVATION_DECISION:
        for preserved in case.records.filter(kind=RecordKind.PRESERVATION).order_by("id"):
            deadline = deadlines.current(preserved, deadlines.PRESERVED)
            if deadline is not None and deadline.met_on is None:
                wd_actions.meet_deadline(actor, deadline, on=start)
                break
    elif kind == RecordKind.SEIZURE:
        record.due_on = deadlines.open_(actor, case, deadlines.SEIZURE, start, target=record).due
        if period_days:
            record.due_on = min(record.due_on, start + dt.timedelta(days=period_days))
    elif kind == RecordKind.SEIZURE_EXTENSION:
        deadline = deadlines.current(seizure, deadlines.SEIZURE)
        try:
            deadline = wd_actions.extend_deadline(
                actor,
                deadline,
                reason=data.get("content") or _("查封扣押期限延长"),
                approver=approved_by,
                length=data.get("days") or None,
                on=start,
            )
        except RuleViolation:
            raise RuleViolation(
                _("查封扣押期限只能延长一次，且不得超过三十日（《行政强制法》第二十五条）。")
            ) from None
        record.due_on = deadline.due
    elif kind == RecordKind.SEIZURE_RELEASE:
        deadlines.meet(actor, seizure, deadlines.SEIZURE, start)
    if record.due_on:
        record.save(update_fields=["due_on"])
    for check in RECORD_CHECKS:  # e.g. the records app: a 全程 act needs its recording (raises RuleViolation)
        check(actor, case, record)
    _record(case, actor, "add_record", obj=record)
    return record


DRAFT_FIELDS = (
    "outcome",
    "penalty_kinds",
    "fine_amount",
    "confiscation_amount",
    "confiscated_property_value",
    "facts",
    "evidence_summary",
    "violated_provisions",
    "penalty_provisions",
    "discretion",
    "transfer_to",
    "complex_case",
    "complex_reason",
    "public_interest",
    "public_interest_reason",
)

_PENALTY_MESSAGES = {
    "no_kinds": gettext_lazy("给予行政处罚的，须选择处罚种类。"),
    "fine_amount": gettext_lazy("选择罚款的须填写罚款金额；未选择罚款的不能填写金额。"),
    "confiscation_amount": gettext_lazy("选择没收违法所得的须填写金额；未选择的不能填写金额。"),
    "property_value": gettext_lazy(
        "选择没收非法财物的须填写财物价值（决定是否可以要求听证，《行政处罚法》第六十三条）；未选择的不能填写。"
    ),
    "kinds_without_penalty": gettext_lazy("不予处罚或移送的，不能填写处罚种类和金额。"),
    "unknown_kind": gettext_lazy("处罚种类不正确。"),
}


def draft_penalty(case: Case) -> rules.Penalty:
    return rules.Penalty(
        outcome=case.outcome,
        kinds=tuple(case.penalty_kinds),
        fine=Decimal(case.fine_amount),
        confiscation=Decimal(case.confiscation_amount),
        property_value=Decimal(case.confiscated_property_value),
    )


def _check_penalty(p: rules.Penalty) -> None:
    problem = rules.penalty_problem(p)
    if problem:
        raise RuleViolation(str(_PENALTY_MESSAGES[problem]))


@transaction.atomic
def update_draft(actor: Person, case: Case, **changes) -> Case:
    """The proposed handling (处理意见): outcome, penalty, facts, evidence, provisions, discretion."""
    case = access.lock(case)
    access.require(actor, case, "update_draft")
    unknown = set(changes) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"not draft fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(case, name, value)
    if "penalty_kinds" in changes:
        case.penalty_kinds = sorted(set(case.penalty_kinds), key=rules.PENALTY_ORDER.get)
    if case.outcome:
        _check_penalty(draft_penalty(case))
    if case.complex_case and not case.complex_reason.strip():
        raise RuleViolation(_("认定为疑难复杂案件的须说明理由。"))
    if case.public_interest and not case.public_interest_reason.strip():
        raise RuleViolation(_("认定涉及重大公共利益的须说明理由。"))
    case.updated_at = timezone.now()
    return _save(case, actor, "update_draft", changed=sorted(changes))


@transaction.atomic
def close_investigation(actor: Person, case: Case, *, closed_on: dt.date | None = None) -> Case:
    """调查终结: the report (facts, evidence, proposal) is complete and the 合议 has been held."""
    case = access.lock(case)
    access.require(actor, case, "close_investigation")
    missing = [
        label
        for name, label in (
            ("outcome", _("处理意见")),
            ("facts", _("违法事实")),
            ("evidence_summary", _("证据")),
        )
        if not getattr(case, name)
    ]
    if case.outcome == Outcome.PENALTY:
        missing += [
            label
            for name, label in (
                ("violated_provisions", _("违反的条款")),
                ("penalty_provisions", _("处罚依据")),
                ("discretion", _("裁量说明")),
            )
            if not getattr(case, name)
        ]
    if case.outcome == Outcome.TRANSFER and not case.transfer_to:
        missing.append(_("移送机关"))
    if missing:
        raise RuleViolation(
            _("调查终结报告不完整，缺少：%(items)s。") % {"items": "、".join(str(m) for m in missing)}
        )
    _check_penalty(draft_penalty(case))
    if not case.records.filter(kind=RecordKind.DELIBERATION).exists():
        raise RuleViolation(_("调查终结前须进行合议并制作合议记录。"))
    open_preservation = (
        case.records.filter(kind=RecordKind.PRESERVATION).count()
        > case.records.filter(kind=RecordKind.PRESERVATION_DECISION).count()
    )
    undocumented = _records_without_decision_document(case)
    if undocumented:
        raise access.MissingDocuments(
            _("调查终结前，先行登记保存、查封扣押须有已定稿的决定书：%(docs)s。")
            % {"docs": "、".join(access.document_label(kind) for kind in undocumented)},
            undocumented,
        )
    if open_preservation:
        raise RuleViolation(_("先行登记保存的证据尚未作出处理决定（《行政处罚法》第五十六条）。"))
    _move(case, "close_investigation")
    case.investigation_closed_on = _not_future(closed_on or _today(), _("调查终结日期"))
    return _save(case, actor, "close_investigation")


# Each preservation or seizure record is made by its decision document with the item list (art. 56; 行政强制法
# arts. 18, 24).
RECORD_DECISIONS = {RecordKind.PRESERVATION: "preservation_decision", RecordKind.SEIZURE: "seizure_decision"}


def _records_without_decision_document(case: Case) -> list[str]:
    """The decision document kinds missing for the case's preservation and seizure records (one per record)."""
    records = list(case.records.filter(kind__in=list(RECORD_DECISIONS)).values_list("pk", "kind"))
    if not records:
        return []
    made = set(access.final_documents(case, RECORD_DECISIONS.values()).values_list("record_id", flat=True))
    return [RECORD_DECISIONS[kind] for pk, kind in records if pk not in made]


@transaction.atomic
def reopen_investigation(actor: Person, case: Case, *, reason: str) -> Case:
    """补充调查: new facts. A penalty then needs a new prior notice (art. 45)."""
    case = access.lock(case)
    access.require(actor, case, "reopen_investigation")
    if not reason.strip():
        raise RuleViolation(_("请填写补充调查的理由。"))
    _move(case, "reopen_investigation")
    case.investigation_closed_on = None
    return _save(case, actor, "reopen_investigation", reason=reason)
