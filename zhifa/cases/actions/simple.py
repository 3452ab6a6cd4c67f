"""The simple procedure (当场处罚, arts. 51–52)."""

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
from ..models import Case, CaseRecord, Party, Service
from .common import _require, _save, _today
from .intake import accept_case
from .investigation import _check_penalty

# Simple procedure -------------------------------------------------------------------------------------------------

_SIMPLE_MESSAGES = {
    "not_penalty": gettext_lazy("简易程序只适用于当场作出的行政处罚决定。"),
    "kinds": gettext_lazy("简易程序只能给予警告或罚款（《行政处罚法》第五十一条）。"),
    "amount": gettext_lazy(
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
