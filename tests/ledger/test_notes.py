"""Signed notes and checkpoints (C2SP), Ed25519 and SM2 keys."""

import base64
import datetime as dt
import shutil
import subprocess

import pytest

from zhifa.ledger import merkle, notes

# golang.org/x/mod/sumdb/note's example: a Go verifier accepts what we sign and vice versa.
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def _go_signer():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = base64.b64decode(GO_SKEY.split("+", 4)[4])[1:]
    return notes.Ed25519Signer(Ed25519PrivateKey.from_private_bytes(seed))


def test_go_note_vector():
    key = notes.parse_vkey(GO_VKEY)
    assert key.algorithm == notes.ED25519 and key.name == "PeterNeumann"
    assert key.vkey() == GO_VKEY
    assert notes.open_note(GO_NOTE, key) == GO_TEXT
    assert notes.sign_note(GO_TEXT, "PeterNeumann", _go_signer()) == GO_NOTE


def test_changed_note_is_rejected():
    key = notes.parse_vkey(GO_VKEY)
    for changed in (
        GO_NOTE.replace("cryptography", "cryptographY"),
        GO_NOTE.replace("x08go", "x08gp"),
        GO_NOTE.replace("AM=\n", "AN=\n"),  # only the unused padding bits: non-canonical base64
        GO_NOTE.replace("PeterNeumann x", "PeterNeumanm x"),
        GO_NOTE.replace("\n\n", "\n"),
    ):
        with pytest.raises(notes.NoteError):
            notes.open_note(changed, key)
    other = notes.Ed25519Signer().public_key("PeterNeumann")
    with pytest.raises(notes.NoteError):
        notes.open_note(GO_NOTE, other)


@pytest.mark.parametrize(
    "bad",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
    ],
)
def test_malformed_verifier_keys(bad):
    with pytest.raises(notes.NoteError):
        notes.parse_vkey(bad)


def test_checkpoint_round_trip():
    signer = notes.Ed25519Signer()
    key = signer.public_key("zhifa.local/agency-a")
    when = dt.datetime(2026, 11, 25, 8, 30, 0, tzinfo=dt.UTC)
    note = notes.make_checkpoint(key.name, 8, bytes(32), when, signer)
    lines = note.split("\n")
    assert lines[:4] == [
        "zhifa.local/agency-a",
        "8",
        base64.b64encode(bytes(32)).decode(),
        "time 2026-11-25T08:30:00Z",
    ]
    assert lines[4] == "" and lines[5].startswith("— zhifa.local/agency-a ")
    checkpoint = notes.open_checkpoint(note, key)
    assert (checkpoint.size, checkpoint.root, checkpoint.time) == (8, bytes(32), when)
    with pytest.raises(notes.NoteError):
        notes.open_checkpoint(note.replace("\n8\n", "\n9\n"), key)
    other = signer.public_key("zhifa.local/agency-b")
    with pytest.raises(notes.NoteError):
        notes.open_checkpoint(note, other)


@pytest.mark.parametrize(
    "text",
    [
        "origin\n",
        "origin\n01\n" + base64.b64encode(bytes(32)).decode() + "\n",
        "origin\n1\n" + base64.b64encode(bytes(31)).decode() + "\n",
        "origin\n1\nAAAA\n\n",
    ],
)
def test_malformed_checkpoints(text):
    with pytest.raises(notes.NoteError):
        notes.parse_checkpoint(text)


def test_ed25519_key_file_round_trip():
    signer = notes.Ed25519Signer()
    again = notes.load_signer(notes.ED25519, signer.private_bytes())
    assert again.public_bytes == signer.public_bytes
    assert signer.private_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


def test_sm2_signer():
    pytest.importorskip("gmalg")
    signer = notes.SM2Signer()
    key = signer.public_key("zhifa.local/sm2")
    assert notes.parse_vkey(key.vkey()) == key
    note = notes.make_checkpoint(key.name, 3, merkle.EMPTY_ROOT, dt.datetime.now(dt.UTC), signer)
    assert notes.open_checkpoint(note, key).size == 3
    assert not key.verify(b"other text", signer.sign(b"text"))
    again = notes.load_signer(notes.SM2, signer.private_bytes())
    assert again.public_bytes == signer.public_bytes
    assert key.verify(b"text", again.sign(b"text"))


def _der(tag: int, value: bytes) -> bytes:
    n = len(value)
    length = bytes([n]) if n < 128 else bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 255])
    return bytes([tag]) + length + value


def _der_int(raw: bytes) -> bytes:
    raw = raw.lstrip(b"\0") or b"\0"
    return _der(2, b"\0" + raw if raw[0] & 0x80 else raw)


def test_sm2_signature_verifies_with_openssl(tmp_path):
    """Debian's OpenSSL 3 checks our SM2/SM3 signatures (GB/T 32918.2, default user ID)."""
    # gmalg is a dependency and openssl a required system package (scripts/system-deps.sh): neither may be missing.
    assert shutil.which("openssl"), "openssl is not installed (scripts/system-deps.sh installs it)"
    listed = subprocess.run(
        ["openssl", "list", "-signature-algorithms"], capture_output=True, text=True
    ).stdout
    assert "SM2" in listed, "this OpenSSL has no SM2 (Debian 12's OpenSSL 3 has it)"
    signer = notes.SM2Signer()
    message = b"zhifa.local/agency-a\n1\nAAAA\n"
    signature = signer.sign(message)
    algorithm = _der(0x30, bytes.fromhex("06072a8648ce3d0201") + bytes.fromhex("06082a811ccf5501822d"))
    spki = _der(0x30, algorithm + _der(3, b"\0" + signer.public_bytes))
    (tmp_path / "pub.pem").write_text(
        "-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(spki).decode() + "-----END PUBLIC KEY-----\n"
    )
    (tmp_path / "sig.der").write_bytes(_der(0x30, _der_int(signature[:32]) + _der_int(signature[32:])))
    (tmp_path / "msg").write_bytes(message)
    result = subprocess.run(
        [
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "pub.pem",
            "-rawin",
            "-in",
            "msg",
            "-sigfile",
            "sig.der",
            "-digest",
            "sm3",
            "-pkeyopt",
            "distid:1234567812345678",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
