"""Evidence: streamed and resumable uploads, typing by content, refusals that leave nothing behind, fixity, Range,
the 全程 recording obligation, secrecy marks, the review digest, pages and API permissions."""

import datetime as dt
import hashlib
import io
import shutil
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests.records.conftest import signature_png
from zhifa.cases import actions as case_actions
from zhifa.cases.choices import RecordKind
from zhifa.core.errors import RuleViolation
from zhifa.ledger.models import Entry
from zhifa.records import evidence, ingest
from zhifa.records.models import Evidence, EvidenceUpload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="Debian ffmpeg not installed")


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")


@pytest.fixture
def case(cw):
    c = cw.new_case()
    case_actions.request_filing(cw.officer, c)
    case_actions.approve_filing(cw.head, c, opinion="同意立案")
    c.refresh_from_db()
    return c


def received(tmp_path, data: bytes, name="file.bin") -> ingest.Received:
    path = tmp_path / f"in-{hashlib.sha256(data).hexdigest()[:8]}"
    path.write_bytes(data)
    return ingest.Received(
        path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data), original_name=name
    )


def add(cw, case, tmp_path, data=None, **meta):
    meta = {"kind": "documentary", "description": "营业场所照片", **meta}
    return evidence.add_evidence(
        cw.officer, case, received=received(tmp_path, data or signature_png()), **meta
    )


def mp4(tmp_path, seconds=2) -> bytes:
    out = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=size=64x48:rate=10:duration={seconds}",
            "-pix_fmt",
            "yuv420p",
            str(out),
        ],
        check=True,
    )
    return out.read_bytes()


def test_add_evidence_stores_by_hash_with_ledger_entry(cw, case, tmp_path):
    data = signature_png()
    item = add(
        cw,
        case,
        tmp_path,
        data,
        original_name="x.pdf",
        officers=[cw.officer, cw.officer2],
        latitude="26.074508",
        longitude="119.296494",
        place="甲区健康路1号",
    )
    sha = hashlib.sha256(data).hexdigest()
    assert item.sha256 == sha and item.content_type == "image/png" and item.size == len(data)
    assert item.file_name == f"evidence/{sha[:2]}/{sha}.png"
    assert default_storage.open(item.file_name).read() == data
    entry = Entry.objects.get(action="records.add_evidence", object_id=str(item.pk))
    assert sha in bytes(entry.body).decode()
    from zhifa.ledger.actions import run_verification

    evidence.check_fixity()  # fixity bookkeeping is volatile: the state check still passes
    assert run_verification(agency=cw.a, state=True).ok


def test_type_comes_from_the_bytes_not_the_name(cw, case, tmp_path):
    fake = received(tmp_path, b"MZ\x90\x00 this is an exe" * 50, name="video.mp4")
    with pytest.raises(RuleViolation, match="不支持该文件类型"):
        evidence.add_evidence(cw.officer, case, received=fake, kind="audiovisual", description="伪装的视频")
    assert not Evidence.objects.exists()
    assert not default_storage.exists(f"evidence/{fake.sha256[:2]}/{fake.sha256}.mp4")


def test_oversize_refused(cw, case, tmp_path, settings):
    settings.RECORDS_EVIDENCE_MAX_BYTES = 100
    with pytest.raises(RuleViolation, match="超过允许的大小"):
        add(cw, case, tmp_path, PDF * 10)
    with pytest.raises(RuleViolation, match="超过允许的大小"):
        evidence.start_upload(cw.officer, case, size=101)
    assert not Evidence.objects.exists()


def test_resumed_upload_gives_the_same_hash_and_no_row_before_complete(cw, case, tmp_path):
    data = PDF + b"x" * 300_000
    up = evidence.start_upload(
        cw.officer, case, size=len(data), original_name="扫描.pdf", sha256=hashlib.sha256(data).hexdigest()
    )
    # the connection drops after 1000 of 200000 bytes of the first piece
    evidence.receive_piece(cw.officer, up.pk, offset=0, stream=io.BytesIO(data[:1000]), length=200_000)
    up.refresh_from_db()
    assert up.received == 1000 and not Evidence.objects.exists()
    with pytest.raises(RuleViolation, match="续传位置不正确"):
        evidence.receive_piece(cw.officer, up.pk, offset=0, stream=io.BytesIO(data), length=len(data))
    with pytest.raises(RuleViolation, match="尚未上传完整"):
        evidence.finish_upload(cw.officer, up.pk, kind="documentary", description="扫描件")
    evidence.receive_piece(
        cw.officer, up.pk, offset=1000, stream=io.BytesIO(data[1000:]), length=len(data) - 1000
    )
    item = evidence.finish_upload(cw.officer, up.pk, kind="documentary", description="扫描件")
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert not ingest.part_path(up.pk).exists()
    up.refresh_from_db()
    assert up.state == "done" and up.evidence_id == item.pk


def test_killed_upload_leaves_no_row_and_sweep_removes_it(cw, case, tmp_path):
    data = PDF * 1000
    up = evidence.start_upload(cw.officer, case, size=len(data))
    evidence.receive_piece(cw.officer, up.pk, offset=0, stream=io.BytesIO(data[:500]), length=500)
    orphan = ingest.part_path("00000000-0000-0000-0000-000000000000")
    orphan.write_bytes(b"left by a killed process")
    assert not Evidence.objects.exists()
    assert evidence.sweep_uploads() == 1  # the orphan; the live upload stays
    assert ingest.part_path(up.pk).exists() and not orphan.exists()
    assert evidence.sweep_uploads(now=timezone.now() + dt.timedelta(days=3)) == 1
    assert not ingest.part_path(up.pk).exists()
    assert evidence.check_fixity() == []


def test_wrong_declared_hash_refused_and_removed(cw, case):
    data = PDF * 10
    up = evidence.start_upload(cw.officer, case, size=len(data), sha256="0" * 64)
    evidence.receive_piece(cw.officer, up.pk, offset=0, stream=io.BytesIO(data), length=len(data))
    with pytest.raises(RuleViolation, match="SHA-256不一致"):
        evidence.finish_upload(cw.officer, up.pk, kind="documentary", description="扫描件")
    assert not ingest.part_path(up.pk).exists() and not Evidence.objects.exists()
    assert EvidenceUpload.objects.get(pk=up.pk).state == "abandoned"


def test_fixity_finds_a_tampered_file_and_ledger_verify_too(cw, case, tmp_path):
    from zhifa.ledger.actions import run_verification

    good = add(cw, case, tmp_path, PDF)
    bad = add(cw, case, tmp_path, signature_png(200, 50))
    results = evidence.check_fixity()
    assert {r["result"] for r in results} == {"ok"}
    path = default_storage.path(bad.file_name)
    with open(path, "r+b") as fh:
        fh.seek(40)
        fh.write(b"\x00")
    results = {r["evidence"]: r["result"] for r in evidence.check_fixity(limit=5)}
    assert results == {good.pk: "ok", bad.pk: "mismatch"}
    bad.refresh_from_db()
    assert bad.fixity_ok is False
    assert Entry.objects.filter(action="records.fixity_check", object_id=str(bad.pk)).count() == 2
    report = run_verification(agency=cw.a)
    assert not report.ok
    from zhifa.records import access

    assert [t["url"] for t in access.tasks_for(cw.supervisor)] == [reverse("cases:detail", args=[case.pk])]
    assert access.tasks_for(cw.officer) == []


def test_fixity_oldest_checked_first(cw, case, tmp_path):
    items = [add(cw, case, tmp_path, PDF + bytes([i])) for i in range(3)]
    first = [r["evidence"] for r in evidence.check_fixity(limit=2)]
    second = [r["evidence"] for r in evidence.check_fixity(limit=2)]
    assert first == [items[0].pk, items[1].pk] and second[0] == items[2].pk


def test_evidence_changes_the_review_digest(cw, case, tmp_path):
    from zhifa.review.digest import case_digest

    before, _ = case_digest(case)
    item = add(cw, case, tmp_path)
    after, items = case_digest(case)
    assert before != after and any(k == f"evidence:{item.pk}" for k, _v in items)


@needs_ffmpeg
def test_video_probed_and_seizure_needs_its_recording(cw, case, tmp_path):
    from zhifa.catalog import actions as catalog_actions

    catalog_actions.save_av_item(
        None,
        cw.a,
        act_code="seizure",
        seq=1,
        act="查封、扣押场所、设施或者财物",
        stage="investigation",
        place="现场",
        mode="full",
        device="执法记录仪",
        recorder="执法人员",
        content="全过程",
    )

    def seize():
        return case_actions.add_record(
            cw.officer,
            case,
            kind=RecordKind.SEIZURE,
            data={"items": "药品10盒"},
            started_at=timezone.now(),
            place="甲区健康路1号",
            officers=[cw.officer, cw.officer2],
            certificates_shown=cw.certs(),
            approved_by=cw.head,
            period_days=30,
        )

    with pytest.raises(RuleViolation, match="须全程音像记录"):
        seize()
    assert not case.records.filter(kind=RecordKind.SEIZURE).exists()
    video = add(
        cw,
        case,
        tmp_path,
        mp4(tmp_path),
        kind="audiovisual",
        description="查封扣押执法记录仪视频",
        act_code="seizure",
        device_id="DSJ-001",
    )
    assert video.content_type == "video/mp4" and video.duration == pytest.approx(2, abs=0.2)
    assert "h264" in video.codec or video.codec
    record = seize()
    video.refresh_from_db()
    assert video.record_id == record.pk
    assert evidence.av_flags(case) == []
    from zhifa.ledger.actions import run_verification

    assert run_verification(agency=cw.a, state=True).ok  # the link to the record is in the ledger too


@pytest.mark.parametrize("reason", ["", "当事人拒绝录像，已在笔录中注明"])
def test_as_needed_acts_are_flagged(cw, case, reason):
    from zhifa.catalog import actions as catalog_actions

    catalog_actions.save_av_item(
        None,
        cw.a,
        act_code="on-site-inspection",
        seq=4,
        act="现场检查",
        stage="investigation",
        place="现场",
        mode="as_needed",
        device="执法记录仪",
        recorder="执法人员",
        content="检查过程",
    )
    case_actions.add_record(
        cw.officer,
        case,
        kind=RecordKind.ONSITE,
        data={"observations": "无证行医", "av_skip_reason": reason},
        started_at=timezone.now(),
        place="甲区健康路1号",
        officers=[cw.officer, cw.officer2],
        certificates_shown=cw.certs(),
    )
    [flag] = evidence.av_flags(case)
    assert not flag["mandatory"] and flag["level"] == ("ok" if reason else "warn")


def test_marked_evidence_only_for_the_case_people(cw, case, tmp_path, client):
    from zhifa.org import actions as org_actions
    from zhifa.org.choices import Role

    item = add(cw, case, tmp_path, secrecy="commercial")
    other = cw.person(cw.a, "officer_a3", "甲执法三", Role.OFFICER, unit=cw.section)
    client.force_login(other)
    assert client.get(reverse("records:evidence", args=[item.pk])).status_code == 403
    assert Entry.objects.filter(action="records.access_refused", object_id=str(item.pk)).exists()
    client.force_login(cw.officer)
    page = client.get(reverse("records:evidence", args=[item.pk]))
    assert "调阅事由" in page.content.decode()
    assert client.get(reverse("records:evidence_file", args=[item.pk])).status_code == 403
    client.post(reverse("records:evidence", args=[item.pk]), {"reason": "核对证据"})
    assert client.get(reverse("records:evidence_file", args=[item.pk])).status_code == 200
    assert Entry.objects.filter(action="ledger.access", object_id=str(item.pk)).exists()
    del org_actions


def test_range_requests(cw, case, tmp_path, client):
    data = bytes(range(256)) * 40 + PDF
    data = PDF + data
    item = add(cw, case, tmp_path, data)
    client.force_login(cw.officer)
    url = reverse("records:evidence_file", args=[item.pk])
    r = client.get(url, HTTP_RANGE="bytes=100-199")
    assert r.status_code == 206 and b"".join(r.streaming_content) == data[100:200]
    assert r["Content-Range"] == f"bytes 100-199/{len(data)}"
    r = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(r.streaming_content) == data[-10:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(data)}-").status_code == 416
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == data


def test_pages_permissions(cw, case, tmp_path, client):
    item = add(cw, case, tmp_path)
    url = reverse("records:evidence", args=[item.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(cw.officer_b)
    assert client.get(url).status_code == 404  # another agency
    assert client.get(reverse("records:evidence_upload", args=[case.pk])).status_code == 404
    client.force_login(cw.reviewer)
    assert client.get(url).status_code == 200
    assert client.get(reverse("records:evidence_upload", args=[case.pk])).status_code == 403  # wrong role
    assert client.get(reverse("records:access_log")).status_code == 403
    client.force_login(cw.supervisor)
    page = client.get(reverse("records:access_log")).content.decode()
    assert "调阅记录" in page and "甲审核" in page
    client.force_login(cw.officer)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "证据与音像记录" in detail and item.description in detail
    party = client.get(reverse("cases:party", args=[case.party_id])).content.decode()
    assert item.description in party


def test_upload_page_streams_and_refuses_disguised_file(cw, case, client):
    client.force_login(cw.officer)
    url = reverse("records:evidence_upload", args=[case.pk])
    fake = io.BytesIO(b"not really a video" * 100)
    fake.name = "seizure.mp4"
    r = client.post(url, {"file": fake, "kind": "audiovisual", "description": "视频"})
    assert "不支持该文件类型" in r.content.decode() and not Evidence.objects.exists()
    pdf = io.BytesIO(PDF)
    pdf.name = "photo.jpg"
    r = client.post(url, {"file": pdf, "kind": "documentary", "description": "书证扫描"})
    assert r.status_code == 302
    item = Evidence.objects.get()
    assert item.content_type == "application/pdf" and item.original_name == "photo.jpg"


def test_api_resumable_upload_and_permissions(cw, case, client):
    data = PDF + b"y" * 5000
    client.force_login(cw.officer_b)
    assert (
        client.post(
            "/api/v1/evidence-uploads/", {"case": case.pk, "size": len(data)}, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(cw.reviewer)
    assert (
        client.post(
            "/api/v1/evidence-uploads/", {"case": case.pk, "size": len(data)}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(cw.officer)
    r = client.post(
        "/api/v1/evidence-uploads/",
        {"case": case.pk, "size": len(data), "name": "a.pdf"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    uid = r.json()["id"]
    r = client.put(
        f"/api/v1/evidence-uploads/{uid}/",
        data[:3000],
        content_type="application/octet-stream",
        HTTP_UPLOAD_OFFSET="0",
    )
    assert r.status_code == 200 and r["Upload-Offset"] == "3000"
    assert client.get(f"/api/v1/evidence-uploads/{uid}/").json()["received"] == 3000
    client.put(
        f"/api/v1/evidence-uploads/{uid}/",
        data[3000:],
        content_type="application/octet-stream",
        HTTP_UPLOAD_OFFSET="3000",
    )
    complete = f"/api/v1/evidence-uploads/{uid}/complete/"
    meta = {"kind": "documentary", "description": "书证", "collected_at": "", "latitude": "", "longitude": ""}
    r = client.post(complete, {**meta, "collected_at": "昨天"}, content_type="application/json")
    assert r.status_code == 400 and "collected_at" in r.json()  # a wrong date is named, and nothing is made
    assert not Evidence.objects.filter(case=case).exists()
    # optional fields left empty, as a form sends them, are no value
    r = client.post(complete, meta, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["sha256"] == hashlib.sha256(data).hexdigest()
    eid = r.json()["id"]
    assert client.get(f"/api/v1/evidence/{eid}/").json()["sha256"] == hashlib.sha256(data).hexdigest()
    listed = client.get(f"/api/v1/evidence/?case={case.pk}").json()
    assert [row["id"] for row in listed.get("results", listed)] == [eid]
    r = client.get(f"/api/v1/evidence/{eid}/file/", HTTP_RANGE="bytes=0-9")
    assert r.status_code == 206 and b"".join(r.streaming_content) == data[:10]
    client.force_login(cw.supervisor)
    log = client.get("/api/v1/access-log/").json()
    assert any(row["kind"] == "records.evidence" and row["object_id"] == str(eid) for row in log)
    client.force_login(cw.officer)
    assert client.get("/api/v1/access-log/").status_code == 403


def test_process_killed_mid_piece_then_resumed(cw, case, tmp_path):
    """A real process writing a piece is killed (SIGKILL) part-way: no evidence row; the bytes past the recorded
    offset are dropped when the client resumes from it, and the result hashes like a single upload."""
    import os
    import signal
    import sys
    import time

    data = PDF + os.urandom(3_000_000)
    up = evidence.start_upload(cw.officer, case, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    evidence.receive_piece(cw.officer, up.pk, offset=0, stream=io.BytesIO(data[:1_000_000]), length=1_000_000)
    part = ingest.part_path(up.pk)
    writer = (
        "import sys, time\n"
        "from zhifa.records import ingest\n"
        "class Slow:\n"
        "    def read(self, n):\n"
        "        time.sleep(0.05)\n"
        "        return sys.stdin.buffer.read(min(n, 65536))\n"
        f"ingest.append_piece(__import__('pathlib').Path({str(part)!r}), 1000000, Slow(), 2000000, chunk=65536)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", writer], stdin=subprocess.PIPE, cwd=os.getcwd())
    proc.stdin.write(data[1_000_000:3_000_000])
    proc.stdin.flush()
    deadline = time.monotonic() + 10
    while part.stat().st_size < 1_200_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 1_000_000 < part.stat().st_size < len(data)
    assert not Evidence.objects.exists()
    assert evidence.check_fixity() == []
    up.refresh_from_db()
    assert up.received == 1_000_000  # the killed piece was never recorded
    evidence.receive_piece(
        cw.officer, up.pk, offset=1_000_000, stream=io.BytesIO(data[1_000_000:]), length=len(data) - 1_000_000
    )
    item = evidence.finish_upload(cw.officer, up.pk, kind="electronic", description="执法记录仪导出数据")
    assert item.sha256 == hashlib.sha256(data).hexdigest()


def test_fixity_covers_finalised_documents(investigating):
    from zhifa.ledger.actions import run_verification
    from zhifa.records import access
    from zhifa.records import actions as record_actions
    from zhifa.records.choices import DocumentKind

    w = investigating
    doc = record_actions.generate_document(w.officer, w.case, kind=DocumentKind.INQUIRY_RECORD)
    record_actions.sign_document(w.officer, doc)
    record_actions.sign_document(w.officer2, doc)
    record_actions.record_refusal(w.officer, doc, signer_name="李康宁", witness="王五")
    doc = record_actions.finalise_document(w.officer, doc)
    results = [r for r in evidence.check_fixity() if "document" in r]
    assert {(r["file"], r["result"]) for r in results} == {(doc.pdf_name, "ok"), (doc.docx_name, "ok")}
    assert run_verification(
        agency=w.a, state=True
    ).ok  # the fixity bookkeeping is not a change to the document
    with open(default_storage.path(doc.pdf_name), "r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00")
    results = {r["file"]: r["result"] for r in evidence.check_fixity() if "document" in r}
    assert results == {doc.pdf_name: "mismatch", doc.docx_name: "ok"}
    assert any("文书文件完整性校验失败" in t["label"] for t in access.tasks_for(w.supervisor))
