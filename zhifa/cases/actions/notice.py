"""The notice (事先告知), the party's statement and choices, and the hearing (听证)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org.choices import Role
from zhifa.org.models import Agency, Person

from .. import access, deadlines, rules
from ..choices import Outcome, RecordKind, ServiceMethod
from ..models import Case, CaseRecord, HearingPolicy
from .common import (
    NOTICE_GATES,
    _add_workdays,
    _calendar,
    _move,
    _not_future,
    _record,
    _require,
    _save,
    _today,
)
from .investigation import draft_penalty

# Notice, statement, hearing ---------------------------------------------------------------------------------------


def hearing_thresholds(agency: Agency) -> rules.HearingThresholds:
    """The agency's hearing policy (art. 63), or ``rules.HEARING_DEFAULTS`` when it has set none: a fresh agency
    can give notice out of the box."""
    policy = HearingPolicy.objects.filter(agency=agency).first()
    if policy is None:
        return rules.HEARING_DEFAULTS
    return rules.HearingThresholds(
        fine_person=policy.fine_person,
        fine_organisation=policy.fine_organisation,
        confiscation=policy.confiscation,
        property_value=policy.property_value,
        heavier_kinds=frozenset(policy.heavier_kinds),
    )


def hearing_policy_view(agency: Agency) -> dict:
    """What the hearing-policy page and API show: the values in force and whether they are the defaults."""
    from ..choices import PenaltyKind

    policy = HearingPolicy.objects.filter(agency=agency).first()
    t = hearing_thresholds(agency)
    return {
        "agency": agency.pk,
        "is_default": policy is None,
        "fine_person": t.fine_person,
        "fine_organisation": t.fine_organisation,
        "confiscation": t.confiscation,
        "property_value": t.property_value,
        "heavier_kinds": sorted(t.heavier_kinds, key=rules.PENALTY_ORDER.get),
        "heavier_kind_labels": [
            str(PenaltyKind(k).label) for k in sorted(t.heavier_kinds, key=rules.PENALTY_ORDER.get)
        ],
        "statutory_kind_labels": [
            str(PenaltyKind(k).label) for k in sorted(rules.HEARING_KINDS, key=rules.PENALTY_ORDER.get)
        ],
        "basis": policy.basis if policy else rules.HEARING_DEFAULTS_BASIS,
        "updated_at": policy.updated_at if policy else None,
    }


@transaction.atomic
def set_hearing_policy(
    actor: Person,
    agency: Agency,
    *,
    fine_person: Decimal,
    fine_organisation: Decimal,
    confiscation: Decimal,
    basis: str,
    property_value: Decimal | None = None,
    heavier_kinds: Sequence[str] | None = None,
) -> HearingPolicy:
    """较大数额、较大价值 and 其他较重 for hearings (art. 63): data the agency (following its province) sets.
    Left out, ``property_value`` and ``heavier_kinds`` keep the agency's current values (the defaults at first)."""
    _require(actor, agency, {Role.SYSTEM_ADMIN})
    current = hearing_thresholds(agency)
    property_value = current.property_value if property_value is None else property_value
    heavier = (
        sorted(current.heavier_kinds, key=rules.PENALTY_ORDER.get)
        if heavier_kinds is None
        else list(dict.fromkeys(heavier_kinds))
    )
    if min(fine_person, fine_organisation, confiscation, property_value) <= 0:
        raise RuleViolation(_("金额标准必须大于零。"))
    problem = rules.heavier_kinds_problem(heavier)
    if problem == "unknown_kind":
        raise RuleViolation(_("处罚种类不正确。"))
    if problem == "not_heavier":
        from ..choices import PenaltyKind

        raise RuleViolation(
            _(
                "“其他较重的行政处罚”不能包括%(kinds)s：警告、通报批评不属较重，罚款和没收按金额标准判断（《行政处罚法》第六十三条）。"
            )
            % {
                "kinds": "、".join(
                    str(PenaltyKind(k).label)
                    for k in sorted(set(heavier) & rules.NOT_HEAVIER_KINDS, key=rules.PENALTY_ORDER.get)
                )
            }
        )
    policy, _created = HearingPolicy.objects.update_or_create(
        agency=agency,
        defaults={
            "fine_person": fine_person,
            "fine_organisation": fine_organisation,
            "confiscation": confiscation,
            "property_value": property_value,
            "heavier_kinds": sorted(heavier, key=rules.PENALTY_ORDER.get),
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


def _serve_notice(
    actor, case, method, delivered_on, recipient, witness, recording, consent, proof, proof_kind
):
    """The service of the 告知书 when its method is given: the same proofs as the decision's service."""
    from ..models import Service
    from .execution import _check_public_notice, _check_service

    if not method:
        return None
    if method not in ServiceMethod.values:
        raise RuleViolation(_("送达方式不正确。"))
    _check_service(method, recipient, witness, recording, consent, proof=bool(proof))
    if method == ServiceMethod.PUBLIC_NOTICE:
        _check_public_notice(case, "notice", delivered_on)
    stored = None
    if proof:
        from ..service_proof import store

        stored = store(proof_kind, proof)
    return Service.objects.create(
        case=case,
        document="notice",
        method=method,
        delivered_on=delivered_on,
        served_on=rules.deemed_served(method, delivered_on),
        recipient=recipient,
        witness=witness,
        recording=recording,
        consent=consent,
        proof_kind=proof_kind if stored else "",
        proof_name=stored.name if stored else "",
        proof_sha256=stored.sha256 if stored else "",
        recorded_by=actor,
    )


@transaction.atomic
def issue_notice(
    actor: Person,
    case: Case,
    *,
    served_on: dt.date | None = None,
    method: str = "",
    recipient: str = "",
    witness: str = "",
    recording: str = "",
    consent: str = "",
    proof: bytes | None = None,
    proof_kind: str = "",
) -> Case:
    """行政处罚事先告知 (art. 44): the intended penalty, facts, reasons, basis and the rights to state, defend
    and — where art. 63 applies — request a hearing. With ``method`` the service of the 告知书 is recorded as the
    decision's is (``execution.serve_decision``): each method's proof, the electronic proof stored and hashed into the
    ledger, 公告送达 only after a recorded failed attempt and then deemed served 30 days after publication."""
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
    service = _serve_notice(
        actor, case, method, served_on, recipient, witness, recording, consent, proof, proof_kind
    )
    if service is not None:
        served_on = service.served_on
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
    if service is not None:
        case.notice_snapshot["service"] = {"method": service.method, "proof_sha256": service.proof_sha256}
    _save(case, actor, "issue_notice")
    if service is not None:
        files = [(service.proof_name, service.proof_sha256)] if service.proof_sha256 else ()
        ledger.append(
            agency=case.agency,
            actor=actor,
            action="cases.serve_notice_record",
            obj=service,
            payload={"state": snapshot(service), "case": case.pk},
            files=files,
        )
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
    # 回避 (arts. 43, 64(4)): a chair connected with the party, or recused on the case, is refused.
    from ..recusal import conflicts

    if chair_conflicts := conflicts(case, [chair]):
        raise RuleViolation({"chair": chair_conflicts})
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
