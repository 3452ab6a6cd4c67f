"""Backup and restore (docs/backup.md): a deployment with a case decided is backed up with ``zhifa backup`` (keys to
a separate place), restored with ``zhifa restore`` into a fresh database and a fresh file store by another process,
and ``zhifa ledger verify --state`` passes there; a restore without the files is caught by the same verify.

On PostgreSQL the backup is ``pg_dump -Fc`` and the fresh database a new one on the same server; on SQLite the
backup is SQLite's online backup API and the fresh database a new file — the same commands, so neither run skips."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from tests.cases.conftest import clock, cw  # noqa: F401 (fixtures)
from zhifa.ledger.models import Entry
from zhifa.records.models import Document

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
ZHIFA = str(ROOT / ".venv" / "bin" / "zhifa")


@pytest.fixture
def walk(request):
    return request.getfixturevalue("cw")


@pytest.fixture
def fresh_databases():
    """Database URLs nobody has used yet (new PostgreSQL databases, dropped afterwards; or new SQLite files)."""
    made = []
    db = connection.settings_dict

    def new(tmp: Path) -> str:
        if connection.vendor != "postgresql":
            return f"sqlite:///{tmp / f'restored-{uuid.uuid4().hex[:8]}.sqlite3'}"
        name = f"zhifa_restore_{uuid.uuid4().hex[:10]}"
        admin = connections.create_connection("default")
        try:
            with admin.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            admin.close()
        made.append(name)
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"

    yield new
    if made:
        admin = connections.create_connection("default")
        try:
            with admin.cursor() as cursor:
                for name in made:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            admin.close()


def _zhifa(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([ZHIFA, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)


def _site(tmp: Path, database_url: str) -> dict:
    """The environment of a fresh machine: its own database, var directory, file store and key directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    var = tmp / "var"
    env.update(
        ZHIFA_DATABASE_URL=database_url,
        ZHIFA_VAR_DIR=str(var),
        ZHIFA_MEDIA_ROOT=str(tmp / "media"),
        ZHIFA_LEDGER_KEY_DIR=str(var / "keys"),
    )
    return env


def _decided_case(w):
    case = w.investigate(w.new_case())
    w.notice(case)
    case.refresh_from_db()
    w.clock.move_to(dt.date.fromisoformat(case.notice_snapshot["statement_due"]) + dt.timedelta(days=1))
    w.decide(case)
    return case


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_and_verifies(walk, tmp_path, settings, fresh_databases):
    _decided_case(walk)
    entries = Entry.objects.count()
    assert Document.objects.filter(state="final").exists()
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored  # the decided case has sealed documents in the file store

    data, keys = tmp_path / "backup" / "data", tmp_path / "vault" / "keys"
    with pytest.raises(CommandError, match="密钥必须与数据分开保管"):
        call_command("backup", str(tmp_path / "elsewhere"), keys_dest=str(tmp_path / "elsewhere" / "keys"))
    call_command("backup", str(data), keys_dest=str(keys))
    assert {p.name for p in data.iterdir()} >= {"manifest.json", "media"}
    assert (
        (data / "database.dump").exists()
        if connection.vendor == "postgresql"
        else (data / "database.sqlite3").exists()
    )
    assert not any(p.suffix == ".key" for p in data.rglob("*"))  # no private key in the data backup
    assert any(p.name.endswith(".key") for p in (keys / "keys").iterdir())
    assert oct((keys / "keys").stat().st_mode & 0o777) == "0o700"

    # a fresh machine: new database, new var directory, empty file store
    site = tmp_path / "site1"
    env = _site(site, fresh_databases(tmp_path))
    restored = _zhifa("restore", str(data), "--keys-from", str(keys), env=env)
    assert restored.returncode == 0, restored.stderr
    assert len([p for p in (site / "media").rglob("*") if p.is_file()]) == len(stored)
    verified = _zhifa("ledger", "verify", "--state", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert re.search(rf"\b{entries}\b", verified.stdout), verified.stdout  # every entry is there
    # restoring again over the restored data is refused: nothing is overwritten
    again = _zhifa("restore", str(data), "--keys-from", str(keys), env=env)
    assert again.returncode != 0 and ("不是空的" in again.stderr or "已存在" in again.stderr), again.stderr

    # the same backup without its files: verify finds every missing file and fails
    partial = tmp_path / "partial"
    shutil.copytree(data, partial, ignore=shutil.ignore_patterns("media"))
    site2 = tmp_path / "site2"
    env2 = _site(site2, fresh_databases(tmp_path))
    restored = _zhifa("restore", str(partial), "--keys-from", str(keys), env=env2)
    assert restored.returncode == 0, restored.stderr
    assert "备份中没有文件存储的副本" in restored.stdout
    verified = _zhifa("ledger", "verify", "--state", env=env2)
    assert verified.returncode != 0
    assert "在存储中不存在" in verified.stdout + verified.stderr


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup(walk, tmp_path, fresh_databases):
    walk.new_case()
    data = tmp_path / "data"
    call_command("backup", str(data), no_media=True)
    dump = next(p for p in data.iterdir() if p.name.startswith("database."))
    with open(dump, "r+b") as fh:  # one byte changed
        fh.seek(200)
        byte = fh.read(1)
        fh.seek(200)
        fh.write(bytes([byte[0] ^ 0xFF]))
    env = _site(tmp_path / "site", fresh_databases(tmp_path))
    restored = _zhifa("restore", str(data), env=env)
    assert restored.returncode != 0
    assert "缺失或已损坏" in restored.stderr
    # a backup of the other kind of database is refused too
    manifest = json.loads((data / "manifest.json").read_text())
    manifest["database"] = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    (data / "manifest.json").write_text(json.dumps(manifest))
    restored = _zhifa("restore", str(data), env=env)
    assert restored.returncode != 0 and "不能直接恢复" in restored.stderr
