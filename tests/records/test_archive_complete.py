"""One archive action (case page, API and 案卷 page alike), completeness against the list of the procedure path,
the 法制审核意见书 in the 卷内目录 and the zip, and an archived file that takes nothing more (issue 11, Build 5)."""

import hashlib
import zipfile

import pytest

from zhifa.cases import actions as case_actions
from zhifa.core.errors import RuleViolation
from zhifa.ledger.models import Entry
from zhifa.records import actions, archive, evidence, ingest, verify_archive
from zhifa.records.choices import DocumentKind as K
from zhifa.records.demo import complete_file, finish, signature_png
from zhifa.review import actions as review_actions
from zhifa.review.models import Submission

from ..review.conftest import rw  # noqa: F401 (the rw fixture)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")


def _team(w):
    return [w.officer, w.officer2]


def _entries(case, action):
    return Entry.objects.filter(action=action, object_kind="cases.case", object_id=str(case.pk))


def _filed(w):
    case = w.new_case()
    case_actions.request_filing(w.officer, case)
    case_actions.approve_filing(w.head, case, opinion="同意立案")
    case.refresh_from_db()
    return case


def _make(w, case, kind, **kw):
    return finish(actions.generate_document(w.officer, case, kind=kind, **kw), _team(w), "李康宁")


def test_the_api_archive_checks_the_file_and_writes_the_retention_entry(cw, client):
    case = cw.new_case()
    case_actions.refuse_filing(cw.head, case, reason="不属于本机关管辖")
    client.force_login(cw.head)
    url = f"/api/v1/cases/{case.pk}/archive-case/"
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 400
    assert "缺少已定稿的《案件受理记录》" in refused.content.decode()
    assert not _entries(case, "records.archive_case").exists()
    complete_file(case, _team(cw))
    assert client.post(url, {}, content_type="application/json").status_code == 200
    case.refresh_from_db()
    assert case.state == "archived"
    assert _entries(case, "cases.archive_case").count() == 1
    assert _entries(case, "records.archive_case").count() == 1  # retention and 卷内目录, in the same action


def test_the_case_action_is_the_archive_action(cw):
    """The case page's spec calls cases.actions.archive_case: it too checks the file and records retention."""
    case = cw.new_case()
    case_actions.refuse_filing(cw.head, case, reason="不属于本机关管辖")
    with pytest.raises(RuleViolation, match="案件受理记录"):
        case_actions.archive_case(cw.head, case)
    complete_file(case, _team(cw))
    case_actions.archive_case(cw.head, case)
    assert _entries(case, "records.archive_case").count() == 1


def test_a_draft_investigation_report_is_named_and_refused(cw):
    case = _filed(cw)
    _make(cw, case, K.FILING_REPORT)
    actions.generate_document(cw.officer, case, kind=K.INVESTIGATION_REPORT)
    case_actions.terminate(cw.head, case, reason="当事人已注销")
    with pytest.raises(RuleViolation, match="《案件调查终结报告》仍是草稿，请定稿或作废"):
        case_actions.archive_case(cw.head, case)
    case.refresh_from_db()
    assert case.state == "terminated"


def test_every_missing_item_is_listed(cw):
    """A transfer case: the list names each document of its path that is missing, the 结案报告 among them."""
    case = cw.investigate(cw.new_case(), outcome="transfer")
    problems = archive.missing(case, archive.procedure_path(case))
    assert archive.procedure_path(case) == "transfer"
    for kind in (K.FILING_REPORT, K.INVESTIGATION_REPORT, K.TRANSFER_LETTER, K.CLOSING_REPORT):
        assert any(str(K(kind).label) in p for p in problems), kind
    assert any("现场笔录》或《询问笔录" in p for p in problems)
    with pytest.raises(RuleViolation, match="缺少已定稿的《结案报告》"):
        archive.check_complete(cw.head, case, "transfer")


def test_the_paths_are_declared_for_every_ending():
    assert set(archive.REQUIRED) == {
        "general",
        "hearing",
        "simple",
        "no_penalty",
        "transfer",
        "not_filed",
        "revoked",
        "terminated",
        "measure_released",
        "measure_disposed",
        "measure_refused",
        "requisition_returned",
        "requisition_kept",
        "requisition_refused",
        "confirmation",
        "inspection",
        "inspection_ordered",
    }
    for path in ("measure_released", "measure_disposed"):  # 行政强制法 arts. 18, 24
        assert {K.ONSITE_RECORD, K.SEIZURE_DECISION} <= set(archive.REQUIRED[path])
    for path in ("general", "hearing", "no_penalty", "transfer"):
        assert K.CLOSING_REPORT in archive.REQUIRED[path]
        assert archive.INVESTIGATION_RECORD in archive.REQUIRED[path]
    assert {K.HEARING_NOTICE, K.HEARING_RECORD, K.HEARING_REPORT} <= set(archive.REQUIRED["hearing"])


def test_evidence_fixity_is_checked_when_archiving(cw, tmp_path, settings):
    case = _filed(cw)
    path = tmp_path / "e"
    path.write_bytes(PDF)
    item = evidence.add_evidence(
        cw.officer,
        case,
        received=ingest.Received(path, hashlib.sha256(PDF).hexdigest(), len(PDF)),
        kind="documentary",
        description="营业执照复印件",
    )
    case_actions.terminate(cw.head, case, reason="当事人已注销")
    complete_file(case, _team(cw))
    stored = settings.MEDIA_ROOT / item.file_name
    stored.write_bytes(PDF + b"changed")
    with pytest.raises(RuleViolation, match="证据“营业执照复印件”存储完整性校验未通过"):
        case_actions.archive_case(cw.head, case)
    stored.write_bytes(PDF)
    case_actions.archive_case(cw.head, case)
    item.refresh_from_db()
    assert item.fixity_ok is True and item.fixity_checked_at is not None


def test_the_index_and_the_zip_hold_the_review_opinion(rw, tmp_path):  # noqa: F811
    case = rw.investigate(rw.new_case())
    submission = rw.approve(case)
    assert submission.state == "approved" and not submission.pdf_name
    case_actions.terminate(rw.head, case, reason="当事人已注销")
    complete_file(case, [rw.officer, rw.officer2])
    case_actions.archive_case(rw.head, case)
    submission.refresh_from_db()
    assert submission.pdf_name  # issued when the file closed
    case.refresh_from_db()
    titles = [r.title for r in archive.index(case)]
    assert titles == ["立案报告", "法制审核意见书"]
    out = tmp_path / "case.zip"
    with open(out, "wb") as fh:
        manifest = archive.package(case, fh)
    row = next(r for r in manifest["index"] if r["title"] == "法制审核意见书")
    assert row["doc_number"] == submission.number and row["sha256"] == submission.pdf_sha256
    with zipfile.ZipFile(out) as z:
        data = z.read(row["path"])
        key = z.read("ledger/agency.pub").decode()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == submission.pdf_sha256
    from zhifa.ledger import notes

    assert verify_archive.verify(str(out), notes.parse_vkey(key)) == []


def test_the_zip_holds_the_collective_discussion_record(rw, tmp_path):  # noqa: F811
    """Seen: the 集体讨论记录 was in neither the 卷内目录 nor the export zip."""
    from decimal import Decimal

    case = rw.investigate(rw.new_case())
    review_actions.set_policy(rw.sysadmin, rw.a, reviewer_ratio=Decimal("0.05"), discussion_quorum=2)
    deputy = rw.person(rw.a, "head_a5", "甲副局长", "agency_head")
    d = review_actions.open_discussion(
        rw.head, case, held_on=rw.clock.today, place="会议室", participants=[rw.reviewer, rw.officer2, deputy]
    )
    review_actions.record_opinion(rw.head, d, participant=rw.officer2, recused=True, reason="本案承办人")
    review_actions.record_opinion(rw.head, d, participant=rw.head, opinion="同意", vote="agree")
    review_actions.record_opinion(rw.head, d, participant=deputy, opinion="同意", vote="agree")
    review_actions.record_opinion(rw.head, d, participant=rw.reviewer, opinion="同意，建议从轻")
    review_actions.conclude_discussion(rw.head, d, conclusion="同意按拟处罚意见作出决定")
    rw.approve(case)
    case_actions.terminate(rw.head, case, reason="当事人已注销")
    complete_file(case, [rw.officer, rw.officer2])
    case_actions.archive_case(rw.head, case)
    d.refresh_from_db()
    assert d.pdf_name and d.pdf_sha256  # made when the file closed, its hash in the ledger
    assert Entry.objects.filter(action="review.issue_discussion_record", object_id=str(d.pk)).exists()
    case.refresh_from_db()
    out = tmp_path / "case.zip"
    with open(out, "wb") as fh:
        manifest = archive.package(case, fh)
    row = next(r for r in manifest["index"] if r["title"] == "集体讨论记录")
    assert row["sha256"] == d.pdf_sha256 and row["path"].endswith("collective_discussion_record.pdf")
    with zipfile.ZipFile(out) as z:
        data = z.read(row["path"])
        key = z.read("ledger/agency.pub").decode()
    assert hashlib.sha256(data).hexdigest() == d.pdf_sha256
    from tests.records.conftest import pdftotext

    text = pdftotext(data)
    assert "集体讨论记录" in text and "同意，建议从轻" in text and "本案承办人" in text
    assert "表决：同意" in text and "列席" in text and "同意按拟处理意见作出决定" in text
    from zhifa.ledger import notes

    assert verify_archive.verify(str(out), notes.parse_vkey(key)) == []


def test_a_pending_review_keeps_the_file_open(rw):  # noqa: F811
    case = rw.investigate(rw.new_case())
    rw.submit(case)
    case_actions.terminate(rw.head, case, reason="当事人已注销")
    complete_file(case, [rw.officer, rw.officer2])
    with pytest.raises(RuleViolation, match="法制审核尚未审结"):
        case_actions.archive_case(rw.head, case)
    review_actions.withdraw(rw.officer, Submission.objects.get(case=case), reason="案件终止")
    case_actions.archive_case(rw.head, case)


def test_nothing_is_signed_generated_or_uploaded_after_archiving(cw):
    case = cw.new_case()
    case_actions.refuse_filing(cw.head, case, reason="不属于本机关管辖")
    (intake,) = complete_file(case, _team(cw))
    case_actions.archive_case(cw.head, case)
    archived = "案件已归档，案卷只读"
    with pytest.raises(RuleViolation, match=archived):
        actions.generate_document(cw.officer, case, kind=K.SUPERVISION_OPINION)
    with pytest.raises(RuleViolation, match=archived):
        actions.sign_document(cw.officer, intake)
    with pytest.raises(RuleViolation, match=archived):
        actions.capture_party_signature(cw.officer, intake, signer_name="李康宁", png=signature_png())
    with pytest.raises(RuleViolation, match=archived):
        actions.attach_signed_scan(cw.officer, intake, signer_name="李康宁", data=signature_png())
    with pytest.raises(RuleViolation, match=archived):
        actions.correct_document(cw.officer, intake, reason="笔误")
    with pytest.raises(RuleViolation, match=archived):
        evidence.start_upload(cw.officer, case, size=10)
    with pytest.raises(RuleViolation, match=archived):  # the head too
        actions.generate_document(cw.head, case, kind=K.SUPERVISION_OPINION)


def test_an_upload_started_before_archiving_cannot_finish_after(cw):
    case = _filed(cw)
    upload = evidence.start_upload(cw.officer, case, size=len(PDF))
    case_actions.terminate(cw.head, case, reason="当事人已注销")
    complete_file(case, _team(cw))
    case_actions.archive_case(cw.head, case)
    with pytest.raises(RuleViolation, match="案件已归档"):
        evidence.finish_upload(cw.officer, upload.pk, kind="documentary", description="补充")
