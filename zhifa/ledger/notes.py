"""Signed notes (C2SP signed-note) and checkpoints (C2SP tlog-checkpoint). Pure Python, no Django.

A checkpoint is the note text::

    <origin>
    <tree size>
    <base64 root hash>
    time <UTC time, RFC 3339, to the second>

followed by a blank line and one signature line per key: ``— <key name> <base64(key ID || signature)>``.
The ``time`` extension line binds the signing time into the signature (the issue asks for it; the spec
allows extension lines).

Keys: Ed25519 (signature type 0x01 of the signed-note spec) by default; SM2 with SM3 (国密, GB/T 32918 /
GB/T 32905) through ``gmalg`` when installed, as signature type 0xff followed by the identifier
``zhifa-sm2-sm3`` (the spec reserves 0xff for types it has not assigned). A *verifier key* is the one-line
public key format of Go's ``golang.org/x/mod/sumdb/note``: ``<name>+<hex key ID>+<base64(type || key)>``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass, field

ED25519 = "ed25519"
SM2 = "sm2"
ALGORITHMS = (ED25519, SM2)

_SIG_TYPE = {ED25519: b"\x01", SM2: b"\xffzhifa-sm2-sm3"}
_KEY_SIZE = {ED25519: 32, SM2: 65}
SM2_USER_ID = b"1234567812345678"  # the default distinguishing ID of GB/T 35276
EM_DASH = "\u2014"


class NoteError(ValueError):
    """A note or key that is malformed, or whose signature does not verify."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Strict base64: only the canonical encoding of the bytes is accepted, so no two texts decode alike
    (otherwise a changed padding bit would leave a signed note's meaning, and its signature, intact)."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise NoteError(f"invalid base64: {text[:20]!r}") from exc
    if b64(data) != text:
        raise NoteError(f"non-canonical base64: {text[:20]!r}")
    return data


def key_id(name: str, algorithm: str, public_key: bytes) -> bytes:
    """SHA-256(key name || 0x0A || signature type || public key)[:4] (signed-note)."""
    return hashlib.sha256(name.encode() + b"\n" + _SIG_TYPE[algorithm] + public_key).digest()[:4]


def check_key_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"invalid key name: {name!r}")
    return name


# Signers and verifiers: one interface, two algorithms.


@dataclass(frozen=True)
class PublicKey:
    name: str
    algorithm: str
    key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.algorithm, self.key)

    def vkey(self) -> str:
        """The verifier key line: ``name+hexid+base64(type||key)``."""
        return f"{self.name}+{self.key_id.hex()}+{b64(_SIG_TYPE[self.algorithm] + self.key)}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        if self.algorithm == ED25519:
            from cryptography.exceptions import InvalidSignature
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

            try:
                Ed25519PublicKey.from_public_bytes(self.key).verify(signature, message)
            except (InvalidSignature, ValueError):
                return False
            return True
        if self.algorithm == SM2:
            if len(signature) != 64:
                return False
            gmalg = _gmalg()
            try:
                return bool(
                    gmalg.SM2(pk=self.key, uid=SM2_USER_ID).verify(message, signature[:32], signature[32:])
                )
            except Exception:  # gmalg raises assorted errors on points off the curve
                return False
        return False


def parse_vkey(text: str) -> PublicKey:
    parts = text.strip().split("+", 2)  # the base64 part may itself contain "+"
    if len(parts) != 3:
        raise NoteError("a verifier key has the form name+keyid+base64key")
    name, hexid, encoded = parts
    check_key_name(name)
    raw = unb64(encoded)
    for algorithm, prefix in _SIG_TYPE.items():
        if raw.startswith(prefix) and len(raw) == len(prefix) + _KEY_SIZE[algorithm]:
            key = PublicKey(name, algorithm, raw[len(prefix) :])
            break
    else:
        raise NoteError("unknown key type")
    if key.key_id.hex() != hexid.lower():
        raise NoteError("the key ID does not match the key")
    return key


class Signer:
    """Holds a private key; ``sign`` returns the raw signature over the note text."""

    algorithm: str
    public_bytes: bytes

    def sign(self, message: bytes) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError

    def private_bytes(self) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError

    def public_key(self, name: str) -> PublicKey:
        return PublicKey(check_key_name(name), self.algorithm, self.public_bytes)


class Ed25519Signer(Signer):
    algorithm = ED25519

    def __init__(self, private_key=None) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        self._key = private_key or Ed25519PrivateKey.generate()
        self.public_bytes = self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def private_bytes(self) -> bytes:
        """PKCS#8 PEM, readable by OpenSSL."""
        from cryptography.hazmat.primitives import serialization

        return self._key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @classmethod
    def load(cls, data: bytes) -> Ed25519Signer:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise NoteError("not an Ed25519 private key")
        return cls(key)


def _gmalg():
    try:
        import gmalg
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise NoteError("SM2 needs the gmalg package (pip install gmalg)") from exc
    return gmalg


class SM2Signer(Signer):
    """SM2 signatures with SM3 (GB/T 32918.2), raw r||s of 32 bytes each, user ID 1234567812345678."""

    algorithm = SM2
    _PEM = (b"-----BEGIN ZHIFA SM2 PRIVATE KEY-----\n", b"-----END ZHIFA SM2 PRIVATE KEY-----\n")

    def __init__(self, secret: bytes | None = None) -> None:
        gmalg = _gmalg()
        if secret is None:
            secret, public = gmalg.SM2().generate_keypair()
        else:
            public = gmalg.SM2().generate_pk(secret)
        self._secret = secret
        self.public_bytes = public
        self._sm2 = gmalg.SM2(sk=secret, uid=SM2_USER_ID, pk=public)

    def sign(self, message: bytes) -> bytes:
        r, s = self._sm2.sign(message)
        return r.rjust(32, b"\x00") + s.rjust(32, b"\x00")

    def private_bytes(self) -> bytes:
        return self._PEM[0] + base64.encodebytes(self._secret) + self._PEM[1]

    @classmethod
    def load(cls, data: bytes) -> SM2Signer:
        head, tail = cls._PEM
        if not (data.startswith(head) and data.endswith(tail)):
            raise NoteError("not an SM2 private key file")
        return cls(base64.decodebytes(data[len(head) : -len(tail)]))


def new_signer(algorithm: str) -> Signer:
    if algorithm == ED25519:
        return Ed25519Signer()
    if algorithm == SM2:
        return SM2Signer()
    raise NoteError(f"unknown algorithm {algorithm!r}")


def load_signer(algorithm: str, data: bytes) -> Signer:
    if algorithm == ED25519:
        return Ed25519Signer.load(data)
    if algorithm == SM2:
        return SM2Signer.load(data)
    raise NoteError(f"unknown algorithm {algorithm!r}")


# Notes.


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes


def sign_note(text: str, name: str, signer: Signer) -> str:
    if not text.endswith("\n"):
        raise NoteError("note text must end in a newline")
    key = signer.public_key(name)
    sig = signer.sign(text.encode())
    return f"{text}\n{EM_DASH} {name} {b64(key.key_id + sig)}\n"


def parse_note(note: str) -> tuple[str, list[Signature]]:
    """Split a signed note into its text and signatures (nothing verified yet)."""
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteError("control characters in note")
    if not note.endswith("\n"):
        raise NoteError("note must end in a newline")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    signatures = []
    for line in block.splitlines():
        if not line.startswith(EM_DASH + " "):
            raise NoteError("malformed signature line")
        parts = line[2:].split(" ")
        if len(parts) != 2:
            raise NoteError("malformed signature line")
        raw = unb64(parts[1])
        if len(raw) < 5:
            raise NoteError("signature too short")
        signatures.append(Signature(parts[0], raw[:4], raw[4:]))
    if not signatures:
        raise NoteError("no signatures")
    return text, signatures


def open_note(note: str, key: PublicKey) -> str:
    """The note text, if ``key`` signed it; NoteError otherwise (a known key's bad signature rejects)."""
    text, signatures = parse_note(note)
    verified = False
    for sig in signatures:
        if sig.name == key.name and sig.key_id == key.key_id:
            if not key.verify(text.encode(), sig.signature):
                raise NoteError("signature does not verify")
            verified = True
    if not verified:
        raise NoteError("not signed by the given key")
    return text


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = field(default=())

    @property
    def time(self) -> dt.datetime | None:
        for line in self.extensions:
            if line.startswith("time "):
                try:
                    return dt.datetime.strptime(line[5:], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
                except ValueError:
                    return None
        return None

    def text(self) -> str:
        lines = [self.origin, str(self.size), b64(self.root), *self.extensions]
        return "".join(line + "\n" for line in lines)


def time_line(when: dt.datetime) -> str:
    return "time " + when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("a checkpoint has at least three lines")
    lines = lines[:-1]
    origin, size_text, root_text, *extensions = lines
    if not origin or not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise NoteError("malformed checkpoint")
    if any(not line for line in extensions):
        raise NoteError("empty extension line")
    root = unb64(root_text)
    if len(root) != 32:
        raise NoteError("root hash must be 32 bytes")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def make_checkpoint(origin: str, size: int, root: bytes, when: dt.datetime, signer: Signer) -> str:
    return sign_note(Checkpoint(origin, size, root, (time_line(when),)).text(), origin, signer)


def open_checkpoint(note: str, key: PublicKey) -> Checkpoint:
    checkpoint = parse_checkpoint(open_note(note, key))
    if checkpoint.origin != key.name:
        raise NoteError("the checkpoint's origin is not the key's name")
    return checkpoint
