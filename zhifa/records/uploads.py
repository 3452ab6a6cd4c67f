"""Checking a signature image or a scan before it is stored: by its bytes, never by the name or type the
browser claims."""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation

from . import conf

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    ext: str


def _image(data: bytes, fmt: str):
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != fmt:
                raise RuleViolation(_("文件内容与格式不符。"))
            width, height = img.size
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise RuleViolation(_("图像文件已损坏或无法识别。")) from exc
    if width < 10 or height < 10 or max(width, height) > conf.SIGNATURE_MAX_PIXELS:
        raise RuleViolation(_("图像尺寸不合适（最大%(n)d像素）。") % {"n": conf.SIGNATURE_MAX_PIXELS})


def check_signature_png(data: bytes) -> CheckedFile:
    """A handwritten signature: a PNG (as the touch-screen canvas produces), at most 1 MB."""
    if not data:
        raise RuleViolation(_("没有收到签名图像，请先签名。"))
    if len(data) > conf.SIGNATURE_MAX_BYTES:
        raise RuleViolation(_("签名图像过大（不超过1MB）。"))
    if not data.startswith(PNG_MAGIC):
        raise RuleViolation(_("签名图像必须是PNG格式。"))
    _image(data, "PNG")
    return CheckedFile(data, "image/png", "png")


def check_scan(data: bytes) -> CheckedFile:
    """A scan of the signed paper: PNG, JPEG or PDF, at most 10 MB."""
    if not data:
        raise RuleViolation(_("没有收到扫描件。"))
    if len(data) > conf.SCAN_MAX_BYTES:
        raise RuleViolation(_("扫描件过大（不超过10MB）。"))
    if data.startswith(PNG_MAGIC):
        _image(data, "PNG")
        return CheckedFile(data, "image/png", "png")
    if data.startswith(JPEG_MAGIC):
        _image(data, "JPEG")
        return CheckedFile(data, "image/jpeg", "jpg")
    if data.startswith(PDF_MAGIC) and b"%%EOF" in data[-2048:]:
        return CheckedFile(data, "application/pdf", "pdf")
    raise RuleViolation(_("扫描件必须是PNG、JPEG图像或PDF文件。"))


def decode_data_url(value: str) -> bytes:
    """The bytes of a ``data:image/png;base64,…`` URL (what the signature canvas sends)."""
    value = (value or "").strip()
    if not value:
        return b""
    header, _sep, payload = value.partition(",")
    if not _sep or not header.startswith("data:image/png;base64"):
        raise RuleViolation(_("签名图像必须是PNG格式。"))
    if len(payload) > conf.SIGNATURE_MAX_BYTES * 4 // 3 + 8:
        raise RuleViolation(_("签名图像过大（不超过1MB）。"))
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise RuleViolation(_("签名图像数据不完整，请重新签名。")) from exc
