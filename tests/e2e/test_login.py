import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import signed_in
from zhifa.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def _login(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_demo_officer_logs_in_to_chinese_home(page, live_server, demo):
    _login(page, live_server, "zhifa01", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.locator(".topbar")).to_contain_text("明山区卫生健康局")
    expect(page.locator("main")).to_contain_text("我的执法证")
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_five_wrong_passwords_lock_the_account(page, live_server, demo):
    for _ in range(5):
        _login(page, live_server, "zhifa02", "wrong-password")
        expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    _login(page, live_server, "zhifa02", DEMO_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("已锁定")
    expect(page).to_have_url(re.compile(r"/login/"))


def test_layout_fits_a_phone(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    _login(page, live_server, "zhifa01", DEMO_PASSWORD)
    signed_in(page)
    page.goto(f"{live_server.url}/org/people/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page scrolls sideways on a phone: {width}px"
    context.close()
