"""The document pages: who sees what, who may change what, and that opening a document is recorded."""

import base64

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from zhifa.ledger.models import Entry
from zhifa.records import actions
from zhifa.records.choices import DocumentKind, DocumentState
from zhifa.records.models import Document

from .conftest import finalised_inquiry, signature_png


def _accesses(document):
    return Entry.objects.filter(
        action="ledger.access", object_kind="records.document", object_id=str(document.pk)
    )


def test_the_case_document_list_offers_the_kinds_the_state_allows(investigating, login):
    client = login(investigating.officer)
    page = client.get(reverse("records:case_documents", args=[investigating.case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="inquiry_record"' in html and 'value="penalty_decision"' not in html
    reader = login(investigating.reviewer).get(
        reverse("records:case_documents", args=[investigating.case.pk])
    )
    assert reader.status_code == 200 and "生成草稿" not in reader.content.decode()


def test_an_officer_walks_a_document_through_its_pages(investigating, login):
    client = login(investigating.officer)
    case = investigating.case
    response = client.post(
        reverse("records:generate", args=[case.pk]), {"kind": "inquiry_record", "record": ""}
    )
    doc = Document.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == reverse("records:document", args=[doc.pk])

    page = client.get(doc.get_absolute_url())
    assert page.status_code == 200 and "定稿前还需要" in page.content.decode()
    assert _accesses(doc).count() == 1  # 调阅 recorded

    form = {
        "dated": "2026-06-01",
        "interviewee": "李康宁",
        "interviewee_info": "法定代表人",
        "qa": "问：姓名？\n答：李康宁。",
    }
    assert client.post(reverse("records:edit", args=[doc.pk]), form).status_code == 302
    doc.refresh_from_db()
    assert doc.narrative["qa"] == "问：姓名？\n答：李康宁。"

    assert client.post(reverse("records:sign", args=[doc.pk])).status_code == 302
    login(investigating.officer2).post(reverse("records:sign", args=[doc.pk]))
    client = login(investigating.officer)
    sig_page = client.get(reverse("records:party_signature", args=[doc.pk]))
    assert sig_page.status_code == 200 and 'id="signature-pad"' in sig_page.content.decode()
    data_url = "data:image/png;base64," + base64.b64encode(signature_png()).decode()
    response = client.post(
        reverse("records:party_signature", args=[doc.pk]), {"signer_name": "李康宁", "image_data": data_url}
    )
    assert response.status_code == 302

    preview = client.get(reverse("records:preview", args=[doc.pk]))
    assert preview["Content-Type"] == "application/pdf" and preview["X-Frame-Options"] == "SAMEORIGIN"

    response = client.post(reverse("records:finalise", args=[doc.pk]), follow=True)
    assert "文书已定稿，编号为2026-0001" in response.content.decode()
    doc.refresh_from_db()
    assert doc.state == DocumentState.FINAL

    pdf = client.get(reverse("records:download", args=[doc.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf["Content-Disposition"]
    docx = client.get(reverse("records:download", args=[doc.pk, "docx"]))
    assert docx.content.startswith(b"PK")
    verify = client.get(reverse("records:verify_document", args=[doc.pk]))
    assert "签名完整有效" in verify.content.decode() and "一致" in verify.content.decode()


def test_an_empty_canvas_or_a_bad_image_is_refused_on_the_page(investigating, login):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    client = login(investigating.officer)
    response = client.post(
        reverse("records:party_signature", args=[doc.pk]),
        {"signer_name": "李康宁", "image_data": "data:image/png;base64,aGVsbG8="},
    )
    assert response.status_code == 400 and "签名图像" in response.content.decode()
    assert not doc.signatures.exists()


def test_refusal_and_scan_forms(investigating, login):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    client = login(investigating.officer)
    client.post(
        reverse("records:refusal", args=[doc.pk]), {"signer_name": "李康宁", "witness": "王五", "note": ""}
    )
    assert doc.signatures.get().method == "refused"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("scan.png", signature_png(300, 200), content_type="image/png")
    client.post(reverse("records:scan", args=[doc.pk]), {"signer_name": "李康宁", "file": upload})
    assert doc.signatures.filter(method="scan").exists()


def test_the_verify_page_checks_an_uploaded_pdf(investigating, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhifa.records import storage

    doc = finalised_inquiry(investigating)
    client = login(investigating.supervisor)
    data = storage.read(doc.pdf_name)
    page = client.post(reverse("records:verify"), {"file": SimpleUploadedFile("x.pdf", data)})
    html = page.content.decode()
    assert 'data-code="0"' in html and doc.number in html
    bad = bytearray(data)
    bad[len(bad) // 3] ^= 0x01
    page = client.post(reverse("records:verify"), {"file": SimpleUploadedFile("x.pdf", bytes(bad))})
    assert 'data-code="1"' in page.content.decode()


def test_a_stored_file_changed_behind_our_back_is_found(investigating, login, settings):
    doc = finalised_inquiry(investigating)
    path = settings.MEDIA_ROOT / doc.pdf_name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    client = login(investigating.officer)
    page = client.get(reverse("records:verify_document", args=[doc.pk]))
    assert "不一致" in page.content.decode() and 'data-code="1"' in page.content.decode()
    response = client.get(reverse("records:download", args=[doc.pk, "pdf"]), follow=True)
    assert "可能已被篡改" in response.content.decode()


def test_a_correction_from_the_page(investigating, login):
    doc = finalised_inquiry(investigating)
    client = login(investigating.officer)
    response = client.post(reverse("records:correct", args=[doc.pk]), {"reason": "笔误"})
    correction = Document.objects.get(supersedes=doc)
    assert response["Location"] == correction.get_absolute_url()
    page = client.get(doc.get_absolute_url()).content.decode()
    assert "已有更正草稿" in page


# Denials ---------------------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login(investigating, client):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    for url in (
        doc.get_absolute_url(),
        reverse("records:preview", args=[doc.pk]),
        reverse("records:case_documents", args=[investigating.case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(reverse("records:sign", args=[doc.pk])).status_code == 302
    assert not doc.signatures.exists()


def test_other_agencies_get_not_found(investigating, login):
    doc = finalised_inquiry(investigating)
    client = login(investigating.officer_b)
    for url in (
        doc.get_absolute_url(),
        reverse("records:download", args=[doc.pk, "pdf"]),
        reverse("records:preview", args=[doc.pk]),
        reverse("records:case_documents", args=[doc.case_id]),
        reverse("records:verify_document", args=[doc.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("records:correct", args=[doc.pk]), {"reason": "x"}).status_code == 404
    assert (
        client.post(reverse("records:generate", args=[doc.case_id]), {"kind": "inquiry_record"}).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["reviewer", "supervisor"])
def test_readers_read_but_may_not_change(investigating, login, who):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    client = login(getattr(investigating, who))
    page = client.get(doc.get_absolute_url())
    assert page.status_code == 200 and "保存内容" not in page.content.decode()
    assert client.post(reverse("records:sign", args=[doc.pk])).status_code == 403
    assert client.post(reverse("records:finalise", args=[doc.pk])).status_code == 403
    assert client.get(reverse("records:party_signature", args=[doc.pk])).status_code == 403
    assert (
        client.post(reverse("records:generate", args=[doc.case_id]), {"kind": "inquiry_record"}).status_code
        == 403
    )
    assert Document.objects.count() == 1 and not doc.signatures.exists()


def test_system_administrators_do_not_read_cases(investigating, login):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    assert login(investigating.sysadmin).get(doc.get_absolute_url()).status_code == 404


def test_the_include_for_the_case_page(investigating):
    doc = finalised_inquiry(investigating)
    request = RequestFactory().get("/")
    request.user = investigating.officer
    html = Template('{% include "records/_case_documents.html" with case=case %}').render(
        Context({"case": investigating.case, "request": request})
    )
    assert "询问笔录" in html and doc.number in html and "生成草稿" in html
