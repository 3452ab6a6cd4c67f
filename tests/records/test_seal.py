"""The agency seal: a PAdES signature that `zhifa documents verify` and the platform check; any change fails."""

import datetime as dt
import io
import os
import stat

import pytest
from django.core.management import call_command

from zhifa.records import seal, storage
from zhifa.records.render import pdf as render_pdf

from .conftest import finalised_inquiry


def _flip_inside_signed_range(data: bytes) -> bytes:
    """Flip one byte in the middle of the first signed byte range (inside the document's content)."""
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    signature = PdfFileReader(BytesIO(data)).embedded_signatures[0]
    start, length = signature.byte_range[0], signature.byte_range[1]
    index = start + length // 2
    tampered = bytearray(data)
    tampered[index] ^= 0x01
    return bytes(tampered)


@pytest.fixture
def sealed(investigating, tmp_path):
    doc = finalised_inquiry(investigating)
    path = tmp_path / "sealed.pdf"
    path.write_bytes(storage.read(doc.pdf_name, doc.pdf_sha256))
    investigating.document, investigating.pdf_path = doc, path
    return investigating


def test_an_intact_sealed_pdf_verifies(sealed):
    result = seal.verify_pdf(sealed.pdf_path.read_bytes())
    assert result.code == 0 and "签名完整有效" in result.message
    (sig,) = result.signatures
    assert sig.intact and sig.trusted and sig.whole_file and "甲区卫生健康局" in sig.signer


def test_a_byte_changed_inside_the_signed_range_fails(sealed):
    result = seal.verify_pdf(_flip_inside_signed_range(sealed.pdf_path.read_bytes()))
    assert result.code == 1 and "被改动" in result.message


def test_an_unsigned_addition_after_the_seal_fails(sealed):
    data = sealed.pdf_path.read_bytes() + b"\n1000 0 obj\n(appended)\nendobj\n%%EOF\n"
    result = seal.verify_pdf(data)
    assert result.code == 1


def test_unsigned_and_unreadable_files_fail(sealed):
    unsigned, _box = render_pdf("<html><body><p>没有签名</p></body></html>")
    assert seal.verify_pdf(unsigned).code == 1
    assert "没有数字签名" in seal.verify_pdf(unsigned).message
    assert seal.verify_pdf(b"not a pdf at all").code == 1


def test_a_certificate_we_do_not_trust_is_reported(sealed, settings, tmp_path):
    data = sealed.pdf_path.read_bytes()
    ca = seal.agency_dir(sealed.a) / "ca.pem"
    settings.RECORDS_SEAL_DIR = tmp_path / "elsewhere"  # another installation, without this agency's CA
    result = seal.verify_pdf(data)
    assert result.code == 2 and "不是受信任的执法主体证书" in result.message
    assert seal.verify_pdf(data, extra_roots=[ca]).code == 0


def test_cli_verify_exit_codes_and_chinese_messages(sealed, tmp_path, capsys):
    call_command("documents", "verify", str(sealed.pdf_path))
    assert "签名完整有效" in capsys.readouterr().out
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(_flip_inside_signed_range(sealed.pdf_path.read_bytes()))
    with pytest.raises(SystemExit) as exit_info:
        call_command("documents", "verify", str(tampered))
    assert exit_info.value.code == 1
    assert "签名验证失败" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        call_command("documents", "verify", str(tmp_path / "missing.pdf"))
    assert exit_info.value.code == 1 and "无法读取文件" in capsys.readouterr().err


def test_cli_verify_as_json(sealed, capsys):
    import json

    call_command("documents", "verify", "--json", str(sealed.pdf_path))
    (report,) = json.loads(capsys.readouterr().out)
    assert report["code"] == 0 and report["signatures"][0]["intact"] is True


def test_cli_prints_the_agency_ca(sealed, capsys):
    call_command("documents", "certificate", "--agency", "agency-a")
    assert capsys.readouterr().out.startswith("-----BEGIN CERTIFICATE-----")


def test_agency_keys_are_made_once_and_kept_private(sealed):
    folder = seal.agency_dir(sealed.a)
    assert seal.ensure_agency_keys(sealed.a) == folder
    for name in ("ca.key", "seal.key"):
        assert stat.S_IMODE(os.stat(folder / name).st_mode) == 0o600
    first = (folder / "seal.pem").read_bytes()
    seal.ensure_agency_keys(sealed.a)
    assert (folder / "seal.pem").read_bytes() == first
    assert sealed.document.seal["mode"] == "embedded" and sealed.document.seal["visible"] is False


def test_an_external_pkcs12_certificate(investigating, settings, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "某电子认证服务机构")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "甲区卫生健康局")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
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
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"seal", key, cert, [ca], serialization.BestAvailableEncryption(b"secret")
    )
    (tmp_path / "agency-a.p12").write_bytes(p12)
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    settings.RECORDS_SEAL_PKCS12 = str(tmp_path / "{agency}.p12")
    settings.RECORDS_SEAL_PKCS12_PASSWORD = "secret"
    doc = finalised_inquiry(investigating)
    assert doc.seal["mode"] == "pkcs12" and "某电子认证服务机构" in doc.seal["issuer"]
    data = storage.read(doc.pdf_name, doc.pdf_sha256)
    assert seal.verify_pdf(data).code == 2  # intact; its CA is not (yet) trusted here
    settings.RECORDS_SEAL_TRUST_ROOTS = str(tmp_path / "ca.pem")
    assert seal.verify_pdf(data).code == 0
    assert not seal.agency_dir(investigating.a).exists()  # no embedded keys were made


def test_the_seal_provider_is_replaceable(investigating, settings):
    settings.RECORDS_SEAL_PROVIDER = "tests.records.test_seal.MarkingSeal"
    doc = finalised_inquiry(investigating)
    assert doc.seal == {"provider": "marking"}
    assert storage.read(doc.pdf_name).endswith(b"% sealed by MarkingSeal\n")


class MarkingSeal:
    """A stand-in for another seal (e.g. a GB/T 38540 seal server): anything with ``seal()`` fits."""

    name = "marking"

    def seal(self, pdf, *, agency, box, reason):
        return seal.SealResult(pdf + b"% sealed by MarkingSeal\n", {"provider": self.name})


def test_sealing_and_checking_inside_a_running_event_loop(sealed):
    """pyHanko runs its own event loop; inside a running one (an ASGI server, Playwright's sync API in a test
    thread) the seal and the check still work."""
    import asyncio

    data = sealed.pdf_path.read_bytes()
    unsealed, _box = render_pdf("<p>事件循环中盖章</p>")
    agency = sealed.document.case.agency

    async def inside():
        asyncio.get_running_loop()  # a loop is running here
        return (
            seal.verify_pdf(data),
            seal.provider().seal(unsealed, agency=agency, box=None, reason="测试"),
        )

    # In a thread of its own: a browser test run before in this process leaves Playwright's loop on the test thread.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        checked, result = pool.submit(asyncio.run, inside()).result()
    assert checked.code == 0
    assert seal.verify_pdf(result.pdf).code == 0


def test_a_signer_sizes_its_signature_once_and_every_seal_verifies(investigating, monkeypatch):
    """pyHanko sizes the room for a signature by making a dummy one first (half the time of a seal). The room the
    first seal of a signer took is kept for the process, so later seals by the same signer make one signature
    each; they reserve the same room and verify. Another signer (other keys) is sized afresh."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.signers.pdf_signer import PdfSigningSession

    sized = []
    original = PdfSigningSession.estimate_signature_container_size

    async def counting(self, *args, **kwargs):
        sized.append(self)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(PdfSigningSession, "estimate_signature_container_size", counting)
    monkeypatch.setattr(seal, "_reserved", {})
    unsealed, box = render_pdf("<p>盖章两次</p>")
    provider = seal.PadesSeal()
    agency = investigating.case.agency
    rooms = []
    for reason in ("第一次", "第二次", "第三次"):
        sealed = provider.seal(unsealed, agency=agency, box=box, reason=reason).pdf
        assert seal.verify_pdf(sealed).code == 0
        rooms.append(len(PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0].pkcs7_content))
    assert len(sized) == 1 and rooms[0] == rooms[1] == rooms[2]
    other = provider.seal(unsealed, agency=investigating.b, box=box, reason="另一执法主体").pdf
    assert len(sized) == 2 and seal.verify_pdf(other).code == 0
