"""The document lifecycle through the actions: generate, edit, sign, finalise, correct — and every refusal."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from PIL import Image

from zhifa.cases import actions as case_actions
from zhifa.cases.choices import Outcome, PenaltyKind, RecordKind
from zhifa.ledger.models import Entry
from zhifa.records import actions, queries, render, rules, seal, storage
from zhifa.records.choices import DocumentKind, DocumentState, SignatureMethod
from zhifa.records.decision_draft import current_draft  # the draft the decision bound
from zhifa.records.models import Document, DocumentSignature, FinalisedDocumentError

from .conftest import finalised_inquiry, pdftotext, sign_all, signature_png


def _entries(action, obj):
    return Entry.objects.filter(action=action, object_id=str(obj.pk))


def _files(entry):
    import json

    return json.loads(bytes(entry.body))["record"]["files"]


# Generating ------------------------------------------------------------------------------------------------------


def test_a_draft_starts_from_the_case_file(investigating):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    assert doc.state == DocumentState.DRAFT and doc.number == "" and doc.serial is None
    assert doc.record == investigating.inquiry  # the latest inquiry of the case
    assert doc.narrative["interviewee"] == "李康宁" and doc.narrative["qa"].startswith("问：你是谁？")
    assert _entries("records.generate_document", doc).count() == 1


def test_a_kind_is_refused_in_a_state_that_does_not_allow_it(investigating):
    with pytest.raises(ValidationError, match="不能制作“行政处罚决定书”"):
        actions.generate_document(
            investigating.officer, investigating.case, kind=DocumentKind.PENALTY_DECISION
        )
    with pytest.raises(ValidationError, match="调查取证.*不能制作“当场行政处罚决定书”"):
        actions.generate_document(
            investigating.officer, investigating.case, kind=DocumentKind.ON_THE_SPOT_DECISION
        )
    assert not Document.objects.exists()


def test_a_record_document_needs_its_record(investigating):
    with pytest.raises(ValidationError, match="还没有“查封扣押”记录"):
        actions.generate_document(
            investigating.officer, investigating.case, kind=DocumentKind.SEIZURE_DECISION
        )
    other = investigating.new_case()
    case_actions.request_filing(investigating.officer, other)
    case_actions.approve_filing(investigating.head, other, opinion="同意")
    with pytest.raises(ValidationError, match="不属于本案"):
        actions.generate_document(
            investigating.officer, other, kind=DocumentKind.INQUIRY_RECORD, record=investigating.inquiry
        )


def test_unknown_narrative_fields_and_choices_are_refused(investigating):
    with pytest.raises(ValidationError, match="没有这些内容项"):
        actions.generate_document(
            investigating.officer,
            investigating.case,
            kind=DocumentKind.INQUIRY_RECORD,
            narrative={"fine": "1"},
        )
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.APPROVAL_FORM
    )
    with pytest.raises(ValidationError, match="只能选择"):
        actions.edit_draft(investigating.officer, doc, narrative={"matter": "随便"})


def test_documents_cannot_be_dated_in_the_future(investigating):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        actions.generate_document(
            investigating.officer,
            investigating.case,
            kind=DocumentKind.SUPERVISION_OPINION,
            dated=investigating.clock.today + dt.timedelta(days=1),
        )


# Signing and finalising ------------------------------------------------------------------------------------------


def test_finalising_needs_the_signatures_the_kind_requires(investigating):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    with pytest.raises(ValidationError, match="还需2名执法人员签名.*当事人签名"):
        actions.finalise_document(investigating.officer, doc)
    actions.sign_document(investigating.officer, doc)
    with pytest.raises(ValidationError, match="已在该文书上签名"):
        actions.sign_document(investigating.officer, doc)
    actions.sign_document(investigating.officer2, doc)
    actions.record_refusal(investigating.officer, doc, signer_name="李康宁", witness="王五（社区工作人员）")
    doc = actions.finalise_document(investigating.officer, doc)
    assert doc.state == DocumentState.FINAL and doc.number == "2026-0001"
    text = pdftotext(storage.read(doc.pdf_name, doc.pdf_sha256))
    assert "李康宁拒绝签名（见证人：王五（社区工作人员））" in text
    assert "甲执法（电子签名" in text and "甲执法二（电子签名" in text


def test_editing_a_signed_draft_voids_its_signatures(investigating):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    sign_all(investigating, doc)
    assert actions.missing_for(doc, rules.content_hash(render.content_for(doc))) == []
    actions.edit_draft(investigating.officer, doc, narrative={"qa": "问：改过了吗？\n答：改过了。"})
    doc.refresh_from_db()
    with pytest.raises(ValidationError, match="还需2名执法人员签名"):
        actions.finalise_document(investigating.officer, doc)
    assert DocumentSignature.objects.filter(document=doc).count() == 3  # kept, but they signed other text


def test_finalising_numbers_stores_and_records_the_hashes(investigating):
    doc = finalised_inquiry(investigating)
    pdf = storage.read(doc.pdf_name, doc.pdf_sha256)
    docx = storage.read(doc.docx_name, doc.docx_sha256)
    assert doc.pdf_name == f"records/documents/{doc.pdf_sha256[:2]}/{doc.pdf_sha256}.pdf"
    assert pdf.startswith(b"%PDF-") and docx.startswith(b"PK")
    entry = _entries("records.finalise_document", doc).get()
    assert {f["sha256"] for f in _files(entry)} == {doc.pdf_sha256, doc.docx_sha256}
    assert doc.context["content"]["narrative"]["qa"].startswith("问：你是谁？")
    assert seal.verify_pdf(pdf).ok
    party = DocumentSignature.objects.get(document=doc, method=SignatureMethod.HANDWRITTEN)
    assert _files(_entries("records.capture_party_signature", party).get())[0]["sha256"] == party.file_sha256


def test_numbers_run_per_kind_and_year_without_gaps(investigating):
    first = finalised_inquiry(investigating)
    second = finalised_inquiry(investigating, qa="问：还有吗？\n答：没有了。")
    opinion = actions.generate_document(
        investigating.officer,
        investigating.case,
        kind=DocumentKind.SUPERVISION_OPINION,
        narrative={"opinion": "立即停止执业活动。"},
    )
    sign_all(investigating, opinion)
    opinion = actions.finalise_document(investigating.officer, opinion)
    assert (first.number, second.number, opinion.number) == ("2026-0001", "2026-0002", "2026-0001")


def test_a_failed_finalisation_gives_its_number_back(investigating, monkeypatch):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    sign_all(investigating, doc)

    class Broken:
        name = "broken"

        def seal(self, pdf, **kwargs):
            raise RuntimeError("seal device unavailable")

    monkeypatch.setattr(seal, "provider", lambda: Broken())
    with pytest.raises(RuntimeError):
        actions.finalise_document(investigating.officer, doc)
    monkeypatch.undo()
    doc.refresh_from_db()
    assert doc.state == DocumentState.DRAFT and doc.serial is None
    assert actions.finalise_document(investigating.officer, doc).number == "2026-0001"


def test_field_series_when_the_agency_numbers_per_field(investigating, settings):
    settings.RECORDS_NUMBER_PER_FIELD = True
    doc = finalised_inquiry(investigating)
    assert doc.number_key == f"doc:inquiry_record:f{investigating.case.field_id}"


# Immutability and corrections ------------------------------------------------------------------------------------


def test_a_finalised_document_cannot_change(investigating):
    doc = finalised_inquiry(investigating)
    for attempt in (
        lambda: actions.edit_draft(investigating.officer, doc, narrative={"qa": "改"}),
        lambda: actions.sign_document(investigating.officer2, doc),
        lambda: actions.capture_party_signature(
            investigating.officer, doc, signer_name="李", png=signature_png()
        ),
        lambda: actions.record_refusal(investigating.officer, doc, signer_name="李", witness="王"),
        lambda: actions.finalise_document(investigating.officer, doc),
        lambda: actions.discard_draft(investigating.officer, doc, reason="错了"),
    ):
        with pytest.raises(ValidationError, match="已定稿"):
            attempt()
    doc.narrative = {"qa": "偷改"}
    with pytest.raises(FinalisedDocumentError):
        doc.save()
    with pytest.raises(FinalisedDocumentError):
        doc.delete()
    doc.refresh_from_db()
    assert doc.narrative["qa"].startswith("问：你是谁？")


def test_a_scan_of_the_signed_paper_is_kept_beside_a_final_document(investigating):
    doc = finalised_inquiry(investigating)
    before = (doc.pdf_sha256, doc.updated_at)
    scan = actions.attach_signed_scan(
        investigating.officer, doc, signer_name="李康宁", data=signature_png(800, 600)
    )
    doc.refresh_from_db()
    assert scan.after_final and scan.content_sha256 == doc.content_sha256
    assert (doc.pdf_sha256, doc.updated_at) == before


def test_a_correction_is_a_new_version_that_supersedes_the_old(investigating):
    old = finalised_inquiry(investigating)
    with pytest.raises(ValidationError, match="更正理由"):
        actions.correct_document(investigating.officer, old, reason=" ")
    new = actions.correct_document(investigating.officer, old, reason="被询问人姓名记录有误")
    assert (new.version, new.supersedes, new.state) == (2, old, DocumentState.DRAFT)
    with pytest.raises(ValidationError, match="已有更正版本"):
        actions.correct_document(investigating.officer, old, reason="再改")
    actions.edit_draft(investigating.officer, new, narrative={"interviewee": "李康宁（法定代表人）"})
    sign_all(investigating, new)
    new = actions.finalise_document(investigating.officer, new)
    assert new.number == old.number and new.version == 2  # the same 文号/编号, a new version
    text = pdftotext(storage.read(new.pdf_name, new.pdf_sha256))
    assert "本文书为第2版" in text and "被询问人姓名记录有误" in text
    old_again = Document.objects.get(pk=old.pk)
    assert old_again.state == DocumentState.FINAL and old_again.pdf_sha256 == old.pdf_sha256
    assert queries.current_version(old_again) == new
    assert [d.superseded for d in queries.case_documents(investigating.case)] == [True, False]


def test_a_discarded_correction_frees_the_document_for_another(investigating):
    old = finalised_inquiry(investigating)
    first = actions.correct_document(investigating.officer, old, reason="笔误")
    actions.discard_draft(investigating.officer, first, reason="不需要更正")
    second = actions.correct_document(investigating.officer, old, reason="确有笔误")
    assert second.version == 2 and Document.objects.get(pk=first.pk).state == DocumentState.DISCARDED


def test_only_final_documents_are_corrected(investigating):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    with pytest.raises(ValidationError, match="草稿可以直接修改"):
        actions.correct_document(investigating.officer, doc, reason="x")


# Signatures ------------------------------------------------------------------------------------------------------


def test_a_refusal_needs_a_witness(investigating):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    with pytest.raises(ValidationError, match="见证人"):
        actions.record_refusal(investigating.officer, doc, signer_name="李康宁", witness=" ")


def test_a_bad_signature_image_stores_nothing(investigating):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    out = io.BytesIO()
    Image.new("RGB", (100, 40)).save(out, format="GIF")
    with pytest.raises(ValidationError, match="PNG"):
        actions.capture_party_signature(investigating.officer, doc, signer_name="李康宁", png=out.getvalue())
    assert not DocumentSignature.objects.exists()


def test_the_handwritten_signature_appears_in_the_pdf(investigating):
    doc = finalised_inquiry(investigating)
    pdf = storage.read(doc.pdf_name, doc.pdf_sha256)
    assert pdf.count(b"/Subtype /Image") >= 2  # the party's signature and the seal appearance


# Who may act -----------------------------------------------------------------------------------------------------


def test_other_agencies_do_not_see_the_case(investigating):
    with pytest.raises(Http404):
        actions.generate_document(
            investigating.officer_b, investigating.case, kind=DocumentKind.INQUIRY_RECORD
        )
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    with pytest.raises(Http404):
        actions.sign_document(investigating.officer_b, doc)


@pytest.mark.parametrize("who", ["reviewer", "supervisor"])
def test_readers_may_not_change_documents(investigating, who):
    person = getattr(investigating, who)
    with pytest.raises(PermissionDenied):
        actions.generate_document(person, investigating.case, kind=DocumentKind.INQUIRY_RECORD)
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    with pytest.raises(PermissionDenied):
        actions.sign_document(person, doc)
    assert queries.access_document(person, doc.pk) == doc  # they may read it


def test_the_agency_head_signs_as_head(investigating):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.FILING_REPORT
    )
    signature = actions.sign_document(investigating.head, doc)
    assert signature.role == "head"
    with pytest.raises(ValidationError, match="还需1名执法人员签名"):
        actions.finalise_document(investigating.head, doc)


# Other kinds through the case's life -----------------------------------------------------------------------------


def test_the_notice_and_the_decision_state_the_penalty(decided):
    # the notice the 事先告知 was made on (the fixture finalised it before issuing the notice)
    notice = Document.objects.get(case=decided.case, kind=DocumentKind.PRIOR_NOTICE)
    assert (
        notice.number == "甲卫医罚告〔2026〕1号"
        and decided.case.notice_snapshot["document"]["number"] == notice.number
    )
    text = pdftotext(storage.read(notice.pdf_name, notice.pdf_sha256))
    assert "三个工作日内" in text and "警告，罚款人民币伍仟元整（¥5,000.00）" in text
    with pytest.raises(ValidationError, match="不属于可以要求听证的情形"):
        actions.generate_document(decided.officer, decided.case, kind=DocumentKind.HEARING_RIGHTS)


def test_the_seizure_decision_lists_its_items(investigating):
    case = investigating.case
    case_actions.add_record(
        investigating.officer,
        case,
        kind=RecordKind.SEIZURE,
        started_at=timezone.now(),
        data={
            "measure": "扣押",
            "basis": "依据《行政强制法》第二十二条",
            "items": [
                {
                    "name": "一次性注射器",
                    "spec": "5ml",
                    "quantity": "200支",
                    "producer": "某医疗器械厂",
                    "production_date": "2026-01-05",
                    "batch": "B2026",
                }
            ],
        },
        place="甲区健康路1号",
        officers=[investigating.officer, investigating.officer2],
        certificates_shown=investigating.certs(),
        approved_by=investigating.head,
    )
    doc = actions.generate_document(investigating.officer, case, kind=DocumentKind.SEIZURE_DECISION)
    assert doc.narrative["items"] == "一次性注射器｜5ml｜200支｜某医疗器械厂｜2026-01-05｜B2026"
    actions.sign_document(investigating.officer, doc)
    actions.capture_party_signature(investigating.officer, doc, signer_name="李康宁", png=signature_png())
    doc = actions.finalise_document(investigating.officer, doc)
    assert doc.number == "甲卫医封扣〔2026〕1号"
    text = pdftotext(storage.read(doc.pdf_name, doc.pdf_sha256))
    assert "一次性注射器" in text and "B2026" in text and "至2026年7月1日止" in text


def test_the_on_the_spot_decision_of_a_simple_case(cw):
    case = case_actions.decide_on_the_spot(
        cw.officer,
        party=cw.person_party,
        cause="公共场所未设置禁烟标识",
        field=cw.medical,
        unit=cw.section,
        officers=[cw.officer, cw.officer2],
        certificates_shown=cw.certs(),
        penalty_kinds=[PenaltyKind.FINE],
        fine_amount=Decimal("150"),
        facts="经营场所未设置醒目禁烟标识。",
        violated_provisions="《公共场所卫生管理条例实施细则》第十八条",
        penalty_provisions="同细则第三十六条",
        place="甲区平安街2号",
        party_signed=True,
        told_facts="经营场所未设置醒目禁烟标识。",
        told_reasons="违反公共场所控制吸烟的规定。",
        told_basis="《公共场所卫生管理条例实施细则》第十八条",
        rights_told=True,
        statement_waived=True,
    )
    # the decision generated the numbered form and the deciding officer signed it; the party signs, then 定稿
    doc = Document.objects.get(case=case, kind=DocumentKind.ON_THE_SPOT_DECISION)
    actions.capture_party_signature(cw.officer, doc, signer_name="张三", png=signature_png())
    doc = actions.finalise_document(cw.officer, doc)
    assert doc.number == "甲卫医当罚〔2026〕1号"
    text = pdftotext(storage.read(doc.pdf_name, doc.pdf_sha256))
    assert "罚款人民币壹佰伍拾元整（¥150.00）" in text and "张三" in text
    with pytest.raises(ValidationError, match="简易程序案件使用当场行政处罚决定书"):
        actions.generate_document(cw.officer, case, kind=DocumentKind.PENALTY_DECISION)


def test_the_service_receipt_names_the_served_decision(served):
    decision = actions.finalise_document(
        served.officer,
        current_draft(served.case),
    )
    receipt = actions.generate_document(served.officer, served.case, kind=DocumentKind.SERVICE_RECEIPT)
    assert receipt.narrative["served_document"] == f"行政处罚决定书（{decision.number}）"
    assert receipt.narrative["method"] == "直接送达"


def test_no_penalty_and_transfer_cases_get_their_own_decision(cw):
    case = cw.investigate(cw.new_case(), outcome=Outcome.TRANSFER)
    cw.decide(case)
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="不符"):
        actions.generate_document(cw.officer, case, kind=DocumentKind.PENALTY_DECISION)
    letter = actions.finalise_document(
        cw.officer, actions.generate_document(cw.officer, case, kind=DocumentKind.TRANSFER_LETTER)
    )
    assert letter.number == "甲卫医移〔2026〕1号"
    assert "甲区公安分局" in pdftotext(storage.read(letter.pdf_name, letter.pdf_sha256))


def test_a_demand_waits_for_the_payment_period(served):
    with pytest.raises(ValidationError, match="缴款期限届满"):
        actions.generate_document(served.officer, served.case, kind=DocumentKind.DEMAND)
    served.clock.move_to(served.case.payment_due + dt.timedelta(days=2))
    decision = current_draft(served.case)
    actions.finalise_document(served.officer, decision)
    demand = actions.finalise_document(
        served.officer, actions.generate_document(served.officer, served.case, kind=DocumentKind.DEMAND)
    )
    text = pdftotext(storage.read(demand.pdf_name, demand.pdf_sha256))
    assert "甲卫医罚〔2026〕1号" in text
    assert "人民币伍仟元整" in text and "人民币叁佰元整" in text  # the fine and 2 days' 3 % surcharge


def test_archived_cases_take_no_new_documents(cw):
    case = cw.new_case()
    case_actions.refuse_filing(cw.head, case, reason="不属于本机关管辖")
    from zhifa.records.demo import complete_file

    complete_file(case, [cw.officer, cw.officer2])  # the 案件受理记录 the archive needs
    case_actions.archive_case(cw.head, case)
    with pytest.raises(ValidationError, match="已归档"):
        actions.generate_document(cw.officer, case, kind=DocumentKind.INTAKE_RECORD)


def test_the_ledger_verifies_documents_their_files_and_their_state(investigating, settings):
    from zhifa.ledger import actions as ledger_actions

    doc = finalised_inquiry(investigating)
    actions.correct_document(investigating.officer, doc, reason="笔误")
    report = ledger_actions.run_verification(agency=investigating.a, state=True)
    assert report.ok, report.problems
    assert report.files >= 3  # the party's signature, the PDF and the DOCX

    path = settings.MEDIA_ROOT / doc.pdf_name
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    report = ledger_actions.run_verification(agency=investigating.a, state=True)
    assert not report.ok and any(doc.pdf_name in str(p) for p in report.problems)
