"""The gate on the decision: no reviewable decision without a passed review of exactly this digest (art. 58),
and no decision the list sends to collective discussion without its conclusion on this digest (art. 57)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhifa.core import memo
from zhifa.core.errors import RuleViolation

from . import digest, queries
from .choices import DiscussionOutcome, DiscussionState, SubmissionState


def gate_problems(case) -> list[str]:
    """Why the gate is shut (empty when open); once per page (the case page asks for the blockers and the review
    panel), afresh every time in an action."""
    return list(memo.once(("review.gate_problems", case.pk), lambda: _problems(case)))


def _problems(case) -> list[str]:
    problems: list[str] = []
    current, _items = digest.case_digest(case)
    reasons = queries.review_reasons(case)
    if reasons:
        if queries.passing_submission(case, current) is None:
            latest = queries.latest_submission(case)
            passed = latest is not None and (
                latest.state == SubmissionState.APPROVED
                or queries.passing_submission(case, latest.digest) is not None
            )
            if passed:
                problems.append(
                    _("审核通过后材料已变更，须重新送审：%(changes)s。")
                    % {"changes": "；".join(queries.describe_changes(case, latest))}
                )
            else:
                problems.append(
                    _("该案件须经法制审核通过后方可作出决定（%(reasons)s；《行政处罚法》第五十八条）。")
                    % {"reasons": "；".join(_(r) for r in reasons)}
                )
    if queries.discussion_reasons(case):
        concluded = case.discussions.filter(
            state=DiscussionState.CONCLUDED, digest=current, outcome=DiscussionOutcome.AGREE
        ).exists()
        if not concluded:
            problems.append(
                _("该案件须经负责人集体讨论决定（%(reasons)s；《行政处罚法》第五十七条）。")
                % {"reasons": "；".join(_(r) for r in queries.discussion_reasons(case))}
            )
    return problems


def decision_gate(case) -> None:
    problems = gate_problems(case)
    if problems:
        raise RuleViolation(problems)
