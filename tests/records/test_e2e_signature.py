"""In a real browser (Debian chromium): the party signs on the touch-screen canvas, the officer finalises."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import browser, page  # noqa: F401
from zhifa.records import actions, storage, uploads
from zhifa.records.choices import DocumentKind, DocumentState, SignatureMethod
from zhifa.records.models import Document

pytestmark = pytest.mark.e2e


def test_the_party_signs_on_the_canvas_and_the_officer_finalises(page, live_server, investigating):  # noqa: F811
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    actions.sign_document(investigating.officer, doc)
    actions.sign_document(investigating.officer2, doc)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(investigating.officer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/records/documents/{doc.pk}/party-signature/")
    page.get_by_role("button", name="确认签名").click()  # nothing drawn yet: the page asks for a signature
    expect(page.locator("#signature-message")).to_contain_text("请先在框内签名")

    box = page.locator("#signature-pad").bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 120)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 40 + step * 25, box["y"] + 120 - (step % 3) * 30)
    page.mouse.up()
    page.get_by_role("button", name="确认签名").click()
    expect(page.locator(".messages")).to_contain_text("当事人签名已保存")

    signature = doc.signatures.get(method=SignatureMethod.HANDWRITTEN)
    uploads.check_signature_png(storage.read(signature.file_name, signature.file_sha256))

    page.get_by_role("button", name="定稿").click()
    expect(page.locator(".messages")).to_contain_text("文书已定稿，编号为2026-0001")
    assert Document.objects.get(pk=doc.pk).state == DocumentState.FINAL
