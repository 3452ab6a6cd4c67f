"""One migrated test database per run, copied for each test process (tests/conftest.py's ``django_db_setup``).

Migrating takes 8–15 s of a core: with three test processes on SQLite and two on PostgreSQL, `make test` paid it five
times and `make check` three. Now the first process to arrive migrates a *template* (under a file lock shared by the
processes) and every process copies it: SQLite's file by its backup API, PostgreSQL's database by
``CREATE DATABASE … TEMPLATE``. The template's name carries a digest of the migrations and of Django's version, so a
changed migration builds a new one (older templates are removed then) and an unchanged one is reused by the next run.
The template is built under a temporary name and renamed when complete: a process killed while migrating leaves
nothing another would take for a template.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


# Code that runs after the migrations (post_migrate) and shapes the schema too: the SQLite search triggers.
AFTER_MIGRATE = ("zhifa/publicity/search.py",)


def migrations_digest() -> str:
    """Of every migration file of the project, the code run after them (``AFTER_MIGRATE``) and Django's version:
    what the migrated schema depends on."""
    h = hashlib.sha256(django.get_version().encode())
    paths = [*(ROOT / "zhifa").glob("*/migrations/*.py"), *(ROOT / p for p in AFTER_MIGRATE)]
    for path in sorted(paths):
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


@contextmanager
def _lock(key: str):
    path = (
        Path(tempfile.gettempdir())
        / f"zhifa-test-template-{hashlib.sha256(key.encode()).hexdigest()[:16]}.lock"
    )
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def setup(connection, worker_name: str) -> None:
    """Make ``worker_name`` (this process's test database) a copy of the migrated template, and point the connection
    at it, as Django's create_test_db does."""
    from django.conf import settings

    vendor = connection.vendor
    base = worker_name.rsplit("_gw", 1)[0]  # pytest-xdist's suffix (pytest-django adds it)
    template = f"{base}_tpl{migrations_digest()}"
    with _lock(f"{vendor}:{connection.settings_dict['HOST']}:{base}"):
        if not _exists(connection, template):
            _build(connection, template, base)
        _copy(connection, template, worker_name)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = worker_name
    connection.settings_dict["NAME"] = worker_name


def teardown(connection, original_name: str) -> None:
    connection.creation.destroy_test_db(original_name, verbosity=0)


def _exists(connection, name: str) -> bool:
    if connection.vendor == "sqlite":
        return Path(name).exists()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _build(connection, template: str, base: str) -> None:
    """Migrate a database under a temporary name, then rename it to ``template``; remove older templates."""
    building = f"{template}_building"
    test = connection.settings_dict.setdefault("TEST", {})
    worker_test_name = test.get("NAME")
    original_name = connection.settings_dict["NAME"]
    test["NAME"] = building
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        connection.close()
        test["NAME"] = worker_test_name
        connection.settings_dict["NAME"] = original_name
    if connection.vendor == "sqlite":
        for old in Path(base).parent.glob(Path(base).name + "_tpl*"):
            if str(old) != building:
                old.unlink()
        os.replace(building, template)
        return
    q = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [base + r"\_tpl%"])
        for (old,) in cursor.fetchall():
            if old != building:
                cursor.execute(f"DROP DATABASE IF EXISTS {q(old)}")
        cursor.execute(f"ALTER DATABASE {q(building)} RENAME TO {q(template)}")


def copy_sqlite(source_path, target_path) -> None:
    """Every page of one SQLite file into another, by SQLite's backup API (under the target's write lock)."""
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _copy(connection, template: str, target: str) -> None:
    if connection.vendor == "sqlite":
        Path(target).unlink(missing_ok=True)
        copy_sqlite(template, target)
        return
    q = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {q(target)}")
        cursor.execute(f"CREATE DATABASE {q(target)} TEMPLATE {q(template)}")
