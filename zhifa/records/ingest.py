"""Evidence files on their way in: hashed while the bytes arrive, typed from the bytes (never the name), measured
by ffprobe when it is installed, refused with a clear message — and nothing left behind when refused.

Two ways in, both with constant memory whatever the size:

- one request (the page's form): ``HashingUploadHandler`` writes the body to a temporary file and updates the
  SHA-256 and the byte count with every chunk; past the size limit it stops reading;
- resumable pieces (the API, for multi-GB body-camera files): each piece is appended to a partial file in
  ``conf.upload_dir()``; the hash is computed once, streaming, when the last byte is in.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation

from . import conf

log = logging.getLogger(__name__)

# What libmagic says → (the type we record, the extension we store under).
ALLOWED = {
    "video/mp4": ("video/mp4", "mp4"),
    "video/quicktime": ("video/quicktime", "mov"),
    "audio/mpeg": ("audio/mpeg", "mp3"),
    "audio/x-m4a": ("audio/mp4", "m4a"),
    "audio/mp4": ("audio/mp4", "m4a"),
    "audio/x-wav": ("audio/wav", "wav"),
    "audio/wav": ("audio/wav", "wav"),
    "audio/vnd.wave": ("audio/wav", "wav"),
    "audio/amr": ("audio/amr", "amr"),
    "audio/x-amr": ("audio/amr", "amr"),
    "image/jpeg": ("image/jpeg", "jpg"),
    "image/png": ("image/png", "png"),
    "image/heic": ("image/heic", "heic"),
    "image/heif": ("image/heic", "heic"),
    "application/pdf": ("application/pdf", "pdf"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
}
DOCX = ALLOWED["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
OFD = ("application/ofd", "ofd")


def allowed_message() -> str:
    return _(
        "不支持该文件类型（按文件内容识别，与文件名无关）。可上传：视频 MP4、MOV；音频 MP3、M4A、WAV、AMR；"
        "图片 JPEG、PNG、HEIC；文档 PDF、DOCX、OFD。"
    )


def too_large_message() -> str:
    return _("文件超过允许的大小（不超过%(mb)d MB）。") % {"mb": conf.evidence_max_bytes() // (1024 * 1024)}


def detect(path: Path | str) -> tuple[str, str]:
    """(content type, extension) of the file, from its bytes; RuleViolation when the type is not allowed."""
    import magic

    found = magic.from_file(str(path), mime=True)
    if found in ALLOWED:
        return ALLOWED[found]
    if found in ("application/zip", "application/octet-stream", "application/x-zip-compressed"):
        # DOCX and OFD are zip packages; libmagic names DOCX only when the first entry says so.
        try:
            with zipfile.ZipFile(path) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError):
            names = set()
        if "word/document.xml" in names:
            return DOCX
        if "OFD.xml" in names:
            return OFD
    if found == "audio/x-hx-aac-adts" or found.startswith("audio/x-m4"):
        return ("audio/mp4", "m4a")
    raise RuleViolation(allowed_message())


@dataclass(frozen=True)
class Media:
    duration: float | None = None
    codec: str = ""
    has_video: bool = False


def probe(path: Path | str) -> Media | None:
    """Duration and codecs from ffprobe (Debian ``ffmpeg``); None when ffprobe is not installed."""
    exe = shutil.which("ffprobe")
    if exe is None:
        return None
    try:
        result = subprocess.run(
            [
                exe,
                "-v",
                "error",
                "-show_entries",
                "format=duration:stream=codec_type,codec_name",
                "-of",
                "json",
                str(path),
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
        info = json.loads(result.stdout or b"{}")
    except (subprocess.TimeoutExpired, ValueError, OSError):
        log.warning("ffprobe failed on %s", path)
        return Media()
    streams = info.get("streams") or []
    codecs = [s.get("codec_name", "") for s in streams if s.get("codec_type") in ("video", "audio")]
    try:
        duration = float((info.get("format") or {}).get("duration"))
    except (TypeError, ValueError):
        duration = None
    return Media(
        duration=duration,
        codec="/".join(c for c in codecs if c),
        has_video=any(s.get("codec_type") == "video" for s in streams),
    )


@dataclass(frozen=True)
class Received:
    """A complete file on local disk, with the hash and size computed as it arrived."""

    path: Path
    sha256: str
    size: int
    original_name: str = ""


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Django upload handler: the body goes to a temporary file (never memory), hashed chunk by chunk, and the
    upload stops as soon as it passes the size limit."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > conf.evidence_max_bytes():
            self.too_large = True
            self.file.close()  # the temporary file is removed with it
            self.request.evidence_too_large = True
            raise StopUpload(connection_reset=True)
        self.digest.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        if uploaded is not None:
            uploaded.sha256 = self.digest.hexdigest()
        return uploaded


def received_from_upload(uploaded) -> Received:
    """The file the handler wrote, as ``Received`` (the hash already computed while streaming)."""
    sha = getattr(uploaded, "sha256", None)
    path = Path(uploaded.temporary_file_path()) if hasattr(uploaded, "temporary_file_path") else None
    if sha is None or path is None:
        raise RuleViolation(_("上传方式不正确，请重新上传。"))
    return Received(path=path, sha256=sha, size=uploaded.size, original_name=uploaded.name or "")


def part_path(upload_id) -> Path:
    return conf.upload_dir() / f"{upload_id}.part"


def append_piece(path: Path, offset: int, stream, length: int, chunk: int = 1024 * 1024) -> int:
    """Write ``length`` bytes read from ``stream`` at ``offset`` of the partial file (anything past ``offset``,
    left by a piece cut off before it was recorded, is dropped first). Returns the bytes written; fewer than
    ``length`` when the connection dropped."""
    mode = "r+b" if path.exists() else "wb"
    written = 0
    with open(path, mode) as fh:
        fh.truncate(offset)
        fh.seek(offset)
        while written < length:
            block = stream.read(min(chunk, length - written))
            if not block:
                break
            fh.write(block)
            written += len(block)
        fh.flush()
        import os

        os.fsync(fh.fileno())
    return written
