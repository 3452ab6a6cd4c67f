"""File names people upload, made safe to store and to send back.

A name is kept for the reader's sake only (files are stored under their SHA-256), but it is echoed in pages and in
the ``Content-Disposition`` of downloads: path parts (``../../etc/passwd``, ``C:\\…``), control characters and the
bidirectional controls that disguise an extension (``invoice\u202egpj.exe``) are removed, and the header is
written by Django's RFC 6266 / RFC 5987 encoder, never by string formatting.
"""

from __future__ import annotations

import unicodedata

from django.utils.http import content_disposition_header

MAX_LENGTH = 255
# Bidirectional embeddings, overrides and isolates, and the marks (Unicode "Cf" catches the rest of the format
# characters: zero-width joiners, BOM …).
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def safe_name(name: str, *, fallback: str = "file") -> str:
    """The last path part of ``name`` without control, format or bidi characters, trimmed to 255 characters; the
    fallback when nothing is left."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch
        for ch in name
        if ch not in _BIDI and unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    name = name.strip().strip(".").strip()
    if not name:
        return fallback
    if len(name) > MAX_LENGTH:
        stem, dot, ext = name.rpartition(".")
        keep = MAX_LENGTH - len(ext) - 1 if dot and len(ext) <= 16 else MAX_LENGTH
        name = f"{stem[:keep]}.{ext}" if dot and len(ext) <= 16 else name[:MAX_LENGTH]
    return name


def disposition(name: str, *, attachment: bool = True, fallback: str = "file") -> str:
    """The ``Content-Disposition`` header value for sending ``name`` (made safe first)."""
    return content_disposition_header(attachment, safe_name(name, fallback=fallback))
