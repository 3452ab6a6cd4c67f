"""The pages work under the Content-Security-Policy (Debian chromium): the signature pad, the evidence upload, the
ledger portal's check, the language switch and the API docs load with no policy violation, and the scripts that
were inline handlers before still do their work from files."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.cases.conftest import clock, cw  # noqa: F401
from tests.conftest import PASSWORD
from tests.e2e.conftest import signed_in

pytestmark = pytest.mark.e2e

# Reports every violation the page sees, whether or not the browser also logs it to the console.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.RECORDS_SEAL_DIR = tmp_path / "seal"


def _prepare(w):
    """A filed case with an inquiry record and its document in draft (the party has not signed yet), a ledger
    checkpoint and a proof bundle — in a thread (the PDF rendering runs an event loop of its own)."""
    from django.db import connection

    from tests.records.conftest import inquiry
    from zhifa.cases import actions as case_actions
    from zhifa.ledger import actions as ledger_actions
    from zhifa.ledger import bundles
    from zhifa.records import actions as record_actions

    try:
        case = w.new_case()
        case_actions.request_filing(w.officer, case)
        case_actions.approve_filing(w.head, case, opinion="同意立案")
        case.refresh_from_db()
        w.case = case
        inquiry(w, case)
        doc = record_actions.generate_document(
            w.officer, case, kind="inquiry_record", narrative={"qa": "问：你是谁？\n答：我是李康宁。"}
        )
        ledger_actions.make_checkpoints(force=True)
        bundle = bundles.build("org.person", str(w.officer.pk), agency=w.a)
        return case.pk, doc.pk, bundle
    finally:
        connection.close()


@pytest.fixture
def watched(browser):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    yield page, console
    context.close()


def _violations(page, console) -> list[str]:
    seen = page.evaluate("window.__csp || []")
    return seen + [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m]


def _login(page, base, username):
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    signed_in(page)


def test_pages_work_under_the_content_security_policy(watched, live_server, cw):  # noqa: F811
    page, console = watched
    with ThreadPoolExecutor(max_workers=1) as pool:
        case_pk, doc_pk, bundle = pool.submit(_prepare, cw).result()
    base = live_server.url
    checked = []

    def visit(url):
        response = page.goto(f"{base}{url}")
        assert response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("networkidle")
        checked.append(url)
        assert _violations(page, console) == [], url

    # The portal's ledger check (portal layout, ledger/check.js with WebCrypto): a proof bundle checks out.
    visit("/portal/ledger/")
    page.get_by_label("或者把证明包的内容粘贴在这里").fill(json.dumps(bundle))
    page.get_by_role("button", name="核验证明包").click()
    expect(page.locator("#bundle-result")).to_contain_text("核验通过")
    assert _violations(page, console) == []

    # The language switch (was an inline onchange handler): choosing English switches at once, and back.
    _login(page, base, "officer_a")
    visit(reverse("home"))
    for label, code in (("语言", "en"), ("Language", "zh-hans")):
        with page.expect_navigation(timeout=30_000):  # no button: the choice itself submits the form
            page.get_by_label(label).select_option(code)
        expect(page.locator("html")).to_have_attribute("lang", code, timeout=15_000)
    assert _violations(page, console) == []

    # The evidence upload page (records/evidence-upload.js): a small file goes through the resumable upload API.
    visit(reverse("records:evidence_upload", args=[case_pk]))
    refused = []
    page.on(
        "response",
        lambda r: r.status >= 400 and "/api/" in r.url and refused.append((r.url, r.status, r.text())),
    )
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    page.get_by_label("证据文件").set_input_files(
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    page.get_by_label("证据种类").select_option("documentary")
    page.get_by_label("证据说明").fill("现场检查记录")
    page.get_by_role("button", name="上传并登记").click()
    try:
        page.wait_for_url(re.compile(r".*/records/evidence/\d+/$"), timeout=60_000)
    except PlaywrightTimeout:
        status = page.locator("#upload-status").text_content()
        raise AssertionError(f"upload not finished: {status!r} {refused}") from None
    expect(page.locator("h1")).to_contain_text("现场检查记录")
    assert _violations(page, console) == []

    # The signature pad (records/signature-pad.js, a canvas styled from the stylesheet) with the draft's preview
    # framed from the platform itself: a signature drawn with the mouse is saved.
    visit(reverse("records:party_signature", args=[doc_pk]))
    canvas = page.locator("#signature-pad")
    box = canvas.bounding_box()
    assert box["height"] == pytest.approx(
        200, abs=2
    )  # the size the stylesheet gives it (was a style attribute)
    page.mouse.move(box["x"] + 20, box["y"] + 150)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(box["x"] + 20 + i * 25, box["y"] + 150 - i * 10)
    page.mouse.up()
    page.get_by_role("button", name="确认签名").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("当事人签名已保存")
    assert _violations(page, console) == []

    # The API docs (Swagger UI from the sidecar, its start script as a file): the operations are listed.
    visit(reverse("api_docs"))
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible(timeout=30_000)
    assert _violations(page, console) == []
    assert len(checked) == 5


def test_an_inline_script_is_blocked(watched, live_server, db):
    """The policy is really enforced: a script injected as markup is refused and reported."""
    page, console = watched
    page.goto(f"{live_server.url}/login/")
    page.evaluate(
        """() => { const d = document.createElement('div');
        d.innerHTML = '<img src="x:" onerror="window.__ran = true">'; document.body.appendChild(d); }"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in _violations(page, console))
