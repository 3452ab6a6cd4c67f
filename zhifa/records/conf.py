"""The records app's settings. Each reads ``settings.RECORDS_*`` when the project sets it, else a ``ZHIFA_*``
environment variable, else the embedded-mode default — so the app works before settings.py names them.

| setting | environment | default |
|---|---|---|
| RECORDS_SEAL_DIR | ZHIFA_SEAL_DIR | VAR_DIR/seal — the embedded agency CAs and seal keys (mode 600) |
| RECORDS_SEAL_PKCS12 | ZHIFA_SEAL_PKCS12 | "" — an external certificate: a PKCS#12 path, ``{agency}`` = agency code |
| RECORDS_SEAL_PKCS12_PASSWORD | ZHIFA_SEAL_PKCS12_PASSWORD | "" |
| RECORDS_SEAL_TRUST_ROOTS | ZHIFA_SEAL_TRUST_ROOTS | "" — extra CA certificates (PEM files, comma-separated) for verification |
| RECORDS_SEAL_PROVIDER | ZHIFA_SEAL_PROVIDER | zhifa.records.seal.PadesSeal |
| RECORDS_FONT_FAMILIES | ZHIFA_DOCUMENT_FONTS | 仿宋_GB2312,仿宋,FangSong — tried in order, then WenQuanYi Micro Hei |
| RECORDS_SEAL_FONT | ZHIFA_SEAL_FONT | the WenQuanYi Micro Hei file — the font of the text on the seal image |
| RECORDS_NUMBER_PER_FIELD | ZHIFA_DOCUMENT_NUMBER_PER_FIELD | False — one 文号 series per agency, kind and year |
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

FALLBACK_FONT = "WenQuanYi Micro Hei"
DEFAULT_FONTS = ("仿宋_GB2312", "仿宋", "FangSong")
DEFAULT_SEAL_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def _get(name: str, env: str, default):
    value = getattr(settings, name, None)
    if value is not None:
        return value
    return os.environ.get(env, default)


def seal_dir() -> Path:
    path = Path(_get("RECORDS_SEAL_DIR", "ZHIFA_SEAL_DIR", str(Path(settings.VAR_DIR) / "seal")))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def seal_pkcs12(agency_code: str) -> Path | None:
    """The external PKCS#12 for this agency, when one is configured and present."""
    template = str(_get("RECORDS_SEAL_PKCS12", "ZHIFA_SEAL_PKCS12", "") or "")
    if not template:
        return None
    path = Path(template.replace("{agency}", agency_code))
    return path if path.is_file() else None


def seal_pkcs12_password() -> bytes | None:
    value = str(_get("RECORDS_SEAL_PKCS12_PASSWORD", "ZHIFA_SEAL_PKCS12_PASSWORD", "") or "")
    return value.encode() if value else None


def seal_trust_roots() -> list[Path]:
    value = _get("RECORDS_SEAL_TRUST_ROOTS", "ZHIFA_SEAL_TRUST_ROOTS", "")
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return [Path(item.strip()) for item in items if str(item).strip()]


def seal_provider_path() -> str:
    return str(_get("RECORDS_SEAL_PROVIDER", "ZHIFA_SEAL_PROVIDER", "zhifa.records.seal.PadesSeal"))


def font_families() -> list[str]:
    value = _get("RECORDS_FONT_FAMILIES", "ZHIFA_DOCUMENT_FONTS", ",".join(DEFAULT_FONTS))
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    families = [str(item).strip().strip("\"'") for item in items if str(item).strip()]
    return [*families, FALLBACK_FONT] if FALLBACK_FONT not in families else families


def css_font_family() -> str:
    return ", ".join('"' + name.replace('"', "") + '"' for name in font_families())


def docx_font() -> str:
    """The East Asian font named in the DOCX: the first configured family (Word substitutes when missing)."""
    return font_families()[0]


def seal_font() -> str:
    return str(_get("RECORDS_SEAL_FONT", "ZHIFA_SEAL_FONT", DEFAULT_SEAL_FONT))


def number_per_field() -> bool:
    value = _get("RECORDS_NUMBER_PER_FIELD", "ZHIFA_DOCUMENT_NUMBER_PER_FIELD", False)
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")


# Uploads of signatures: a handwritten signature is a small PNG; a scan of the signed paper a PNG, JPEG or PDF.
SIGNATURE_MAX_BYTES = 1024 * 1024
SIGNATURE_MAX_PIXELS = 4000
SCAN_MAX_BYTES = 10 * 1024 * 1024


# Evidence (see docs/evidence.md).
def evidence_max_bytes() -> int:
    """RECORDS_EVIDENCE_MAX_BYTES / ZHIFA_EVIDENCE_MAX_BYTES: the largest evidence file accepted (default 8 GiB)."""
    return int(_get("RECORDS_EVIDENCE_MAX_BYTES", "ZHIFA_EVIDENCE_MAX_BYTES", 8 * 1024**3))


def upload_dir() -> Path:
    """RECORDS_UPLOAD_DIR / ZHIFA_UPLOAD_DIR: where partial uploads grow (default VAR_DIR/uploads). In production
    with several web servers it must be a shared folder; finished files go to the storage."""
    path = Path(_get("RECORDS_UPLOAD_DIR", "ZHIFA_UPLOAD_DIR", str(Path(settings.VAR_DIR) / "uploads")))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def upload_abandon_hours() -> float:
    """RECORDS_UPLOAD_ABANDON_HOURS: a partial upload untouched this long is removed (default 48)."""
    return float(_get("RECORDS_UPLOAD_ABANDON_HOURS", "ZHIFA_UPLOAD_ABANDON_HOURS", 48))


def fixity_batch() -> int:
    """RECORDS_FIXITY_BATCH: how many stored files one fixity run re-hashes (oldest-checked first; default 200)."""
    return int(_get("RECORDS_FIXITY_BATCH", "ZHIFA_FIXITY_BATCH", 200))


def fixity_minutes() -> float:
    return float(_get("RECORDS_FIXITY_MINUTES", "ZHIFA_FIXITY_MINUTES", 60))
