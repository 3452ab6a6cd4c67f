"""/portal/ledger/ in a real browser (Debian chromium): a member of the public checks a proof bundle and an entry
number with the page's own WebCrypto verifier, and a tampered bundle is refused."""

import base64
import json

import pytest
from django.db import connection
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def bundle(world, live_server):
    from zhifa.ledger import actions, bundles

    actions.make_checkpoints(force=True)
    data = bundles.build("org.person", str(world.officer.pk), agency=world.a)
    connection.close()
    return data


def test_a_bundle_and_an_entry_are_checked_in_the_browser(page, live_server, bundle):
    page.goto(f"{live_server.url}/portal/ledger/")
    expect(page.get_by_role("heading", level=1)).to_have_text("执法记录核验")
    assert page.locator("link[href$='portal.css']").count() == 1  # the portal's layout, not the staff one
    page.get_by_label("或者把证明包的内容粘贴在这里").fill(json.dumps(bundle))
    page.get_by_role("button", name="核验证明包").click()
    result = page.locator("#bundle-result")
    expect(result).to_contain_text("核验通过")
    expect(result).to_contain_text("由该执法主体公布的密钥签署")
    expect(result.locator("tbody tr")).to_have_count(len(bundle["entries"]))

    # One byte of one entry changed: the page says which entry and refuses.
    first = bundle["entries"][0]
    body = bytearray(base64.b64decode(first["body"]))
    body[-3] ^= 1
    tampered = {**bundle, "entries": [{**first, "body": base64.b64encode(bytes(body)).decode()}]}
    page.get_by_label("或者把证明包的内容粘贴在这里").fill(json.dumps(tampered))
    page.get_by_role("button", name="核验证明包").click()
    expect(result).to_contain_text("核验未通过")
    expect(result).to_contain_text(f"第 {first['seq']} 条记录")

    # By number, with the entry's text: fetched proof, recomputed root, signed checkpoint, matching hash.
    page.get_by_label("记录序号（从 0 起）").fill(str(first["seq"]))
    page.get_by_label("记录原文", exact=False).fill(first["body"])
    page.get_by_role("button", name="核验这条记录").click()
    entry = page.locator("#entry-result")
    expect(entry).to_contain_text("核验通过")
    expect(entry).to_contain_text("原文未被改动")
    expect(entry.get_by_role("link", name="下载这条记录的包含证明（JSON）")).to_be_visible()
    page.get_by_label("记录原文", exact=False).fill(base64.b64encode(bytes(body)).decode())
    page.get_by_role("button", name="核验这条记录").click()
    expect(entry).to_contain_text("核验未通过")


def test_the_check_buttons_wait_for_the_script_that_runs_them(browser, live_server, bundle):
    """A check button pressed before the page's script has attached its handler would do nothing: each comes disabled
    and the script enables it. Without JavaScript they stay disabled and the page says how to check offline."""
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/ledger/")
    for name in ("核验证明包", "核验这条记录"):
        expect(page.get_by_role("button", name=name)).to_be_disabled()
    expect(page.locator("noscript")).to_have_count(1)
    context.close()

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/ledger/")
    for name in ("核验证明包", "核验这条记录"):
        expect(page.get_by_role("button", name=name)).to_be_enabled()
    context.close()
