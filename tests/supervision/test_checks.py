"""The platform's own judgement of a 案卷评查 scorecard (``supervision.checks.prefill``): a case walked properly to
结案 passes every check that applies; each test then breaks one thing — through the actions where they allow it,
else straight in the tables (as an imported or legacy file would look) — and the check fails, saying what it found."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases import conftest as cases_fixtures
from tests.records import conftest as records_fixtures
from zhifa.cases import actions
from zhifa.cases.choices import Outcome, PaymentKind, RecordKind, ServiceMethod
from zhifa.ledger.tracking import unrecorded_writes
from zhifa.records import evidence, ingest
from zhifa.supervision.checks import CHECKS, Finding, prefill

# The cases' world and its walking helpers, and the records' seal directory.
clock, cw = cases_fixtures.clock, cases_fixtures.cw
_seal_dir = records_fixtures._seal_dir


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")


def _add_evidence(cw, case, tmp_path, description):
    from tests.records.conftest import signature_png

    data = signature_png(100 + len(description), 40)
    path = tmp_path / f"in-{hashlib.sha256(data).hexdigest()[:8]}"
    path.write_bytes(data)
    return evidence.add_evidence(
        cw.officer,
        case,
        received=ingest.Received(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data)),
        kind="documentary",
        description=description,
    )


def _av_list(cw, act_code="seizure", mode="full"):
    """An 音像记录事项清单 line (the agency's working copy, in force when no version is published)."""
    from zhifa.catalog import actions as catalog_actions

    catalog_actions.save_av_item(
        None,
        cw.a,
        act_code=act_code,
        seq=1,
        act="查封、扣押场所、设施或者财物" if act_code == "seizure" else "现场检查",
        stage="investigation",
        place="现场",
        mode=mode,
        device="执法记录仪",
        recorder="执法人员",
        content="全过程",
    )


def _wait_statement(cw, case):
    case.refresh_from_db()
    cw.clock.move_to(dt.date.fromisoformat(case.notice_snapshot["statement_due"]) + dt.timedelta(days=1))


def decided(cw, tmp_path, documents=("filing_report", "onsite_record", "investigation_report"), inquiries=0):
    """A general-procedure penalty case (warning and a 5,000 yuan fine) with its documents, an evidence file and
    legal review, decided; ``inquiries`` more inquiry records made in a 补充调查."""
    from tests.records.conftest import inquiry

    _av_list(cw)
    case = cw.investigate(cw.new_case())
    if inquiries:
        actions.reopen_investigation(cw.officer, case, reason="补充询问证人")
        for _n in range(inquiries):
            inquiry(cw, case)
        actions.close_investigation(cw.officer, case)
        case.refresh_from_db()
    _add_evidence(cw, case, tmp_path, "营业场所照片")
    for kind in documents:
        cw.finalise(case, kind)
    cw.notice(case)
    _wait_statement(cw, case)
    cw.decide(case)
    case.refresh_from_db()
    return case


def close(cw, case, tmp_path, *, serve=True, publish=True):
    """The rest of the walk: the decision finalised and served, paid, published, closed; the evidence checked."""
    cw.finalise(case, "penalty_decision")
    if serve:
        cw.finalise(case, "service_receipt")
        actions.serve_decision(
            cw.officer, case, method=ServiceMethod.DIRECT, delivered_on=cw.clock.today, recipient="李康宁"
        )
    # evidence made after the decision is not what the reviewer saw, and does not unsettle the review
    _add_evidence(cw, case, tmp_path, "罚款缴纳凭证照片")
    actions.record_payment(
        cw.officer,
        case,
        kind=PaymentKind.FINE,
        amount=Decimal("5000"),
        paid_on=cw.clock.today,
        receipt_number="1",
    )
    if publish:
        _publish(cw, case)
    cw.finalise(case, "closing_report", {"result": "罚款已缴清，予以结案。"})
    actions.close_case(cw.head, case)
    evidence.check_case_fixity(cw.head, case)
    case.refresh_from_db()
    return case


def _publish(cw, case):
    from zhifa.publicity import publication

    pub = case.__class__.objects.get(pk=case.pk).publication
    publication.submit(cw.officer, pub)
    publication.release(cw.reviewer, pub)


@pytest.fixture
def closed(cw, tmp_path):
    return close(cw, decided(cw, tmp_path), tmp_path)


def test_a_case_walked_to_closing_passes_every_check(cw, closed, client):
    found = prefill(closed)
    assert (
        list(found)
        == list(CHECKS)
        == [
            "two_officers",
            "documents_final",
            "deadlines_met",
            "legal_review",
            "av_records",
            "service_proof",
            "publication",
            "fixity",
        ]
    )
    assert all(isinstance(f, Finding) for f in found.values())
    assert {code: f.result for code, f in found.items()} == dict.fromkeys(CHECKS, "pass"), {
        code: f.note for code, f in found.items()
    }
    assert found["two_officers"].note == "现场笔录 1 份，均有两名以上持证执法人员并记录出示执法证。"
    assert "一般程序" in found["documents_final"].note
    assert "审核的材料与作出决定时的案件材料一致" in found["legal_review"].note
    assert "在公开期限" in found["publication"].note
    assert found["fixity"].note.startswith("2个证据文件")
    # every link resolves for an officer of the case
    client.force_login(cw.officer)
    links = {url for f in found.values() for _label, url in f.evidence}
    assert any("/review/" in url for url in links) and any("/records/documents/" in url for url in links)
    for url in links:
        assert client.get(url).status_code == 200, url


def test_an_onsite_record_with_one_officer_fails(cw, closed):
    """add_record refuses a record with one officer; an imported file can still hold one."""
    record = closed.records.get(kind=RecordKind.ONSITE)
    with unrecorded_writes():
        record.officers.remove(cw.officer2)
        record.certificates_shown.remove(cw.officer2.certificates.get())
    finding = prefill(closed)["two_officers"]
    assert finding.result == "fail"
    assert finding.note == "第1份现场笔录只有一名执法人员。"
    assert any("/records/documents/" in url for _label, url in finding.evidence)  # its 现场笔录 document


def test_an_officer_without_a_valid_certificate_or_not_shown_fails(cw, closed):
    record = closed.records.get(kind=RecordKind.ONSITE)
    cert = cw.officer2.certificates.get()
    with unrecorded_writes():
        record.certificates_shown.remove(cert)
        type(cert).objects.filter(pk=cert.pk).update(valid_to=record.started_at.date() - dt.timedelta(days=1))
    note = prefill(closed)["two_officers"].note
    assert "没有有效的、适用于本执法领域的执法证" in note and "没有记录" in note and "出示执法证" in note


def test_a_missing_document_and_a_draft_left_fail(cw, tmp_path):
    from zhifa.records import actions as record_actions

    case = decided(cw, tmp_path, documents=("filing_report", "onsite_record"))  # no 调查终结报告
    record_actions.generate_document(cw.officer, case, kind="onsite_record")  # a second one, never finalised
    case = close(cw, case, tmp_path)
    finding = prefill(case)["documents_final"]
    assert finding.result == "fail"
    assert "缺少已定稿的《" in finding.note and "调查终结" in finding.note
    assert "《现场笔录》仍是草稿" in finding.note


def test_a_service_made_after_its_deadline_fails(cw, tmp_path):
    from zhifa.cases import deadlines

    case = decided(cw, tmp_path)
    due = deadlines.current(case, deadlines.SERVICE).due
    cw.clock.move_to(due + dt.timedelta(days=2))
    case = close(cw, case, tmp_path)
    finding = prefill(case)["deadlines_met"]
    assert finding.result == "fail"
    assert "送达" in finding.note and f"至{due.isoformat()}届满" in finding.note and "才完成" in finding.note
    assert any("/workdays/deadlines/" in url for _label, url in finding.evidence)


def test_a_decision_without_its_service_fails(cw, closed):
    with unrecorded_writes():  # a legacy file: closed with no record of the service
        closed.services.all().delete()
    finding = prefill(closed)["service_proof"]
    assert (finding.result, finding.note) == ("fail", "决定书没有送达记录。")


def test_a_direct_service_without_its_recipient_fails(cw, closed):
    with unrecorded_writes():
        closed.services.update(recipient="")
    finding = prefill(closed)["service_proof"]
    assert finding.result == "fail" and "请填写签收人" in finding.note


def test_a_review_of_other_materials_or_a_failed_review_fails(cw, closed):
    """The reviewer approved the file as it was submitted; an imported file whose on-site record differs from the
    one reviewed, or whose review did not pass, fails."""
    record = closed.records.get(kind=RecordKind.ONSITE)
    with unrecorded_writes():
        type(record).objects.filter(pk=record.pk).update(data={"observations": "另行改写的内容"})
    finding = prefill(closed)["legal_review"]
    assert finding.result == "fail"
    assert "与作出决定时的案件材料不一致" in finding.note and "修改现场笔录" in finding.note
    with unrecorded_writes():
        closed.submissions.update(state="problems")
    finding = prefill(closed)["legal_review"]
    assert finding.result == "fail" and "1轮审核均未通过" in finding.note


def test_no_review_at_all_fails_where_one_was_required(cw, closed):
    with unrecorded_writes():
        for s in closed.submissions.all():
            s.assignments.all().delete()
            s.opinions.all().delete()
        closed.submissions.all().delete()
    finding = prefill(closed)["legal_review"]
    assert finding.result == "fail" and "没有送审记录" in finding.note


def test_publication_late_pending_or_lawfully_withheld(cw, tmp_path):
    from zhifa.publicity import publication

    case = close(cw, decided(cw, tmp_path), tmp_path, publish=False)
    pub = case.publication
    finding = prefill(case)["publication"]
    assert finding.result is None and f"公开期限至{pub.due_on.isoformat()}" in finding.note
    cw.clock.move_to(pub.due_on + dt.timedelta(days=1))
    finding = prefill(case)["publication"]
    assert finding.result == "fail" and "至今未公开" in finding.note
    publication.submit(cw.officer, pub)
    publication.release(cw.reviewer, pub)
    finding = prefill(case)["publication"]
    assert finding.result == "fail" and "才公开，超过公开期限" in finding.note


def test_a_decision_withheld_by_the_head_passes(cw, tmp_path):
    from zhifa.publicity import publication

    case = close(cw, decided(cw, tmp_path), tmp_path, publish=False)
    publication.decide_not_to_publish(cw.head, case.publication, ground="secret", explanation="涉及商业秘密")
    finding = prefill(case)["publication"]
    assert finding.result == "pass" and "依法不予公开" in finding.note


def test_a_record_the_av_list_requires_recorded_fails(cw, closed):
    """The list now says 现场检查 is recorded from start to end; the file's on-site record has no recording."""
    _av_list(cw, act_code="on-site-inspection", mode="full")
    finding = prefill(closed)["av_records"]
    assert finding.result == "fail"
    assert finding.note == "第1份现场笔录（现场检查）属于须全程音像记录的事项，未附音像记录。"


def test_the_av_check_is_left_to_the_evaluator_without_a_list_or_a_reason(cw, closed):
    from zhifa.catalog.models import AvRecordingItem

    _av_list(cw, act_code="on-site-inspection", mode="as_needed")
    finding = prefill(closed)["av_records"]
    assert finding.result is None and "根据情况" in finding.note
    with unrecorded_writes():
        AvRecordingItem.objects.filter(agency=cw.a).update(active=False)
    finding = prefill(closed)["av_records"]
    assert finding.result is None and "没有音像记录事项清单" in finding.note


def test_a_tampered_evidence_file_fails(cw, closed):
    item = closed.evidence.order_by("id").first()
    with open(default_storage.path(item.file_name), "r+b") as fh:
        fh.seek(40)
        fh.write(b"\x00")
    evidence.check_fixity()
    finding = prefill(closed)["fixity"]
    assert finding.result == "fail"
    assert finding.note == "“营业场所照片”存储完整性校验未通过（文件缺失或被改动）。"
    assert any("/records/evidence/" in url for _label, url in finding.evidence)


def test_a_transfer_has_no_decision_to_serve_or_publish(cw, tmp_path):
    case = cw.investigate(cw.new_case(), outcome=Outcome.TRANSFER)
    for kind in ("filing_report", "onsite_record", "investigation_report"):
        cw.finalise(case, kind)
    cw.decide(case)
    cw.finalise(case, "transfer_letter")
    cw.finalise(case, "closing_report", {"result": "已移送甲区公安分局。"})
    actions.close_case(cw.head, case)
    case.refresh_from_db()
    found = prefill(case)
    assert (found["service_proof"].result, found["publication"].result) == ("pass", "pass")
    assert "移送司法机关" in found["service_proof"].note and "移送司法机关" in found["publication"].note
    assert found["documents_final"].result == "pass", found["documents_final"].note
    assert found["fixity"].result == "pass" and "不适用" in found["fixity"].note


def test_queries_are_bounded(cw, closed, tmp_path):
    """A file's records do not multiply the queries: a file with ten more inquiry records costs the same."""
    from zhifa.cases.models import Case

    def fresh(case):  # as the evaluation's draw reads its cases
        return Case.objects.select_related("agency", "unit").get(pk=case.pk)

    bigger = close(cw, decided(cw, tmp_path, inquiries=10), tmp_path)
    prefill(fresh(closed))  # what the process caches once (content types)
    closed, bigger = fresh(closed), fresh(bigger)
    with CaptureQueriesContext(connection) as one:
        prefill(closed)
    with CaptureQueriesContext(connection) as eleven:
        found = prefill(bigger)
    assert {f.result for f in found.values()} == {"pass"}, {code: f.note for code, f in found.items()}
    assert "询问笔录 10 份" in found["two_officers"].note
    assert len(eleven) == len(one) <= 35, [q["sql"] for q in eleven.captured_queries]
