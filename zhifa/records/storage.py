"""Files of the case file in Django's default storage, under content-addressed names.

A file's name is its SHA-256 (``records/ab/abcd….pdf``), so the same bytes are stored once, a name never
points to other bytes, and anyone holding the hash from the ledger can check the file. Evidence and
audio/video files use the same helper with their own prefix. A file written by a transaction that then rolls
back stays behind unreferenced (harmless: nothing names it; a sweep may remove it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


class FileTampered(Exception):
    """The stored bytes no longer hash to the recorded SHA-256."""


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    size: int


def name_for(sha256: str, ext: str, prefix: str = "records") -> str:
    return f"{prefix}/{sha256[:2]}/{sha256}.{ext.lstrip('.')}"


def put(data: bytes, *, ext: str, prefix: str = "records") -> StoredFile:
    """Store ``data`` (once) and return its name and hash."""
    sha = hashlib.sha256(data).hexdigest()
    name = name_for(sha, ext, prefix)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # a concurrent writer stored the same bytes first; keep one copy
            default_storage.delete(saved)
    return StoredFile(name=name, sha256=sha, size=len(data))


def read(name: str, sha256: str | None = None) -> bytes:
    """The stored bytes; with ``sha256``, refuse bytes that no longer match the recorded hash."""
    with default_storage.open(name, "rb") as fh:
        data = fh.read()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise FileTampered(name)
    return data


CHUNK = 1024 * 1024


def sha256_of(fh, chunk: int = CHUNK) -> tuple[str, int]:
    """(SHA-256 hex, size) of an open binary file, read in pieces (memory stays constant)."""
    digest, size = hashlib.sha256(), 0
    while block := fh.read(chunk):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def put_path(path, *, sha256: str, size: int, ext: str, prefix: str) -> StoredFile:
    """Store the file at ``path`` (whose hash and size the caller computed while it arrived) under its
    content-addressed name, streaming. A copy cut short by a killed process is found by its size and written
    again; a complete copy of the same bytes is kept as it is (never overwritten)."""
    from django.core.files import File

    name = name_for(sha256, ext, prefix)
    if default_storage.exists(name):
        if default_storage.size(name) == size:
            return StoredFile(name=name, sha256=sha256, size=size)
        default_storage.delete(name)  # a truncated leftover: these bytes are not the file the name promises
    with open(path, "rb") as fh:
        saved = default_storage.save(name, File(fh, name=name))
    if saved != name:  # a concurrent writer stored the same bytes first
        default_storage.delete(saved)
    if default_storage.size(name) != size:
        raise OSError(f"stored {name} has the wrong size")
    return StoredFile(name=name, sha256=sha256, size=size)


def rehash(name: str) -> tuple[str, int] | None:
    """(SHA-256, size) of the stored file, streamed; None when it is missing."""
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as fh:
        return sha256_of(fh)
