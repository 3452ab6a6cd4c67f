"""The simple procedure (当场处罚, arts. 51–52, 68–71): the on-the-spot decision with its 告知 and 陈述申辩, the
numbered 当场行政处罚决定书, its 备案 with the agency, and 当场收缴 with its hand-in within two working days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import RuleViolation
from zhifa.org.choices import Role
from zhifa.org.models import Certificate, EnforcementField, Person, Unit

from .. import access, deadlines, rules
from ..choices import Outcome, Procedure, RecordKind, Source, State
from ..models import Case, CaseRecord, Party, Service, SimpleFiling, SpotCollection
from .common import DECIDED_HOOKS, _not_future, _record, _require, _save, _today
from .intake import accept_case
from .investigation import _check_penalty

# Simple procedure -------------------------------------------------------------------------------------------------

_SIMPLE_MESSAGES = {
    "not_penalty": gettext_lazy("简易程序只适用于当场作出的行政处罚决定。"),
    "kinds": gettext_lazy("简易程序只能给予警告或罚款（《行政处罚法》第五十一条）。"),
    "amount": gettext_lazy(
        "简易程序罚款限额：对公民二百元以下，对法人或者其他组织三千元以下（《行政处罚法》第五十一条）。"
    ),
    "told": gettext_lazy(
        "当场作出行政处罚决定前，应当告知当事人拟作出处罚的事实、理由和依据（《行政处罚法》第四十四条）。"
    ),
    "rights": gettext_lazy(
        "当场作出行政处罚决定前，应当告知当事人依法享有陈述、申辩的权利（《行政处罚法》第四十四条）。"
    ),
    "statement": gettext_lazy(
        "请记录当事人的陈述申辩内容，或者记录当事人放弃陈述申辩（二者选一，《行政处罚法》第四十五条）。"
    ),
    "recheck": gettext_lazy("对当事人的陈述申辩应当进行复核，请填写复核意见（《行政处罚法》第四十五条）。"),
}

# The deadline kinds of the simple procedure (seeded by cases migration 0006 from rules).
SIMPLE_FILING = "simple_filing"  # 备案 (art. 52): agency data, default rules.SIMPLE_FILING_DEFAULT_WORKDAYS
HAND_IN = "collection_hand_in"  # 当场收缴罚款交至行政机关 (art. 71, 二日 = working days by art. 85)
# The steps of the lifecycle table only a simple-procedure case has.
SIMPLE_STEPS = frozenset({"file_simple_decision", "collect_on_the_spot", "hand_in_collection"})

_COLLECTION_MESSAGES = {
    "ground": gettext_lazy("请选择当场收缴的情形（《行政处罚法》第六十八条、第六十九条）。"),
    "amount": gettext_lazy("收缴金额须大于零，且不超过尚欠的罚款（%(owed)s元）。"),
    "limit": gettext_lazy(
        "依法给予%(limit)s元以下罚款的，才能以此情形当场收缴；本案罚款%(fine)s元（《行政处罚法》第六十八条第（一）项）。"
    ),
    "reason": gettext_lazy(
        "请说明不当场收缴事后难以执行，或者当事人到银行、通过电子支付缴纳确有困难的具体情况。"
    ),
    "request": gettext_lazy(
        "在边远、水上、交通不便地区当场收缴罚款，须经当事人提出（《行政处罚法》第六十九条）。"
    ),
    "receipt": gettext_lazy(
        "当场收缴罚款必须出具财政部门统一制发的专用票据，请填写票据号码（《行政处罚法》第七十条）。"
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
    told_facts: str,
    told_reasons: str,
    told_basis: str,
    rights_told: bool,
    statement: str = "",
    statement_recheck: str = "",
    statement_waived: bool = False,
    refusal_witness: str = "",
    violation_date: dt.date | None = None,
    party_signature: bytes | None = None,
    signer_name: str = "",
) -> Case:
    """当场行政处罚 (arts. 51–52): the officers show their certificates, tell the party the facts, reasons, basis and
    their rights, hear the statement and defence (or record the waiver), and hand over the numbered 当场行政处罚决定书
    on the spot; the party signs (or the refusal is noted with a witness). The 告知 and the 陈述申辩 (or waiver) are
    case records made before the decision; the document is generated and signed by the deciding officer, and
    finalised (numbered from the agency's sequence, sealed) once the party's signature or refusal is on it. The case
    then awaits payment and 备案 (``file_simple_decision``, within the agency's period)."""
    agency = party.agency
    _require(actor, agency, {Role.OFFICER})
    today = _today()
    penalty = rules.Penalty(Outcome.PENALTY, tuple(penalty_kinds), Decimal(fine_amount))
    _check_penalty(penalty)
    problem = rules.simple_procedure_problem(party.kind, penalty)
    if problem:
        raise RuleViolation(str(_SIMPLE_MESSAGES[problem]))
    told = {"facts": told_facts, "reasons": told_reasons, "basis": told_basis}
    problem = rules.simple_notice_problem(told, rights_told, statement, statement_waived, statement_recheck)
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
    now = timezone.now()
    notice = {
        **{k: v.strip() for k, v in told.items()},
        "rights_told": True,
        "told_at": now.isoformat(),
        "statement_waived": bool(statement_waived),
    }
    # 告知 and 陈述申辩 come first: each its own case record, dated before the decision.
    CaseRecord.objects.create(
        case=case,
        kind=RecordKind.STATEMENT_WAIVER if statement_waived else RecordKind.STATEMENT,
        data=(
            {"notice": notice, "on_the_spot": True}
            if statement_waived
            else {
                "content": statement.strip(),
                "recheck": statement_recheck.strip(),
                "notice": notice,
                "on_the_spot": True,
            }
        ),
        place=place,
        started_at=now,
        created_by=actor,
    )
    case.procedure = Procedure.SIMPLE
    case.outcome, case.penalty_kinds, case.fine_amount = Outcome.PENALTY, list(penalty.kinds), penalty.fine
    case.facts, case.violated_provisions, case.penalty_provisions = (
        facts,
        violated_provisions,
        penalty_provisions,
    )
    case.filed_on = case.decided_on = case.served_on = today
    case.decided_by = actor
    case.statement_waived = bool(statement_waived)
    case.decision_snapshot = {
        **penalty.as_json(),
        "facts": facts,
        "violated_provisions": violated_provisions,
        "penalty_provisions": penalty_provisions,
        "on_the_spot": True,
        "notice": notice,
    }
    case.state = State.SERVED
    if penalty.fine:
        case.payment_due = deadlines.open_(actor, case, deadlines.PAYMENT, today).due
    record = CaseRecord.objects.create(
        case=case,
        kind=RecordKind.ONSITE,
        data={
            "on_the_spot_decision": True,
            "party_signed": party_signed,
            "refusal_witness": refusal_witness,
            "notice": notice,
        },
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
    _save(case, actor, "decide_on_the_spot")
    deadlines.open_(actor, case, SIMPLE_FILING, today)
    _decision_document(actor, case, party_signed, refusal_witness, party_signature, signer_name)
    case.refresh_from_db()
    for hook in DECIDED_HOOKS:  # 事后公开: a penalty decision, published like the general procedure's
        hook(actor, case)
    return case


def _decision_document(actor, case, party_signed, refusal_witness, party_signature, signer_name):
    """The 当场行政处罚决定书 (art. 52): generated from the decision, signed by the deciding officer, the party's
    signature (touch-screen PNG) or refusal with its witness put on it, then finalised — numbered from the agency's
    sequence and sealed. Without the party's signature yet, the signed draft waits on the case's documents panel."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return None
    from zhifa.records import actions as records
    from zhifa.records.choices import DocumentKind

    document = records.generate_document(
        actor, case, kind=DocumentKind.ON_THE_SPOT_DECISION, dated=case.decided_on
    )
    records.sign_document(actor, document)
    name = signer_name.strip() or case.party.legal_representative or case.party.name
    if not party_signed:
        records.record_refusal(actor, document, signer_name=name, witness=refusal_witness)
    elif party_signature:
        records.capture_party_signature(actor, document, signer_name=name, png=party_signature)
    else:
        return document
    return records.finalise_document(actor, document)


def decision_document(case):
    """The case's 当场行政处罚决定书 (the final one, else the newest draft), or None."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return None
    Document = apps.get_model("records", "Document")
    docs = Document.objects.filter(case_id=case.pk, kind="on_the_spot_decision").exclude(state="discarded")
    return docs.filter(state="final").order_by("-id").first() or docs.order_by("-id").first()


# 备案 (art. 52) ----------------------------------------------------------------------------------------------------


@transaction.atomic
def file_simple_decision(
    actor: Person,
    case: Case,
    *,
    officer: Person | None = None,
    filed_on: dt.date | None = None,
    note: str = "",
) -> SimpleFiling:
    """备案: the officer hands the finalised 当场行政处罚决定书 to the agency; the unit head or the head who receives it
    records the filing (art. 52). Meets the agency's filing period (deadline kind ``simple_filing``)."""
    case = access.lock(case)
    access.require(actor, case, "file_simple_decision")
    if SimpleFiling.objects.filter(case=case).exists():
        raise RuleViolation(_("该当场处罚决定已经备案。"))
    filed_on = _not_future(filed_on or _today(), _("备案日期"))
    if filed_on < case.decided_on:
        raise RuleViolation(_("备案日期不能早于决定日期。"))
    officer = officer or case.decided_by
    if officer is None or officer.pk not in access.officer_ids(case):
        raise RuleViolation(_("报送备案的须是本案的执法人员。"))
    filing = SimpleFiling.objects.create(
        case=case, filed_on=filed_on, officer=officer, acknowledged_by=actor, note=note.strip()
    )
    _record(case, actor, "file_simple_decision", obj=filing)
    deadlines.meet(actor, case, SIMPLE_FILING, filed_on)
    return filing


# 当场收缴 (arts. 68–71) ------------------------------------------------------------------------------------------


@transaction.atomic
def collect_on_the_spot(
    actor: Person,
    case: Case,
    *,
    amount: Decimal,
    receipt_number: str,
    ground: str,
    reason: str = "",
    party_requested: bool = False,
    collected_on: dt.date | None = None,
) -> SpotCollection:
    """当场收缴罚款: only where art. 68 (a fine of at most 100 yuan; or collecting later would be hard to enforce) or
    art. 69 (remote, on water, poor transport, and the party asks) allows it, against the finance department's receipt
    (art. 70). The payment is recorded, and the hand-in to the agency within two working days (art. 71) opens."""
    from .execution import amount_owed, record_payment

    case = access.lock(case)
    access.require(actor, case, "collect_on_the_spot")
    if SpotCollection.objects.filter(case=case).exists():
        raise RuleViolation(_("本案罚款已经当场收缴。"))
    collected_on = _not_future(collected_on or _today(), _("收缴日期"))
    amount = Decimal(amount or 0)
    owed = amount_owed(case, collected_on).get("fine", Decimal("0"))
    problem = rules.collection_problem(
        ground, case.fine_amount, amount, owed, reason, party_requested, receipt_number
    )
    if problem:
        raise RuleViolation(
            str(_COLLECTION_MESSAGES[problem])
            % {"owed": owed, "limit": rules.ON_THE_SPOT_COLLECTION_LIMIT, "fine": case.fine_amount}
        )
    payment = record_payment(
        actor, case, kind="fine", amount=amount, paid_on=collected_on, receipt_number=receipt_number.strip()
    )
    collection = SpotCollection.objects.create(
        case=case,
        payment=payment,
        amount=amount,
        receipt_number=receipt_number.strip(),
        ground=ground,
        reason=reason.strip(),
        party_requested=bool(party_requested),
        collected_on=collected_on,
        collected_by=actor,
    )
    _record(case, actor, "collect_on_the_spot", obj=collection)
    wd_open(actor, case, HAND_IN, collected_on, responsible=actor)
    return collection


def wd_open(actor, case, code, start, *, responsible):
    from zhifa.workdays import actions as wd_actions

    return wd_actions.open_deadline(
        actor,
        agency=case.agency,
        kind=code,
        target=case,
        start=start,
        label=case.reference,
        responsible=responsible,
    )


@transaction.atomic
def hand_in_collection(
    actor: Person, case: Case, *, received_by: Person, handed_in_on: dt.date | None = None, note: str = ""
) -> SpotCollection:
    """The officer hands the money collected on the spot in to the agency (art. 71: within two working days); the
    person of the agency who received it is named. A late hand-in is recorded as late (its deadline shows so)."""
    case = access.lock(case)
    access.require(actor, case, "hand_in_collection")
    collection = SpotCollection.objects.select_for_update().filter(case=case).first()
    if collection is None:
        raise RuleViolation(_("本案没有当场收缴的罚款。"))
    if collection.handed_in_on is not None:
        raise RuleViolation(_("当场收缴的罚款已经交至行政机关。"))
    handed_in_on = _not_future(handed_in_on or _today(), _("交款日期"))
    if handed_in_on < collection.collected_on:
        raise RuleViolation(_("交款日期不能早于收缴日期。"))
    if received_by is None or received_by.agency_id != case.agency_id or not received_by.is_active:
        raise RuleViolation(_("接收人须是本机关的在职人员。"))
    if received_by.pk == actor.pk:
        raise RuleViolation(_("交款人不能自己接收。"))
    collection.handed_in_on, collection.handed_in_by, collection.received_by = (
        handed_in_on,
        actor,
        received_by,
    )
    collection.hand_in_note = note.strip()
    collection.full_clean()
    collection.save()
    late = handed_in_on > hand_in_due(collection)
    _record(case, actor, "hand_in_collection", obj=collection, late=late)
    deadlines.meet(actor, case, HAND_IN, handed_in_on)
    return collection


def hand_in_due(collection: SpotCollection) -> dt.date:
    deadline = deadlines.current(collection.case, HAND_IN)
    return (
        deadline.due
        if deadline
        else deadlines.due_on(collection.case.agency, HAND_IN, collection.collected_on)
    )


# What the case page, the to-do list and closing read -----------------------------------------------------------


def step_open(case: Case, step: str) -> bool:
    """Whether the simple-procedure ``step`` still has something to do on ``case`` (beyond role and state)."""
    if case.procedure != Procedure.SIMPLE:
        return False
    if step == "file_simple_decision":
        return not SimpleFiling.objects.filter(case=case).exists()
    if step == "collect_on_the_spot":
        return bool(case.fine_amount) and not SpotCollection.objects.filter(case=case).exists()
    if step == "hand_in_collection":
        return SpotCollection.objects.filter(case=case, handed_in_on__isnull=True).exists()
    return True


def closing_blockers(case: Case) -> list[str]:
    """What keeps a simple-procedure case from closing: the 备案 not made, money collected not handed in."""
    if case.procedure != Procedure.SIMPLE:
        return []
    out = []
    if not SimpleFiling.objects.filter(case=case).exists():
        out.append(_("当场处罚决定尚未备案（《行政处罚法》第五十二条）。"))
    if SpotCollection.objects.filter(case=case, handed_in_on__isnull=True).exists():
        out.append(_("当场收缴的罚款尚未交至行政机关（《行政处罚法》第七十一条）。"))
    return out


def overdue_tasks(user, today: dt.date | None = None) -> list[dict]:
    """To-do alerts for an agency's 负责人 and 承办机构负责人: simple-procedure 备案 and hand-ins past their due date."""
    from django.db.models import Q
    from django.urls import reverse

    from zhifa.org import queries as org_queries
    from zhifa.workdays.models import Deadline

    if not getattr(user, "is_authenticated", False):
        return []
    today = today or _today()
    held = org_queries.roles_by_agency(user)
    agencies = [a for a, roles in held.items() if roles & {Role.AGENCY_HEAD, Role.UNIT_HEAD}]
    if not agencies:
        return []
    from django.contrib.contenttypes.models import ContentType

    from zhifa.workdays.models import DeadlineKind

    # the kinds by id and the content type from Django's cache: the database then reads each kind's open deadlines
    # of the agency in due order from their index (joined on the codes, it read them all: 38 ms at the largest
    # agency of a million-case province)
    kinds = list(DeadlineKind.objects.filter(code__in=[SIMPLE_FILING, HAND_IN]).values_list("pk", flat=True))
    late = (
        Deadline.objects.filter(
            agency_id__in=agencies,
            kind_id__in=kinds,
            met_on__isnull=True,
            ended_on__isnull=True,
            due__lt=today,
            content_type=ContentType.objects.get_for_model(Case),
        )
        .filter(~Q(responsible=user) | Q(responsible__isnull=True))
        .select_related("kind")
        .order_by("due", "id")[:30]
    )
    labels = {SIMPLE_FILING: _("当场处罚决定逾期未备案"), HAND_IN: _("当场收缴的罚款逾期未交至行政机关")}
    return [
        {
            "label": _("%(ref)s：%(what)s（应于%(due)s前）")
            % {"ref": d.label, "what": labels[d.kind.code], "due": d.due.isoformat()},
            "url": reverse("cases:detail", args=[d.object_id]),
        }
        for d in late
    ]
