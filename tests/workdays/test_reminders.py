"""Deadline reminders: sent by the periodic task before the deadline, when it is overdue (escalated to the 负责人)
and when a party's period ran out; once each; in the ledger; a person's own on their 工作台, their list and the API."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.workdays.test_api import api
from zhifa.core import queue
from zhifa.ledger.models import Entry
from zhifa.workdays import actions, queries, rules
from zhifa.workdays.choices import DeadlineState, ReminderStage
from zhifa.workdays.models import Reminder

D = dt.date


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False)


def _deadline(world, kind="service", start=None, responsible="officer"):
    return actions.open_deadline(
        world.officer,
        agency=world.a,
        kind=kind,
        target=world.section,
        start=start or D(2026, 9, 1),
        responsible=getattr(world, responsible) if responsible else None,
        label="甲卫罚〔2026〕8号",
    )


def _sent(deadline) -> list[tuple[str, str]]:
    return sorted(
        (r.person.username, r.stage)
        for r in Reminder.objects.filter(deadline=deadline).select_related("person")
    )


def test_due_soon_then_overdue_with_escalation_each_once_and_in_the_ledger(world):
    d = _deadline(world)  # 送达: 7 working days from 9/1 → 9/10
    assert d.due == D(2026, 9, 10)
    assert actions.send_reminders(today=D(2026, 9, 4)) == 0  # 4 working days left: not yet
    assert actions.send_reminders(today=D(2026, 9, 7)) == 1  # 3 left: due soon
    assert _sent(d) == [("officer_a", ReminderStage.DUE_SOON)]
    assert actions.send_reminders(today=D(2026, 9, 8)) == 0  # once
    assert actions.send_reminders(today=D(2026, 9, 10)) == 0  # the last day is not overdue
    assert actions.send_reminders(today=D(2026, 9, 11)) == 2
    assert _sent(d) == [
        ("head_a", ReminderStage.ESCALATED),
        ("officer_a", ReminderStage.DUE_SOON),
        ("officer_a", ReminderStage.OVERDUE),
    ]
    assert actions.send_reminders(today=D(2026, 9, 14)) == 0
    entries = Entry.objects.filter(action="workdays.send_reminder")
    assert entries.count() == 3 and {e.actor_id for e in entries} == {None}
    assert {e.log_id for e in entries} == {world.a.pk}  # the agency's own ledger
    assert {e.object_id for e in entries} == {str(r.pk) for r in Reminder.objects.all()}
    assert Reminder.objects.get(stage=ReminderStage.OVERDUE).due == D(2026, 9, 10)


def test_an_extended_deadline_is_reminded_again_at_its_new_date(world):
    d = _deadline(world, kind="decision", start=D(2026, 9, 1))  # 90 days → 11/30
    with at(D(2026, 11, 26)):
        assert actions.send_reminders() == 1
        d = actions.extend_deadline(world.head, d, length=30, reason="案情复杂", approver=world.head)
    assert d.due == D(2026, 12, 30)
    assert actions.send_reminders(today=D(2026, 11, 27)) == 0
    assert actions.send_reminders(today=D(2026, 12, 28)) == 1
    assert [r.due for r in Reminder.objects.filter(deadline=d).order_by("id")] == [
        D(2026, 11, 30),
        D(2026, 12, 30),
    ]


def test_met_ended_and_suspended_deadlines_remind_nobody(world):
    met = _deadline(world)
    actions.meet_deadline(world.officer, met, on=D(2026, 9, 3))
    ended = _deadline(world)
    actions.end_deadline(world.officer, ended, on=D(2026, 9, 3), reason="撤销立案")
    suspended = _deadline(world)
    actions.suspend_deadline(
        world.officer, suspended, on=D(2026, 9, 3), reason="等待检验结果", approver=world.head
    )
    assert actions.send_reminders(today=D(2026, 9, 8)) == 0
    assert actions.send_reminders(today=D(2026, 9, 30)) == 0
    assert not Reminder.objects.exists()


def test_a_party_period_that_ran_out_says_the_case_may_go_on_never_overdue(world):
    d = _deadline(world, kind="statement_defence", start=D(2026, 9, 1))  # 3 working days → 9/4
    old = _deadline(world, kind="statement_defence", start=D(2026, 8, 3))  # ran out 8/6
    assert actions.send_reminders(today=D(2026, 9, 2)) == 1  # due soon: the officer plans the next step
    assert actions.send_reminders(today=D(2026, 9, 7)) == 1
    assert _sent(d) == [("officer_a", ReminderStage.DUE_SOON), ("officer_a", ReminderStage.ELAPSED)]
    assert _sent(old) == []  # a month ago: history, not news
    r = Reminder.objects.get(stage=ReminderStage.ELAPSED)
    assert (
        queries.reminder_text(r)
        == "甲卫罚〔2026〕8号的当事人陈述、申辩期限已于2026-09-04届满，可以继续办理。"
    )


def test_a_deadline_nobody_is_responsible_for_escalates_only(world):
    d = _deadline(world, responsible=None)
    assert actions.send_reminders(today=D(2026, 9, 8)) == 0
    assert actions.send_reminders(today=D(2026, 9, 11)) == 1
    assert _sent(d) == [("head_a", ReminderStage.ESCALATED)]


def test_the_hourly_task_is_registered_and_runs_the_action(world):
    job = queue.PERIODIC["zhifa.workdays.tasks.remind"]
    assert job.minutes == 60 and job.exclusive
    _deadline(world)
    with at(D(2026, 9, 11)):
        job.func()
    assert Reminder.objects.count() == 2


def test_reminders_and_reading_them_keep_the_ledger_verified(world):
    from zhifa.ledger import checks

    _deadline(world)
    actions.send_reminders(today=D(2026, 9, 11))
    assert actions.mark_reminders_read(world.officer) == 1
    assert actions.mark_reminders_read(world.officer) == 0
    report = checks.verify(agency=world.a, state=True, files=False)
    assert report.ok, [str(p) for p in report.problems[:5]]


def test_home_list_and_marking_read(world, login):
    _deadline(world)
    other = _deadline(world, kind="decision", start=D(2026, 6, 1))  # 8/30: overdue too
    actions.send_reminders(today=D(2026, 9, 11))
    mine = list(Reminder.objects.filter(person=world.officer).order_by("id"))
    heads = list(Reminder.objects.filter(person=world.head))
    assert len(mine) == 2 and len(heads) == 2
    client = login(world.officer)
    home = client.get(reverse("home")).content.decode()
    assert "未读提醒（2条）" in home
    assert "甲卫罚〔2026〕8号的送达行政处罚决定书期限（当事人不在场）已于2026-09-10届满，尚未完成。" in home
    assert reverse("workdays:reminders") in home  # in the nav and on the card
    page = client.get(reverse("workdays:reminders")).content.decode()
    assert page.count('name="reminder"') == 2 and "期限已超期" in page
    assert reverse("workdays:deadline_detail", args=[other.pk]) in page

    # Nothing chosen: told so, nothing changes.
    response = client.post(reverse("workdays:reminders_read"), follow=True)
    assert "请选择要标为已读的提醒。" in response.content.decode()
    assert not Reminder.objects.filter(read_at__isnull=False).exists()
    # Another person's reminder cannot be marked by me.
    response = client.post(
        reverse("workdays:reminders_read"), {"reminder": [mine[0].pk, heads[0].pk]}, follow=True
    )
    assert "1条提醒已标为已读。" in response.content.decode()
    assert list(Reminder.objects.filter(read_at__isnull=False)) == [mine[0]]
    assert "未读提醒（1条）" in client.get(reverse("home")).content.decode()
    unread = client.get(reverse("workdays:reminders") + "?unread=1").content.decode()
    assert unread.count('name="reminder"') == 1
    client.post(reverse("workdays:reminders_read"), {"all": "1"})
    assert not Reminder.objects.filter(person=world.officer, read_at__isnull=True).exists()
    assert (
        Reminder.objects.filter(person=world.head, read_at__isnull=True).count() == 2
    )  # the head's untouched
    assert "未读提醒" not in client.get(reverse("home")).content.decode()
    assert "没有未读的提醒。" in client.get(reverse("workdays:reminders") + "?unread=1").content.decode()


def test_reminder_pages_deny_strangers(world, login, client):
    _deadline(world)
    actions.send_reminders(today=D(2026, 9, 11))
    assert client.get(reverse("workdays:reminders")).status_code == 302  # to the login page
    assert client.post(reverse("workdays:reminders_read"), {"all": "1"}).status_code == 302
    page = login(world.officer_b).get(reverse("workdays:reminders")).content.decode()
    assert "暂无提醒。" in page and "甲卫罚" not in page
    assert login(world.officer).get(reverse("workdays:reminders_read")).status_code == 405
    assert not Reminder.objects.filter(read_at__isnull=False).exists()
    # The nav item is for the people deadlines remind.
    assert reverse("workdays:reminders") not in login(world.auditor).get(reverse("home")).content.decode()


def test_api_lists_ones_own_and_marks_them_read(world):
    _deadline(world)
    actions.send_reminders(today=D(2026, 9, 11))
    officer = api(world.officer)
    body = officer.get("/api/v1/reminders/").json()
    assert [r["stage"] for r in body["results"]] == ["overdue"]
    assert (
        body["results"][0]["text"]
        == "甲卫罚〔2026〕8号的送达行政处罚决定书期限（当事人不在场）已于2026-09-10届满，尚未完成。"
    )
    head_id = Reminder.objects.get(person=world.head).pk
    assert officer.get(f"/api/v1/reminders/{head_id}/").status_code == 404
    response = officer.post("/api/v1/reminders/read/", {}, format="json")
    assert response.status_code == 400 and "ids" in str(response.json())
    assert officer.post("/api/v1/reminders/read/", {"ids": [head_id]}, format="json").json() == {"read": 0}
    assert officer.post("/api/v1/reminders/read/", {"all": True}, format="json").json() == {"read": 1}
    assert officer.get("/api/v1/reminders/?unread=1").json()["results"] == []
    assert api(None).get("/api/v1/reminders/").status_code in (401, 403)


@pytest.mark.parametrize("n", [1, 30])
def test_reminder_list_query_budget(world, login, django_assert_max_num_queries, n):
    for i in range(n):
        _deadline(world, start=D(2026, 8, 1) + dt.timedelta(days=i))
    actions.send_reminders(today=D(2026, 9, 30))
    client = login(world.officer)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("workdays:reminders")).status_code == 200


@given(
    state=st.sampled_from(list(DeadlineState)),
    responsible=st.none() | st.integers(1, 5),
    heads=st.sets(st.integers(1, 5), max_size=3),
    late_by=st.integers(-3, 30),
)
def test_reminder_recipients_property(state, responsible, heads, late_by):
    today = D(2026, 9, 11)
    due = today - dt.timedelta(days=late_by)
    out = rules.reminder_recipients(state, responsible=responsible, heads=heads, due=due, today=today)
    people = [p for p, _stage in out]
    assert len(people) == len(set(people))  # nobody told twice of one deadline
    stages = {stage for _p, stage in out}
    if state in (DeadlineState.OPEN, DeadlineState.MET, DeadlineState.ENDED, DeadlineState.SUSPENDED):
        assert out == []
    if responsible is None:
        assert stages <= {ReminderStage.ESCALATED}
    for person, stage in out:
        if stage == ReminderStage.ESCALATED:
            assert state == DeadlineState.OVERDUE and person in heads and person != responsible
        else:
            assert person == responsible
    if state == DeadlineState.OVERDUE:
        assert {p for p, s in out if s == ReminderStage.ESCALATED} == heads - {responsible}
    if state == DeadlineState.ELAPSED:
        assert bool(out) == (responsible is not None and late_by <= rules.ELAPSED_NEWS_DAYS)
