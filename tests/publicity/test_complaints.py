"""投诉举报 and 咨询: submitted without an account, a receipt number and a query code (only its hash is kept),
a status page, handled by the agency's business roles, and refused to everyone else."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.publicity import actions
from zhifa.publicity.models import Complaint, ComplaintAttachment

NEW = reverse("publicity:complaint_new")
STATUS = reverse("publicity:complaint_status")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _form(**extra):
    data = {
        "kind": "complaint",
        "subject": "执法人员未出示证件",
        "content": "3月1日在某诊所检查时，执法人员未出示执法证件。",
        "name": "李四",
        "phone": "13800000000",
    }
    data.update(extra)
    return data


def _submit(client, **extra):
    response = client.post(NEW, _form(**extra))
    html = response.content.decode()
    receipt = re.search(r'id="receipt">(\d+)<', html)
    code = re.search(r'id="query-code">([A-Z0-9]+)<', html)
    return response, receipt and receipt.group(1), code and code.group(1)


def test_submit_without_login_and_follow_progress(client, world):
    response, receipt, code = _submit(client)
    assert response.status_code == 200 and receipt and code
    complaint = Complaint.objects.get(receipt_number=receipt)
    assert complaint.agency == world.a and complaint.name == "李四"
    assert code not in complaint.key_hash and complaint.key_hash.startswith(("md5$", "argon2", "pbkdf2"))
    status = client.post(STATUS, {"receipt_number": receipt, "code": code.lower()}).content.decode()
    assert "已登记" in status and "执法人员未出示证件" in status
    assert "李四" not in status and "13800000000" not in status
    wrong = client.post(STATUS, {"receipt_number": receipt, "code": "WRONG123"}).content.decode()
    assert "受理编号或查询码不正确" in wrong and "执法人员未出示证件" not in wrong
    unknown = client.post(STATUS, {"receipt_number": "20260101000000", "code": code}).content.decode()
    assert "受理编号或查询码不正确" in unknown


def test_staff_handle_and_the_answer_reaches_the_submitter(client, login, world):
    complaint, code = actions.submit_complaint(
        world.a, kind="consultation", subject="咨询校验时间", content="请问诊所执业许可证多久校验一次？"
    )
    staff = login(world.officer)
    detail = reverse("catalog:complaint_detail", args=[complaint.pk])
    assert "请问诊所执业许可证" in staff.get(detail).content.decode()
    response = staff.post(detail, {"status": "processing", "note": "内部核查中", "public": ""})
    assert response.status_code == 302
    response = staff.post(detail, {"status": "answered", "note": "床位不满100张的医疗机构每年校验1次。"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.handled_by == world.officer
    staff.logout()
    page = client.post(STATUS, {"receipt_number": complaint.receipt_number, "code": code}).content.decode()
    assert "已办结" in page and "每年校验1次" in page and "内部核查中" not in page
    # A closed complaint cannot be moved again.
    with pytest.raises(Exception, match="不能改为"):
        actions.handle_complaint(world.officer, complaint, status="processing", note="再办")


def test_length_and_attachment_checks(client, world):
    before = Complaint.objects.count()
    response, receipt, _code = _submit(client, content="太短")
    assert receipt is None and "内容应为10至2000个字" in response.content.decode()
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00" + b"\0" * 500, content_type="application/pdf")
    response, receipt, _code = _submit(client, attachments=[fake])
    assert receipt is None and "内容类型" in response.content.decode()
    renamed = SimpleUploadedFile("照片.pdf", PNG, content_type="application/pdf")
    response, receipt, _code = _submit(client, attachments=[renamed])
    assert receipt is None and "扩展名与内容不符" in response.content.decode()
    many = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(4)]
    response, receipt, _code = _submit(client, attachments=many)
    assert receipt is None and "附件最多3个" in response.content.decode()
    assert Complaint.objects.count() == before and not ComplaintAttachment.objects.exists()
    ok = [SimpleUploadedFile("收据.pdf", PDF), SimpleUploadedFile("现场.png", PNG)]
    response, receipt, _code = _submit(client, attachments=ok)
    assert receipt
    stored = Complaint.objects.get(receipt_number=receipt).attachments.order_by("id")
    assert [(a.original_name, a.content_type) for a in stored] == [
        ("收据.pdf", "application/pdf"),
        ("现场.png", "image/png"),
    ]


def test_attachment_size_limit(world, settings):
    from zhifa.publicity import rules

    big = b"%PDF-1.4\n" + b"0" * rules.ATTACHMENT_MAX_BYTES
    with pytest.raises(Exception, match="超过大小限制"):
        actions.submit_complaint(
            world.a,
            kind="report",
            subject="x",
            content="足够长的举报内容文字",
            attachments=[("big.pdf", big)],
        )


@pytest.mark.usefixtures("within_one_minute")
def test_complaint_form_is_rate_limited(client, world, settings):
    settings.PORTAL_COMPLAINT_PER_MINUTE = 2
    assert _submit(client)[1] and _submit(client)[1]
    response = client.post(NEW, _form())
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
    assert Complaint.objects.count() == 2


@pytest.mark.usefixtures("within_one_minute")
def test_status_lookup_is_rate_limited(client, world, settings):
    settings.PORTAL_STATUS_PER_MINUTE = 2
    for _ in range(2):
        client.post(STATUS, {"receipt_number": "1", "code": "X"})
    assert client.post(STATUS, {"receipt_number": "1", "code": "X"}).status_code == 429


def test_staff_page_denials(client, login, world):
    complaint, _code = actions.submit_complaint(
        world.a, kind="report", subject="举报", content="举报内容足够长的文字。"
    )
    other, _ = actions.submit_complaint(
        world.b, kind="report", subject="乙区举报", content="举报内容足够长的文字。"
    )
    detail = reverse("catalog:complaint_detail", args=[complaint.pk])
    listing = reverse("catalog:complaints")
    # Anonymous: to the login page.
    assert client.get(listing).url.startswith(reverse("login"))
    # The three administrators: never.
    for admin in (world.sysadmin, world.secadmin, world.auditor):
        c = login(admin)
        assert c.get(listing).status_code == 403
        assert c.get(detail).status_code == 404
    # Another agency's officer: not found.
    c = login(world.officer_b)
    html = c.get(listing).content.decode()
    assert other.receipt_number in html and complaint.receipt_number not in html
    assert c.get(detail).status_code == 404
    # The supervisor reads but does not handle.
    c = login(world.supervisor)
    assert c.get(detail).status_code == 200
    assert c.post(detail, {"status": "answered", "note": "x"}).status_code == 403
    with pytest.raises(Exception, match="没有办理"):
        actions.handle_complaint(world.supervisor, complaint, status="answered", note="x")
    # Officers, unit heads and heads of the agency handle.
    c = login(world.head)
    assert (
        c.post(detail, {"status": "rejected", "note": "不属于本机关职责，已告知向有关部门反映。"}).status_code
        == 302
    )
    assert other.pk not in [x.pk for x in login(world.officer).get(listing).context["page"]]


def test_attachments_are_for_staff_only(client, login, world):
    complaint, _code = actions.submit_complaint(
        world.a,
        kind="report",
        subject="举报",
        content="举报内容足够长的文字。",
        attachments=[("证据.pdf", PDF)],
    )
    att = complaint.attachments.get()
    url = reverse("catalog:complaint_attachment", args=[complaint.pk, att.pk])
    assert client.get(url).status_code == 302
    assert login(world.officer_b).get(url).status_code == 404
    response = login(world.officer).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_complaints_api(login, world):
    complaint, _code = actions.submit_complaint(
        world.a, kind="report", subject="举报", content="举报内容足够长的文字。"
    )
    api = login(world.officer)
    rows = api.get("/api/v1/complaints/").json()["results"]
    assert [r["receipt_number"] for r in rows] == [complaint.receipt_number]
    response = api.post(
        f"/api/v1/complaints/{complaint.pk}/handle/",
        {"status": "processing", "note": "已转承办科室"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "processing"
    assert login(world.sysadmin).get("/api/v1/complaints/").json()["results"] == []
