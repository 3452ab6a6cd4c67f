"""The proof of electronic service (卫生健康行政处罚程序规定 art. 57: the service is recorded by 拍照、截屏、录音、
录像): an upload checked by its bytes — never by the name or type the browser claims — then stored under its
SHA-256 (records.storage), which the service's ledger entry carries."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.records import storage, uploads
from zhifa.records.conf import SCAN_MAX_BYTES

from .choices import ServiceProofKind

# A recording of the service can be longer than a photo: settings.CASES_SERVICE_RECORDING_MAX_BYTES, default 200 MB.
RECORDING_MAX_BYTES_DEFAULT = 200 * 1024 * 1024
PREFIX = "service"


def recording_max_bytes() -> int:
    return int(getattr(settings, "CASES_SERVICE_RECORDING_MAX_BYTES", RECORDING_MAX_BYTES_DEFAULT))


def _audio_format(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    if data[:6] == b"#!AMR\n":
        return "amr"
    if data[4:8] == b"ftyp" and data[8:12] in (b"M4A ", b"M4B "):
        return "m4a"
    return None


def _video_format(data: bytes) -> str | None:
    if data[4:8] == b"ftyp":
        return "mov" if data[8:10] == b"qt" else "mp4"
    return None


def check(kind: str, data: bytes) -> uploads.CheckedFile:
    """``data`` as a proof of ``kind``: a screenshot or photo is a PNG or JPEG image (at most 10 MB); a sound
    recording WAV, MP3, AMR or M4A; a video MP4 or MOV."""
    if kind not in ServiceProofKind.values:
        raise RuleViolation(_("请选择送达凭证的类型：截屏、拍照、录音或录像。"))
    if not data:
        raise RuleViolation(_("请上传送达凭证（截屏、照片、录音或录像）。"))
    if kind in (ServiceProofKind.SCREENSHOT, ServiceProofKind.PHOTO):
        if len(data) > SCAN_MAX_BYTES:
            raise RuleViolation(_("图像过大（不超过%(n)dMB）。") % {"n": SCAN_MAX_BYTES // (1024 * 1024)})
        if not (data.startswith(uploads.PNG_MAGIC) or data.startswith(uploads.JPEG_MAGIC)):
            raise RuleViolation(_("截屏、照片必须是PNG或JPEG图像。"))
        return uploads.check_scan(data)
    limit = recording_max_bytes()
    if len(data) > limit:
        raise RuleViolation(_("录音、录像文件过大（不超过%(n)dMB）。") % {"n": limit // (1024 * 1024)})
    if kind == ServiceProofKind.AUDIO:
        ext = _audio_format(data)
        if ext is None:
            raise RuleViolation(_("录音必须是WAV、MP3、AMR或M4A文件。"))
        return uploads.CheckedFile(data, f"audio/{ext}", ext)
    ext = _video_format(data)
    if ext is None:
        raise RuleViolation(_("录像必须是MP4或MOV文件。"))
    return uploads.CheckedFile(data, f"video/{ext}", ext)


def store(kind: str, data: bytes) -> storage.StoredFile:
    checked = check(kind, data)
    return storage.put(checked.data, ext=checked.ext, prefix=PREFIX)
