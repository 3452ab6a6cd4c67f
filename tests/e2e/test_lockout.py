"""Five wrong passwords lock the account, and the address they came from (docs/security.md): the lock would refuse
every other login from the browser's address, so this test has a demo load of its own (``demo``), not the shared one
of test_login.py."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_login import _login
from zhifa.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_five_wrong_passwords_lock_the_account(page, live_server, demo):
    for _ in range(5):
        _login(page, live_server, "zhifa02", "wrong-password")
        expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    _login(page, live_server, "zhifa02", DEMO_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("已锁定")
    expect(page).to_have_url(re.compile(r"/login/"))
