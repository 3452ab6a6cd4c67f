"""Service (送达), payment, deferral, demand and court enforcement (执行)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org.models import Person

from .. import access, deadlines, rules
from ..choices import Outcome, PaymentKind, PenaltyKind, ServiceMethod, State
from ..models import Case, Payment, Service
from .common import _move, _not_future, _record, _save, _today

# Service and execution --------------------------------------------------------------------------------------------

_SERVICE_MESSAGES = {
    "left_needs_witness": gettext_lazy("留置送达须有见证人，或以拍照、录像等方式记录送达过程。"),
    "electronic_needs_consent": gettext_lazy("电子送达须经受送达人同意并签订送达地址确认书。"),
    "electronic_needs_proof": gettext_lazy(
        "电子送达须以拍照、截屏、录音、录像等方式记录送达过程，请上传送达凭证（《卫生健康行政处罚程序规定》第五十七条）。"
    ),
    "needs_recipient": gettext_lazy("请填写签收人。"),
}


def _check_service(method, recipient, witness, recording, consent, proof=False):
    problem = rules.service_problem(
        method, recipient=recipient, witness=witness, recording=recording, consent=consent, proof=proof
    )
    if problem:
        raise RuleViolation(str(_SERVICE_MESSAGES[problem]))


def _failed_methods(case: Case, document: str) -> set[str]:
    return set(case.services.filter(document=document, failed=True).values_list("method", flat=True))


def _check_public_notice(case: Case, document: str, delivered_on: dt.date) -> None:
    """公告送达 only after the record shows another method failed (民事诉讼法 art. 95)."""
    failed = case.services.filter(document=document, failed=True, delivered_on__lte=delivered_on)
    if not rules.public_notice_allowed(failed.values_list("method", flat=True)):
        raise RuleViolation(
            _(
                "公告送达须在受送达人下落不明或者以其他方式无法送达时采用（《民事诉讼法》第九十五条）：请先登记未能送达的情况（送达方式、日期和原因）。"
            )
        )


@transaction.atomic
def record_failed_service(
    actor: Person, case: Case, *, method: str, attempted_on: dt.date, reason: str
) -> Service:
    """A service attempt that failed (未能送达: the party not found, the letter returned, the address refused): kept
    in the file, and what allows 公告送达 — of the 告知书 after the investigation closed, of the decision after it."""
    case = access.lock(case)
    access.require(actor, case, "record_failed_service")
    document = "notice" if case.state == State.INVESTIGATED else "decision"
    _not_future(attempted_on, _("送达日期"))
    if method not in ServiceMethod.values or method == ServiceMethod.PUBLIC_NOTICE:
        raise RuleViolation(_("请选择未能送达时采用的送达方式（公告送达以外的方式）。"))
    since = case.decided_on if document == "decision" else case.investigation_closed_on
    if since and attempted_on < since:
        raise RuleViolation(
            _("送达日期不能早于决定日期。") if document == "decision" else _("送达日期不能早于调查终结日期。")
        )
    if not reason.strip():
        raise RuleViolation(_("请说明未能送达的原因。"))
    service = Service.objects.create(
        case=case,
        document=document,
        method=method,
        delivered_on=attempted_on,
        served_on=attempted_on,
        failed=True,
        note=reason.strip()[:300],
        recorded_by=actor,
    )
    _record(case, actor, "record_failed_service", obj=service)
    return service


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
    proof: bytes | None = None,
    proof_kind: str = "",
) -> Service:
    """送达 the decision (art. 61): within 7 working days when the party was absent at its announcement.
    Electronic service carries its proof (``proof``: the screenshot, photo or recording, 13号令 art. 57), checked and
    stored, its hash in the ledger; 公告送达 only after a recorded failed attempt."""
    case = access.lock(case)
    # Electronic service carries its own proof (the consent and the delivery record); the others the 送达回执.
    access.require(actor, case, "serve_decision", documents=method != ServiceMethod.ELECTRONIC)
    _not_future(delivered_on, _("送达日期"))
    if delivered_on < case.decided_on:
        raise RuleViolation(_("送达日期不能早于决定日期。"))
    _check_service(method, recipient, witness, recording, consent, proof=bool(proof))
    if method == ServiceMethod.PUBLIC_NOTICE:
        _check_public_notice(case, "decision", delivered_on)
    stored = None
    if proof:
        from ..service_proof import store

        stored = store(proof_kind, proof)
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
        proof_kind=proof_kind if stored else "",
        proof_name=stored.name if stored else "",
        proof_sha256=stored.sha256 if stored else "",
        recorded_by=actor,
    )
    _move(case, "serve_decision")
    case.served_on = served_on
    deadlines.meet(actor, case, deadlines.SERVICE, delivered_on)
    if case.outcome == Outcome.PENALTY and _monetary(case):  # art. 67: 15 days from receipt
        case.payment_due = deadlines.open_(actor, case, deadlines.PAYMENT, served_on).due
    _save(case, actor, "serve_decision")
    ledger.append(
        agency=case.agency,
        actor=actor,
        action="cases.serve_decision_record",
        obj=service,
        payload={"state": snapshot(service), "case": case.pk},
        files=[(stored.name, stored.sha256)] if stored else (),
    )
    return service


def remedy_periods(case: Case) -> list[tuple[dt.date, dt.date | None]]:
    """The periods a 行政复议 or 行政诉讼 on ``case`` was pending: (applied on, decided on — None while pending). The
    surcharge is not counted in them (行政处罚法 art. 73(3)). Read from the remedies app (engineer D's
    ``remedies.models.Proceeding``; ``remedies.queries.pending_remedy`` asks the same of today) when it is installed."""
    from django.apps import apps

    if not apps.is_installed("zhifa.remedies"):
        return []
    Proceeding = apps.get_model("remedies", "Proceeding")
    rows = Proceeding.objects.filter(case_id=case.pk).values_list("applied_on", "decided_on", "outcome")
    return [(applied, decided if outcome else None) for applied, decided, outcome in rows]


def remedy_pending(case: Case, on: dt.date) -> bool:
    """A 复议 or 诉讼 on ``case`` is pending on ``on`` (no surcharge is counted that day, art. 73(3))."""
    return any(start <= on and (end is None or on <= end) for start, end in remedy_periods(case))


def payment_schedule(case: Case) -> list[rules.Instalment]:
    """When the fine falls due: the approved instalments (art. 66), or the whole fine on the deferred date or the
    payment due date (art. 67)."""
    if case.instalments:
        return [
            rules.Instalment(dt.date.fromisoformat(i["due"]), Decimal(i["amount"])) for i in case.instalments
        ]
    due = case.deferred_until or case.payment_due
    if not due or not case.fine_amount:
        return []
    return [rules.Instalment(due, Decimal(case.fine_amount))]


def amount_owed(case: Case, on: dt.date) -> dict[str, Decimal]:
    """What the party still owes on ``on``: the fine, the confiscated gains and the surcharge (art. 72: 3 % a day of
    each overdue instalment, at most that instalment; none counted while a 复议 or 诉讼 is pending, art. 73)."""
    paid = {k: Decimal("0") for k in PaymentKind.values}
    fine_payments = []
    for kind, amount, paid_on in case.payments.values_list("kind", "amount", "paid_on"):
        paid[kind] += amount
        if kind == PaymentKind.FINE:
            fine_payments.append((paid_on, amount))
    schedule = payment_schedule(case)
    surcharge = (
        rules.surcharge_owed(schedule, fine_payments, on, paused=remedy_periods(case))
        if schedule
        else Decimal("0")
    )
    return {
        PaymentKind.FINE: max(Decimal(case.fine_amount) - paid[PaymentKind.FINE], Decimal("0")),
        PaymentKind.CONFISCATION: max(
            Decimal(case.confiscation_amount) - paid[PaymentKind.CONFISCATION], Decimal("0")
        ),
        PaymentKind.SURCHARGE: max(surcharge - paid[PaymentKind.SURCHARGE], Decimal("0")),
    }


def overdue_instalments(case: Case, on: dt.date) -> list[dict]:
    """The instalments of the plan due by ``on`` and not fully paid (the earliest first), with the unpaid part."""
    paid = sum(
        case.payments.filter(kind=PaymentKind.FINE, paid_on__lte=on).values_list("amount", flat=True),
        Decimal("0"),
    )
    out = []
    for instalment in payment_schedule(case):
        part = min(paid, instalment.amount)
        paid -= part
        if instalment.due < on and part < instalment.amount:
            out.append(
                {"due": instalment.due, "amount": instalment.amount, "unpaid": instalment.amount - part}
            )
    return out


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
        deadlines.meet(actor, case, DEMAND, paid_on)  # paid: the demand was met, no court application
        deadlines.meet(actor, case, COURT_APPLICATION, paid_on)
        if not _non_monetary_pending(case):
            case.state, case.executed_on = State.EXECUTED, paid_on
            _save(case, actor, "executed")
    return payment


def _non_monetary_pending(case: Case) -> bool:
    """Kinds that are executed by an act, not a payment (e.g. 吊销许可证件), need record_execution."""
    monetary = {PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS, PenaltyKind.WARNING, PenaltyKind.CRITICISM}
    return bool(set(case.penalty_kinds) - monetary) and case.executed_on is None


_PLAN_MESSAGES = {
    "too_few": gettext_lazy("分期缴纳至少分两期。"),
    "amount": gettext_lazy("每期金额必须大于零。"),
    "order": gettext_lazy("各期缴纳日期须逐期在后，不能重复。"),
    "past": gettext_lazy("分期缴纳日期不能早于批准日期。"),
    "total": gettext_lazy("分期金额合计须等于尚欠的罚款金额（%(owed)s元）。"),
}


def parse_instalments(text: str) -> list[rules.Instalment]:
    """An instalment plan as the page and the API take it: one instalment a line, ``YYYY-MM-DD 金额``."""
    plan = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.replace("，", " ").replace(",", " ").replace("｜", " ").replace("|", " ").split()
        try:
            due, amount = dt.date.fromisoformat(parts[0]), Decimal(parts[1])
            if len(parts) != 2 or not amount.is_finite():
                raise ValueError
        except (IndexError, ValueError, ArithmeticError):
            raise RuleViolation(
                _("分期计划第%(n)d行格式不正确，每行填写“日期 金额”，如“2026-07-01 2500”。") % {"n": number}
            ) from None
        plan.append(rules.Instalment(due, amount))
    return plan


@transaction.atomic
def approve_deferral(
    actor: Person,
    case: Case,
    *,
    reason: str,
    deferred_until: dt.date | None = None,
    instalments: Sequence = (),
    approved_on: dt.date | None = None,
) -> Case:
    """暂缓或分期缴纳 (art. 66), on the party's application, approved by the head: a later date for the whole fine, or
    an instalment plan (dates and amounts summing to the fine still owed). A missed instalment then accrues the
    surcharge on its own unpaid part (``amount_owed``)."""
    case = access.lock(case)
    access.require(actor, case, "approve_deferral")
    approved_on = _not_future(approved_on or _today(), _("批准日期"))
    if not reason.strip():
        raise RuleViolation(_("请填写当事人申请延期或分期缴纳的理由。"))
    if bool(deferred_until) == bool(instalments):
        raise RuleViolation(_("请填写延期缴纳的日期或分期计划（二者选一）。"))
    if not case.fine_amount:
        raise RuleViolation(_("本案没有罚款，无须延期或分期缴纳（《行政处罚法》第六十六条）。"))
    paid = sum(case.payments.filter(kind=PaymentKind.FINE).values_list("amount", flat=True), Decimal("0"))
    owed = Decimal(case.fine_amount) - paid
    if owed <= 0:
        raise RuleViolation(_("罚款已缴清。"))
    current = payment_schedule(case)
    overdue = overdue_instalments(case, approved_on)
    if overdue:  # the surcharge already accrued is owed; a plan approved now would silently drop it
        raise RuleViolation(
            _(
                "缴款期限（%(due)s）已过，逾期未缴纳的已按日加处罚款（第七十二条）；延期或分期缴纳须在缴款期限届满前批准。"
            )
            % {"due": overdue[0]["due"].isoformat()}
        )
    if deferred_until:
        if current and deferred_until <= max(i.due for i in current):
            raise RuleViolation(
                _("延期缴纳的日期须晚于现在的缴款期限（%(due)s）。")
                % {"due": max(i.due for i in current).isoformat()}
            )
        plan = []
    else:
        plan = [
            i
            if isinstance(i, rules.Instalment)
            else rules.Instalment(
                i["due"] if isinstance(i["due"], dt.date) else dt.date.fromisoformat(str(i["due"])),
                Decimal(str(i["amount"])),
            )
            for i in instalments
        ]
        problem = rules.instalment_plan_problem(plan, owed, approved_on)
        if problem:
            raise RuleViolation(str(_PLAN_MESSAGES[problem]) % ({"owed": owed} if problem == "total" else {}))
        # what is already paid is the first part of the plan: the plan covers what is still owed, so the paid
        # amount stands before it as a settled instalment
        if paid:
            plan = [
                rules.Instalment(case.payments.filter(kind=PaymentKind.FINE).latest("paid_on").paid_on, paid),
                *plan,
            ]
    case.deferred_until = deferred_until or max(i.due for i in plan)
    case.instalments = [{"due": i.due.isoformat(), "amount": f"{i.amount:.2f}"} for i in plan]
    case.payment_plan_approved_by, case.payment_plan_approved_on = actor, approved_on
    case.payment_plan_reason = reason.strip()[:300]
    return _save(case, actor, "approve_deferral", reason=reason)


# Court enforcement (行政强制法 arts. 53–54): tracked deadlines (workdays kinds, seeded by remedies migration 0001 from
# rules.DEMAND_WAIT_WORKDAYS and rules.COURT_APPLICATION_MONTHS), shown on the case and on the to-do list.
DEMAND = "enforcement_demand"  # 催告书送达后十个工作日 (art. 54; art. 69: 十日以内 counts working days)
COURT_APPLICATION = "court_application"  # 复议、诉讼期限届满后三个月内申请 (art. 53)
# Functions other apps register (remedies: a pending 复议/诉讼, an annulled decision): gate(case) -> refusal or None.
ENFORCEMENT_GATES: list = []


@transaction.atomic
def serve_demand(actor: Person, case: Case, *, served_on: dt.date) -> Case:
    """催告书 (行政强制法 art. 54), once the payment period has passed unpaid. Opens the 10-working-day wait and the
    court-application window as deadlines."""
    case = access.lock(case)
    access.require(actor, case, "serve_demand")
    _not_future(served_on, _("送达日期"))
    due = case.deferred_until or case.payment_due
    if not due or served_on <= due or not any(amount_owed(case, served_on).values()):
        raise RuleViolation(_("缴款期限届满且当事人未履行的，方可催告。"))
    case.demand_served_on = served_on
    case = _save(case, actor, "serve_demand")
    earlier = deadlines.current(case, DEMAND)
    if earlier is not None and earlier.met_on is None and earlier.ended_on is None:
        from zhifa.workdays import actions as wd_actions

        wd_actions.end_deadline(actor, earlier, on=served_on, reason=_("重新送达催告书"))
    deadlines.open_(actor, case, DEMAND, served_on)
    if deadlines.current(case, COURT_APPLICATION) is None:
        deadlines.open_(actor, case, COURT_APPLICATION, court_application_window(case)[0])
    return case


def court_application_window(case: Case) -> tuple[dt.date, dt.date]:
    """行政强制法 art. 53: apply within the ``court_application`` period (3 months) after the reconsideration and
    litigation periods from service have ended; 行政处罚法 art. 72: an approved deferral moves the start to its end."""
    start = max(
        deadlines.due_on(case.agency, "reconsideration", case.served_on),
        deadlines.due_on(case.agency, "litigation", case.served_on),
    )
    if case.deferred_until and case.deferred_until > start:
        start = case.deferred_until
    return start, deadlines.due_on(case.agency, COURT_APPLICATION, start)


def demand_wait_ends(case: Case) -> dt.date | None:
    """The last day of the party's 10 working days after the 催告书 (its deadline, else computed)."""
    if not case.demand_served_on:
        return None
    deadline = deadlines.current(case, DEMAND)
    if deadline is not None and deadline.start == case.demand_served_on:
        return deadline.due
    return deadlines.due_on(case.agency, DEMAND, case.demand_served_on)


@transaction.atomic
def apply_court_enforcement(actor: Person, case: Case, *, applied_on: dt.date | None = None) -> Case:
    """申请人民法院强制执行 (行政强制法 arts. 53–54): after the 10 working days the demand gives have run, within 3
    months after the remedy periods end, and not while a 复议 or 诉讼 is pending or after the decision was annulled
    (ENFORCEMENT_GATES)."""
    case = access.lock(case)
    access.require(actor, case, "apply_court_enforcement")
    applied_on = _not_future(applied_on or _today(), _("申请日期"))
    if not case.demand_served_on:
        raise RuleViolation(_("申请强制执行前须先送达催告书（《行政强制法》第五十四条）。"))
    for gate in ENFORCEMENT_GATES:
        problem = gate(case)
        if problem:
            raise RuleViolation(problem)
    start, end = court_application_window(case)
    earliest = max(demand_wait_ends(case), start) + dt.timedelta(days=1)
    if applied_on < earliest or applied_on > end:
        raise RuleViolation(
            _(
                "申请法院强制执行的期间为%(start)s至%(end)s（复议、诉讼期限届满后%(months)d个月内，且催告书送达后满%(days)d个工作日）。"
            )
            % {
                "start": earliest.isoformat(),
                "end": end.isoformat(),
                "months": deadlines.length(case.agency, COURT_APPLICATION),
                "days": deadlines.length(case.agency, DEMAND),
            }
        )
    _move(case, "apply_court_enforcement")
    case.court_applied_on = applied_on
    case = _save(case, actor, "apply_court_enforcement")
    deadlines.meet(actor, case, COURT_APPLICATION, applied_on)
    return case


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
