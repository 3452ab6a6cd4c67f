"""The gate on the decision: no reviewable decision without a passed review of exactly this digest (art. 58),
and no decision the list sends to collective discussion without its conclusion on this digest (art. 57)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation

from . import digest, queries
from .choices import DiscussionState, SubmissionState


def gate_problems(case) -> list[str]:
    problems: list[str] = []
    current, _items = digest.case_digest(case)
    reasons = queries.review_reasons(case)
    if reasons:
        if queries.passing_submission(case, current) is None:
            latest = queries.latest_submission(case)
            if latest is not None and latest.state in (
                SubmissionState.APPROVED,
                SubmissionState.ACCEPTED_BY_COORDINATION,
            ):
                problems.append(_("材料已变更，须重新送审。"))
            else:
                problems.append(
                    _("该案件须经法制审核通过后方可作出决定（%(reasons)s；《行政处罚法》第五十八条）。")
                    % {"reasons": "；".join(reasons)}
                )
    if queries.discussion_reasons(case):
        concluded = case.discussions.filter(state=DiscussionState.CONCLUDED, digest=current).exists()
        if not concluded:
            problems.append(
                _("该案件须经负责人集体讨论决定（%(reasons)s；《行政处罚法》第五十七条）。")
                % {"reasons": "；".join(queries.discussion_reasons(case))}
            )
    return problems


def decision_gate(case) -> None:
    problems = gate_problems(case)
    if problems:
        raise RuleViolation(problems)
