"""/api/v1/documents/: the same lifecycle and the same permission checks as the pages, documented in Chinese."""

import base64

import pytest
from rest_framework.test import APIClient

from zhifa.records import actions
from zhifa.records.choices import DocumentKind
from zhifa.records.models import Document

from .conftest import finalised_inquiry, signature_png

API = "/api/v1/documents/"


def _client(person=None):
    client = APIClient()
    if person is not None:
        client.force_authenticate(person)
    return client


def test_the_whole_lifecycle_by_api(investigating):
    officer = _client(investigating.officer)
    case = investigating.case
    created = officer.post(
        API,
        {"case": case.pk, "kind": "inquiry_record", "narrative": {"qa": "问：你好\n答：你好"}},
        format="json",
    )
    assert created.status_code == 201, created.content
    doc_id = created.data["id"]
    assert created.data["state"] == "draft" and created.data["narrative"]["qa"] == "问：你好\n答：你好"

    edited = officer.post(
        f"{API}{doc_id}/edit/", {"narrative": {"interviewee_info": "法定代表人"}}, format="json"
    )
    assert edited.status_code == 200 and edited.data["narrative"]["interviewee_info"] == "法定代表人"

    early = officer.post(f"{API}{doc_id}/finalise/")
    assert early.status_code == 400 and "还需2名执法人员签名" in early.data["detail"][0]

    assert officer.post(f"{API}{doc_id}/sign/").status_code == 200
    assert _client(investigating.officer2).post(f"{API}{doc_id}/sign/").status_code == 200
    png = base64.b64encode(signature_png()).decode()
    signed = officer.post(
        f"{API}{doc_id}/party-signature/", {"signer_name": "李康宁", "image": png}, format="json"
    )
    assert signed.status_code == 200 and len(signed.data["signatures"]) == 3

    final = officer.post(f"{API}{doc_id}/finalise/")
    assert final.status_code == 200 and final.data["number"] == "2026-0001" and final.data["state"] == "final"

    listed = officer.get(API, {"case": case.pk})
    assert [d["id"] for d in listed.data["results"]] == [doc_id]
    pdf = officer.get(f"{API}{doc_id}/pdf/")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF-")
    )
    assert officer.get(f"{API}{doc_id}/docx/").content.startswith(b"PK")
    verified = officer.get(f"{API}{doc_id}/verify/")
    assert verified.data["code"] == 0 and verified.data["hash_ok"] is True

    changed = officer.post(f"{API}{doc_id}/edit/", {"narrative": {"qa": "改"}}, format="json")
    assert changed.status_code == 400 and "已定稿" in changed.data["detail"][0]

    corrected = officer.post(f"{API}{doc_id}/correct/", {"reason": "笔误"}, format="json")
    assert (
        corrected.status_code == 201
        and corrected.data["supersedes"] == doc_id
        and corrected.data["version"] == 2
    )


def test_refusal_and_scan_by_api(investigating):
    officer = _client(investigating.officer)
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    no_witness = officer.post(
        f"{API}{doc.pk}/refusal/", {"signer_name": "李康宁", "witness": ""}, format="json"
    )
    assert no_witness.status_code == 400
    ok = officer.post(f"{API}{doc.pk}/refusal/", {"signer_name": "李康宁", "witness": "王五"}, format="json")
    assert ok.status_code == 200 and ok.data["signatures"][0]["method"] == "refused"
    bad = officer.post(
        f"{API}{doc.pk}/scan/", {"signer_name": "李康宁", "file": "bm90IGEgc2Nhbg=="}, format="json"
    )
    assert bad.status_code == 400 and "扫描件" in bad.data["detail"][0]


def test_the_kinds_are_listed_with_their_rules(investigating):
    kinds = _client(investigating.officer).get("/api/v1/document-kinds/").data
    decision = next(k for k in kinds if k["kind"] == "penalty_decision")
    assert decision["numbering"] == "wenhao" and decision["code"] == "罚" and decision["seal"] is True
    inquiry = next(k for k in kinds if k["kind"] == "inquiry_record")
    assert inquiry["record_kind"] == "inquiry" and inquiry["officers"] == 2 and inquiry["party"] is True


def test_other_agencies_are_denied(investigating):
    doc = finalised_inquiry(investigating)
    other = _client(investigating.officer_b)
    assert other.get(API, {"case": doc.case_id}).status_code == 404
    assert other.get(API).data["results"] == []
    for url in (f"{API}{doc.pk}/", f"{API}{doc.pk}/pdf/", f"{API}{doc.pk}/verify/"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"{API}{doc.pk}/correct/", {"reason": "x"}, format="json").status_code == 404
    assert other.post(API, {"case": doc.case_id, "kind": "inquiry_record"}, format="json").status_code == 404


@pytest.mark.parametrize("who", ["reviewer", "supervisor"])
def test_readers_are_refused_changes(investigating, who):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    reader = _client(getattr(investigating, who))
    assert reader.get(f"{API}{doc.pk}/").status_code == 200
    response = reader.post(f"{API}{doc.pk}/sign/")
    assert response.status_code == 403 and "承办人员" in response.data["detail"]
    assert reader.post(API, {"case": doc.case_id, "kind": "inquiry_record"}, format="json").status_code == 403
    assert reader.post(f"{API}{doc.pk}/finalise/").status_code == 403
    assert Document.objects.count() == 1


def test_anonymous_requests_are_refused(investigating):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    anonymous = _client()
    assert anonymous.get(API).status_code in (401, 403)
    assert anonymous.get(f"{API}{doc.pk}/pdf/").status_code in (401, 403)
    assert anonymous.post(f"{API}{doc.pk}/sign/").status_code in (401, 403)


def test_the_schema_documents_the_endpoints_in_chinese(investigating):
    schema = _client(investigating.officer).get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert paths[f"{API}{{id}}/finalise/"]["post"]["summary"] == "文书定稿"
    assert "加盖电子印章" in paths[f"{API}{{id}}/finalise/"]["post"]["description"]
    assert paths[API]["post"]["summary"] == "生成文书草稿"
    assert paths[f"{API}{{id}}/party-signature/"]["post"]["summary"] == "当事人手写签名"
