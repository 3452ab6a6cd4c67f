"""Every change to a case's remedy proceedings (行政复议、行政诉讼). Each action checks who may act (the case's
lifecycle table: ``record_remedy`` for the handling officers and their heads, ``record_remedy_outcome`` for the
agency head), checks the rules, writes in one transaction and appends its ledger entry there.

``OUTCOME_HOOKS``: functions other apps register (in their AppConfig.ready) to act when an outcome changes or
annuls the decision — ``hook(actor, proceeding)``, called inside the recording transaction (so a hook that
refuses rolls the outcome back). The publication issue withdraws the published decision within 3 working days
(行政处罚法 art. 48); supervision counts 被纠错率.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases import access as case_access
from zhifa.cases import deadlines as case_deadlines
from zhifa.cases.actions import execution
from zhifa.cases.models import Case
from zhifa.core.errors import RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org.models import Person
from zhifa.records import storage, uploads

from . import rules
from .choices import RemedyKind, RemedyOutcome
from .models import Proceeding, ProceedingDocument

OUTCOME_HOOKS: list = []

# The deadlines of the decision's execution that end when it is annulled or declared void.
EXECUTION_DEADLINES = (case_deadlines.PAYMENT, execution.DEMAND, execution.COURT_APPLICATION)


def _record(agency, actor, action: str, obj, files=(), **extra) -> None:
    ledger.append(
        agency=agency,
        actor=actor,
        action=f"remedies.{action}",
        obj=obj,
        payload={"state": snapshot(obj), **extra},
        files=files,
    )


def _date(value, label) -> dt.date:
    if not isinstance(value, dt.date):
        raise RuleViolation(_("请填写%(field)s。") % {"field": label})
    if value > timezone.localdate():
        raise RuleViolation(_("%(field)s不能晚于今天。") % {"field": label})
    return value


def _lock(proceeding: Proceeding) -> tuple[Proceeding, Case]:
    case = case_access.lock(proceeding.case)
    return Proceeding.objects.select_for_update().get(pk=proceeding.pk), case


def default_body(agency, kind: str) -> str:
    """The body named in the decision's 救济途径: the agency's 行政复议机关 (by default the people's government of its
    region, 行政复议法 art. 24) or its court."""
    if kind == RemedyKind.RECONSIDERATION:
        return agency.reconsideration_body or (f"{agency.region}人民政府" if agency.region else "")
    return agency.court


_CONFLICTS = {
    "pending": _(
        "本案已有尚未审结的复议或诉讼，审结或撤回后方可登记新的程序（《行政复议法》第二十九条、《行政诉讼法》第四十四条）。"
    ),
    "after_litigation": _(
        "人民法院已受理当事人就本决定提起的行政诉讼，不得再申请行政复议（《行政复议法》第二十九条第二款）。"
    ),
    "final": _("本决定已经人民法院审理，不能再登记行政诉讼。"),
}


@transaction.atomic
def record_proceeding(
    actor: Person,
    case: Case,
    *,
    kind: str,
    applied_on: dt.date,
    body: str = "",
    case_number: str = "",
    note: str = "",
) -> Proceeding:
    """登记复议或诉讼: the party applied for 行政复议 or sued; the decision is now contested."""
    case = case_access.lock(case)
    case_access.require(actor, case, "record_remedy")
    if kind not in RemedyKind.values:
        raise RuleViolation({"kind": [_("请选择行政复议或行政诉讼。")]})
    applied_on = _date(applied_on, _("申请或起诉日期"))
    if not case.decided_on:
        raise RuleViolation(_("本案没有作出行政处罚决定，不能登记复议诉讼。"))
    if applied_on < case.decided_on:
        raise RuleViolation(
            {"applied_on": [_("申请或起诉日期不能早于决定日期（%(date)s）。") % {"date": case.decided_on}]}
        )
    problem = rules.conflict(kind, Proceeding.objects.filter(case=case))
    if problem:
        raise RuleViolation(str(_CONFLICTS[problem]))
    body = (body or "").strip() or default_body(case.agency, kind)
    if not body:
        raise RuleViolation({"body": [_("请填写复议机关或法院。")]})
    proceeding = Proceeding(
        agency=case.agency,
        case=case,
        kind=kind,
        body=body[:200],
        case_number=(case_number or "").strip()[:100],
        applied_on=applied_on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    proceeding.full_clean()
    proceeding.save()
    _record(case.agency, actor, "record_proceeding", proceeding, case=case.pk)
    return proceeding


@transaction.atomic
def record_acceptance(
    actor: Person, proceeding: Proceeding, *, accepted_on: dt.date, case_number: str = ""
) -> Proceeding:
    """登记受理: the 复议机关 or the court accepted the application or the suit."""
    proceeding, case = _lock(proceeding)
    case_access.require(actor, case, "record_remedy")
    accepted_on = _date(accepted_on, _("受理日期"))
    if not proceeding.pending:
        raise RuleViolation(_("该程序已审结，不能再登记受理。"))
    if proceeding.accepted_on:
        raise RuleViolation(_("已于%(date)s登记受理。") % {"date": proceeding.accepted_on})
    if accepted_on < proceeding.applied_on:
        raise RuleViolation(
            {
                "accepted_on": [
                    _("受理日期不能早于申请或起诉日期（%(date)s）。") % {"date": proceeding.applied_on}
                ]
            }
        )
    proceeding.accepted_on = accepted_on
    if case_number.strip():
        proceeding.case_number = case_number.strip()[:100]
    proceeding.save()
    _record(case.agency, actor, "record_acceptance", proceeding, case=case.pk)
    return proceeding


@transaction.atomic
def record_outcome(
    actor: Person, proceeding: Proceeding, *, outcome: str, decided_on: dt.date, note: str = ""
) -> Proceeding:
    """登记复议决定或裁判结果 (the agency head). An outcome that changes or annuls the decision (变更、撤销、确认违法、
    确认无效) is entered on the case, ends the running deadlines of its execution where it is annulled or void, and
    calls every ``OUTCOME_HOOKS`` function."""
    proceeding, case = _lock(proceeding)
    case_access.require(actor, case, "record_remedy_outcome")
    if outcome not in RemedyOutcome.values:
        raise RuleViolation({"outcome": [_("请选择结果。")]})
    decided_on = _date(decided_on, _("决定或裁判日期"))
    if not proceeding.pending:
        raise RuleViolation(
            _("该程序已于%(date)s审结（%(outcome)s）。")
            % {"date": proceeding.decided_on, "outcome": proceeding.get_outcome_display()}
        )
    earliest = proceeding.accepted_on or proceeding.applied_on
    if decided_on < earliest:
        raise RuleViolation({"decided_on": [_("决定或裁判日期不能早于%(date)s。") % {"date": earliest}]})
    note = (note or "").strip()
    if rules.changes_decision(outcome) and not note:
        raise RuleViolation({"note": [_("请写明复议决定或裁判的内容（如变更后的处罚）。")]})
    proceeding.outcome, proceeding.decided_on, proceeding.outcome_note = outcome, decided_on, note
    proceeding.outcome_by = actor
    proceeding.save()
    _record(case.agency, actor, "record_outcome", proceeding, case=case.pk)
    if rules.changes_decision(outcome):
        _decision_changed(actor, case, proceeding)
    return proceeding


def _decision_changed(actor, case: Case, proceeding: Proceeding) -> None:
    """What follows on the case from an outcome that changes or annuls its decision."""
    ended = []
    if rules.annuls_decision(proceeding.outcome):
        reason = _("行政处罚决定被%(outcome)s（%(body)s）") % {
            "outcome": proceeding.get_outcome_display(),
            "body": proceeding.body,
        }
        for code in EXECUTION_DEADLINES:
            deadline = case_deadlines.current(case, code)
            if deadline is not None and deadline.met_on is None and deadline.ended_on is None:
                from zhifa.workdays import actions as wd_actions

                ended.append(
                    wd_actions.end_deadline(actor, deadline, on=proceeding.decided_on, reason=reason).pk
                )
    ledger.append(
        agency=case.agency,
        actor=actor,
        action="remedies.decision_changed",
        obj=case,
        payload={
            "state": snapshot(case),
            "proceeding": proceeding.pk,
            "kind": proceeding.kind,
            "outcome": proceeding.outcome,
            "decided_on": proceeding.decided_on.isoformat(),
            "deadlines_ended": ended,
        },
    )
    for hook in list(OUTCOME_HOOKS):
        hook(actor, proceeding)


@transaction.atomic
def add_document(actor: Person, proceeding: Proceeding, *, title: str, data: bytes) -> ProceedingDocument:
    """上传文书 of a proceeding: a PNG, JPEG or PDF checked by its bytes (records.uploads.check_scan), stored under
    its SHA-256, the hash in the ledger."""
    proceeding, case = _lock(proceeding)
    case_access.require(actor, case, "record_remedy")
    title = (title or "").strip()
    if not title:
        raise RuleViolation({"title": [_("请填写文书名称。")]})
    checked = uploads.check_scan(data)
    stored = storage.put(checked.data, ext=checked.ext, prefix="remedies")
    document = ProceedingDocument.objects.create(
        proceeding=proceeding,
        title=title[:200],
        file_name=stored.name,
        sha256=stored.sha256,
        size=stored.size,
        content_type=checked.content_type,
        uploaded_by=actor,
    )
    _record(
        case.agency,
        actor,
        "add_document",
        document,
        files=[(stored.name, stored.sha256)],
        proceeding=proceeding.pk,
    )
    return document
