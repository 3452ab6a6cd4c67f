"""In a real browser (Debian chromium): the party signs on the touch-screen canvas, the officer finalises.

The browser runs in its own thread with its own Playwright instance, so this test does not depend on (or clash
with) the session browser of tests/e2e when both run in one session.
"""

import threading

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import PASSWORD
from tests.e2e.conftest import ARGS, CHROMIUM, signed_in
from zhifa.records import actions, storage, uploads
from zhifa.records.choices import DocumentKind, DocumentState, SignatureMethod
from zhifa.records.models import Document

pytestmark = pytest.mark.e2e


def _in_browser(steps) -> None:
    """Run ``steps(page)`` in a fresh Chromium in another thread; re-raise what went wrong there."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                try:
                    steps(browser.new_context(locale="zh-CN").new_page())
                finally:
                    browser.close()
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=180)
    assert not thread.is_alive(), "the browser did not finish"
    if failures:
        raise failures[0]


def test_the_party_signs_on_the_canvas_and_the_officer_finalises(live_server, investigating):
    doc = actions.generate_document(
        investigating.officer, investigating.case, kind=DocumentKind.INQUIRY_RECORD
    )
    actions.sign_document(investigating.officer, doc)
    actions.sign_document(investigating.officer2, doc)
    username = investigating.officer.username

    def steps(page):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        signed_in(page)

        page.goto(f"{live_server.url}/records/documents/{doc.pk}/party-signature/")
        expect(page.get_by_label("签名人姓名")).to_have_value("李康宁")  # the 被询问人 the record names
        page.get_by_role(
            "button", name="确认签名"
        ).click()  # nothing drawn yet: the page asks for a signature
        expect(page.locator("#signature-message")).to_contain_text("请先在框内签名")

        box = page.locator("#signature-pad").bounding_box()
        page.mouse.move(box["x"] + 40, box["y"] + 120)
        page.mouse.down()
        for step in range(1, 12):
            page.mouse.move(box["x"] + 40 + step * 25, box["y"] + 120 - (step % 3) * 30)
        page.mouse.up()
        page.get_by_role("button", name="确认签名").click()
        expect(page.locator(".messages")).to_contain_text("当事人签名已保存")

        page.get_by_role("button", name="定稿").click()
        expect(page.locator(".messages")).to_contain_text("文书已定稿，编号为2026-0001")

    _in_browser(steps)
    signature = doc.signatures.get(method=SignatureMethod.HANDWRITTEN)
    uploads.check_signature_png(storage.read(signature.file_name, signature.file_sha256))
    assert Document.objects.get(pk=doc.pk).state == DocumentState.FINAL
