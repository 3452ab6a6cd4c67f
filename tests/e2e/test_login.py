import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import signed_in
from zhifa.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

# These tests share one demo load (demo_site): they only sign in. The lockout (five wrong passwords lock the account
# and the address) is in test_lockout.py, on a load of its own.


def _login(page, server, username, password):
    """``server``: ``live_server`` or ``demo_site`` (anything with a ``url``)."""
    page.goto(f"{server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_demo_officer_logs_in_to_chinese_home(page, demo_site):
    _login(page, demo_site, "zhifa01", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.locator(".topbar")).to_contain_text("明山区卫生健康局")
    expect(page.locator("main")).to_contain_text("我的执法证")
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_layout_fits_a_phone(browser, demo_site):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    _login(page, demo_site, "zhifa01", DEMO_PASSWORD)
    signed_in(page)
    page.goto(f"{demo_site.url}/org/people/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page scrolls sideways on a phone: {width}px"
    context.close()


def test_officer_reads_the_deadline_reminders_of_the_demo(page, demo_site):
    """The demo's reminders (sent once when it loads, as the hourly task would) on the officer's 工作台; the officer
    opens them and marks them read."""
    _login(page, demo_site, "zhifa01", DEMO_PASSWORD)
    card = page.locator("section.reminders")
    expect(card.get_by_role("heading")).to_contain_text("未读提醒")
    expect(card.locator("li").first).to_contain_text("届满")
    card.get_by_role("link", name="查看全部提醒").click()
    expect(page.get_by_role("heading", name="我的提醒")).to_be_visible()
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator("ul.messages")).to_contain_text("条提醒已标为已读")
    page.get_by_role("link", name="只看未读").click()
    expect(page.locator("main")).to_contain_text("没有未读的提醒。")
    page.get_by_role("link", name="工作台").first.click()
    expect(page.locator("section.reminders")).to_have_count(0)
