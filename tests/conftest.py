"""Shared fixtures: a small world of two agencies built through the actions layer, as users would."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from zhifa.org import actions
from zhifa.org.choices import Role

PASSWORD = "Test#Pass2026"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the fixtures make there are
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEDGER_KEY_DIR = tmp_path / "keys"


@pytest.fixture(scope="session", autouse=True)
def _tasks_inline():
    """Background jobs run where they are queued (Huey's immediate mode, in memory) once the transaction that
    queued them commits: a test sees their result without a consumer. The tests of the queue itself run real
    consumers in processes of their own (tests/core/test_queue.py)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture(autouse=True)
def _chinese():
    """Each test starts in the default language (a request in English leaves English active in the thread)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def _fast_hasher(request, settings):
    """Argon2 costs ~0.1 s a hash; the account tests that check hashing opt out with @pytest.mark.argon2."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    """Two agencies: A (with every role) and B (one officer); a supervisor of A from the justice bureau."""


def _credit(first17: str) -> str:
    from zhifa.org.rules import credit_code_check_char

    return first17 + credit_code_check_char(first17)


@pytest.fixture
def world(request, db) -> World:
    """The world as it stood after ``_build_world``: a copy of the one this process committed (``_WorldBase``), or,
    for a test in real transactions (which flush the database after them), built afresh inside the test."""
    if _transactional(request) or _BASE.world is None:  # (None: asked for by name while the test ran)
        return _build_world()
    return _BASE.copy()


def _person_maker():
    def person(agency, username, name, *roles, unit=None, **extra):
        p = actions.add_person(
            None,
            agency,
            username=username,
            password=PASSWORD,
            must_change_password=False,
            full_name=name,
            unit=unit,
            **extra,
        )
        for role in roles:
            actions.grant_role(None, p, role)
        return p

    return person


def _build_world() -> World:
    """Two agencies, their units, people, roles and certificates, through the actions layer (about 0.2 s)."""
    w = World()
    today = timezone.localdate()
    actions.add_field(None, code="medical", name="医疗卫生", abbreviation="医")
    actions.add_field(None, code="public-health", name="公共卫生", abbreviation="公")
    w.a = actions.create_agency(
        None,
        code="agency-a",
        name="甲区卫生健康局",
        short_name="甲卫",
        credit_code=_credit("11440300MB2D0000A"),
        region="甲区",
        reconsideration_body="甲区人民政府",
        court="甲区人民法院",
    )
    w.b = actions.create_agency(
        None,
        code="agency-b",
        name="乙区卫生健康局",
        short_name="乙卫",
        credit_code=_credit("11440300MB2D0000B"),
        region="乙区",
    )
    w.justice = actions.create_agency(
        None,
        code="justice",
        name="甲区司法局",
        short_name="甲司",
        credit_code=_credit("11440300MB2D0000C"),
        region="甲区",
    )
    w.section = actions.add_unit(None, w.a, name="医疗卫生监督科")
    w.legal_unit = actions.add_unit(None, w.a, name="政策法规科", is_legal_review_unit=True)

    w.person = person = _person_maker()
    w.officer = person(w.a, "officer_a", "甲执法", Role.OFFICER, unit=w.section)
    w.officer2 = person(w.a, "officer_a2", "甲执法二", Role.OFFICER, unit=w.section)
    w.head = person(w.a, "head_a", "甲局长", Role.AGENCY_HEAD)
    w.reviewer = person(
        w.a,
        "reviewer_a",
        "甲审核",
        Role.LEGAL_REVIEWER,
        unit=w.legal_unit,
        legal_qualification=True,
        legal_qualification_date=dt.date(2018, 1, 1),
    )
    w.sysadmin = person(w.a, "sys_a", "甲系统管理员", Role.SYSTEM_ADMIN)
    w.secadmin = person(w.a, "sec_a", "甲安全管理员", Role.SECURITY_ADMIN)
    w.auditor = person(w.a, "audit_a", "甲审计管理员", Role.AUDIT_ADMIN)
    w.officer_b = person(w.b, "officer_b", "乙执法", Role.OFFICER)
    w.supervisor = person(w.justice, "supervisor", "司法监督")
    actions.grant_role(None, w.supervisor, Role.SUPERVISOR, w.a)
    for i, p in enumerate((w.officer, w.officer2, w.officer_b)):
        actions.issue_certificate(
            None,
            p,
            number=f"CERT-{i:04d}",
            field_codes=["medical"],
            issuer="甲区人民政府",
            valid_from=today - dt.timedelta(days=365),
            valid_to=today + dt.timedelta(days=365),
        )
    return w


class _WorldBase:
    """The world, built once per test process and committed, instead of once per test (758 tests use it; building
    it took about 0.3 s each, on both databases). Each test that uses it runs in its own transaction, rolled back
    after it, so every one starts from the world as built; it gets a deep copy of the model instances as the
    building left them (related objects cached as they were) and the ledger keys the building wrote.

    It is built in one transaction marked as the test suite's own (``_from_testcase``), as the per-test world was:
    each action in it is completed against the ledger on its own, and the callbacks after the commit (checkpoint
    signing, queued tasks) do not run — a test's own transaction never commits. Every other test that reaches the
    database — one in real transactions (``transaction=True``, ``transactional_db``, ``live_server``) or one without
    the world — finds the database as before: the committed world is flushed away first (about 40 times a run), and
    built again, once, by the next test that asks for it."""

    def __init__(self):
        self.world = None
        self.keys = None

    def ensure(self, request) -> None:
        from django.db import transaction

        from zhifa.org.models import Agency

        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            if self.world is not None and Agency.objects.filter(pk=self.world.a.pk, code="agency-a").exists():
                return
            with transaction.atomic():
                _seed_reference_data()
            self.keys = request.getfixturevalue("tmp_path_factory").mktemp("world-keys")
            self.world = self._build(self.keys)

    @staticmethod
    def _build(keys) -> World:
        from django.db import connection, transaction
        from django.test import override_settings

        with override_settings(
            LEDGER_KEY_DIR=keys, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ):
            block = transaction.atomic()
            block._from_testcase = True
            with block:
                w = _build_world()
                connection.run_on_commit = []  # what a test's transaction would never have run
        return w

    def copy(self) -> World:
        import copy
        import shutil

        from django.conf import settings

        shutil.copytree(self.keys, settings.LEDGER_KEY_DIR, dirs_exist_ok=True)
        w = World()
        w.__dict__.update(copy.deepcopy({k: v for k, v in self.world.__dict__.items() if k != "person"}))
        w.person = _person_maker()
        return w

    def flush(self, request) -> None:
        """Empty the database of the committed world, as a test in real transactions flushes after itself, and put
        back what the migrations seed."""
        from django.core.management import call_command
        from django.db import transaction

        from zhifa.ledger.tracking import unrecorded_writes

        if self.world is None:
            return
        self.world = None
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock(), unrecorded_writes():
            call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
            with transaction.atomic():
                _seed_reference_data()


_BASE = _WorldBase()


def _transactional(request) -> bool:
    """Whether the test runs in real transactions (pytest-django's ``TransactionTestCase``)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    return bool(
        (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        or "transactional_db" in names
        or "live_server" in names
    )


@pytest.fixture(autouse=True)
def _django_db_marker(request):
    """pytest-django's own (which opens the test's transaction for a ``django_db`` test), with the committed world
    made ready first: before a test that uses it, committed once; before any other test that reaches the database,
    flushed away — each test finds the database as it would without the shared world."""
    transactional = _transactional(request)
    marked = request.node.get_closest_marker("django_db")
    if "world" in request.fixturenames and not transactional:
        _BASE.ensure(request)
    elif transactional or marked or "django_db_setup" in request.fixturenames:
        _BASE.flush(request)
    if marked:
        request.getfixturevalue("_django_db_helper")
    yield
    if transactional:
        _BASE.world = None  # flushed after the test


@pytest.fixture
def within_one_minute():
    """The portal's rate limits count in fixed one-minute windows of the clock (``publicity.ratelimit``): a test that
    counts requests through the pages runs from the start of a minute (the clock set back to it, and running), so its
    requests cannot fall into two windows — one that began at hh:mm:59.9 saw its last request allowed."""
    import time

    import time_machine

    now = time.time()
    with time_machine.travel(now - now % 60 + 0.5, tick=True):
        yield


@pytest.fixture
def login(client):
    """Log ``client`` in as a person (session auth, as the browser does)."""

    def _login(person):
        client.force_login(person)
        return client

    return _login


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """Each test process (pytest-xdist) copies one migrated template instead of migrating its own database
    (tests/dbtemplate.py); a run in one process sets up as pytest-django does."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from tests import dbtemplate

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        if worker:
            original_name = connection.settings_dict["NAME"]
            dbtemplate.setup(connection, connection.creation._get_test_db_name())
        else:
            config = setup_databases(verbosity=verbosity, interactive=False)
    yield
    with django_db_blocker.unblock():
        if worker:
            dbtemplate.teardown(connection, original_name)
        else:
            teardown_databases(config, verbosity=verbosity)


def _migration_seeds():
    """The data-seeding steps of every migration (RunPython), in migration order."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(connection)
    seen, steps = set(), []
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key in seen:
                continue
            seen.add(key)
            steps += [op.code for op in loader.graph.nodes[key].operations if isinstance(op, RunPython)]
    return steps


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Tests on a live server or in real transactions end with a flush, which takes the reference data the
    migrations seed (calendar, deadline kinds…) with it: put it back before such a test, and before a test in a
    transaction that runs after one on the same process (committed, so the tests after it find it too)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if _transactional(request):
        request.getfixturevalue("transactional_db")
        _seed_reference_data()
    elif marker or "db" in names:
        request.getfixturevalue("django_db_setup")
        from django.db import transaction

        with request.getfixturevalue("django_db_blocker").unblock(), transaction.atomic():
            _seed_reference_data()


def _seed_reference_data():
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from zhifa.ledger.tracking import unrecorded_writes
    from zhifa.workdays.models import DeadlineKind

    if not DeadlineKind.objects.exists():
        with unrecorded_writes():  # what the migrations seed, as they seed it
            for seed in _migration_seeds():
                seed(apps, SimpleNamespace(connection=connection))


# The fixtures through which a test reaches the database (pytest-django blocks it for every other test).
_DATABASE_FIXTURES = {"django_db_setup", "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="leave out the tests that cannot reach the database (make test's PostgreSQL pass: they ran on SQLite)",
    )


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected theirs: the shares are of what runs
def pytest_collection_modifyitems(config, items):
    """With --database-tests-only, a test that cannot reach the database is deselected: pytest-django refuses it any
    query, so on PostgreSQL it would run exactly what it ran on SQLite. Subprocess tests that reach the database
    name it (the ``postgres`` mark, or a database fixture)."""
    if config.getoption("database_tests_only"):
        _database_tests_only(config, items)
    _spread_slow_tests(config, items)


def _database_tests_only(config, items) -> None:
    keep, leave = [], []
    for item in items:
        reaches = (
            item.get_closest_marker("django_db")
            or item.get_closest_marker("postgres")
            or _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if reaches else leave).append(item)
    if leave:
        config.hook.pytest_deselected(items=leave)
        items[:] = keep


def share_sizes(n: int, workers: int) -> list[int]:
    """How xdist's worksteal first divides ``n`` pending tests among ``workers`` idle processes."""
    sizes = []
    for i in range(workers):
        sizes.append((n - sum(sizes)) // (workers - i))
    return sizes


def _spread_slow_tests(config, items) -> None:
    """Under pytest-xdist's worksteal, each process first gets a contiguous share of the tests and an idle one takes
    the back half of a busy one's queue — by count, not time. A slow test (``@pytest.mark.slow(seconds=…)``) that
    lands late in a share ends the run alone. So the slow tests are dealt out first, longest first, each to the share
    with the fewest seconds so far, at the front of that share; the other tests fill the shares in their own order.

    Slow tests marked with the same ``together`` (``@pytest.mark.slow(seconds=…, together="name")``) are dealt as one,
    side by side in one share: tests that set up the same costly thing (the demo on the same frozen day) set it up
    once per process."""
    workers = int(getattr(config, "workerinput", {}).get("workercount", 0) or 0)
    if workers < 2:
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if not slow:
        return
    rest = [item for item in items if not item.get_closest_marker("slow")]
    sizes = share_sizes(len(items), workers)
    shares: list[list] = [[] for _ in range(workers)]
    load = [0.0] * workers

    def seconds(item) -> float:
        return float(item.get_closest_marker("slow").kwargs.get("seconds", 30))

    units: dict = {}
    for item in slow:
        together = item.get_closest_marker("slow").kwargs.get("together")
        units.setdefault(together if together else id(item), []).append(item)
    for unit in sorted(units.values(), key=lambda unit: sum(map(seconds, unit)), reverse=True):
        open_shares = [i for i in range(workers) if len(shares[i]) < sizes[i]] or list(range(workers))
        target = min(open_shares, key=lambda i: load[i])
        shares[target] += unit
        load[target] += sum(map(seconds, unit))
    fill = iter(rest)
    ordered = []
    for i, share in enumerate(shares):
        ordered += share
        for _ in range(max(0, sizes[i] - len(share))):
            nxt = next(fill, None)
            if nxt is not None:
                ordered.append(nxt)
    ordered += list(fill)
    items[:] = ordered
