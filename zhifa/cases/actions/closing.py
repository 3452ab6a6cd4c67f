"""Closing (结案), archiving (归档), ending, suspending and extending a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Agency, Person
from zhifa.workdays import actions as wd_actions

from .. import access, deadlines, rules
from ..choices import Outcome, State
from ..models import Case, ExtensionPolicy
from .common import _move, _not_future, _require, _save, _today
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
    from .simple import closing_blockers as simple_blockers  # 备案 made, money collected handed in

    return simple_blockers(case)


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
    """中止: the 90-day period stops running until the case resumes. The suspension takes effect from its
    approval (today): a start before the day it is approved would hand back days already spent, so it is
    refused (a case already overdue cannot be brought back into time this way)."""
    case = access.lock(case)
    access.require(actor, case, "suspend")
    if case.suspended_since:
        raise RuleViolation(_("案件已经中止。"))
    if not reason.strip():
        raise RuleViolation(_("请填写中止原因。"))
    today = _today()
    since = _not_future(since or today, _("中止日期"))
    if since < today:
        raise RuleViolation(
            {
                "since": [
                    _("中止自批准之日（%(today)s）起生效，不能追溯到此前。") % {"today": today.isoformat()}
                ]
            }
        )
    case.suspended_since = since
    case.suspension_reason = reason.strip()
    case.suspended_by = actor
    _save(case, actor, "suspend")
    deadline = deadlines.current(case, deadlines.DECISION)
    if deadline is not None and deadline.met_on is None:
        wd_actions.suspend_deadline(
            actor, deadline, on=case.suspended_since, reason=reason, approver=actor, by_owner=True
        )
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
    case.suspended_since, case.suspension_reason, case.suspended_by = None, "", None
    _save(case, actor, "resume")
    deadline = deadlines.current(case, deadlines.DECISION)
    if deadline is not None and deadline.suspended_since is not None:
        wd_actions.resume_deadline(actor, deadline, on=on, by_owner=True)
    return case


# Extending the decision period (art. 60) ---------------------------------------------------------------------------


def _policy(agency: Agency) -> ExtensionPolicy | None:
    from zhifa.core import memo

    return memo.once(
        ("extension_policy", agency.pk), lambda: ExtensionPolicy.objects.filter(agency=agency).first()
    )


def extension_rule(agency: Agency) -> rules.ExtensionRule:
    """The agency's extension rule: its ``ExtensionPolicy`` row, else ``rules.EXTENSION_DEFAULTS``."""
    policy = _policy(agency)
    values = (
        {
            "max_count": policy.max_count,
            "max_days": policy.max_days,
            "approver_role": policy.approver_role,
            "reasons": policy.reasons,
        }
        if policy is not None
        else rules.EXTENSION_DEFAULTS
    )
    return rules.ExtensionRule(
        max_count=values["max_count"],
        max_days=values["max_days"],
        approver_role=values["approver_role"],
        reasons=tuple(values["reasons"]),
    )


def extension_basis(agency: Agency) -> str:
    policy = _policy(agency)
    return policy.basis if policy is not None else rules.EXTENSION_DEFAULTS["basis"]


@transaction.atomic
def set_extension_policy(
    actor: Person,
    agency: Agency,
    *,
    max_count: int,
    max_days: int,
    approver_role: str,
    reasons: Sequence[str],
    basis: str = "",
) -> ExtensionPolicy:
    """The agency's rule for extending the 90-day decision period (art. 60: data the agency sets, following the
    rule that binds it), set by its system administrator."""
    _require(actor, agency, {Role.SYSTEM_ADMIN})
    reasons = list(dict.fromkeys(r.strip() for r in reasons if r and r.strip()))
    problems = {}
    if max_count is None or max_count < 0:
        problems["max_count"] = [_("最多延长次数不能小于零。")]
    if max_days is None or max_days < 1:
        problems["max_days"] = [_("每次最多延长天数至少为1日。")]
    if approver_role not in rules.EXTENSION_APPROVER_ROLES:
        problems["approver_role"] = [
            _("批准人只能是：%(roles)s。")
            % {"roles": "、".join(str(Role(r).label) for r in rules.EXTENSION_APPROVER_ROLES)}
        ]
    if max_count and not reasons:
        problems["reasons"] = [_("请列出可以延长办案期限的理由。")]
    if any(len(r) > 200 for r in reasons):
        problems["reasons"] = [_("每条理由不超过200字。")]
    if problems:
        raise RuleViolation(problems)
    policy, _created = ExtensionPolicy.objects.update_or_create(
        agency=agency,
        defaults={
            "max_count": max_count,
            "max_days": max_days,
            "approver_role": approver_role,
            "reasons": reasons,
            "basis": basis.strip(),
            "updated_at": timezone.now(),
        },
    )
    ledger.append(
        agency=agency,
        actor=actor,
        action="cases.set_extension_policy",
        obj=policy,
        payload={"state": snapshot(policy)},
    )
    return policy


def _check_extension(actor: Person | None, case: Case, days: int, reason: str):
    """The decision deadline, when an extension of ``days`` for ``reason`` may be asked for / approved today
    under the agency's rule; otherwise RuleViolation saying which part of the rule refuses it."""
    deadline = deadlines.current(case, deadlines.DECISION)
    if deadline is None or deadline.ended_on is not None or deadline.met_on is not None:
        raise RuleViolation(_("案件尚未立案，没有办案期限。"))
    rule = extension_rule(case.agency)
    if actor is not None and not org_queries.has_role(actor, rule.approver_role, case.agency_id):
        raise ActionDenied(
            _("延长办案期限须经本机关%(role)s批准。") % {"role": Role(rule.approver_role).label}
        )
    today = _today()
    problem = rules.extension_problem(
        rule, days=days or 0, reason=reason.strip(), used=deadline.extensions, today=today, due=deadline.due
    )
    if problem == "late":
        raise RuleViolation(
            _("办案期限已于%(due)s届满，不能再申请或批准延长（延长应当在期限届满前批准）。")
            % {"due": deadline.due.isoformat()}
        )
    if problem == "count":
        raise RuleViolation(
            _("本机关规定办案期限最多延长%(n)d次，本案已延长%(used)d次。")
            % {"n": rule.max_count, "used": deadline.extensions}
        )
    if problem == "days":
        raise RuleViolation({"days": [_("延长天数须为1至%(n)d日。") % {"n": rule.max_days}]})
    if problem == "reason":
        raise RuleViolation(
            {
                "reason": [
                    _("请从本机关规定的延长理由中选择：%(reasons)s。") % {"reasons": "；".join(rule.reasons)}
                ]
            }
        )
    return deadline


@transaction.atomic
def request_extension(actor: Person, case: Case, *, days: int, reason: str, note: str = "") -> Case:
    """The handling officers ask the head to extend the decision period, before it runs out, within the agency's
    rule; the request waits on the head's list."""
    case = access.lock(case)
    access.require(actor, case, "request_extension")
    _check_extension(None, case, days, reason)
    case.extension_request = {
        "days": days,
        "reason": reason.strip(),
        "note": note.strip(),
        "by": actor.pk,
        "on": _today().isoformat(),
    }
    case.updated_at = timezone.now()
    return _save(case, actor, "request_extension")


@transaction.atomic
def extend(actor: Person, case: Case, *, days: int, reason: str, note: str = "") -> Case:
    """延长办案期限 (art. 60) with the approval the agency's rule requires (``extension_rule``): before the period
    runs out, within its number of extensions and days, for one of its reasons. Settles a pending request of the
    handling officers. The extension and its approver are recorded on the workdays deadline."""
    case = access.lock(case)
    access.require(actor, case, "extend")
    deadline = _check_extension(actor, case, days, reason)
    text = reason.strip() + (f"（{note.strip()}）" if note.strip() else "")
    wd_actions.extend_deadline(actor, deadline, reason=text, approver=actor, length=days, by_owner=True)
    request, case.extension_request = case.extension_request, None
    case.updated_at = timezone.now()
    return _save(case, actor, "extend", days=days, reason=reason.strip(), note=note.strip(), request=request)


def time_limits(case: Case) -> dict:
    """What the case page and the API show of the case's time limits: the limitation (art. 36) counted to intake,
    the decision period (art. 60) with each extension and suspension and who approved it, and the agency's rule."""
    from zhifa.workdays.models import DeadlineEvent

    deadline = deadlines.current(case, deadlines.DECISION)
    events = (
        list(
            DeadlineEvent.objects.filter(deadline=deadline)
            .exclude(kind="opened")
            .select_related("approver", "actor")
            .order_by("id")
        )
        if deadline is not None
        else []
    )
    rule = extension_rule(case.agency)
    limitation_ends = rules.limitation_ends(case.violation_date, case.violation_ended, case.life_health_harm)
    return {
        "limitation": {
            "violation_date": case.violation_date,
            "violation_ended": case.violation_ended,
            "years": rules.limitation_years(case.life_health_harm),
            "ends": limitation_ends,
            "accepted_on": case.accepted_on,
            "within": case.accepted_on <= limitation_ends,
        },
        "decision": deadline,
        "events": [
            {
                "kind": e.kind,
                "kind_label": e.get_kind_display(),
                "on": e.on,
                "length": e.length,
                "reason": e.reason,
                "approver": e.approver,
                "actor": e.actor,
                "due_before": e.due_before,
                "due_after": e.due_after,
            }
            for e in events
        ],
        "suspended_since": case.suspended_since,
        "suspended_by": case.suspended_by,
        "rule": rule,
        "basis": extension_basis(case.agency),
        "extensions_used": deadline.extensions if deadline is not None else 0,
    }
