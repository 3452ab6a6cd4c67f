"""Checking an uploaded file before anything is stored: its type by content (libmagic), size and name.

The name a browser sends and its Content-Type header are the sender's claims; the bytes decide.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation

# Detected content type → the extensions a file of that type may carry.
SPREADSHEET_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "text/plain": {".csv"},
    "text/csv": {".csv"},
    "application/csv": {".csv"},
}
DOCUMENT_TYPES = {
    "application/pdf": {".pdf"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/msword": {".doc"},
    "application/vnd.ms-excel": {".xls"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}
ATTACHMENT_TYPES = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
}

MAX_NAME = 120
_BAD_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


@dataclass(frozen=True)
class Upload:
    name: str
    content_type: str
    size: int
    sha256: str


def detect_type(data: bytes) -> str:
    import magic

    return magic.from_buffer(data[:65536], mime=True)


def check_upload(name: str, data: bytes, *, allowed: dict[str, set[str]], max_bytes: int) -> Upload:
    """Refuse (RuleViolation, in Chinese) a file whose name, size or content is not acceptable."""
    name = os.path.basename((name or "").replace("\\", "/")).strip()
    if not name or len(name) > MAX_NAME or _BAD_NAME.search(name) or name.startswith("."):
        raise RuleViolation(
            _("文件名“%(name)s”不可用：长度不超过%(n)d个字符，不含特殊符号。")
            % {"name": name[:40], "n": MAX_NAME}
        )
    if not data:
        raise RuleViolation(_("文件“%(name)s”是空文件。") % {"name": name})
    if len(data) > max_bytes:
        raise RuleViolation(
            _("文件“%(name)s”超过大小限制（%(limit)s）。") % {"name": name, "limit": human_size(max_bytes)}
        )
    ext = os.path.splitext(name)[1].lower()
    content_type = detect_type(data)
    extensions = allowed.get(content_type)
    if extensions is None:
        raise RuleViolation(
            _("文件“%(name)s”的内容类型（%(type)s）不在允许范围内，允许：%(allowed)s。")
            % {
                "name": name,
                "type": content_type,
                "allowed": "、".join(sorted({e for v in allowed.values() for e in v})),
            }
        )
    if ext not in extensions:
        raise RuleViolation(
            _("文件“%(name)s”的扩展名与内容不符（内容为%(type)s）。") % {"name": name, "type": content_type}
        )
    return Upload(
        name=name, content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.0f} MB"
    return f"{n / 1024:.0f} KB"
