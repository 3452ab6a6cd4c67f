"""A real browser: Debian's /usr/bin/chromium driven by Playwright (no downloaded browser)."""

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    """The demo data, loaded in a thread of its own: Playwright's sync API keeps an event loop running in the test
    thread, and the PDF seal (pyHanko) runs one of its own."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from zhifa.core import demo

    def load():
        try:
            return demo.load_all()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(load).result()


def signed_in(page, timeout: float = 60_000) -> None:
    """Wait until the login form has been answered and the browser left the login page (the session cookie is set):
    the next ``goto`` would otherwise race the login under load and land on the login page."""
    page.wait_for_url(lambda url: "/login/" not in url, timeout=timeout)
