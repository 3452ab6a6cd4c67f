"""The agency seal on a finalised PDF, behind one small interface, and the verification of PDF signatures.

``SealProvider.seal(pdf, agency=…, box=…, reason=…)`` returns the sealed PDF. The one provider shipped,
``PadesSeal``, makes a PAdES (ETSI EN 319 142) signature with pyHanko, with the agency's certificate:

* embedded mode — the first time an agency seals, an agency CA and a signing certificate are created under
  ``conf.seal_dir()/<agency code>/`` (ECDSA P-256, private keys mode 600, never in the database);
* external mode — a PKCS#12 the agency obtained from a CA, configured by ``ZHIFA_SEAL_PKCS12``.

The visible seal (seal_image.py) is the signature's appearance, placed where the document reserves it.

Gap: the national electronic seal of GB/T 38540 (SM2/SM3, the seal data structure of GM/T 0031) cannot be
produced by any Python package today. A provider for it (a vendor's seal server, a cryptographic device) fits
this interface: set ``ZHIFA_SEAL_PROVIDER`` to its dotted path. See docs/documents.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.utils import timezone
from django.utils.module_loading import import_string

from . import conf, seal_image


@dataclass(frozen=True)
class SealBox:
    """Where the visible seal goes: a page index and a box in PDF points, origin at the bottom left."""

    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class SealResult:
    pdf: bytes
    info: dict


class SealProvider(Protocol):
    name: str

    def seal(self, pdf: bytes, *, agency, box: SealBox | None, reason: str) -> SealResult: ...


def provider() -> SealProvider:
    return import_string(conf.seal_provider_path())()


# The agency's keys -----------------------------------------------------------------------------------------------

CA_YEARS = 20
SIGNER_YEARS = 5


def _safe(code: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in code)


def agency_dir(agency) -> Path:
    return conf.seal_dir() / _safe(agency.code)


def _name(agency, common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency.name),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if getattr(agency, "credit_code", ""):
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, agency.credit_code))
    return x509.Name(attrs)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _create_agency_keys(agency, target: Path) -> None:
    """Create the agency CA and its seal certificate in a private temporary folder, then move it into place in
    one rename: two processes sealing for the first time at once end up with one set of keys."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(agency, f"{agency.name} 电子印章根证书")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(agency, f"{agency.name} 电子印章"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * SIGNER_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    pkcs8 = serialization.PrivateFormat.PKCS8
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{target.name}-", dir=target.parent))
    try:
        _write_private(tmp / "ca.key", ca_key.private_bytes(pem, pkcs8, serialization.NoEncryption()))
        _write_private(tmp / "seal.key", key.private_bytes(pem, pkcs8, serialization.NoEncryption()))
        (tmp / "ca.pem").write_bytes(ca.public_bytes(pem))
        (tmp / "seal.pem").write_bytes(cert.public_bytes(pem))
        try:
            os.rename(tmp, target)
        except OSError:
            if not (target / "seal.pem").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _outside_event_loop(work):
    """pyHanko signs with ``asyncio.run``, which refuses to start inside a running event loop (an ASGI server, or a
    test thread where Playwright's sync API keeps one): there, sign in a thread of its own."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def ensure_agency_keys(agency) -> Path:
    """The agency's embedded key folder, created on first use."""
    target = agency_dir(agency)
    if not (target / "seal.pem").exists():
        _create_agency_keys(agency, target)
    return target


def agency_signer(agency):
    """The pyHanko signer for the agency: its external PKCS#12 if configured, else the embedded keys."""
    from pyhanko.sign import signers

    external = conf.seal_pkcs12(agency.code)
    if external is not None:
        signer = signers.SimpleSigner.load_pkcs12(str(external), passphrase=conf.seal_pkcs12_password())
        if signer is None:
            raise RuntimeError(f"cannot load the seal certificate {external}")
        return signer, "pkcs12"
    folder = ensure_agency_keys(agency)
    signer = signers.SimpleSigner.load(
        str(folder / "seal.key"), str(folder / "seal.pem"), ca_chain_files=(str(folder / "ca.pem"),)
    )
    if signer is None:
        raise RuntimeError(f"cannot load the seal keys in {folder}")
    return signer, "embedded"


def ca_certificate_pem(agency) -> bytes:
    """The agency CA certificate to give to whoever verifies its documents elsewhere."""
    return (ensure_agency_keys(agency) / "ca.pem").read_bytes()


# Sealing ---------------------------------------------------------------------------------------------------------


# The room each signer's signature takes in a sealed file (hex digits), as pyHanko sized it at the signer's first
# seal in this process. Without it pyHanko makes a dummy signature before every real one to size the room: half
# the time of a seal. The same signer (its certificate and chain) makes signatures of the same size, give or take
# the few bytes an ECDSA or RSA value varies by, and pyHanko's estimate leaves half as much again to spare.
_reserved: dict[frozenset[bytes], int] = {}


def _signer_key(signer) -> frozenset[bytes]:
    return frozenset([signer.signing_cert.sha256, *(c.sha256 for c in signer.cert_registry)])


def _remember_reserved(key: frozenset[bytes], sealed: bytes) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    signature = PdfFileReader(io.BytesIO(sealed), strict=False).embedded_signatures[-1]
    if len(_reserved) > 1000:
        _reserved.clear()
    _reserved[key] = len(signature.pkcs7_content) * 2


class PadesSeal:
    """PAdES baseline signature by the agency's certificate, with the drawn seal as its appearance."""

    name = "pades"

    def seal(self, pdf: bytes, *, agency, box: SealBox | None, reason: str) -> SealResult:
        from PIL import Image
        from pyhanko.pdf_utils.images import PdfImage
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko.stamp import StaticStampStyle

        signer, mode = agency_signer(agency)
        meta = signers.PdfSignatureMetadata(
            field_name="AgencySeal",
            reason=reason,
            location=agency.region or agency.name,
            name=agency.name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        style = None
        if box is not None:
            image = Image.open(io.BytesIO(seal_image.seal_png(agency.name)))
            style = StaticStampStyle(background=PdfImage(image), border_width=0, background_opacity=1.0)
        spec = fields.SigFieldSpec(
            "AgencySeal",
            on_page=box.page if box else 0,
            box=tuple(round(v, 2) for v in box.box) if box else None,
        )
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
        key = _signer_key(signer)
        reserved = _reserved.get(key)
        out = _outside_event_loop(
            lambda: pdf_signer.sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), bytes_reserved=reserved
            )
        )
        if reserved is None:
            _remember_reserved(key, out.getvalue())
        cert = signer.signing_cert
        info = {
            "provider": self.name,
            "mode": mode,
            "subject": cert.subject.human_friendly,
            "issuer": cert.issuer.human_friendly,
            "serial": format(cert.serial_number, "x"),
            "certificate_sha256": cert.sha256.hex(),
            "visible": box is not None,
            "at": timezone.now().isoformat(),
        }
        return SealResult(out.getvalue(), info)


# Verification ----------------------------------------------------------------------------------------------------


@dataclass
class SignatureCheck:
    field: str
    signer: str
    signed_at: str
    intact: bool
    valid: bool
    trusted: bool
    whole_file: bool
    summary: str


@dataclass
class Verification:
    """The result of checking every signature in a PDF. ``code``: 0 intact and trusted, 1 not intact or
    unsigned, 2 intact but the signer's certificate is not one we trust."""

    code: int
    message: str
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.code == 0

    @property
    def intact(self) -> bool:
        return self.code in (0, 2)


def trust_roots(extra: list[Path] | tuple = ()) -> list:
    """CA certificates we trust: every embedded agency CA, the configured ones, and ``extra``."""
    from asn1crypto import pem
    from asn1crypto import x509 as ax509

    paths = [*conf.seal_dir().glob("*/ca.pem"), *conf.seal_trust_roots(), *extra]
    roots = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        if pem.detect(data):
            for _type, _headers, der in pem.unarmor(data, multiple=True):
                roots.append(ax509.Certificate.load(der))
        else:
            roots.append(ax509.Certificate.load(data))
    return roots


@contextlib.contextmanager
def _quiet_pyhanko():
    """pyHanko logs a traceback for every certificate it cannot chain; the verdict says so in words instead."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def verify_pdf(data: bytes, *, extra_roots: list[Path] | tuple = ()) -> Verification:
    """Check every signature of a PDF: the signed bytes unchanged (intact), the signature mathematically valid,
    nothing added after it, and the signer's certificate issued by a CA we trust."""
    with _quiet_pyhanko():
        return _outside_event_loop(lambda: _verify_pdf(data, extra_roots))


def _verify_pdf(data: bytes, extra_roots) -> Verification:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        return Verification(1, f"无法读取该PDF文件（{exc.__class__.__name__}），文件可能已损坏或被篡改。")
    if not embedded:
        return Verification(1, "该PDF文件没有数字签名（电子印章），无法证明其完整性。")
    context = ValidationContext(
        trust_roots=trust_roots(extra_roots), allow_fetching=False, revocation_mode="soft-fail"
    )
    checks = []
    for sig in embedded:
        try:
            status = validate_pdf_signature(sig, context)
            intact, valid, trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
            whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            summary = status.summary()
            signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
            signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
        except Exception as exc:  # a malformed signature is a failed one, whatever pyHanko raises
            intact = valid = trusted = whole = False
            summary, signer, signed_at = f"{exc.__class__.__name__}: {exc}", "", ""
        checks.append(
            SignatureCheck(sig.field_name or "", signer, signed_at, intact, valid, trusted, whole, summary)
        )
    if not all(c.intact and c.valid for c in checks):
        return Verification(1, "签名验证失败：文件内容在签名后被改动，或签名已损坏。该文件不可信。", checks)
    if not any(c.whole_file for c in checks):
        return Verification(1, "签名本身完整，但签名之后文件又被追加修改，修改部分未经签名。", checks)
    if not all(c.trusted for c in checks):
        return Verification(
            2, "签名完整，文件自签名后未被改动；但签名证书不是受信任的执法主体证书，无法确认签名人。", checks
        )
    return Verification(
        0, "签名完整有效：文件自签名后未被改动，签名证书由受信任的执法主体根证书签发。", checks
    )
