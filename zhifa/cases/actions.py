"""Every change to a case, one function per thing a person does.

Each action: fetches the case with its row locked, checks who may act (role, agency, handling officer), checks
the lifecycle and the law (rules.py), writes in one transaction and appends its ledger entry in it. A refusal is a
Chinese message saying why and what to do; nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.sequences import next_number
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Agency, Certificate, EnforcementField, Person, Unit
from zhifa.workdays import actions as wd_actions

from . import access, deadlines, lifecycle, rules
from .choices import (
    Outcome,
    PartyKind,
    PaymentKind,
    PenaltyKind,
    Procedure,
    RecordKind,
    ServiceMethod,
    Source,
    State,
)
from .models import (
    Case,
    CaseOfficer,
    CaseRecord,
    HearingPolicy,
    Party,
    PartyConnection,
    Payment,
    Recusal,
    Service,
)

# Records made on site with the party: two certified officers, certificates shown (arts. 42, 55).
ONSITE_RECORDS = frozenset(
    {RecordKind.INQUIRY, RecordKind.ONSITE, RecordKind.PRESERVATION, RecordKind.SEIZURE}
)
# Records that need the agency head's approval before they are made (art. 56; 行政强制法 art. 18).
APPROVED_RECORDS = frozenset({RecordKind.PRESERVATION, RecordKind.SEIZURE, RecordKind.SEIZURE_EXTENSION})


def _today() -> dt.date:
    return timezone.localdate()


def _calendar():
    from zhifa.workdays.queries import current_calendar

    return current_calendar()


def _add_workdays(start: dt.date, n: int) -> dt.date:
    from zhifa.workdays.rules import add_working_days

    return add_working_days(_calendar(), start, n).date


def _not_future(day: dt.date, what: str) -> dt.date:
    if day > _today():
        raise RuleViolation(_("%(what)s不能晚于今天。") % {"what": what})
    return day


def _require(actor: Person, agency: Agency, roles: Iterable[str], message: str | None = None) -> None:
    if actor is None:  # the platform itself setting an agency's data (the demo loader, the CLI)
        return
    if not getattr(actor, "is_authenticated", False):
        raise ActionDenied(_("请先登录。"))
    if not org_queries.agency_ids_with(actor, set(roles)) & {agency.pk}:
        labels = "、".join(str(Role(r).label) for r in roles)
        raise ActionDenied(message or _("只有本机关的%(roles)s可以进行此操作。") % {"roles": labels})


def _record(case: Case, actor, action: str, obj=None, **extra) -> None:
    obj = obj or case
    payload = {"state": snapshot(obj), **extra}
    if obj is not case:
        payload["case"] = case.pk
    ledger.append(agency=case.agency, actor=actor, action=f"cases.{action}", obj=obj, payload=payload)


def _move(case: Case, action: str) -> None:
    lifecycle.check(case, action)
    case.state = lifecycle.target(case.state, action)
    case.updated_at = timezone.now()


def _save(case: Case, actor, action: str, **extra) -> Case:
    case.full_clean()
    case.save()
    _record(case, actor, action, **extra)
    return case


# Parties ----------------------------------------------------------------------------------------------------------

_PARTY_ID_MESSAGES = {
    "format": _("证件号码格式不正确。"),
    "birth_date": _("居民身份证号码中的出生日期不存在。"),
    "check": _("居民身份证号码校验位不正确，请核对。"),
    "credit_code": _("统一社会信用代码不正确，请核对。"),
    "kind_mismatch": _("证件类型与当事人类型不符：法人和其他组织使用统一社会信用代码，自然人使用身份证件。"),
}


@transaction.atomic
def register_party(
    actor: Person,
    agency: Agency,
    *,
    kind: str,
    name: str,
    id_type: str,
    id_number: str,
    address: str,
    legal_representative: str = "",
    phone: str = "",
) -> Party:
    _require(actor, agency, {Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD})
    id_number = id_number.strip().upper()
    problem = rules.party_id_problem(kind, id_type, id_number)
    if problem:
        raise RuleViolation({"id_number": [str(_PARTY_ID_MESSAGES[problem])]})
    if kind != PartyKind.NATURAL and kind != PartyKind.INDIVIDUAL_BUSINESS and not legal_representative:
        raise RuleViolation({"legal_representative": [_("法人和其他组织须填写法定代表人或负责人。")]})
    if Party.objects.filter(agency=agency, id_type=id_type, id_number=id_number).exists():
        raise RuleViolation({"id_number": [_("该当事人已登记，请直接选用。")]})
    party = Party(
        agency=agency,
        kind=kind,
        name=name.strip(),
        id_type=id_type,
        id_number=id_number,
        address=address,
        legal_representative=legal_representative,
        phone=phone,
    )
    party.full_clean()
    party.save()
    ledger.append(
        agency=agency,
        actor=actor,
        action="cases.register_party",
        obj=party,
        payload={"state": snapshot(party)},
    )
    return party


@transaction.atomic
def declare_connection(actor: Person, party: Party, *, relation: str) -> PartyConnection:
    """A person declares a connection with a party (亲属、利害关系…); they are then kept off its cases."""
    if not relation.strip():
        raise RuleViolation(_("请说明与当事人的关系。"))
    connection, _created = PartyConnection.objects.get_or_create(
        person=actor, party=party, defaults={"relation": relation}
    )
    ledger.append(
        agency=party.agency,
        actor=actor,
        action="cases.declare_connection",
        obj=connection,
        payload={"state": snapshot(connection)},
    )
    return connection


# Officers ---------------------------------------------------------------------------------------------------------


def _check_officers(
    case_agency: Agency, party: Party, field: EnforcementField, officers: Sequence[Person], on: dt.date
) -> None:
    officers = list(dict.fromkeys(officers))
    foreign = [p.full_name for p in officers if p.agency_id != case_agency.pk]
    if foreign:
        raise RuleViolation(_("承办人员必须是本机关人员：%(names)s。") % {"names": "、".join(foreign)})
    org_queries.check_acting_officers(officers, field.code, on)
    # 行政处罚法 art. 43: an officer with an interest in the case withdraws.
    connected = PartyConnection.objects.filter(party=party, person__in=officers).select_related("person")
    if connected:
        raise RuleViolation(
            _("%(names)s与当事人存在利害关系，应当回避（《行政处罚法》第四十三条）。")
            % {"names": "、".join(c.person.full_name for c in connected)}
        )


def _set_officers(case: Case, officers: Sequence[Person]) -> None:
    case.officer_links.all().delete()
    for index, person in enumerate(dict.fromkeys(officers)):
        CaseOfficer.objects.create(case=case, person=person, lead=index == 0)
    access.forget(case)


# Intake and filing ------------------------------------------------------------------------------------------------


@transaction.atomic
def accept_case(
    actor: Person,
    *,
    party: Party,
    cause: str,
    source: str,
    field: EnforcementField,
    unit: Unit,
    officers: Sequence[Person],
    summary: str,
    violation_date: dt.date,
    violation_ended: dt.date | None = None,
    life_health_harm: bool = False,
    place: str = "",
    source_detail: str = "",
    complaint_receipt: str = "",
    items: Sequence[str] = (),
    accepted_on: dt.date | None = None,
) -> Case:
    """受理: record a suspected violation (案件受理记录) and the officers who will handle it."""
    agency = party.agency
    _require(actor, agency, {Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD})
    accepted_on = _not_future(accepted_on or _today(), _("受理日期"))
    if unit.agency_id != agency.pk:
        raise RuleViolation(_("承办机构必须是本机关的内设机构。"))
    if source not in Source.values:
        raise RuleViolation(_("请选择案件来源。"))
    _not_future(violation_date, _("违法行为发生日期"))
    _check_officers(agency, party, field, officers, accepted_on)
    _check_items(agency, items)
    if complaint_receipt:
        _check_complaint(agency, complaint_receipt)
    year = accepted_on.year
    number = next_number(agency, "case", year)
    case = Case(
        agency=agency,
        reference=f"{agency.short_name}案〔{year}〕{number}号",
        cause=cause.strip(),
        source=source,
        source_detail=source_detail,
        complaint_receipt=complaint_receipt,
        field=field,
        items=list(items),
        party=party,
        unit=unit,
        summary=summary,
        place=place,
        violation_date=violation_date,
        violation_ended=violation_ended,
        life_health_harm=life_health_harm,
        accepted_on=accepted_on,
        created_by=actor or officers[0],
    )
    case.full_clean()
    case.save()
    _set_officers(case, officers)
    _record(case, actor, "accept_case", officers=[p.pk for p in officers])
    return case


def _check_items(agency: Agency, codes: Sequence[str]) -> None:
    """The case's enforcement items must be items of the agency's 执法事项清单."""
    from django.apps import apps

    if not codes or not apps.is_installed("zhifa.catalog"):
        return
    from zhifa.catalog.queries import item_by_code

    unknown = [code for code in codes if item_by_code(agency, code) is None]
    if unknown:
        raise RuleViolation(
            {"items": [_("执法事项清单中没有这些事项：%(codes)s。") % {"codes": "、".join(unknown)}]}
        )


def _check_complaint(agency: Agency, receipt: str) -> None:
    """A case from the portal names the complaint it came from (投诉举报受理编号)."""
    from django.apps import apps

    if not apps.is_installed("zhifa.publicity"):
        return
    Complaint = apps.get_model("publicity", "Complaint")
    if not Complaint.objects.filter(agency=agency, receipt_number=receipt.strip()).exists():
        raise RuleViolation(
            {"complaint_receipt": [_("本机关没有受理编号为“%(n)s”的投诉举报。") % {"n": receipt}]}
        )


def _check_limitation(case: Case, on: dt.date) -> None:
    if not rules.within_limitation(on, case.violation_date, case.violation_ended, case.life_health_harm):
        ends = rules.limitation_ends(case.violation_date, case.violation_ended, case.life_health_harm)
        raise RuleViolation(
            _(
                "违法行为已超过追责时效（%(years)s年，至%(date)s止），不再给予行政处罚（《行政处罚法》第三十六条），应当不予立案。"
            )
            % {"years": 5 if case.life_health_harm else 2, "date": ends.isoformat()}
        )


@transaction.atomic
def request_filing(actor: Person, case: Case) -> Case:
    case = access.lock(case)
    access.require(actor, case, "request_filing")
    _check_limitation(case, _today())
    _move(case, "request_filing")
    return _save(case, actor, "request_filing")


@transaction.atomic
def approve_filing(actor: Person, case: Case, *, opinion: str, filed_on: dt.date | None = None) -> Case:
    """立案 (art. 54), approved by the agency head. The 90-day decision period starts (art. 60)."""
    case = access.lock(case)
    access.require(actor, case, "approve_filing")
    filed_on = _not_future(filed_on or _today(), _("立案日期"))
    if filed_on < case.accepted_on:
        raise RuleViolation(_("立案日期不能早于受理日期。"))
    _check_limitation(case, filed_on)
    _check_officers(case.agency, case.party, case.field, list(case.officers.all()), filed_on)
    _move(case, "approve_filing")
    case.filed_on = filed_on
    case.filing_opinion = opinion
    _save(case, actor, "approve_filing")
    deadlines.open_(actor, case, deadlines.DECISION, filed_on)
    return case


@transaction.atomic
def refuse_filing(actor: Person, case: Case, *, reason: str) -> Case:
    case = access.lock(case)
    access.require(actor, case, "refuse_filing")
    if not reason.strip():
        raise RuleViolation(_("请填写不予立案的理由。"))
    _move(case, "refuse_filing")
    case.not_filed_reason = reason
    _save(case, actor, "refuse_filing")
    deadlines.end_running(actor, case, _today(), _("不予立案：%(reason)s") % {"reason": reason.strip()})
    return case


@transaction.atomic
def assign_officers(actor: Person, case: Case, *, officers: Sequence[Person]) -> Case:
    case = access.lock(case)
    access.require(actor, case, "assign_officers")
    _check_officers(case.agency, case.party, case.field, officers, _today())
    _set_officers(case, officers)
    case.updated_at = timezone.now()
    return _save(case, actor, "assign_officers", officers=[p.pk for p in officers])


@transaction.atomic
def decide_recusal(
    actor: Person, case: Case, *, person: Person, reason: str, granted: bool, applied_by_party: bool = False
) -> Recusal:
    """回避 (art. 43): the head decides; a granted recusal takes the officer off the case."""
    case = access.lock(case)
    access.require(actor, case, "decide_recusal")
    recusal = Recusal.objects.create(
        case=case,
        person=person,
        reason=reason,
        applied_by_party=applied_by_party,
        granted=granted,
        decided_by=actor,
    )
    if granted:
        remaining = [p for p in case.officers.all() if p.pk != person.pk]
        if len(remaining) < 2:
            raise RuleViolation(_("回避后承办人员不足两人，请先指派其他承办人员。"))
        case.officer_links.filter(person=person).delete()
        case.officer_links.filter(person=remaining[0]).update(lead=True)
    _record(case, actor, "decide_recusal", obj=recusal)
    return recusal


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
    if kind not in RecordKind.values or kind in (
        RecordKind.STATEMENT,
        RecordKind.HEARING,
        RecordKind.RECHECK,
    ):
        raise RuleViolation(_("该类记录不能在调查阶段制作。"))
    if started_at > timezone.now():
        raise RuleViolation(_("记录时间不能晚于现在。"))
    officers = list(dict.fromkeys(officers))
    if kind in ONSITE_RECORDS:
        org_queries.check_acting_officers(officers, case.field.code, timezone.localdate(started_at))
        shown_owners = {c.person_id for c in certificates_shown}
        if not certificates_shown or shown_owners != {p.pk for p in officers}:
            raise RuleViolation(_("现场执法须记录每名执法人员出示的执法证（《行政处罚法》第五十五条）。"))
    if kind in APPROVED_RECORDS:
        if approved_by is None or not org_queries.has_role(approved_by, Role.AGENCY_HEAD, case.agency_id):
            raise RuleViolation(_("先行登记保存、查封扣押须经本机关负责人批准。"))
    if (
        kind == RecordKind.SEIZURE
        and period_days
        and period_days > deadlines.length(case.agency, deadlines.SEIZURE)
    ):
        raise RuleViolation(_("查封扣押期限不得超过三十日（《行政强制法》第二十五条）。"))
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
    "no_kinds": _("给予行政处罚的，须选择处罚种类。"),
    "fine_amount": _("选择罚款的须填写罚款金额；未选择罚款的不能填写金额。"),
    "confiscation_amount": _("选择没收违法所得的须填写金额；未选择的不能填写金额。"),
    "kinds_without_penalty": _("不予处罚或移送的，不能填写处罚种类和金额。"),
    "unknown_kind": _("处罚种类不正确。"),
}


def draft_penalty(case: Case) -> rules.Penalty:
    return rules.Penalty(
        outcome=case.outcome,
        kinds=tuple(case.penalty_kinds),
        fine=Decimal(case.fine_amount),
        confiscation=Decimal(case.confiscation_amount),
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
    if open_preservation:
        raise RuleViolation(_("先行登记保存的证据尚未作出处理决定（《行政处罚法》第五十六条）。"))
    _move(case, "close_investigation")
    case.investigation_closed_on = _not_future(closed_on or _today(), _("调查终结日期"))
    return _save(case, actor, "close_investigation")


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


# Notice, statement, hearing ---------------------------------------------------------------------------------------


def hearing_thresholds(agency: Agency) -> rules.HearingThresholds:
    policy = HearingPolicy.objects.filter(agency=agency).first()
    if policy is None:
        raise RuleViolation(_("本机关尚未设置听证的“较大数额”标准，请系统管理员先行设置。"))
    return rules.HearingThresholds(policy.fine_person, policy.fine_organisation, policy.confiscation)


@transaction.atomic
def set_hearing_policy(
    actor: Person,
    agency: Agency,
    *,
    fine_person: Decimal,
    fine_organisation: Decimal,
    confiscation: Decimal,
    basis: str,
) -> HearingPolicy:
    """较大数额 for hearings (art. 63): data the agency (following its province) sets."""
    _require(actor, agency, {Role.SYSTEM_ADMIN})
    if min(fine_person, fine_organisation, confiscation) <= 0:
        raise RuleViolation(_("金额标准必须大于零。"))
    policy, _created = HearingPolicy.objects.update_or_create(
        agency=agency,
        defaults={
            "fine_person": fine_person,
            "fine_organisation": fine_organisation,
            "confiscation": confiscation,
            "basis": basis,
            "updated_at": timezone.now(),
        },
    )
    ledger.append(
        agency=agency,
        actor=actor,
        action="cases.set_hearing_policy",
        obj=policy,
        payload={"state": snapshot(policy)},
    )
    return policy


def _notice_document(case: Case, hearing: bool) -> dict:
    """The finalised notice this 事先告知 serves: the 听证告知书 where the party may ask for a hearing (art. 63),
    otherwise the 事先告知书; made after the investigation closed."""
    kinds = ("hearing_rights",) if hearing else ("prior_notice", "hearing_rights")
    doc = (
        access.final_documents(case, kinds)
        .filter(dated__gte=case.investigation_closed_on)
        .order_by("-id")
        .first()
    )
    if doc is None and hearing:
        raise access.MissingDocuments(
            _(
                "“事先告知”须先制作并定稿：行政处罚听证告知书（拟作出的处罚当事人可以要求听证，《行政处罚法》第六十三条、第六十四条）。"
            ),
            ["hearing_rights"],
        )
    if doc is None:
        raise access.MissingDocuments(_("“事先告知”须先制作并定稿：行政处罚事先告知书。"), ["prior_notice"])
    return {"kind": doc.kind, "number": doc.number, "dated": doc.dated}


@transaction.atomic
def issue_notice(actor: Person, case: Case, *, served_on: dt.date | None = None) -> Case:
    """行政处罚事先告知 (art. 44): the intended penalty, facts, reasons, basis and the rights to state, defend
    and — where art. 63 applies — request a hearing."""
    case = access.lock(case)
    access.require(actor, case, "issue_notice", documents=False)  # _notice_document names the missing one
    penalty = draft_penalty(case)
    if penalty.outcome != Outcome.PENALTY:
        raise RuleViolation(_("只有拟给予行政处罚的案件需要事先告知；不予处罚或移送的可以直接作出决定。"))
    for check in NOTICE_GATES:
        check(case)
    served_on = _not_future(served_on or _today(), _("告知书送达日期"))
    reasons = rules.hearing_reasons(case.party.kind, penalty, hearing_thresholds(case.agency))
    document = _notice_document(case, bool(reasons))
    if served_on < document["dated"]:
        raise RuleViolation(_("告知书送达日期不能早于告知书的日期。"))
    _move(case, "issue_notice")
    case.notice_on = served_on
    case.hearing_eligible = bool(reasons)
    case.statement_waived = case.hearing_waived = False
    case.notice_snapshot = {
        **penalty.as_json(),
        "document": {**document, "dated": document["dated"].isoformat()},
        "hearing_reasons": reasons,
        "served_on": served_on.isoformat(),
        "statement_due": deadlines.due_on(case.agency, deadlines.STATEMENT, served_on).isoformat(),
        "hearing_request_due": (
            deadlines.due_on(case.agency, deadlines.HEARING_REQUEST, served_on).isoformat()
            if reasons
            else None
        ),
    }
    _save(case, actor, "issue_notice")
    deadlines.open_(actor, case, deadlines.STATEMENT, served_on)
    if reasons:
        deadlines.open_(actor, case, deadlines.HEARING_REQUEST, served_on)
    return case


@transaction.atomic
def record_statement(
    actor: Person,
    case: Case,
    *,
    content: str,
    recheck: str,
    stated_at: dt.datetime | None = None,
) -> CaseRecord:
    """陈述和申辩 and its 复核 (art. 45). A waiver is its own record (``waive_statement``)."""
    case = access.lock(case)
    access.require(actor, case, "record_statement")
    if not content.strip():
        raise RuleViolation(_("请记录当事人陈述申辩的内容。"))
    if not recheck.strip():
        raise RuleViolation(_("对当事人的陈述申辩应当进行复核，请填写复核意见（《行政处罚法》第四十五条）。"))
    record = CaseRecord.objects.create(
        case=case,
        kind=RecordKind.STATEMENT,
        data={"content": content, "recheck": recheck},
        started_at=stated_at or timezone.now(),
        created_by=actor,
    )
    _record(case, actor, "record_statement", obj=record)
    deadlines.meet(actor, case, deadlines.STATEMENT, timezone.localdate(record.started_at))
    return record


def _party_choice(
    actor, case: Case, kind: str, on: dt.date | None, signer: str, refusal_note: str, **data
) -> CaseRecord:
    """A choice the party made after the notice, recorded with the party's signature (the signer's name) or,
    where the party made it but would not sign, the refusal noted with how the choice was made."""
    on = _not_future(on or _today(), _("日期"))
    if on < case.notice_on:
        raise RuleViolation(_("日期不能早于事先告知书送达日期。"))
    signer, refusal_note = signer.strip(), refusal_note.strip()
    if not signer and not refusal_note:
        raise RuleViolation(
            _(
                "请填写签名的当事人（或其委托代理人）姓名；当事人拒绝签名的，请注明其如何作出该表示及见证情况。"
            )
        )
    record = CaseRecord.objects.create(
        case=case,
        kind=kind,
        data={"on": on.isoformat(), "signer": signer, "refusal_note": refusal_note, **data},
        started_at=timezone.now(),
        created_by=actor,
    )
    return record


def _require_hearing_right(case: Case) -> None:
    if not case.hearing_eligible:
        raise RuleViolation(_("本案拟作出的处罚不属于可以要求听证的情形（《行政处罚法》第六十三条）。"))


def _waive(actor, case: Case, step: str, kind: str, flag: str, period: str, on, signer, refusal_note):
    """A waiver: its record, the case's flag, and the period it ends (the case is locked and the step allowed)."""
    record = _party_choice(actor, case, kind, on, signer, refusal_note)
    setattr(case, flag, True)
    case.updated_at = timezone.now()
    case.save(update_fields=[flag, "updated_at"])
    _record(case, actor, step, obj=record)
    deadlines.meet(actor, case, period, dt.date.fromisoformat(record.data["on"]))
    return record


@transaction.atomic
def waive_statement(
    actor: Person, case: Case, *, on: dt.date | None = None, signer: str = "", refusal_note: str = ""
) -> CaseRecord:
    """The party expressly waives statement and defence (art. 62): the decision need not wait for the period."""
    case = access.lock(case)
    access.require(actor, case, "waive_statement")
    if case.records.filter(kind=RecordKind.STATEMENT).exists():
        raise RuleViolation(_("当事人已经陈述申辩，不能再登记放弃陈述申辩。"))
    return _waive(
        actor,
        case,
        "waive_statement",
        RecordKind.STATEMENT_WAIVER,
        "statement_waived",
        deadlines.STATEMENT,
        on,
        signer,
        refusal_note,
    )


@transaction.atomic
def waive_hearing(
    actor: Person, case: Case, *, on: dt.date | None = None, signer: str = "", refusal_note: str = ""
) -> CaseRecord:
    """The party says it does not ask for a hearing; its right to state and defend is untouched (art. 63)."""
    case = access.lock(case)
    access.require(actor, case, "waive_hearing")
    _require_hearing_right(case)
    return _waive(
        actor,
        case,
        "waive_hearing",
        RecordKind.HEARING_WAIVER,
        "hearing_waived",
        deadlines.HEARING_REQUEST,
        on,
        signer,
        refusal_note,
    )


@transaction.atomic
def request_hearing(
    actor: Person,
    case: Case,
    *,
    requested_on: dt.date | None = None,
    signer: str = "",
    refusal_note: str = "",
) -> Case:
    """The party asks for a hearing within 5 working days of the notice (art. 64(1)); the request is recorded
    with the party's signature. A request after the period is ``late_hearing_request``."""
    case = access.lock(case)
    access.require(actor, case, "request_hearing")
    requested_on = _not_future(requested_on or _today(), _("申请日期"))
    _require_hearing_right(case)
    if case.hearing_waived:
        raise RuleViolation(_("当事人已明确放弃听证。"))
    due = dt.date.fromisoformat(case.notice_snapshot["hearing_request_due"])
    if requested_on > due:
        raise RuleViolation(
            _("听证申请已超过期限（告知后五个工作日内，至%(due)s止），视为放弃听证；请登记为逾期听证申请。")
            % {"due": due.isoformat()}
        )
    record = _party_choice(
        actor, case, RecordKind.HEARING_REQUEST, requested_on, signer or case.party.name, refusal_note
    )
    _move(case, "request_hearing")
    case.hearing_requested_on = requested_on
    _save(case, actor, "request_hearing")
    _record(case, actor, "request_hearing_record", obj=record)
    deadlines.meet(actor, case, deadlines.HEARING_REQUEST, requested_on)
    return case


@transaction.atomic
def late_hearing_request(
    actor: Person,
    case: Case,
    *,
    requested_on: dt.date,
    signer: str = "",
    refusal_note: str = "",
    reason: str = "",
) -> CaseRecord:
    """A hearing request after the five working days: recorded (it is part of the file and of the decision's
    account of the procedure), and the case goes on as if no hearing was asked for (art. 64(1))."""
    case = access.lock(case)
    access.require(actor, case, "late_hearing_request")
    requested_on = _not_future(requested_on, _("申请日期"))
    _require_hearing_right(case)
    due = dt.date.fromisoformat(case.notice_snapshot["hearing_request_due"])
    if requested_on <= due:
        raise RuleViolation(
            _("听证申请在期限内（至%(due)s止），请登记为听证申请。") % {"due": due.isoformat()}
        )
    record = _party_choice(
        actor,
        case,
        RecordKind.HEARING_REQUEST,
        requested_on,
        signer or case.party.name,
        refusal_note,
        late=True,
        reason=reason.strip(),
    )
    _record(case, actor, "late_hearing_request", obj=record)
    return record


@transaction.atomic
def schedule_hearing(
    actor: Person,
    case: Case,
    *,
    hearing_on: dt.date,
    place: str,
    chair: Person,
    notified_on: dt.date | None = None,
) -> Case:
    """听证通知: at least 7 working days before the hearing (art. 64(2)); the chair is not an investigator."""
    case = access.lock(case)
    access.require(actor, case, "schedule_hearing")
    notified_on = _not_future(notified_on or _today(), _("通知日期"))
    if (
        chair.pk in set(case.officer_links.values_list("person_id", flat=True))
        or chair.agency_id != case.agency_id
    ):
        raise RuleViolation(_("听证主持人应当由本机关指定的非本案调查人员担任（《行政处罚法》第六十四条）。"))
    earliest = _add_workdays(notified_on, deadlines.length(case.agency, deadlines.HEARING_NOTICE))
    if hearing_on < earliest:
        raise RuleViolation(
            _("应当在举行听证的七个工作日前通知当事人；%(notified)s通知的，听证最早可安排在%(date)s。")
            % {"notified": notified_on.isoformat(), "date": earliest.isoformat()}
        )
    if not place.strip():
        raise RuleViolation(_("请填写听证地点。"))
    _move(case, "schedule_hearing")
    case.hearing_notice_on, case.hearing_on, case.hearing_place, case.hearing_chair = (
        notified_on,
        hearing_on,
        place,
        chair,
    )
    return _save(case, actor, "schedule_hearing")


@transaction.atomic
def record_hearing(
    actor: Person, case: Case, *, record: str, opinion: str, party_absent: bool = False
) -> CaseRecord:
    """听证笔录 and 听证意见书; the decision is then made on the record (art. 65)."""
    case = access.lock(case)
    access.require(actor, case, "record_hearing")
    _check_hearing_notice(case)
    if case.hearing_on and case.hearing_on > _today():
        raise RuleViolation(_("听证尚未举行（安排在%(date)s）。") % {"date": case.hearing_on.isoformat()})
    if not (record.strip() and opinion.strip()):
        raise RuleViolation(_("请填写听证笔录和听证意见。"))
    entry = CaseRecord.objects.create(
        case=case,
        kind=RecordKind.HEARING,
        data={"record": record, "opinion": opinion, "party_absent": party_absent},
        started_at=timezone.now(),
        place=case.hearing_place,
        created_by=actor,
    )
    entry.officers.set([case.hearing_chair])
    _move(case, "record_hearing")
    _save(case, actor, "record_hearing")
    _record(case, actor, "record_hearing_record", obj=entry)
    return entry


def _check_hearing_notice(case: Case) -> None:
    """The 听证通知书 must have reached the party at least seven working days before the hearing (art. 64(2))."""
    if not case.hearing_on:
        return
    dated = (
        access.final_documents(case, ["hearing_notice"])
        .order_by("dated")
        .values_list("dated", flat=True)
        .first()
    )
    if dated is None:
        return  # access.require names the missing notice
    from zhifa.workdays.rules import subtract_working_days

    n = deadlines.length(case.agency, deadlines.HEARING_NOTICE)
    latest = subtract_working_days(_calendar(), case.hearing_on, n).date
    if dated > latest:
        raise RuleViolation(
            _("听证通知书（%(dated)s）距听证日（%(hearing)s）不足七个工作日（《行政处罚法》第六十四条）。")
            % {"dated": dated.isoformat(), "hearing": case.hearing_on.isoformat()}
        )


# Decision ---------------------------------------------------------------------------------------------------------

# Gates other apps add before a notice or a decision (the legal review issue adds its own). Each raises
# RuleViolation when the case may not go on.
NOTICE_GATES: list = []
DECISION_GATES: list = []
# Checks other apps add on a new investigation record, called as check(actor, case, record) inside add_record's
# transaction after the record is made: raising RuleViolation refuses (and undoes) it.
RECORD_CHECKS: list = []


def decision_blockers(case: Case, on: dt.date) -> list[str]:
    """Every reason the case cannot be decided on ``on``; empty when it can."""
    problems: list[str] = []
    penalty = draft_penalty(case)
    if rules.penalty_problem(penalty):
        problems.append(str(_PENALTY_MESSAGES[rules.penalty_problem(penalty)]))
    due = deadlines.decision_due(case)
    if due and on > due:
        problems.append(
            _("已超过九十日办案期限（《行政处罚法》第六十条），须经负责人批准延长后方可作出决定。")
        )
    if case.suspended_since:
        problems.append(_("案件已中止，恢复后方可作出决定。"))
    if penalty.outcome == Outcome.PENALTY:
        if case.notice_snapshot is None or case.state == State.INVESTIGATED:
            problems.append(_("拟给予行政处罚的，须先事先告知当事人（《行政处罚法》第六十二条）。"))
        else:
            notice = rules.Penalty.from_json(case.notice_snapshot)
            if rules.is_heavier(penalty, notice):
                problems.append(
                    _(
                        "拟作出的处罚重于事先告知的内容：不得因当事人陈述申辩而加重处罚（第四十五条）；如有新的事实，须补充调查并重新告知。"
                    )
                )
            if case.state == State.NOTIFIED and not case.statement_waived:
                stated = case.records.filter(kind=RecordKind.STATEMENT).exists()
                statement_due = dt.date.fromisoformat(case.notice_snapshot["statement_due"])
                if not stated and on <= statement_due:
                    problems.append(
                        _("陈述申辩期限至%(date)s止，期满或当事人陈述申辩、明确放弃后方可作出决定。")
                        % {"date": statement_due.isoformat()}
                    )
            hearing_due = case.notice_snapshot.get("hearing_request_due")
            if (
                case.state == State.NOTIFIED
                and case.hearing_eligible
                and not case.hearing_waived
                and hearing_due
                and on <= dt.date.fromisoformat(hearing_due)
            ):
                problems.append(
                    _("听证申请期限至%(date)s止，期满或当事人明确放弃听证后方可作出决定。")
                    % {"date": hearing_due}
                )
    for gate in DECISION_GATES:
        try:
            gate(case)
        except RuleViolation as exc:
            problems.extend(exc.messages)
    return problems


# Functions other apps register to add to the head's decision page: part(case) -> dict (the review app adds the
# review result, its opinion number and the collective discussions).
BRIEF_PARTS: list = []


def _brief_core(case: Case) -> dict:
    penalty = draft_penalty(case)
    return {
        "outcome": case.outcome,
        "penalty": penalty.as_json(),
        "facts": case.facts,
        "evidence": case.evidence_summary,
        "violated_provisions": case.violated_provisions,
        "penalty_provisions": case.penalty_provisions,
        "discretion": case.discretion,
        "transfer_to": case.transfer_to,
    }


def brief_digest(case: Case) -> str:
    """SHA-256 of what the head decides on (the proposed handling); the decide page carries it, so a decision
    signed on a page that went stale is refused."""
    import hashlib
    import json

    core = json.dumps(_brief_core(case), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(core.encode()).hexdigest()


def decision_brief(case: Case, on: dt.date) -> dict:
    """What the head sees before signing: the proposed handling, the notice, the party's statements, waivers and
    hearing, the review result and discussions, and whatever still blocks the decision."""
    records = list(case.records.order_by("started_at", "id"))
    by_kind = lambda kind: [r for r in records if r.kind == kind]  # noqa: E731
    brief = {
        **_brief_core(case),
        "outcome_label": Outcome(case.outcome).label if case.outcome else "",
        "penalty_text": rules.penalty_text(draft_penalty(case), dict(PenaltyKind.choices)),
        "notice": case.notice_snapshot,
        "notice_on": case.notice_on,
        "hearing_eligible": case.hearing_eligible,
        "statements": by_kind(RecordKind.STATEMENT),
        "statement_waivers": by_kind(RecordKind.STATEMENT_WAIVER),
        "hearing_waivers": by_kind(RecordKind.HEARING_WAIVER),
        "hearing_requests": by_kind(RecordKind.HEARING_REQUEST),
        "hearings": by_kind(RecordKind.HEARING),
        "blockers": decision_blockers(case, on),
        "digest": brief_digest(case),
    }
    for part in BRIEF_PARTS:
        brief.update(part(case))
    return brief


@transaction.atomic
def decide(actor: Person, case: Case, *, decided_on: dt.date | None = None, seen: str | None = None) -> Case:
    """作出决定 (arts. 57, 59): the agency head signs the decision the draft states. Refused while any
    blocker stands."""
    case = access.lock(case)
    access.require(actor, case, "decide")
    decided_on = _not_future(decided_on or _today(), _("决定日期"))
    if seen and seen != brief_digest(case):
        raise RuleViolation(_("处理意见在您查看之后已被修改，请重新查看后再作出决定。"))
    problems = decision_blockers(case, decided_on)
    if problems:
        raise RuleViolation(problems)
    _move(case, "decide")
    case.decided_on, case.decided_by = decided_on, actor
    case.decision_snapshot = {
        **draft_penalty(case).as_json(),
        "facts": case.facts,
        "evidence": case.evidence_summary,
        "violated_provisions": case.violated_provisions,
        "penalty_provisions": case.penalty_provisions,
        "discretion": case.discretion,
        "transfer_to": case.transfer_to,
    }
    _save(case, actor, "decide")
    deadlines.meet(actor, case, deadlines.DECISION, decided_on)
    for party_period in (
        deadlines.STATEMENT,
        deadlines.HEARING_REQUEST,
    ):  # the party's periods end with the decision
        deadlines.meet(actor, case, party_period, decided_on)
    if case.outcome != Outcome.TRANSFER:
        deadlines.open_(actor, case, deadlines.SERVICE, decided_on)
    return case


# Service and execution --------------------------------------------------------------------------------------------

_SERVICE_MESSAGES = {
    "left_needs_witness": _("留置送达须有见证人，或以拍照、录像等方式记录送达过程。"),
    "electronic_needs_consent": _("电子送达须经受送达人同意并签订送达地址确认书。"),
    "needs_recipient": _("请填写签收人。"),
}


def _check_service(method, recipient, witness, recording, consent):
    problem = rules.service_problem(
        method, recipient=recipient, witness=witness, recording=recording, consent=consent
    )
    if problem:
        raise RuleViolation(str(_SERVICE_MESSAGES[problem]))


@transaction.atomic
def serve_decision(
    actor: Person,
    case: Case,
    *,
    method: str,
    delivered_on: dt.date,
    recipient: str = "",
    witness: str = "",
    recording: str = "",
    consent: str = "",
    note: str = "",
) -> Service:
    """送达 the decision (art. 61): within 7 working days when the party was absent at its announcement."""
    case = access.lock(case)
    # Electronic service carries its own proof (the consent and the delivery record); the others the 送达回执.
    access.require(actor, case, "serve_decision", documents=method != ServiceMethod.ELECTRONIC)
    _not_future(delivered_on, _("送达日期"))
    if delivered_on < case.decided_on:
        raise RuleViolation(_("送达日期不能早于决定日期。"))
    _check_service(method, recipient, witness, recording, consent)
    served_on = rules.deemed_served(method, delivered_on)
    service = Service.objects.create(
        case=case,
        document="decision",
        method=method,
        delivered_on=delivered_on,
        served_on=served_on,
        recipient=recipient,
        witness=witness,
        recording=recording,
        consent=consent,
        note=note,
        recorded_by=actor,
    )
    _move(case, "serve_decision")
    case.served_on = served_on
    deadlines.meet(actor, case, deadlines.SERVICE, delivered_on)
    if case.outcome == Outcome.PENALTY and _monetary(case):  # art. 67: 15 days from receipt
        case.payment_due = deadlines.open_(actor, case, deadlines.PAYMENT, served_on).due
    _save(case, actor, "serve_decision")
    _record(case, actor, "serve_decision_record", obj=service)
    return service


def amount_owed(case: Case, on: dt.date) -> dict[str, Decimal]:
    """What the party still owes on ``on``: the fine, the confiscated gains and the surcharge (art. 72)."""
    paid = {k: Decimal("0") for k in PaymentKind.values}
    for kind, amount in case.payments.values_list("kind", "amount"):
        paid[kind] += amount
    due = case.deferred_until or case.payment_due
    surcharge = Decimal("0")
    if due and case.fine_amount and not case.instalments:
        surcharge = rules.surcharge(Decimal(case.fine_amount), due, on, paid[PaymentKind.FINE])
    return {
        PaymentKind.FINE: max(Decimal(case.fine_amount) - paid[PaymentKind.FINE], Decimal("0")),
        PaymentKind.CONFISCATION: max(
            Decimal(case.confiscation_amount) - paid[PaymentKind.CONFISCATION], Decimal("0")
        ),
        PaymentKind.SURCHARGE: max(surcharge - paid[PaymentKind.SURCHARGE], Decimal("0")),
    }


def _monetary(case: Case) -> bool:
    return bool(case.fine_amount or case.confiscation_amount)


@transaction.atomic
def record_payment(
    actor: Person, case: Case, *, kind: str, amount: Decimal, paid_on: dt.date, receipt_number: str
) -> Payment:
    case = access.lock(case)
    access.require(actor, case, "record_payment")
    _not_future(paid_on, _("缴纳日期"))
    if amount <= 0:
        raise RuleViolation(_("缴纳金额必须大于零。"))
    if not receipt_number.strip():
        raise RuleViolation(_("请填写缴款凭证号。"))
    owed = amount_owed(case, paid_on)
    if amount > owed.get(kind, Decimal("0")):
        raise RuleViolation(
            _("缴纳金额超过应缴金额（%(kind)s尚欠%(owed)s元）。")
            % {"kind": PaymentKind(kind).label, "owed": owed[kind]}
        )
    payment = Payment.objects.create(
        case=case, kind=kind, amount=amount, paid_on=paid_on, receipt_number=receipt_number, recorded_by=actor
    )
    _record(case, actor, "record_payment", obj=payment)
    if not any(amount_owed(case, paid_on).values()):
        deadlines.meet(actor, case, deadlines.PAYMENT, paid_on)
        if not _non_monetary_pending(case):
            case.state, case.executed_on = State.EXECUTED, paid_on
            _save(case, actor, "executed")
    return payment


def _non_monetary_pending(case: Case) -> bool:
    """Kinds that are executed by an act, not a payment (e.g. 吊销许可证件), need record_execution."""
    monetary = {PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS, PenaltyKind.WARNING, PenaltyKind.CRITICISM}
    return bool(set(case.penalty_kinds) - monetary) and case.executed_on is None


@transaction.atomic
def approve_deferral(
    actor: Person,
    case: Case,
    *,
    reason: str,
    deferred_until: dt.date | None = None,
    instalments: Sequence[dict] = (),
) -> Case:
    """暂缓或分期缴纳 (art. 66), on the party's application, approved by the head."""
    case = access.lock(case)
    access.require(actor, case, "approve_deferral")
    if not reason.strip() or not (deferred_until or instalments):
        raise RuleViolation(_("请填写理由和延期日期或分期计划。"))
    if instalments:
        total = sum(Decimal(str(i["amount"])) for i in instalments)
        if total != Decimal(case.fine_amount):
            raise RuleViolation(_("分期金额合计须等于罚款金额。"))
    case.deferred_until = deferred_until or max(dt.date.fromisoformat(i["due"]) for i in instalments)
    case.instalments = [{"due": str(i["due"]), "amount": str(i["amount"])} for i in instalments]
    return _save(case, actor, "approve_deferral", reason=reason)


@transaction.atomic
def serve_demand(actor: Person, case: Case, *, served_on: dt.date) -> Case:
    """催告书 (行政强制法 art. 54), once the payment period has passed unpaid."""
    case = access.lock(case)
    access.require(actor, case, "serve_demand")
    _not_future(served_on, _("送达日期"))
    due = case.deferred_until or case.payment_due
    if not due or served_on <= due or not any(amount_owed(case, served_on).values()):
        raise RuleViolation(_("缴款期限届满且当事人未履行的，方可催告。"))
    case.demand_served_on = served_on
    return _save(case, actor, "serve_demand")


def court_application_window(case: Case) -> tuple[dt.date, dt.date]:
    """行政强制法 art. 53: apply within 3 months after the reconsideration (60 days) and litigation (6 months)
    periods from service have ended; 行政处罚法 art. 72: an approved deferral moves the start to its end."""
    from zhifa.workdays.rules import add_months

    start = max(
        deadlines.due_on(case.agency, "reconsideration", case.served_on),
        deadlines.due_on(case.agency, "litigation", case.served_on),
    )
    if case.deferred_until and case.deferred_until > start:
        start = case.deferred_until
    return start, add_months(start, rules.COURT_APPLICATION_MONTHS)


@transaction.atomic
def apply_court_enforcement(actor: Person, case: Case, *, applied_on: dt.date | None = None) -> Case:
    """申请人民法院强制执行 (行政强制法 arts. 53–54): 10 working days after the demand, within 3 months after the
    remedy periods end."""
    case = access.lock(case)
    access.require(actor, case, "apply_court_enforcement")
    applied_on = _not_future(applied_on or _today(), _("申请日期"))
    if not case.demand_served_on:
        raise RuleViolation(_("申请强制执行前须先送达催告书（《行政强制法》第五十四条）。"))
    earliest_after_demand = _add_workdays(case.demand_served_on, rules.DEMAND_WAIT_WORKDAYS)
    start, end = court_application_window(case)
    earliest = max(earliest_after_demand, start + dt.timedelta(days=1))
    if applied_on < earliest or applied_on > end:
        raise RuleViolation(
            _(
                "申请法院强制执行的期间为%(start)s至%(end)s（复议、诉讼期限届满后三个月内，且催告后满十个工作日）。"
            )
            % {"start": earliest.isoformat(), "end": end.isoformat()}
        )
    _move(case, "apply_court_enforcement")
    case.court_applied_on = applied_on
    return _save(case, actor, "apply_court_enforcement")


@transaction.atomic
def record_execution(actor: Person, case: Case, *, executed_on: dt.date, note: str) -> Case:
    """执行完毕 by an act (吊销、责令停产停业 carried out) or by the court."""
    case = access.lock(case)
    access.require(actor, case, "record_execution")
    _not_future(executed_on, _("执行日期"))
    if not note.strip():
        raise RuleViolation(_("请说明执行情况。"))
    if case.state == State.SERVED and any(amount_owed(case, executed_on).values()):
        raise RuleViolation(_("尚有未缴纳的款项，请先登记缴款或申请法院强制执行。"))
    _move(case, "record_execution")
    case.executed_on = executed_on
    return _save(case, actor, "record_execution", note=note)


# Closing ----------------------------------------------------------------------------------------------------------


def _closing_reason(case: Case) -> str:
    """The 结案理由 of the case's latest finalised 结案报告 (empty when there is none)."""
    doc = access.final_documents(case, ["closing_report"]).order_by("-id").first()
    return str((doc.narrative or {}).get("result", "")) if doc else ""


def closing_blockers(case: Case, on: dt.date) -> list[str]:
    """Why the decided case cannot be closed on ``on`` (beyond its 结案报告): the decision is not served, or not
    yet executed. Empty when it can."""
    if case.state == State.DECIDED and case.outcome != Outcome.TRANSFER:
        return [_("决定书送达后方可结案。")]
    if (
        case.state == State.SERVED
        and case.outcome == Outcome.PENALTY
        and (any(amount_owed(case, on).values()) or _non_monetary_pending(case))
    ):
        return [_("处罚决定尚未执行完毕，不能结案。")]
    return []


@transaction.atomic
def close_case(actor: Person, case: Case, *, report: str = "", closed_on: dt.date | None = None) -> Case:
    """结案: the head approves the 结案报告 the handling officers made and finalised; for the simple procedure
    this is its 备案 (art. 52), on the 当场行政处罚决定书. ``report`` defaults to the report's 结案理由."""
    case = access.lock(case)
    access.require(actor, case, "close_case")
    closed_on = _not_future(closed_on or _today(), _("结案日期"))
    if not report.strip():
        report = _closing_reason(case)
    if not report.strip():
        raise RuleViolation(_("请填写结案报告。"))
    problems = closing_blockers(case, closed_on)
    if problems:
        raise RuleViolation(problems)
    _move(case, "close_case")
    case.closed_on, case.close_report = closed_on, report
    _save(case, actor, "close_case")
    deadlines.end_running(actor, case, closed_on, _("结案"))
    return case


@transaction.atomic
def archive_case(actor: Person, case: Case) -> Case:
    """归档, the one archive action (case page, API and 案卷 page): the file is checked against what its procedure
    path requires (``records.archive.REQUIRED``: every document finalised, no draft, every evidence file's fixity
    checked), then the state change, the retention period with the 卷内目录 (``records.archive_case``) and the
    end of the case's running deadlines are written in this one transaction."""
    from zhifa.records import archive as records_archive

    case = access.lock(case)
    access.require(actor, case, "archive_case")
    path = records_archive.procedure_path(case)
    _move(case, "archive_case")
    records_archive.check_complete(actor, case, path)
    case.archived_on = _today()
    _save(case, actor, "archive_case")
    deadlines.end_running(actor, case, case.archived_on, _("归档"))
    records_archive.record_archive(actor, case)
    return case


def _end(actor, case, reason, action):
    case = access.lock(case)
    access.require(actor, case, action)
    if not reason.strip():
        raise RuleViolation(_("请填写理由。"))
    _move(case, action)
    case.end_reason = reason
    _save(case, actor, action)
    ended = _("撤销立案：%(reason)s") if action == "revoke_filing" else _("终止：%(reason)s")
    deadlines.end_running(actor, case, _today(), ended % {"reason": reason.strip()})
    return case


@transaction.atomic
def revoke_filing(actor: Person, case: Case, *, reason: str) -> Case:
    """撤销立案: the filing was wrong (no violation, not ours)."""
    return _end(actor, case, reason, "revoke_filing")


@transaction.atomic
def terminate(actor: Person, case: Case, *, reason: str) -> Case:
    """终止: the case cannot go on (the party died with no successor, the organisation ended…)."""
    return _end(actor, case, reason, "terminate")


@transaction.atomic
def suspend(actor: Person, case: Case, *, reason: str, since: dt.date | None = None) -> Case:
    """中止: the 90-day period stops running until the case resumes."""
    case = access.lock(case)
    access.require(actor, case, "suspend")
    if case.suspended_since:
        raise RuleViolation(_("案件已经中止。"))
    if not reason.strip():
        raise RuleViolation(_("请填写中止原因。"))
    case.suspended_since = _not_future(since or _today(), _("中止日期"))
    case.suspension_reason = reason
    _save(case, actor, "suspend")
    deadline = deadlines.current(case, deadlines.DECISION)
    if deadline is not None and deadline.met_on is None:
        wd_actions.suspend_deadline(actor, deadline, on=case.suspended_since, reason=reason, approver=actor)
    return case


@transaction.atomic
def resume(actor: Person, case: Case, *, on: dt.date | None = None) -> Case:
    case = access.lock(case)
    access.require(actor, case, "resume")
    if not case.suspended_since:
        raise RuleViolation(_("案件没有中止。"))
    on = _not_future(on or _today(), _("恢复日期"))
    if on < case.suspended_since:
        raise RuleViolation(_("恢复日期不能早于中止日期。"))
    case.suspended_since, case.suspension_reason = None, ""
    _save(case, actor, "resume")
    deadline = deadlines.current(case, deadlines.DECISION)
    if deadline is not None and deadline.suspended_since is not None:
        wd_actions.resume_deadline(actor, deadline, on=on)
    return case


@transaction.atomic
def request_extension(actor: Person, case: Case, *, days: int, reason: str) -> Case:
    """The handling officers ask the head to extend the decision period; the request waits on the head's list."""
    case = access.lock(case)
    access.require(actor, case, "request_extension")
    if days <= 0 or days > 90 or not reason.strip():
        raise RuleViolation(_("请填写延长天数（1至90日）和理由。"))
    if deadlines.current(case, deadlines.DECISION) is None:
        raise RuleViolation(_("案件尚未立案，没有办案期限。"))
    case.extension_request = {
        "days": days,
        "reason": reason.strip(),
        "by": actor.pk,
        "on": _today().isoformat(),
    }
    case.updated_at = timezone.now()
    return _save(case, actor, "request_extension")


@transaction.atomic
def extend(actor: Person, case: Case, *, days: int, reason: str) -> Case:
    """延长办案期限 with the head's approval (art. 60 allows other rules; the extension is recorded). Settles a
    pending request of the handling officers."""
    case = access.lock(case)
    access.require(actor, case, "extend")
    if days <= 0 or days > 90 or not reason.strip():
        raise RuleViolation(_("请填写延长天数（1至90日）和理由。"))
    deadline = deadlines.current(case, deadlines.DECISION)
    if deadline is None:
        raise RuleViolation(_("案件尚未立案，没有办案期限。"))
    wd_actions.extend_deadline(actor, deadline, reason=reason, approver=actor, length=days)
    request, case.extension_request = case.extension_request, None
    case.updated_at = timezone.now()
    return _save(case, actor, "extend", days=days, reason=reason, request=request)


# Simple procedure -------------------------------------------------------------------------------------------------

_SIMPLE_MESSAGES = {
    "not_penalty": _("简易程序只适用于当场作出的行政处罚决定。"),
    "kinds": _("简易程序只能给予警告或罚款（《行政处罚法》第五十一条）。"),
    "amount": _(
        "简易程序罚款限额：对公民二百元以下，对法人或者其他组织三千元以下（《行政处罚法》第五十一条）。"
    ),
}


@transaction.atomic
def decide_on_the_spot(
    actor: Person,
    *,
    party: Party,
    cause: str,
    field: EnforcementField,
    unit: Unit,
    officers: Sequence[Person],
    certificates_shown: Sequence[Certificate],
    penalty_kinds: Sequence[str],
    fine_amount: Decimal,
    facts: str,
    violated_provisions: str,
    penalty_provisions: str,
    place: str,
    party_signed: bool,
    refusal_witness: str = "",
    violation_date: dt.date | None = None,
) -> Case:
    """当场行政处罚 (arts. 51–52): the officers show their certificates, hand over the numbered decision form on the
    spot, and the party signs (or the refusal is noted). The case then awaits payment and 备案."""
    agency = party.agency
    _require(actor, agency, {Role.OFFICER})
    today = _today()
    penalty = rules.Penalty(Outcome.PENALTY, tuple(penalty_kinds), Decimal(fine_amount))
    _check_penalty(penalty)
    problem = rules.simple_procedure_problem(party.kind, penalty)
    if problem:
        raise RuleViolation(str(_SIMPLE_MESSAGES[problem]))
    if not party_signed and not refusal_witness.strip():
        raise RuleViolation(_("当事人拒绝签收的，应当在决定书上注明，并记录见证人。"))
    if {c.person_id for c in certificates_shown} != {p.pk for p in officers}:
        raise RuleViolation(_("现场执法须记录每名执法人员出示的执法证。"))
    case = accept_case(
        actor,
        party=party,
        cause=cause,
        source=Source.INSPECTION,
        field=field,
        unit=unit,
        officers=officers,
        summary=facts,
        violation_date=violation_date or today,
        place=place,
    )
    case = access.lock(case)
    case.procedure = Procedure.SIMPLE
    case.outcome, case.penalty_kinds, case.fine_amount = Outcome.PENALTY, list(penalty.kinds), penalty.fine
    case.facts, case.violated_provisions, case.penalty_provisions = (
        facts,
        violated_provisions,
        penalty_provisions,
    )
    case.filed_on = case.decided_on = case.served_on = today
    case.decided_by = actor
    case.decision_snapshot = {
        **penalty.as_json(),
        "facts": facts,
        "violated_provisions": violated_provisions,
        "penalty_provisions": penalty_provisions,
        "on_the_spot": True,
    }
    case.state = State.SERVED
    if penalty.fine:
        case.payment_due = deadlines.open_(actor, case, deadlines.PAYMENT, today).due
    record = CaseRecord.objects.create(
        case=case,
        kind=RecordKind.ONSITE,
        data={"on_the_spot_decision": True, "party_signed": party_signed, "refusal_witness": refusal_witness},
        place=place,
        started_at=timezone.now(),
        created_by=actor,
    )
    record.officers.set(officers)
    record.certificates_shown.set(certificates_shown)
    Service.objects.create(
        case=case,
        document="decision",
        method="direct",
        delivered_on=today,
        served_on=today,
        recipient=party.name if party_signed else "",
        witness=refusal_witness,
        recorded_by=actor,
        note="" if party_signed else _("当事人拒绝签收"),
    )
    return _save(case, actor, "decide_on_the_spot")
