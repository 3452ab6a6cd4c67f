import pytest

from tests.cases.conftest import clock, cw  # noqa: F401
from zhifa.org import actions as org_actions
from zhifa.org.choices import Role
from zhifa.review import actions
from zhifa.review.rules import POINT_CODES


def all_pass(**problems):
    return {
        c: (
            {"result": "problem", "comment": problems[c]}
            if c in problems
            else {"result": "pass", "comment": ""}
        )
        for c in POINT_CODES
    }


@pytest.fixture
def rw(cw):  # noqa: F811 (the cw fixture is imported above)
    """cw plus a second reviewer and one who is not yet qualified (every general-procedure penalty decision is
    reviewed whatever the agency's list says)."""
    cw.reviewer2 = cw.person(cw.a, "reviewer_a2", "甲审核二", Role.LEGAL_REVIEWER, unit=cw.legal_unit)
    cw.unqualified = cw.person(cw.a, "reviewer_a3", "甲审核三", Role.LEGAL_REVIEWER, unit=cw.legal_unit)
    cw.reviewer2 = org_actions.update_person(
        None, cw.reviewer2, legal_qualification=True, legal_qualification_date=cw.clock.today
    )
    cw.all_pass = all_pass

    def submit(case, draft=True, **kw):
        args = dict(
            explanation="拟给予警告并处罚款。",
            discretion_reason="一般情节。",
            qualifications="两名承办人均持证。",
        )
        args.update(kw)
        if draft:
            cw.draft_decision(case)
        return actions.submit(cw.officer, case, **args)

    def approve(case):
        s = submit(case)
        actions.assign(cw.head, s, reviewers=[cw.reviewer])
        actions.give_opinion(cw.reviewer, s, points=all_pass(), outcome="agree", summary="同意。")
        s.refresh_from_db()
        return s

    cw.submit, cw.approve = submit, approve
    return cw
