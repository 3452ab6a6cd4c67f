"""Closing (结案), archiving (归档), ending, suspending and extending a case."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.org.models import Person
from zhifa.workdays import actions as wd_actions

from .. import access, deadlines
from ..choices import Outcome, State
from ..models import Case
from .common import _move, _not_future, _save, _today
from .execution import _non_monetary_pending, amount_owed

# Closing ----------------------------------------------------------------------------------------------------------


def closing_reason(case: Case) -> str:
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
        report = closing_reason(case)
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
