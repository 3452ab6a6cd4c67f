"""Deadlines that end without being met, and periods that bind the party (issue 11, Build 6)."""

import datetime as dt

import pytest

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.workdays import actions, queries, rules
from zhifa.workdays.choices import DeadlineEventKind, DeadlineState
from zhifa.workdays.models import DeadlineKind

D = dt.date


def test_the_party_periods_are_marked_as_data(db):
    binding = set(DeadlineKind.objects.filter(binds_party=True).values_list("code", flat=True))
    assert {"statement_defence", "hearing_request", "payment"} <= binding
    assert not binding & {"decision", "service", "legal_review", "seizure", "preserved_evidence"}


def test_state_of_ended_and_elapsed_deadlines(cal):
    due, late = D(2026, 6, 5), D(2026, 6, 20)
    assert rules.deadline_state(cal, due=due, today=late) == DeadlineState.OVERDUE  # the agency's: red
    assert rules.deadline_state(cal, due=due, today=late, binds_party=True) == DeadlineState.ELAPSED
    assert rules.deadline_state(cal, due=due, today=late, ended_on=D(2026, 6, 3)) == DeadlineState.ENDED
    assert rules.deadline_state(cal, due=due, today=late, ended_on=D(2026, 6, 3), binds_party=True) == (
        DeadlineState.ENDED
    )
    assert rules.deadline_state(cal, due=due, today=late, met_on=D(2026, 6, 4)) == DeadlineState.MET


def test_end_deadline_records_why_and_stops_the_clock(world, ledger_calls):
    d = actions.open_deadline(
        world.officer,
        agency=world.a,
        kind="decision",
        target=world.section,
        start=D(2026, 1, 5),
        responsible=world.officer,
    )
    with pytest.raises(RuleViolation, match="请填写理由"):
        actions.end_deadline(world.head, d, on=D(2026, 2, 1), reason=" ")
    with pytest.raises(ActionDenied, match="没有权限"):
        actions.end_deadline(world.officer_b, d, on=D(2026, 2, 1), reason="撤销立案")
    ended = actions.end_deadline(world.head, d, on=D(2026, 2, 1), reason="撤销立案：不属于本机关管辖")
    assert (ended.ended_on, ended.end_reason, ended.met_on) == (
        D(2026, 2, 1),
        "撤销立案：不属于本机关管辖",
        None,
    )
    event = ended.events.get(kind=DeadlineEventKind.ENDED)
    assert event.reason == "撤销立案：不属于本机关管辖" and event.actor == world.head
    (call,) = [
        c
        for c in ledger_calls
        if c["action"] == "workdays.end_deadline" and c["obj"].pk == d.pk and "reason" in c["payload"]
    ]
    assert call["in_atomic"] and call["payload"]["reason"] == "撤销立案：不属于本机关管辖"
    assert call["payload"]["state"]["ended_on"] == "2026-02-01"
    for step in (
        lambda: actions.meet_deadline(world.officer, ended, on=D(2026, 2, 2)),
        lambda: actions.end_deadline(world.head, ended, on=D(2026, 2, 2), reason="again"),
        lambda: actions.extend_deadline(world.head, ended, reason="x", approver=world.head, length=10),
        lambda: actions.suspend_deadline(
            world.head, ended, on=D(2026, 2, 2), reason="x", approver=world.head
        ),
    ):
        with pytest.raises(RuleViolation, match="不再计算"):
            step()
    (row,) = queries.with_state([ended], today=D(2026, 6, 1))
    assert row["state"] == DeadlineState.ENDED and "撤销立案" in row["state_label"]
    assert queries.my_deadlines(world.officer, today=D(2026, 6, 1)) == []
    assert queries.my_deadlines(world.head, today=D(2026, 6, 1)) == []


def test_an_elapsed_party_period_is_the_partys_and_not_on_anyones_list(world):
    statement = actions.open_deadline(
        world.officer,
        agency=world.a,
        kind="statement_defence",
        target=world.section,
        start=D(2026, 6, 1),
        label="甲卫案〔2026〕1号",
        responsible=world.officer,
    )
    service = actions.open_deadline(
        world.officer,
        agency=world.a,
        kind="service",
        target=world.section,
        start=D(2026, 6, 1),
        label="甲卫案〔2026〕1号",
        responsible=world.officer,
    )
    later = D(2026, 7, 1)
    rows = {r["deadline"].pk: r for r in queries.with_state([statement, service], today=later)}
    assert rows[statement.pk]["state"] == DeadlineState.ELAPSED
    assert rows[statement.pk]["state_label"] == "当事人陈述、申辩期限已届满"
    assert rows[service.pk]["state"] == DeadlineState.OVERDUE  # the agency's own: still red
    for person in (world.officer, world.head):
        listed = {r["deadline"].pk: r["state"] for r in queries.my_deadlines(person, today=later)}
        assert listed == {service.pk: DeadlineState.OVERDUE}
    # while it runs, the officer sees the party's period (not as a breach)
    running = {r["deadline"].pk for r in queries.my_deadlines(world.officer, today=D(2026, 6, 2))}
    assert statement.pk in running
