"""整改: a failed item becomes the agency's task with an owner and a time limit in working days; the fix is reported
with its evidence and verified or returned; overdue tasks are escalated to the agency's head; repeated findings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.records.conftest import signature_png
from zhifa.ledger.models import Entry
from zhifa.supervision import actions
from zhifa.supervision.choices import RectificationState
from zhifa.supervision.models import Rectification
from zhifa.workdays import actions as wd_actions
from zhifa.workdays import queries as wd_queries
from zhifa.workdays.models import Reminder


@pytest.fixture
def failed(sv, evaluation):
    """A drawn file of the supervisor's with its 卷面 item 'writing' answered 不符合."""
    actions.draw_sample(sv.supervisor, evaluation)
    f = evaluation.files.filter(evaluator=sv.supervisor).order_by("position").first()
    actions.answer_item(
        sv.supervisor, f, code="writing", verdict="fail", points=2, reason="询问笔录涂改未捺印"
    )
    f.refresh_from_db()
    return f


def _open(sv, f, **kw):
    args = dict(
        item_code="writing", problem="询问笔录涂改未捺印", requirement="补正并加强培训", owner=sv.officer
    )
    args.update(kw)
    return actions.open_rectification(sv.supervisor, f, **args)


def test_a_failed_item_becomes_a_task_with_an_owner_and_a_time_limit_in_working_days(sv, failed):
    with pytest.raises(PermissionDenied):
        actions.open_rectification(
            sv.supervisor_b, failed, item_code="writing", problem="x", requirement="y", owner=sv.officer
        )
    with pytest.raises(ValidationError, match="不符合"):
        _open(sv, failed, item_code="cover")  # not answered as failed
    with pytest.raises(ValidationError):
        _open(sv, failed, owner=sv.officer_b)  # not of the agency
    with pytest.raises(ValidationError):
        _open(sv, failed, problem=" ")
    assert not Rectification.objects.exists()
    r = _open(sv, failed)
    assert r.agency == sv.a and r.state == RectificationState.OPEN and r.case == failed.case
    d = r.deadline
    assert d.kind.code == "rectification" and d.responsible == sv.officer and d.start == timezone.localdate()
    calendar = wd_queries.current_calendar()
    from zhifa.workdays import rules as wd_rules

    assert d.due == wd_rules.add_working_days(calendar, d.start, 20).date
    with pytest.raises(ValidationError, match="已经提出"):
        _open(sv, failed)
    entries = Entry.objects.filter(object_kind="supervision.rectification", object_id=str(r.pk))
    assert entries.get().log_id == sv.a.pk  # the agency's own record of the task
    # the generic deadline steps are refused: the rectification keeps its time limit
    with pytest.raises(ValidationError, match="整改流程"):
        wd_actions.meet_deadline(sv.officer, d, on=timezone.localdate())


def test_the_fix_is_reported_with_evidence_then_returned_and_accepted(sv, failed):
    r = _open(sv, failed)
    with pytest.raises(PermissionDenied):
        actions.submit_fix(sv.officer2, r, note="已整改")  # neither the owner nor a head
    with pytest.raises(ValidationError):
        actions.submit_fix(sv.officer, r, note=" ")
    with pytest.raises(ValidationError):
        actions.submit_fix(sv.officer, r, note="已整改", data=b"not an image")
    with pytest.raises(ValidationError, match="尚未报送"):
        actions.verify_fix(sv.supervisor, r, accepted=True)
    png = signature_png(120, 80)
    r = actions.submit_fix(sv.officer, r, note="已补正笔录并组织培训", data=png)
    assert r.state == RectificationState.SUBMITTED and r.fix_sha256
    r.deadline.refresh_from_db()
    assert r.deadline.met_on == timezone.localdate()
    entry = Entry.objects.get(
        object_kind="supervision.rectification", object_id=str(r.pk), action="supervision.submit_fix"
    )
    assert r.fix_sha256 in bytes(entry.body).decode()
    with pytest.raises(PermissionDenied):
        actions.verify_fix(sv.officer, r, accepted=True)
    with pytest.raises(ValidationError, match="理由"):
        actions.verify_fix(sv.supervisor, r, accepted=False)
    first = r.deadline
    r = actions.verify_fix(sv.supervisor, r, accepted=False, note="培训记录不全")
    assert (
        r.state == RectificationState.OPEN
        and r.rounds == 1
        and r.deadline != first
        and r.deadline.met_on is None
    )
    r = actions.submit_fix(sv.head, r, note="补充培训签到表")  # a head of the agency may report too
    r = actions.verify_fix(sv.supervisor, r, accepted=True)
    assert r.state == RectificationState.VERIFIED
    with pytest.raises(ValidationError):
        actions.submit_fix(sv.officer, r, note="再次报送")


def test_an_overdue_task_is_escalated_to_the_agencys_head(sv, failed):
    r = _open(sv, failed, opened_on=timezone.localdate() - dt.timedelta(days=60))
    assert r.deadline.due < timezone.localdate()
    wd_actions.send_reminders()
    told = set(Reminder.objects.filter(deadline=r.deadline).values_list("person_id", flat=True))
    assert {sv.officer.pk, sv.head.pk} <= told
    with pytest.raises(ValidationError):
        _open(sv, failed, opened_on=timezone.localdate() + dt.timedelta(days=1))


def test_the_pages_show_each_task_to_whom_it_concerns(sv, failed, login, client):
    login(sv.supervisor)
    page = client.get(reverse("supervision:file", args=[failed.pk])).content.decode()
    new_url = reverse("supervision:new_rectification", args=[failed.pk, "writing"])
    assert new_url in page
    assert client.get(reverse("supervision:new_rectification", args=[failed.pk, "cover"])).status_code == 403
    form = client.get(new_url).content.decode()
    assert sv.officer.full_name in form and sv.officer_b.full_name not in form
    response = client.post(
        new_url,
        {"problem": "询问笔录涂改未捺印", "requirement": "补正", "owner": sv.officer.pk, "opened_on": ""},
    )
    r = Rectification.objects.get()
    assert response.status_code == 302 and response["Location"] == r.get_absolute_url()
    assert new_url not in client.get(reverse("supervision:file", args=[failed.pk])).content.decode()
    detail = client.get(r.get_absolute_url()).content.decode()
    assert reverse("supervision:verify_fix", args=[r.pk]) not in detail  # nothing reported yet
    for person, sees in ((sv.officer, True), (sv.head, True), (sv.officer2, False), (sv.supervisor_b, False)):
        login(person)
        listing = client.get(reverse("supervision:rectifications")).content.decode()
        assert (r.get_absolute_url() in listing) is sees
        assert client.get(r.get_absolute_url()).status_code == (200 if sees else 404)
    login(sv.officer)
    page = client.get(r.get_absolute_url()).content.decode()
    assert reverse("supervision:submit_fix", args=[r.pk]) in page
    assert client.post(reverse("supervision:submit_fix", args=[r.pk]), {"note": ""}).status_code == 400
    client.post(reverse("supervision:submit_fix", args=[r.pk]), {"note": "已补正"})
    r.refresh_from_db()
    assert r.state == RectificationState.SUBMITTED
    assert (
        reverse("supervision:submit_fix", args=[r.pk])
        not in client.get(r.get_absolute_url()).content.decode()
    )
    assert client.post(reverse("supervision:verify_fix", args=[r.pk]), {"accepted": "1"}).status_code == 403
    login(sv.supervisor)
    client.post(reverse("supervision:verify_fix", args=[r.pk]), {"accepted": "1", "note": "整改到位"})
    r.refresh_from_db()
    assert r.state == RectificationState.VERIFIED
    # the deadline page links to the task and offers no generic step on it
    login(sv.head)
    page = client.get(reverse("workdays:deadline_detail", args=[r.deadline_id])).content.decode()
    assert r.get_absolute_url() in page and "整改流程" not in page  # met: nothing to do on it


def test_repeated_findings_of_the_same_kind_are_counted(sv, evaluation, login, client):
    actions.draw_sample(sv.supervisor, evaluation)
    files = list(evaluation.files.filter(evaluator=sv.supervisor).order_by("position"))[:2]
    for f in files:
        actions.answer_item(sv.supervisor, f, code="writing", verdict="fail", points=0, reason="涂改")
        _open(sv, f)
    login(sv.supervisor)
    assert "第 2 次" in client.get(reverse("supervision:rectifications")).content.decode()


def test_the_workbench_lists_what_waits_on_each_person(sv, failed, login, client):
    home = reverse("home")
    login(sv.supervisor)
    page = client.get(home).content.decode()
    assert "待评查：" in page and reverse("supervision:file", args=[failed.pk]) in page
    r = _open(sv, failed)
    for person in (sv.officer, sv.head):  # the owner and the agency's head
        login(person)
        page = client.get(home).content.decode()
        assert "待整改：" in page and r.get_absolute_url() in page
    login(sv.officer2)
    assert r.get_absolute_url() not in client.get(home).content.decode()
    actions.submit_fix(sv.officer, r, note="已补正")
    login(sv.officer)
    assert r.get_absolute_url() not in client.get(home).content.decode()
    login(sv.supervisor)
    page = client.get(home).content.decode()
    assert "待核验整改：" in page and r.get_absolute_url() in page
    login(sv.supervisor_b)
    assert r.get_absolute_url() not in client.get(home).content.decode()
