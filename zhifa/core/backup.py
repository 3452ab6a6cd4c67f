"""Backup and restore of one deployment (``zhifa backup`` / ``zhifa restore``, docs/backup.md).

A backup has two parts kept in different places:

- the **data** (``DEST``): the database (PostgreSQL: ``pg_dump -Fc``; SQLite: a consistent copy through SQLite's
  online backup API), the local file storage (``MEDIA_ROOT``: documents, evidence) copied after the database, and
  ``manifest.json`` (what was copied, the dump's SHA-256, each ledger's size when the backup was taken);
- the **keys** (``--keys-dest``): the ledger signing keys (``ZHIFA_LEDGER_KEY_DIR``), the embedded seal CAs and
  keys (``ZHIFA_SEAL_DIR``) and ``var/secret_key``. Whoever holds the data must not also hold the keys, so the
  two destinations may not contain each other.

The database is copied before the files: files are stored under their SHA-256 before the row naming them is
committed and are never overwritten, so every file a copied row names is already there when the files are copied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.utils.translation import gettext as _

FORMAT = "zhifa-backup/1"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """Something a person must fix; the message says what."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _vendor() -> str:
    return connection.vendor


def _pg_env() -> dict:
    """libpq's environment for the configured database (the password never appears on a command line)."""
    db = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _run(args: list[str]) -> None:
    try:
        done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            _("找不到 %(tool)s：请安装与数据库服务器同一主版本的 PostgreSQL 客户端。") % {"tool": args[0]}
        ) from None
    if done.returncode != 0:
        raise BackupError(_("%(tool)s 执行失败：%(error)s") % {"tool": args[0], "error": done.stderr.strip()})


def _is_inside(path: Path, other: Path) -> bool:
    path, other = path.resolve(), other.resolve()
    return path == other or other in path.parents


def _empty_dir(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def _local_media() -> Path | None:
    storage = getattr(default_storage, "_wrapped", None)
    if storage is None or not hasattr(storage, "location"):
        default_storage._setup()
        storage = default_storage._wrapped
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _copy_private(src: Path, dest: Path) -> int:
    """Copy a key directory with owner-only permissions (directories 700, files 600); returns how many files."""
    count = 0
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(dest, 0o700)
    for item in sorted(src.rglob("*")):
        target = dest / item.relative_to(src)
        if item.is_dir():
            target.mkdir(mode=0o700, exist_ok=True)
            os.chmod(target, 0o700)
        elif item.is_file():
            if target.exists() and target.read_bytes() != item.read_bytes():
                raise BackupError(_("%(path)s 已存在且内容不同，未覆盖。") % {"path": target})
            shutil.copy2(item, target)
            os.chmod(target, 0o600)
            count += 1
    return count


def _ledger_sizes() -> dict:
    from zhifa.ledger.models import Log

    return {log.agency.code: log.size for log in Log.objects.select_related("agency").order_by("origin")}


def backup(dest: Path, *, keys_dest: Path | None = None, media: bool = True, say=print) -> dict:
    """Write a backup of the data to ``dest`` and, with ``keys_dest``, of the keys there. Returns the manifest."""
    from zhifa.records import conf as records_conf

    dest = Path(dest)
    if not _empty_dir(dest):
        raise BackupError(_("备份目录 %(path)s 已存在且不是空的。") % {"path": dest})
    if keys_dest is not None:
        keys_dest = Path(keys_dest)
        if _is_inside(keys_dest, dest) or _is_inside(dest, keys_dest):
            raise BackupError(
                _("密钥必须与数据分开保管：--keys-dest 不能在备份目录之内，也不能包含备份目录。")
            )
        if not _empty_dir(keys_dest):
            raise BackupError(_("密钥备份目录 %(path)s 已存在且不是空的。") % {"path": keys_dest})
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(dest, 0o700)

    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": _vendor(),
        "ledgers": _ledger_sizes(),
        "files": {},
        "media": None,
    }
    # 1. the database (first: see the module docstring)
    if _vendor() == "postgresql":
        target = dest / PG_DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    elif _vendor() == "sqlite":
        target = dest / SQLITE_COPY
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)  # a consistent copy, even while others write
        finally:
            copy.close()
            source.close()
    else:
        raise BackupError(_("不支持的数据库：%(vendor)s") % {"vendor": _vendor()})
    os.chmod(target, 0o600)
    manifest["files"][target.name] = _sha256(target)
    say(_("数据库已备份：%(path)s") % {"path": target})

    # 2. the stored files
    location = _local_media()
    if not media:
        say(_("按要求未复制文件存储。"))
    elif location is None:
        say(
            _(
                "文件存放在对象存储中，本命令不复制：请用对象存储的版本控制、跨区域复制或 rclone / aws s3 sync "
                "在数据库备份之后另行复制（见 docs/backup.md）。"
            )
        )
    else:
        copied = 0
        if location.exists():
            shutil.copytree(location, dest / "media", dirs_exist_ok=True)
            copied = sum(1 for p in (dest / "media").rglob("*") if p.is_file())
        manifest["media"] = {"files": copied}
        say(_("文件已备份：%(n)d 个") % {"n": copied})

    # 3. the keys, elsewhere
    if keys_dest is not None:
        keys_dest.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(keys_dest, 0o700)
        n = 0
        key_dir = Path(settings.LEDGER_KEY_DIR)
        if key_dir.exists():
            n += _copy_private(key_dir, keys_dest / "keys")
        n += _copy_private(records_conf.seal_dir(), keys_dest / "seal")
        secret = Path(settings.VAR_DIR) / "secret_key"
        if secret.exists() and not os.environ.get("ZHIFA_SECRET_KEY"):
            shutil.copy2(secret, keys_dest / "secret_key")
            os.chmod(keys_dest / "secret_key", 0o600)
            n += 1
        (keys_dest / "manifest.json").write_text(
            json.dumps({"format": FORMAT, "created_at": manifest["created_at"], "keys": n}, indent=2)
        )
        say(
            _("密钥已备份到 %(path)s：%(n)d 个文件。请与数据备份分开、限制访问地保管。")
            % {"path": keys_dest, "n": n}
        )
    else:
        say(
            _(
                "未备份密钥（账本签名私钥、电子印章、secret_key）：请用 --keys-dest 把它们备份到与数据备份不同、"
                "限制访问的地方。"
            )
        )
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def restore(source: Path, *, keys_from: Path | None = None, media: bool = True, say=print) -> dict:
    """Restore a backup made by ``backup`` into the configured database (which must be empty) and file storage."""
    from zhifa.records import conf as records_conf

    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError):
        raise BackupError(
            _("%(path)s 不是 zhifa 备份目录（没有可读的 manifest.json）。") % {"path": source}
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(_("备份格式不受支持：%(format)s") % {"format": manifest.get("format")})
    if manifest.get("database") != _vendor():
        raise BackupError(
            _("备份来自 %(their)s 数据库，当前配置的是 %(ours)s，不能直接恢复。")
            % {"their": manifest.get("database"), "ours": _vendor()}
        )
    for name, sha in manifest.get("files", {}).items():
        if not (source / name).is_file() or _sha256(source / name) != sha:
            raise BackupError(_("备份文件 %(name)s 缺失或已损坏（SHA-256 不符）。") % {"name": name})

    # refuse to restore over data
    location = _local_media() if media else None
    if location is not None and not _empty_dir(location):
        raise BackupError(_("文件存储目录 %(path)s 不是空的；请恢复到新的空目录。") % {"path": location})
    if _vendor() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            if cursor.fetchone()[0]:
                raise BackupError(_("目标数据库不是空的；请先新建一个空数据库再恢复。"))
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={_pg_env()['PGDATABASE']}",
                str(source / PG_DUMP),
            ]
        )
    else:
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        if target.exists() and target.stat().st_size > 0:
            raise BackupError(_("目标数据库文件 %(path)s 已存在；请恢复到新的文件。") % {"path": target})
        target.parent.mkdir(parents=True, exist_ok=True)
        backup_db = sqlite3.connect(f"file:{source / SQLITE_COPY}?mode=ro", uri=True)
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                backup_db.backup(copy)
        finally:
            copy.close()
            backup_db.close()
    say(_("数据库已恢复。"))

    if location is not None:
        if (source / "media").is_dir():
            shutil.copytree(source / "media", location, dirs_exist_ok=True)
            say(_("文件已恢复：%(n)d 个") % {"n": sum(1 for p in location.rglob("*") if p.is_file())})
        else:
            say(_("备份中没有文件存储的副本：文件须从对象存储或其他备份另行恢复。"))

    if keys_from is not None:
        keys_from = Path(keys_from)
        if (keys_from / "keys").is_dir():
            _copy_private(keys_from / "keys", Path(settings.LEDGER_KEY_DIR))
        if (keys_from / "seal").is_dir():
            _copy_private(keys_from / "seal", records_conf.seal_dir())
        secret = Path(settings.VAR_DIR) / "secret_key"
        if (keys_from / "secret_key").is_file() and not os.environ.get("ZHIFA_SECRET_KEY"):
            if secret.exists() and secret.read_bytes() != (keys_from / "secret_key").read_bytes():
                say(_("注意：%(path)s 已存在且与备份不同，未覆盖（已登录的会话将失效）。") % {"path": secret})
            else:
                shutil.copy2(keys_from / "secret_key", secret)
                os.chmod(secret, 0o600)
        say(_("密钥已恢复。"))
    else:
        say(_("未恢复密钥：没有账本签名私钥就不能签署新的检查点（验证不受影响）。"))
    say(_("恢复完成。请运行 zhifa ledger verify --state 核对数据库、账本和文件。"))
    return manifest
