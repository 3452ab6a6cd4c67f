"""The decision (作出决定): what blocks it, what the head sees, and the signature."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.org.models import Person

from .. import access, deadlines, rules
from ..choices import Outcome, PenaltyKind, RecordKind, State
from ..models import Case
from .common import DECIDE_PARTS, DECIDED_HOOKS, DECISION_GATES, _move, _not_future, _save, _today
from .investigation import _PENALTY_MESSAGES, draft_penalty

# Decision ---------------------------------------------------------------------------------------------------------


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
    # 回避 (art. 43): a head connected with the party, or recused on the case, does not decide it.
    from ..recusal import conflicts

    if own_conflicts := conflicts(case, [actor]):
        raise RuleViolation(own_conflicts)
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
    for part in DECIDE_PARTS:
        case.decision_snapshot.update(part(case))
    _save(case, actor, "decide")
    deadlines.meet(actor, case, deadlines.DECISION, decided_on)
    for party_period in (
        deadlines.STATEMENT,
        deadlines.HEARING_REQUEST,
    ):  # the party's periods end with the decision
        deadlines.meet(actor, case, party_period, decided_on)
    if case.outcome != Outcome.TRANSFER:
        deadlines.open_(actor, case, deadlines.SERVICE, decided_on)
    for hook in DECIDED_HOOKS:
        hook(actor, case)
    return case
