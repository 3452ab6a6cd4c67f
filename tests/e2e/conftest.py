"""A real browser: Debian's /usr/bin/chromium driven by Playwright (no downloaded browser)."""

import os

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from tests.dbtemplate import copy_sqlite

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


# Two test processes share 2 cores with their live servers and browsers: a page that renders in a second alone can
# take tens of seconds at a loaded moment. Waits are generous (they cost nothing when the page is there); what a test
# asserts is unchanged.
ACTION_TIMEOUT_MS = 90_000

# The production-shaped run makes a PostgreSQL database of its own, whatever the suite's database: it runs once, in
# make test's PostgreSQL pass; on the SQLite pass there is nothing to collect (nothing skipped).
collect_ignore = (
    [] if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else ["test_production_run.py"]
)
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        new_context = browser.new_context

        def patient_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            context.set_default_timeout(ACTION_TIMEOUT_MS)
            context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
            return context

        browser.new_context = patient_context
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def _load_demo(tmp_path_factory=None):
    """The demo data, loaded in a thread of its own: Playwright's sync API keeps an event loop running in the test
    thread, and the PDF seal (pyHanko) runs one of its own.

    On SQLite the first load of the day is kept (the database file, the documents and the ledger keys) and later
    loads put that copy back instead of loading again (:func:`_restore`): the same rows, files and keys, in half a
    second instead of 15–20 s each. Under pytest-xdist the copy is shared by the run's test processes (in the run's
    temporary folder, made under a file lock by the first process that needs it): the others restore it instead of
    loading the demo each once more. The loader itself is tested by tests/core/test_platform.py."""
    key = _snapshot_key()
    if key in _SNAPSHOTS:
        return _restore(_SNAPSHOTS[key])
    shared = _shared_folder(key, tmp_path_factory)
    if shared is None:
        accounts = _load_in_thread()
        if key is not None:
            _SNAPSHOTS[key] = _keep(accounts)
        return accounts
    from tests.dbtemplate import _lock

    with _lock(str(shared)):
        snap = _read_kept(shared)
        if snap is None:
            accounts = _load_in_thread()
            _SNAPSHOTS[key] = _keep(accounts, shared)
            return accounts
    _SNAPSHOTS[key] = snap
    return _restore(snap)


def _load_in_thread():
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


_SNAPSHOTS: dict = {}


def _snapshot_key():
    """What the demo depends on: the day (the demo's dates follow today; a test on a frozen clock loads its own) and
    the password hashers. None where no copy is kept (PostgreSQL)."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    if connection.vendor != "sqlite":
        return None
    # the passwords' hashes are the hashers' of the load: a test with other hashers loads its own
    return (timezone.localdate().isoformat(), tuple(settings.PASSWORD_HASHERS))


def _shared_folder(key, tmp_path_factory):
    """Where the run's test processes share the copy for ``key``: in the run's temporary folder (the parent of each
    process's own; pytest keeps the last three runs'), only under pytest-xdist."""
    import hashlib
    import json

    if key is None or tmp_path_factory is None or not os.environ.get("PYTEST_XDIST_WORKER"):
        return None
    digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:16]
    return tmp_path_factory.getbasetemp().parent / f"demo-{digest}"


def _keep(accounts, root=None):
    """Copy the loaded demo (database file, documents, keys) to ``root`` (a folder of its own if None), the folder
    marked complete last."""
    import atexit
    import json
    import shutil
    import tempfile
    from pathlib import Path

    from django.conf import settings
    from django.db import connection

    if root is None:
        root = Path(tempfile.mkdtemp(prefix="zhifa-demo-"))
        atexit.register(shutil.rmtree, root, True)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    copy_sqlite(connection.settings_dict["NAME"], root / "db.sqlite3")
    for name in ("MEDIA_ROOT", "LEDGER_KEY_DIR"):
        folder = Path(getattr(settings, name))
        if folder.exists():
            shutil.copytree(folder, root / name)
    (root / "accounts.json").write_text(json.dumps(accounts, ensure_ascii=False, default=str))
    return _read_kept(root)


def _read_kept(root):
    import json
    from types import SimpleNamespace

    if not (root / "accounts.json").exists():
        return None
    accounts = [tuple(a) for a in json.loads((root / "accounts.json").read_text())]
    dirs = {name: root / name for name in ("MEDIA_ROOT", "LEDGER_KEY_DIR") if (root / name).exists()}
    return SimpleNamespace(db=root / "db.sqlite3", dirs=dirs, accounts=accounts)


def _restore(snap):
    """Put the kept demo back: every page of the database file (SQLite's backup, under its write lock; the other
    connections see the new file on their next read) and the documents and keys into this test's folders."""
    import shutil
    from pathlib import Path

    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    copy_sqlite(snap.db, connection.settings_dict["NAME"])
    # A flush since the copy was kept made the content types again under new ids, and this process cached those:
    # the kept database has the old ones.
    ContentType.objects.clear_cache()
    for name, folder in snap.dirs.items():
        dest = Path(getattr(settings, name))
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(folder, dest)
    return snap.accounts


@pytest.fixture
def demo(transactional_db, tmp_path_factory):
    """The demo data for one test, which may change it as it likes (the flush after the test takes it away)."""
    return _load_demo(tmp_path_factory)


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py's _fast_hasher


@pytest.fixture(scope="module")
def _demo_once(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for a whole test module (committed), with a live server of its own; the database is
    flushed when the module's last test on this process is done.

    Loading the demo takes about 20 s; a module whose tests only read it, or write what no other test of the module
    looks at, shares one load (``demo_site``) instead of loading it for each test (``demo``). The tests of such a
    module ask for ``demo_site``, never for ``live_server`` or ``transactional_db``: those end every test with a
    flush, which would take the shared data away. A test that changes what others rely on (a locked account, a locked
    address) stays on ``demo`` in a module of its own."""
    from types import SimpleNamespace

    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    from tests.conftest import _BASE, _seed_reference_data

    _BASE.flush(request)  # the committed test world (tests/conftest.py) is no part of the demo
    root = tmp_path_factory.mktemp("demo")
    storage = {"MEDIA_ROOT": root / "media", "LEDGER_KEY_DIR": root / "keys"}
    addr = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    with django_db_blocker.unblock(), override_settings(**storage, PASSWORD_HASHERS=FAST_HASHER):
        _seed_reference_data()  # a flush before may have taken the migrations' reference data with it
        server = None
        try:
            _load_demo(tmp_path_factory)
            server = LiveServer(addr)
            server._live_server_modified_settings.enable()
            yield SimpleNamespace(url=server.url, storage=storage)
        finally:
            if server is not None:
                server._live_server_modified_settings.disable()
                server.stop()
            call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
            _BASE.world = None


@pytest.fixture
def demo_site(_demo_once, settings):
    """The module's shared demo and its server (``demo_site.url``); each test sees the demo's files and keys."""
    for name, value in _demo_once.storage.items():
        setattr(settings, name, value)
    return _demo_once


def log_in(page, base: str, username: str, password: str) -> None:
    """Sign in afresh as ``username``. Every response renews the session and CSRF cookies
    (SESSION_SAVE_EVERY_REQUEST), so a form's response still on its way when the cookies are cleared brings the old
    ones back: the login page redirects to the 工作台, or the login form's token no longer matches the cookie (403).
    The page is first taken off the site (about:blank), then: clear, open the form, sign in — again, up to three
    times, while the browser is not signed in. A wrong password still fails (after the third try)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto("about:blank")
    for attempt in range(3):
        page.context.clear_cookies()
        page.goto(f"{base}/login/")
        if "/login/" not in page.url:
            continue
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        try:
            signed_in(page, timeout=30_000 if attempt < 2 else 60_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"could not sign in as {username}: the browser is at {page.url}")


def signed_in(page, timeout: float = 60_000) -> None:
    """Wait until the login form has been answered and the browser left the login page (the session cookie is set):
    the next ``goto`` would otherwise race the login under load and land on the login page."""
    page.wait_for_url(lambda url: "/login/" not in url, timeout=timeout)


def pytest_collection_modifyitems(config, items):
    """A test on the shared demo load must not end with a flush (see ``_demo_once``): refuse the combination."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "demo_site" in names and names & {"live_server", "transactional_db", "demo"}:
            raise pytest.UsageError(
                f"{item.nodeid}: demo_site is shared by the module's tests; live_server, transactional_db and "
                "demo flush the database after the test (use demo in a module of its own)"
            )
