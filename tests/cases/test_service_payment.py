"""Service and payment (issue 12 items 13 and 10): electronic service records its proof (a checked upload, its hash
in the ledger; 卫生健康行政处罚程序规定 art. 57); 公告送达 only after a recorded failed attempt (民事诉讼法 art. 95);
deferral and instalments approved by the head with a schedule; the surcharge (行政处罚法 arts. 66, 72, 73)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.records.conftest import signature_png
from zhifa.cases import actions
from zhifa.cases.choices import ServiceMethod, ServiceProofKind, State
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
