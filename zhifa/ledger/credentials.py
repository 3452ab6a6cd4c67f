"""Keyed digests of credentials: how the ledger records a password or token hash without recording it.

An entry that records a person's state carries ``password_digest``: HMAC-SHA-256 of the stored password
hash (the ``password`` column, never the password) under a key kept in a file beside the signing keys
(``LEDGER_KEY_DIR/credential-digest.key``, mode 600), never in the database. Without that key nobody who
reads the ledger can test guesses against it; with it, ``verify --state`` recomputes the digest of the
live column and finds a hash replaced straight in the database (someone who sets the head's password hash
to one of their own to log in as the head). Token hashes (``key_hash``) are digested the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading

from . import keys

KEY_FILE = "credential-digest.key"

_lock = threading.Lock()
_cache: dict[str, bytes] = {}


def key_path():
    return keys.key_dir() / KEY_FILE


def _key() -> bytes:
    path = key_path()
    cached = _cache.get(str(path))
    if cached is not None:
        return cached
    with _lock:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32).hex().encode() + b"\n")
        key = bytes.fromhex(path.read_text().strip())
        if len(key) < 32:
            raise ValueError(f"{path}: the credential digest key is shorter than 32 bytes")
        _cache[str(path)] = key
        return key


def digest(field: str, value: str | None) -> str | None:
    """``hmac-sha256:<hex>`` of a stored credential hash (None when there is none)."""
    if not value:
        return None
    mac = hmac.new(_key(), f"zhifa-credential/v1\n{field}\n{value}".encode(), hashlib.sha256)
    return "hmac-sha256:" + mac.hexdigest()
