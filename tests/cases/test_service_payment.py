"""Service and payment (issue 12 items 13 and 10): electronic service records its proof (a checked upload, its hash
in the ledger; 卫生健康行政处罚程序规定 art. 57); 公告送达 only after a recorded failed attempt (民事诉讼法 art. 95);
deferral and instalments approved by the head with a schedule; the surcharge (行政处罚法 arts. 66, 72, 73)."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.records.conftest import signature_png
from zhifa.cases import actions, rules
from zhifa.cases.choices import PaymentKind, ServiceMethod, ServiceProofKind, State
from zhifa.cases.models import Case, Service
from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.ledger.models import Entry
from zhifa.records import storage


def _decided(cw):
    case = cw.investigate(cw.new_case())
    cw.notice(case)
    case.refresh_from_db()
    cw.clock.move_to(dt.date.fromisoformat(case.notice_snapshot["statement_due"]) + dt.timedelta(days=1))
    cw.decide(case)
    case.refresh_from_db()
    assert case.state == State.DECIDED
    return case


def _service_entry(service):
    return Entry.objects.get(action="cases.serve_decision_record", object_id=str(service.pk))


# Electronic service carries its proof ---------------------------------------------------------------------------


def test_electronic_service_needs_a_checked_proof_hashed_into_the_ledger(cw):
    case = _decided(cw)
    base = dict(
        method=ServiceMethod.ELECTRONIC, delivered_on=cw.clock.today, consent="送达地址确认书（电子邮箱）"
    )
    with pytest.raises(RuleViolation, match="送达凭证"):
        actions.serve_decision(cw.officer, case, **base)
    with pytest.raises(RuleViolation, match="PNG或JPEG"):
        actions.serve_decision(
            cw.officer, case, **base, proof=b"not an image", proof_kind=ServiceProofKind.SCREENSHOT
        )
    with pytest.raises(RuleViolation, match="录像必须"):
        actions.serve_decision(
            cw.officer, case, **base, proof=signature_png(), proof_kind=ServiceProofKind.VIDEO
        )
    assert not Service.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).state == State.DECIDED
    png = signature_png(200, 300)
    service = actions.serve_decision(
        cw.officer, case, **base, proof=png, proof_kind=ServiceProofKind.SCREENSHOT
    )
    sha = hashlib.sha256(png).hexdigest()
    assert (service.proof_kind, service.proof_sha256) == (ServiceProofKind.SCREENSHOT, sha)
    assert storage.read(service.proof_name, sha) == png
    assert sha in bytes(_service_entry(service).body).decode()
    assert Case.objects.get(pk=case.pk).state == State.SERVED


def test_a_recording_is_a_proof_too(cw):
    case = _decided(cw)
    wav = b"RIFF" + (36).to_bytes(4, "little") + b"WAVEfmt " + bytes(28)
    service = actions.serve_decision(
        cw.officer,
        case,
        method=ServiceMethod.ELECTRONIC,
        delivered_on=cw.clock.today,
        consent="确认书",
        proof=wav,
        proof_kind=ServiceProofKind.AUDIO,
    )
    assert service.proof_name.endswith(".wav")


def test_the_proof_opens_for_case_readers_only_and_checks_its_hash(cw, login):
    case = _decided(cw)
    png = signature_png(90, 90)
    service = actions.serve_decision(
        cw.officer,
        case,
        method=ServiceMethod.ELECTRONIC,
        delivered_on=cw.clock.today,
        consent="确认书",
        proof=png,
        proof_kind=ServiceProofKind.PHOTO,
    )
    page = reverse("cases:service_proof", args=[case.pk, service.pk])
    api = reverse("case-service_proof", args=[case.pk, service.pk])
    for url in (page, api):
        response = login(cw.supervisor).get(url)
        assert (
            response.status_code == 200
            and response.content == png
            and response["Content-Type"] == "image/png"
        )
        assert login(cw.officer_b).get(url).status_code == 404
    listed = login(cw.officer).get(reverse("case-services", args=[case.pk])).json()
    assert listed[0]["proof_sha256"] == service.proof_sha256 and listed[0]["failed"] is False
    assert Entry.objects.filter(action="ledger.access", object_id=str(case.pk)).exists()
    # the stored bytes changed behind the platform's back: refused, not served
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.delete(service.proof_name)
    default_storage.save(service.proof_name, ContentFile(b"tampered"))
    assert login(cw.officer).get(page).status_code == 409


def _notice_ready(cw):
    """A case whose investigation closed with its 事先告知书 finalised, not yet served."""
    case = cw.investigate(cw.new_case())
    cw.finalise(case, "prior_notice")
    return case


def test_the_notice_served_electronically_carries_its_proof(cw):
    case = _notice_ready(cw)
    base = dict(served_on=cw.clock.today, method=ServiceMethod.ELECTRONIC, consent="送达地址确认书")
    with pytest.raises(RuleViolation, match="送达凭证"):
        actions.issue_notice(cw.officer, case, **base)
    assert Case.objects.get(pk=case.pk).state == State.INVESTIGATED and not case.services.exists()
    png = signature_png(50, 80)
    case = actions.issue_notice(cw.officer, case, **base, proof=png, proof_kind=ServiceProofKind.SCREENSHOT)
    service = case.services.get()
    sha = hashlib.sha256(png).hexdigest()
    assert (service.document, service.proof_sha256) == ("notice", sha)
    assert case.notice_snapshot["service"] == {"method": "electronic", "proof_sha256": sha}
    entry = Entry.objects.get(action="cases.serve_notice_record", object_id=str(service.pk))
    assert sha in bytes(entry.body).decode()


def test_the_notice_by_public_announcement_only_after_a_failed_attempt(cw, login):
    case = _notice_ready(cw)
    client = login(cw.officer)
    url = reverse("case-issue_notice", args=[case.pk])
    body = {"served_on": cw.clock.today.isoformat(), "method": "public_notice"}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and "未能送达" in refused.content.decode()
    failed = client.post(
        reverse("case-record_failed_service", args=[case.pk]),
        {"method": "postal", "attempted_on": cw.clock.today.isoformat(), "reason": "查无此人，邮件退回"},
        content_type="application/json",
    )
    assert failed.status_code == 200 and case.services.get().document == "notice"
    ok = client.post(url, body, content_type="application/json")
    assert ok.status_code == 200
    case.refresh_from_db()
    assert case.notice_on == cw.clock.today + dt.timedelta(days=30)  # deemed served (民事诉讼法 art. 95)


# 公告送达 only after another method failed ---------------------------------------------------------------------------


def test_public_notice_only_after_a_recorded_failed_attempt(cw):
    case = _decided(cw)
    cw.finalise(case, "service_receipt")  # the receipt notes the announcement (公告送达 is not electronic)
    with pytest.raises(RuleViolation, match="未能送达"):
        actions.serve_decision(
            cw.officer, case, method=ServiceMethod.PUBLIC_NOTICE, delivered_on=cw.clock.today
        )
    with pytest.raises(RuleViolation, match="公告送达以外"):
        actions.record_failed_service(
            cw.officer, case, method=ServiceMethod.PUBLIC_NOTICE, attempted_on=cw.clock.today, reason="x"
        )
    with pytest.raises(RuleViolation, match="原因"):
        actions.record_failed_service(
            cw.officer, case, method=ServiceMethod.POSTAL, attempted_on=cw.clock.today, reason=" "
        )
    with pytest.raises(ActionDenied):  # only the case's officers (or the heads acting for them)
        actions.record_failed_service(
            cw.officer_b, case, method=ServiceMethod.POSTAL, attempted_on=cw.clock.today, reason="退回"
        )
    failed = actions.record_failed_service(
        cw.officer,
        case,
        method=ServiceMethod.POSTAL,
        attempted_on=cw.clock.today,
        reason="邮件被退回：查无此人",
    )
    assert failed.failed and Case.objects.get(pk=case.pk).state == State.DECIDED
    service = actions.serve_decision(
        cw.officer, case, method=ServiceMethod.PUBLIC_NOTICE, delivered_on=cw.clock.today
    )
    assert service.served_on == cw.clock.today + dt.timedelta(days=30)  # 民事诉讼法 art. 95
    # the failed attempt is not the service the documents quote
    from zhifa.records.contexts import latest_service

    assert latest_service(case).pk == service.pk


def test_service_through_the_api_and_the_page(cw, login):
    case = _decided(cw)
    cw.finalise(case, "service_receipt")
    client = login(cw.officer)
    url = reverse("case-serve_decision", args=[case.pk])
    body = {"method": "public_notice", "delivered_on": cw.clock.today.isoformat()}
    refused = client.post(url, body)
    assert refused.status_code == 400 and "未能送达" in refused.content.decode()
    failed_url = reverse("case-record_failed_service", args=[case.pk])
    assert login(cw.officer_b).post(failed_url, {}).status_code == 404
    client = login(cw.officer)
    ok = client.post(
        failed_url,
        {"method": "direct", "attempted_on": cw.clock.today.isoformat(), "reason": "当事人下落不明"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and case.services.get().failed
    electronic = {"method": "electronic", "delivered_on": cw.clock.today.isoformat(), "consent": "确认书"}
    refused = client.post(url, electronic)
    assert refused.status_code == 400 and "送达凭证" in refused.content.decode()
    bad = client.post(
        url,
        {**electronic, "proof_kind": "photo", "proof": SimpleUploadedFile("a.png", b"<html>", "image/png")},
    )
    assert bad.status_code == 400 and case.services.count() == 1
    # the page takes the upload (multipart) and serves by the same action
    page_url = reverse("cases:action", args=[case.pk, "serve_decision"])
    form = client.get(page_url).content.decode()
    assert 'enctype="multipart/form-data"' in form
    png = signature_png(64, 64)
    response = client.post(
        page_url,
        {**electronic, "proof_kind": "photo", "proof": SimpleUploadedFile("p.png", png, "image/png")},
    )
    assert response.status_code == 302
    service = case.services.get(failed=False)
    assert service.proof_sha256 == hashlib.sha256(png).hexdigest()
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "未能送达" in detail and service.proof_sha256[:12] in detail


# Payment plans and the surcharge (arts. 66, 72, 73) ----------------------------------------------------------------


def _served(cw):
    case = _decided(cw)
    cw.finalise(case, "service_receipt")
    actions.serve_decision(
        cw.officer, case, method=ServiceMethod.DIRECT, delivered_on=cw.clock.today, recipient="李康宁"
    )
    case.refresh_from_db()
    assert case.state == State.SERVED and case.fine_amount == Decimal("5000")
    return case


def test_instalment_plan_approved_by_the_head_and_a_missed_instalment_accrues(cw):
    case = _served(cw)
    first, second = case.payment_due - dt.timedelta(days=5), case.payment_due + dt.timedelta(days=30)
    plan = [rules.Instalment(first, Decimal("2000")), rules.Instalment(second, Decimal("3000"))]
    with pytest.raises(ActionDenied):
        actions.approve_deferral(cw.officer, case, reason="经营困难", instalments=plan)
    with pytest.raises(RuleViolation, match="5000"):
        actions.approve_deferral(
            cw.head, case, reason="经营困难", instalments=[plan[0], rules.Instalment(second, Decimal("2000"))]
        )
    with pytest.raises(RuleViolation, match="逐期在后"):
        actions.approve_deferral(cw.head, case, reason="经营困难", instalments=plan[::-1])
    with pytest.raises(RuleViolation, match="理由"):
        actions.approve_deferral(cw.head, case, reason=" ", instalments=plan)
    with pytest.raises(RuleViolation, match="二者选一"):
        actions.approve_deferral(cw.head, case, reason="困难", instalments=plan, deferred_until=second)
    assert Case.objects.get(pk=case.pk).payment_plan_approved_by is None
    actions.approve_deferral(cw.head, case, reason="经营困难，申请分两期", instalments=plan)
    case.refresh_from_db()
    assert case.payment_plan_approved_by == cw.head and case.deferred_until == second
    assert case.instalments == [
        {"due": first.isoformat(), "amount": "2000.00"},
        {"due": second.isoformat(), "amount": "3000.00"},
    ]
    # the first instalment is missed: 3 % a day of its 2,000, nothing on the second, which is not yet due
    assert actions.amount_owed(case, first)[PaymentKind.SURCHARGE] == 0
    assert actions.amount_owed(case, first + dt.timedelta(days=4))[PaymentKind.SURCHARGE] == Decimal("240.00")
    # capped at the overdue instalment (2,000), not the fine
    assert actions.amount_owed(case, second)[PaymentKind.SURCHARGE] == Decimal("2000.00")
    # paid late on day 2: two days on 2,000, then nothing more
    cw.clock.move_to(first + dt.timedelta(days=2))
    actions.record_payment(
        cw.officer,
        case,
        kind=PaymentKind.FINE,
        amount=Decimal("2000"),
        paid_on=cw.clock.today,
        receipt_number="F1",
    )
    assert actions.amount_owed(case, first + dt.timedelta(days=20))[PaymentKind.SURCHARGE] == Decimal(
        "120.00"
    )


def test_deferral_and_the_surcharge_paused_while_a_remedy_is_pending(cw):
    from zhifa.remedies import actions as remedy_actions

    case = _served(cw)
    later = case.payment_due + dt.timedelta(days=20)
    with pytest.raises(RuleViolation, match="晚于"):
        actions.approve_deferral(cw.head, case, reason="困难", deferred_until=case.payment_due)
    actions.approve_deferral(cw.head, case, reason="暂时困难", deferred_until=later)
    case.refresh_from_db()
    assert actions.payment_schedule(case) == [rules.Instalment(later, Decimal("5000"))]
    assert actions.amount_owed(case, later + dt.timedelta(days=2))[PaymentKind.SURCHARGE] == Decimal("300.00")
    # a 行政复议 applied for after 1 day overdue: the days while it is pending are not counted (art. 73)
    cw.clock.move_to(later + dt.timedelta(days=1))
    proceeding = remedy_actions.record_proceeding(
        cw.head, case, kind="reconsideration", applied_on=cw.clock.today, body="甲区人民政府"
    )
    assert actions.remedy_pending(case, later + dt.timedelta(days=10))
    # day 1 overdue is before the application; from the application on nothing is counted
    assert actions.amount_owed(case, later + dt.timedelta(days=10))[PaymentKind.SURCHARGE] == Decimal("0")
    cw.clock.move_to(later + dt.timedelta(days=10))
    remedy_actions.record_outcome(cw.head, proceeding, outcome="upheld", decided_on=cw.clock.today)
    assert not actions.remedy_pending(case, later + dt.timedelta(days=11))
    # counting resumes after the outcome: day 11 and 12
    assert actions.amount_owed(case, later + dt.timedelta(days=12))[PaymentKind.SURCHARGE] == Decimal(
        "300.00"
    )
    # approving a new plan after the due date is refused: the surcharge already accrued stays owed
    cw.clock.move_to(later + dt.timedelta(days=12))
    with pytest.raises(RuleViolation, match="届满前"):
        actions.approve_deferral(
            cw.head, case, reason="再次申请", deferred_until=later + dt.timedelta(days=60)
        )


def test_payment_plan_through_the_api_and_the_page(cw, login):
    case = _served(cw)
    first, second = case.payment_due - dt.timedelta(days=3), case.payment_due + dt.timedelta(days=27)
    url = reverse("case-approve_deferral", args=[case.pk])
    body = {"reason": "经营困难", "instalments": f"{first} 2500\n{second} 2500"}
    assert login(cw.officer).post(url, body, content_type="application/json").status_code == 403
    head = login(cw.head)
    bad = head.post(url, {**body, "instalments": f"{first} 2500\n明天 2500"}, content_type="application/json")
    assert bad.status_code == 400 and "第2行" in bad.content.decode()
    short = head.post(
        url, {**body, "instalments": f"{first} 2500\n{second} 2000"}, content_type="application/json"
    )
    assert short.status_code == 400 and "5000" in short.content.decode()
    assert not Case.objects.get(pk=case.pk).instalments
    page = reverse("cases:action", args=[case.pk, "approve_deferral"])
    assert head.get(page).status_code == 200
    assert head.post(page, body).status_code == 302
    case.refresh_from_db()
    assert [i["amount"] for i in case.instalments] == ["2500.00", "2500.00"]
    detail = head.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "分期缴纳" in detail and cw.head.full_name in detail


# The surcharge rule ------------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)
day = st.integers(min_value=0, max_value=400)
D0 = dt.date(2026, 1, 1)


@st.composite
def plans(draw):
    n = draw(st.integers(1, 4))
    offsets = sorted(draw(st.lists(day, min_size=n, max_size=n, unique=True)))
    plan = [rules.Instalment(D0 + dt.timedelta(days=o), draw(amounts)) for o in offsets]
    pays = draw(st.lists(st.tuples(day, amounts), max_size=4))
    return plan, [(D0 + dt.timedelta(days=d), a) for d, a in pays]


@settings(max_examples=150, deadline=None)
@given(
    p=plans(),
    on=day,
    more=st.integers(0, 200),
    pause=st.tuples(day, st.one_of(st.none(), st.integers(0, 100))),
)
def test_surcharge_is_capped_monotone_and_paused(p, on, more, pause):
    plan, payments = p
    on = D0 + dt.timedelta(days=on)
    s = rules.surcharge_owed(plan, payments, on)
    # never above what has fallen overdue by then (each instalment caps its own surcharge)
    overdue = sum((i.amount for i in plan if i.due < on), Decimal("0"))
    assert Decimal("0") <= s <= overdue
    # monotone in days
    assert rules.surcharge_owed(plan, payments, on + dt.timedelta(days=more)) >= s
    # nothing counted while a remedy is pending: pending since the first due date (still open) → zero
    assert rules.surcharge_owed(plan, payments, on, paused=[(plan[0].due, None)]) == 0
    # a pause never adds to it
    start, length = pause
    period = (
        D0 + dt.timedelta(days=start),
        None if length is None else D0 + dt.timedelta(days=start + length),
    )
    assert rules.surcharge_owed(plan, payments, on, paused=[period]) <= s


def test_surcharge_without_a_plan_is_the_old_rule():
    due = dt.date(2026, 6, 15)
    plan = [rules.Instalment(due, Decimal("1000"))]
    for days in (0, 1, 10, 40):
        on = due + dt.timedelta(days=days)
        assert rules.surcharge_owed(plan, [], on) == rules.surcharge(Decimal("1000"), due, on)
