"""行政复议 and 行政诉讼 on a case (issue 12 item 11): through the actions, the API and the pages, with the denials;
the hooks an outcome that changes the decision calls; the court-enforcement deadlines opened and met."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zhifa.cases import actions as case_actions
from zhifa.cases import deadlines
from zhifa.cases.actions import execution
from zhifa.cases.choices import PaymentKind, State
from zhifa.ledger.models import Entry
from zhifa.remedies import actions, queries, rules
from zhifa.remedies.choices import RemedyKind, RemedyOutcome
from zhifa.remedies.models import Proceeding
from zhifa.workdays.models import DeadlineKind

from .conftest import state_ok

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _record(cw, case, kind=RemedyKind.RECONSIDERATION, who=None, **kw):
    return actions.record_proceeding(who or cw.officer, case, kind=kind, applied_on=cw.clock.today, **kw)


# Rules ------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_periods_live_once_and_the_deadline_kinds_follow_them():
    from zhifa.publicity import rules as publicity_rules

    assert publicity_rules.RECONSIDERATION_DAYS is rules.RECONSIDERATION_DAYS == 60
    assert publicity_rules.LITIGATION_MONTHS is rules.LITIGATION_MONTHS == 6
    for code, (length, unit, _basis) in rules.PERIOD_KINDS.items():
        kind = DeadlineKind.objects.get(code=code)
        assert (kind.length, kind.unit) == (length, unit)
    from zhifa.cases import rules as case_rules

    assert DeadlineKind.objects.get(code=execution.DEMAND).length == case_rules.DEMAND_WAIT_WORKDAYS
    assert (
        DeadlineKind.objects.get(code=execution.COURT_APPLICATION).length
        == case_rules.COURT_APPLICATION_MONTHS
    )


class _P:
    def __init__(self, kind, outcome="", accepted_on=None):
        self.kind, self.outcome, self.accepted_on = kind, outcome, accepted_on


PROC = st.builds(
    _P,
    st.sampled_from(RemedyKind.values),
    st.sampled_from([""] + RemedyOutcome.values),
    st.sampled_from([None, dt.date(2026, 7, 1)]),
)


@given(st.lists(PROC, max_size=4), st.sampled_from(RemedyKind.values))
def test_one_proceeding_at_a_time_and_standing(others, kind):
    problem = rules.conflict(kind, others)
    if any(not o.outcome for o in others):
        assert problem == "pending"
        assert rules.standing(others) == "pending"
    else:
        changed = [o.outcome for o in others if o.outcome in rules.CHANGING]
        assert rules.standing(others) == (changed[-1] if changed else "standing")
        suits = [
            o for o in others if o.kind == RemedyKind.LITIGATION and o.outcome != RemedyOutcome.WITHDRAWN
        ]
        if kind == RemedyKind.LITIGATION:
            assert (problem == "final") == bool(suits)
        else:
            assert (problem == "after_litigation") == any(o.accepted_on for o in suits)


# Actions ----------------------------------------------------------------------------------------------------------


def test_record_accept_and_annul_calls_the_hooks_and_ends_execution(cw, served):
    calls = []
    hook = lambda actor, p: calls.append((actor, p.pk, p.outcome))  # noqa: E731
    actions.OUTCOME_HOOKS.append(hook)
    try:
        assert queries.decision_standing(served).code == "none"
        assert not queries.pending_remedy(served)
        p = _record(cw, served)
        assert p.body == "甲区人民政府" or p.body  # the agency's 复议机关 by default
        assert queries.pending_remedy(served)
        assert queries.decision_standing(served).code == "pending"
        cw.clock.move_to(cw.clock.today + dt.timedelta(days=5))
        actions.record_acceptance(cw.officer, p, accepted_on=cw.clock.today, case_number="甲府复〔2026〕7号")
        doc = actions.add_document(cw.officer, p, title="行政复议受理通知书", data=PDF)
        entry = Entry.objects.get(action="remedies.add_document", object_id=str(doc.pk))
        assert doc.sha256 in bytes(entry.body).decode()
        with pytest.raises(PermissionDenied):  # the head records the outcome, not an officer
            actions.record_outcome(cw.officer, p, outcome=RemedyOutcome.ANNULLED, decided_on=cw.clock.today)
        with pytest.raises(ValidationError, match="写明"):  # a changing outcome needs its content
            actions.record_outcome(cw.head, p, outcome=RemedyOutcome.ANNULLED, decided_on=cw.clock.today)
        assert calls == []
        actions.record_outcome(
            cw.head, p, outcome=RemedyOutcome.ANNULLED, decided_on=cw.clock.today, note="撤销原行政处罚决定"
        )
    finally:
        actions.OUTCOME_HOOKS.remove(hook)
    assert calls == [(cw.head, p.pk, RemedyOutcome.ANNULLED)]
    standing = queries.decision_standing(served)
    assert standing.code == "annulled" and standing.annulled and standing.proceeding == p
    assert not queries.pending_remedy(served)
    payment = deadlines.current(served, deadlines.PAYMENT)
    assert payment.ended_on == cw.clock.today and "撤销" in payment.end_reason
    assert Entry.objects.filter(action="remedies.decision_changed", object_kind="cases.case").exists()
    state_ok()  # every row the remedies actions wrote is in the ledger


def test_upheld_calls_no_hook_and_keeps_the_decision(cw, served):
    calls = []
    actions.OUTCOME_HOOKS.append(calls.append)
    try:
        p = _record(cw, served, kind=RemedyKind.LITIGATION, body="甲区人民法院")
        actions.record_outcome(cw.head, p, outcome=RemedyOutcome.UPHELD, decided_on=cw.clock.today)
    finally:
        actions.OUTCOME_HOOKS.remove(calls.append)
    assert calls == [] and queries.decision_standing(served).code == "standing"
    assert deadlines.current(served, deadlines.PAYMENT).ended_on is None


def test_refusals(cw, served, world):
    with pytest.raises(ValidationError, match="不能早于决定日期"):
        actions.record_proceeding(
            cw.officer,
            served,
            kind=RemedyKind.RECONSIDERATION,
            applied_on=served.decided_on - dt.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        actions.record_proceeding(
            cw.officer,
            served,
            kind=RemedyKind.RECONSIDERATION,
            applied_on=cw.clock.today + dt.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):  # another agency's officer
        _record(cw, served, who=world.officer_b)
    p = _record(cw, served)
    with pytest.raises(ValidationError, match="尚未审结"):  # one at a time
        _record(cw, served, kind=RemedyKind.LITIGATION)
    with pytest.raises(ValidationError, match="不能早于"):
        actions.record_acceptance(cw.officer, p, accepted_on=p.applied_on - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="PNG、JPEG"):
        actions.add_document(cw.officer, p, title="复议申请书", data=b"MZ not a document")
    actions.record_outcome(cw.head, p, outcome=RemedyOutcome.WITHDRAWN, decided_on=cw.clock.today)
    with pytest.raises(ValidationError, match="已于"):
        actions.record_outcome(cw.head, p, outcome=RemedyOutcome.UPHELD, decided_on=cw.clock.today)
    assert Proceeding.objects.count() == 1


def test_a_case_not_yet_decided_has_no_remedy(cw):
    case = cw.investigate(cw.new_case())
    with pytest.raises(ValidationError):
        _record(cw, case)


# Court enforcement ------------------------------------------------------------------------------------------------


def _overdue_with_demand(cw, case):
    late = case.payment_due + dt.timedelta(days=10)
    cw.clock.move_to(late)
    case_actions.serve_demand(cw.officer, case, served_on=late)
    case.refresh_from_db()
    return case


def test_demand_opens_tracked_deadlines_on_the_todo_list_and_application_meets_them(cw, served):
    case = _overdue_with_demand(cw, served)
    demand = deadlines.current(case, execution.DEMAND)
    window = deadlines.current(case, execution.COURT_APPLICATION)
    assert demand.start == case.demand_served_on and demand.length == 10 and demand.unit == "working_days"
    start, end = execution.court_application_window(case)
    assert window.start == start and window.due == end
    from zhifa.workdays.queries import my_deadlines

    shown = {row["deadline"].kind.code for row in my_deadlines(cw.head, limit=50)}
    assert {execution.DEMAND, execution.COURT_APPLICATION} <= shown
    with pytest.raises(ValidationError, match="申请法院强制执行的期间"):
        case_actions.apply_court_enforcement(cw.head, case)
    cw.clock.move_to(start + dt.timedelta(days=1))
    case_actions.apply_court_enforcement(cw.head, case)
    assert deadlines.current(case, execution.COURT_APPLICATION).met_on == start + dt.timedelta(days=1)


def test_no_court_application_while_a_remedy_is_pending_or_after_annulment(cw, served):
    case = _overdue_with_demand(cw, served)
    p = _record(cw, case, kind=RemedyKind.LITIGATION, body="甲区人民法院")
    start, _end = execution.court_application_window(case)
    cw.clock.move_to(start + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="审结前"):
        case_actions.apply_court_enforcement(cw.head, case)
    actions.record_outcome(cw.head, p, outcome=RemedyOutcome.VOID, decided_on=cw.clock.today, note="确认无效")
    with pytest.raises(ValidationError, match="确认无效"):
        case_actions.apply_court_enforcement(cw.head, case)
    assert deadlines.current(case, execution.COURT_APPLICATION).ended_on == cw.clock.today


def test_payment_after_the_demand_meets_its_deadlines(cw, served):
    case = _overdue_with_demand(cw, served)
    owed = case_actions.amount_owed(case, cw.clock.today)
    assert Decimal(owed[PaymentKind.FINE]) > 0
    while any(case_actions.amount_owed(case, cw.clock.today).values()):
        kind, amount = next((k, a) for k, a in case_actions.amount_owed(case, cw.clock.today).items() if a)
        case_actions.record_payment(
            cw.officer, case, kind=kind, amount=amount, paid_on=cw.clock.today, receipt_number=f"R-{kind}"
        )
        case.refresh_from_db()
    assert deadlines.current(case, execution.DEMAND).met_on == cw.clock.today
    assert deadlines.current(case, execution.COURT_APPLICATION).met_on == cw.clock.today


# API --------------------------------------------------------------------------------------------------------------


def test_api_record_accept_outcome_documents_and_denials(cw, served, login, world):
    officer, head = login(cw.officer), None
    r = officer.post(
        "/api/v1/remedies/",
        {"case": served.pk, "kind": "reconsideration", "applied_on": cw.clock.today.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = officer.post(
        "/api/v1/remedies/",
        {"case": served.pk, "kind": "litigation", "applied_on": cw.clock.today.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 400 and "尚未审结" in r.content.decode()
    r = officer.post(
        f"/api/v1/remedies/{pk}/accept/",
        {"accepted_on": cw.clock.today.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["accepted_on"] == cw.clock.today.isoformat()
    upload = io.BytesIO(PDF)
    upload.name = "notice.pdf"
    r = officer.post(f"/api/v1/remedies/{pk}/documents/", {"title": "受理通知书", "file": upload})
    assert r.status_code == 200 and len(r.json()["documents"]) == 1
    r = officer.post(
        f"/api/v1/remedies/{pk}/outcome/",
        {"outcome": "annulled", "decided_on": cw.clock.today.isoformat(), "note": "撤销"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert r.json()["detail"]
    r = officer.get(f"/api/v1/remedies/standing/{served.pk}/")
    assert r.json()["code"] == "pending" and r.json()["pending"] is True
    # another agency sees nothing; a public (anonymous) user is refused
    other = login(world.officer_b)
    assert other.get(f"/api/v1/remedies/{pk}/").status_code == 404
    assert other.get(f"/api/v1/remedies/standing/{served.pk}/").status_code == 404
    assert other.post(f"/api/v1/remedies/{pk}/accept/", {"accepted_on": "2026-06-01"}).status_code == 404
    from django.test import Client

    anon = Client()
    assert anon.get("/api/v1/remedies/").status_code in (401, 403)
    supervisor = login(world.supervisor)  # reads what it supervises, records nothing
    assert supervisor.get(f"/api/v1/remedies/{pk}/").status_code == 200
    r = supervisor.post(
        f"/api/v1/remedies/{pk}/accept/", {"accepted_on": "2026-06-01"}, content_type="application/json"
    )
    assert r.status_code == 403
    head = login(cw.head)
    r = head.post(
        f"/api/v1/remedies/{pk}/outcome/",
        {"outcome": "varied", "decided_on": cw.clock.today.isoformat(), "note": "罚款变更为3000元"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["outcome"] == "varied"
    assert head.get(f"/api/v1/remedies/standing/{served.pk}/").json()["code"] == "varied"
    assert Proceeding.objects.get(pk=pk).outcome == RemedyOutcome.VARIED
    state_ok()


# Pages ------------------------------------------------------------------------------------------------------------


def test_pages_case_panel_new_detail_outcome_and_denials(cw, served, login, world):
    officer = login(cw.officer)
    page = officer.get(f"/cases/{served.pk}/")
    assert page.status_code == 200 and "行政复议与行政诉讼" in page.content.decode()
    assert f"/remedies/cases/{served.pk}/new/" in page.content.decode()
    r = officer.post(
        f"/remedies/cases/{served.pk}/new/",
        {"kind": "litigation", "applied_on": "2020-01-01"},
    )
    assert r.status_code == 200 and "不能早于决定日期" in r.content.decode()
    assert not Proceeding.objects.exists()
    r = officer.post(
        f"/remedies/cases/{served.pk}/new/",
        {"kind": "litigation", "applied_on": cw.clock.today.isoformat(), "body": "甲区人民法院"},
    )
    p = Proceeding.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/remedies/{p.pk}/"
    detail = officer.get(f"/remedies/{p.pk}/").content.decode()
    assert "甲区人民法院" in detail and "登记结果" not in detail  # the officer is not offered the outcome
    assert officer.post(f"/remedies/{p.pk}/outcome/", {"outcome": "annulled"}).status_code == 403
    upload = io.BytesIO(PDF)
    upload.name = "a.pdf"
    assert (
        officer.post(f"/remedies/{p.pk}/documents/", {"title": "起诉状", "file": upload}).status_code == 302
    )
    doc = p.documents.get()
    assert officer.get(f"/remedies/documents/{doc.pk}/").content == PDF
    other = login(world.officer_b)
    assert other.get(f"/remedies/{p.pk}/").status_code == 404
    assert other.get(f"/remedies/documents/{doc.pk}/").status_code == 404
    assert other.get(f"/remedies/cases/{served.pk}/new/").status_code == 404
    from django.test import Client

    assert Client().get(f"/remedies/{p.pk}/").status_code == 302  # a public user: to the login page
    assert login(world.sysadmin).get("/remedies/").status_code == 403  # no case records for the system admin
    assert login(world.sysadmin).get(f"/remedies/{p.pk}/").status_code == 404
    head = login(cw.head)
    assert "登记结果" in head.get(f"/remedies/{p.pk}/").content.decode()
    r = head.post(
        f"/remedies/{p.pk}/outcome/",
        {"outcome": "annulled", "decided_on": cw.clock.today.isoformat(), "note": "判决撤销"},
    )
    assert r.status_code == 302
    page = head.get(f"/cases/{served.pk}/").content.decode()
    assert "决定已被撤销" in page
    assert "撤销" in head.get("/remedies/").content.decode()


def test_court_enforcement_through_the_api_and_the_pages(cw, served, login):
    from django.urls import reverse

    late = served.payment_due + dt.timedelta(days=10)
    cw.clock.move_to(late)
    officer = login(cw.officer)
    r = officer.post(
        f"/api/v1/cases/{served.pk}/serve-demand/",
        {"served_on": late.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    page = officer.get(f"/cases/{served.pk}/").content.decode()
    assert "催告后履行期限" in page and "申请法院强制执行期限" in page  # the case's deadlines table
    todo = login(cw.head).get("/").content.decode()  # the head's to-do page lists the agency's open deadlines
    assert "催告后履行期限" in todo and "申请法院强制执行期限" in todo
    served.refresh_from_db()
    p = _record(cw, served, kind=RemedyKind.LITIGATION, body="甲区人民法院")
    start, _end = execution.court_application_window(served)
    cw.clock.move_to(start + dt.timedelta(days=1))
    head = login(cw.head)
    r = head.post(f"/api/v1/cases/{served.pk}/apply-court-enforcement/", {}, content_type="application/json")
    assert r.status_code == 400 and "审结前" in r.content.decode()
    r = head.post(reverse("cases:action", args=[served.pk, "apply_court_enforcement"]), {})
    assert r.status_code == 200 and "审结前" in r.content.decode()
    served.refresh_from_db()
    assert served.state == State.SERVED and served.court_applied_on is None
    actions.record_outcome(cw.head, p, outcome=RemedyOutcome.WITHDRAWN, decided_on=cw.clock.today)
    r = head.post(f"/api/v1/cases/{served.pk}/apply-court-enforcement/", {}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert deadlines.current(served, execution.COURT_APPLICATION).met_on == cw.clock.today
    state_ok()


def test_a_suit_after_archiving_is_recorded_beside_the_read_only_file(cw, served):
    from zhifa.cases.models import Case
    from zhifa.ledger.tracking import unrecorded_writes

    with unrecorded_writes():  # test set-up: the file was closed and archived
        Case.objects.filter(pk=served.pk).update(state=State.ARCHIVED)
    served.refresh_from_db()
    p = _record(cw, served, kind=RemedyKind.LITIGATION, body="甲区人民法院")
    actions.add_document(cw.officer, p, title="起诉状副本", data=PDF)
    actions.record_outcome(cw.head, p, outcome=RemedyOutcome.DISMISSED, decided_on=cw.clock.today)
    assert queries.decision_standing(served).code == "standing"
