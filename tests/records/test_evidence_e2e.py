"""In a real browser (Debian chromium): an officer uploads a seizure's video through the page — in pieces to the
resumable API — it is typed, hashed, probed and played; the seizure record then goes through."""

import hashlib
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import signed_in
from tests.records.test_e2e_signature import _in_browser
from zhifa.cases import actions as case_actions
from zhifa.cases.choices import RecordKind
from zhifa.records.models import Evidence, EvidenceUpload

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs Debian ffmpeg"),
]


def test_officer_uploads_the_seizure_video_in_the_browser(live_server, cw, tmp_path, settings):
    from zhifa.catalog import actions as catalog_actions

    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")
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
    case = cw.new_case()
    case_actions.request_filing(cw.officer, case)
    case_actions.approve_filing(cw.head, case, opinion="同意立案")
    video = tmp_path / "DSJ0001.mp4"
    # ~10 MB of noise video: more than one 8 MB piece
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "nullsrc=s=320x240:d=4,geq=random(1)*255:128:128",
            "-c:v",
            "mpeg4",
            "-q:v",
            "1",
            str(video),
        ],
        check=True,
    )
    size = video.stat().st_size
    username = cw.officer.username

    def steps(page):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        signed_in(page)
        page.goto(f"{live_server.url}/records/cases/{case.pk}/evidence/new/")
        page.get_by_label("证据文件").set_input_files(str(video))
        page.get_by_label("证据种类").select_option("audiovisual")
        page.get_by_label("证据说明").fill("查封扣押现场执法记录仪视频")
        page.get_by_label("音像记录事项").select_option("seizure")
        page.get_by_role("button", name="上传并登记").click()
        page.wait_for_url("**/records/evidence/*/", timeout=60_000)
        expect(page.locator("video")).to_have_count(1)
        expect(page.get_by_text(hashlib.sha256(video.read_bytes()).hexdigest())).to_be_visible()

    _in_browser(steps)
    item = Evidence.objects.get()
    assert EvidenceUpload.objects.get().evidence_id == item.pk  # it went through the resumable API
    assert size > 8 * 1024 * 1024  # in more than one piece
    assert item.size == size and item.content_type == "video/mp4" and item.act_code == "seizure"
    assert item.duration and item.duration == pytest.approx(4, abs=0.5)
    record = case_actions.add_record(
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
    item.refresh_from_db()
    assert item.record_id == record.pk
