"""A case's deadlines tell the truth: ending a case ends its running deadlines with the reason, and the party's own
periods are shown as the party's (issue 11, Build 6)."""

import datetime as dt

from zhifa.cases import actions, deadlines
from zhifa.ledger.models import Entry
from zhifa.workdays import queries as wd_queries
from zhifa.workdays.choices import DeadlineState


def _states(case, today=None):
    """{kind code: row} of the case page's deadlines table, as of ``today``."""
    rows = deadlines.of_case(case)
    if today is not None:
        rows = wd_queries.with_state([r["deadline"] for r in rows], today)
    return {r["deadline"].kind.code: r for r in rows}


def _filed(cw):
    case = cw.new_case()
    actions.request_filing(cw.officer, case)
    actions.approve_filing(cw.head, case, opinion="同意立案")
    case.refresh_from_db()
    return case


def test_revoking_the_filing_ends_the_decision_deadline(cw):
    case = _filed(cw)
    assert _states(case)["decision"]["state"] == DeadlineState.OPEN
    actions.revoke_filing(cw.head, case, reason="不属于本机关管辖")
    row = _states(case)["decision"]
    assert row["state"] == DeadlineState.ENDED
    assert row["deadline"].end_reason == "撤销立案：不属于本机关管辖"
    assert "撤销立案" in row["state_label"]
    # 120 days later it is still not overdue, and on nobody's list
    late = cw.clock.today + dt.timedelta(days=120)
    assert _states(case, late)["decision"]["state"] == DeadlineState.ENDED
    for person in (cw.officer, cw.head):
        assert not [
            r for r in wd_queries.my_deadlines(person, today=late) if r["deadline"].label == case.reference
        ]
    assert Entry.objects.filter(action="workdays.end_deadline", object_id=str(row["deadline"].pk)).exists()


def test_terminating_ends_every_running_deadline_of_the_case(cw):
    case = _filed(cw)
    actions.terminate(cw.head, case, reason="当事人已注销")
    rows = deadlines.of_case(case)
    assert rows and all(r["state"] in (DeadlineState.ENDED, DeadlineState.MET) for r in rows)
    assert {r["deadline"].end_reason for r in rows if r["state"] == DeadlineState.ENDED} == {
        "终止：当事人已注销"
    }


def test_an_elapsed_statement_period_is_the_partys(cw):
    case = cw.investigate(cw.new_case())
    from zhifa.records import actions as records_actions
    from zhifa.records.demo import finish

    notice = records_actions.generate_document(cw.officer, case, kind="prior_notice")
    finish(notice, [cw.officer, cw.officer2], "李康宁")
    actions.issue_notice(cw.officer, case)
    case.refresh_from_db()
    statement_due = dt.date.fromisoformat(case.notice_snapshot["statement_due"])
    later = statement_due + dt.timedelta(days=10)
    row = _states(case, later)["statement_defence"]
    assert row["state"] == DeadlineState.ELAPSED
    assert row["state_label"] == "当事人陈述、申辩期限已届满"
    assert row["state"] != DeadlineState.OVERDUE
    for person in (cw.officer, cw.head):
        codes = {r["deadline"].kind.code for r in wd_queries.my_deadlines(person, today=later)}
        assert "statement_defence" not in codes and "hearing_request" not in codes
    # the agency's own 90-day period, once past, is red and reaches the head
    overdue = case.filed_on + dt.timedelta(days=120)
    assert _states(case, overdue)["decision"]["state"] == DeadlineState.OVERDUE
    head_rows = wd_queries.my_deadlines(cw.head, today=overdue)
    assert any(
        r["deadline"].kind.code == "decision" and r["state"] == DeadlineState.OVERDUE for r in head_rows
    )
