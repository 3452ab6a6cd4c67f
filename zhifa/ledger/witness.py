"""Witness cosigning (C2SP tlog-witness / tlog-cosignature): an outside party checks that each checkpoint of a log
is consistent with the last one it cosigned, and cosigns it with its own Ed25519 key. A log whose history is
rewritten — entries changed, every hash and every checkpoint re-made with the agency's own key — still passes its
own signature check, but no longer matches what the witness cosigned.

Two sides, both here (one deployment may be a witness for another's logs, e.g. the supervising justice bureau):

- Witness side: ``new_witness_key`` (``zhifa ledger witness-key``) and ``cosign`` (``zhifa ledger witness-cosign``):
  given an add-checkpoint request (``old <size>``, the consistency proof, a blank line, the checkpoint note), it
  verifies the log's signature and the proof from the checkpoint it cosigned last for that origin (``WitnessState``),
  refuses anything else, and returns the cosignature line.
- Log side: ``request`` (``zhifa ledger witness-request``) writes that request for a log's latest checkpoint;
  ``record`` (``zhifa ledger cosignature``) stores a cosignature line after checking it; ``checks.verify`` checks each
  stored cosignature against the checkpoint as it is now.

Cosignature (C2SP tlog-cosignature, Ed25519): key ID = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]; the signature
line is ``— <name> base64(key ID ‖ 8-byte big-endian UNIX time ‖ Ed25519 signature)`` over
``cosignature/v1\\ntime <unix time>\\n`` followed by the checkpoint's text (the note without its signatures).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
import struct
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import keys, merkle, notes

COSIGNATURE_TYPE = b"\x04"


class WitnessError(ValueError):
    """A request the witness refuses, or a cosignature that does not verify (the message is for people)."""


@dataclass(frozen=True)
class WitnessKey:
    name: str
    key: bytes

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(self.name.encode() + b"\n" + COSIGNATURE_TYPE + self.key).digest()[:4]

    def vkey(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{notes.b64(COSIGNATURE_TYPE + self.key)}"


def parse_witness_key(text: str) -> WitnessKey:
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise WitnessError(_("见证方公钥的格式应为 名称+密钥编号+base64公钥。"))
    name, hexid, encoded = parts
    try:
        notes.check_key_name(name)
        raw = notes.unb64(encoded)
    except notes.NoteError as exc:
        raise WitnessError(_("见证方公钥无法解析：%(error)s") % {"error": exc}) from exc
    if not raw.startswith(COSIGNATURE_TYPE) or len(raw) != 33:
        raise WitnessError(_("不是 Ed25519 副署公钥（类型 0x04）。"))
    key = WitnessKey(name, raw[1:])
    if key.key_id.hex() != hexid.lower():
        raise WitnessError(_("见证方公钥的密钥编号与公钥不符。"))
    return key


def _key_file(name: str) -> str:
    return f"witness-{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.ed25519.key"


def new_witness_key(name: str) -> WitnessKey:
    """Create this deployment's witness key pair (the private key in LEDGER_KEY_DIR, mode 600)."""
    try:
        notes.check_key_name(name)
    except notes.NoteError as exc:
        raise WitnessError(_("见证方名称不能含空白或“+”。")) from exc
    signer = notes.Ed25519Signer()
    path = keys.key_dir() / _key_file(name)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise WitnessError(
            _("见证方 %(name)s 的密钥已存在：%(file)s") % {"name": name, "file": path}
        ) from exc
    with os.fdopen(fd, "wb") as fh:
        fh.write(signer.private_bytes())
    return WitnessKey(name, signer.public_bytes)


def _signer(name: str) -> notes.Ed25519Signer:
    path = keys.key_dir() / _key_file(name)
    try:
        return notes.Ed25519Signer.load(path.read_bytes())
    except FileNotFoundError as exc:
        raise WitnessError(
            _("本机没有见证方 %(name)s 的私钥（先运行 zhifa ledger witness-key）。") % {"name": name}
        ) from exc


def witness_key(name: str) -> WitnessKey:
    return WitnessKey(name, _signer(name).public_bytes)


def _message(checkpoint_text: str, when: int) -> bytes:
    return f"cosignature/v1\ntime {when}\n".encode() + checkpoint_text.encode()


def cosignature_line(name: str, checkpoint_text: str, when: int) -> str:
    signer = _signer(name)
    key = WitnessKey(name, signer.public_bytes)
    raw = key.key_id + struct.pack(">Q", when) + signer.sign(_message(checkpoint_text, when))
    return f"{notes.EM_DASH} {name} {notes.b64(raw)}"


def open_cosignature(line: str, key: WitnessKey, checkpoint_text: str) -> dt.datetime:
    """The time the witness cosigned ``checkpoint_text``, if ``line`` is its valid cosignature; WitnessError if not."""
    parts = line.strip().split(" ")
    if len(parts) != 3 or parts[0] != notes.EM_DASH or parts[1] != key.name:
        raise WitnessError(_("副署行格式错误或不是该见证方的副署。"))
    try:
        raw = notes.unb64(parts[2])
    except notes.NoteError as exc:
        raise WitnessError(_("副署行格式错误：%(error)s") % {"error": exc}) from exc
    if len(raw) != 4 + 8 + 64 or raw[:4] != key.key_id:
        raise WitnessError(_("副署的密钥编号与见证方公钥不符。"))
    (when,) = struct.unpack(">Q", raw[4:12])
    public = notes.PublicKey(key.name, notes.ED25519, key.key)
    if not public.verify(_message(checkpoint_text, when), raw[12:]):
        raise WitnessError(_("副署签名与检查点不符：检查点或其范围内的记录已被改写。"))
    return dt.datetime.fromtimestamp(when, tz=dt.UTC)


# The witness side.


def parse_request(body: str) -> tuple[int, list[bytes], str]:
    """(old size, consistency proof, checkpoint note) of a tlog-witness add-checkpoint request."""
    head, sep, note = body.partition("\n\n")
    lines = head.split("\n")
    if not sep or not lines or not re.fullmatch(r"old (0|[1-9][0-9]*)", lines[0]):
        raise WitnessError(_("请求格式错误：第一行应为“old 条数”，证明之后空一行再接检查点。"))
    try:
        proof = [notes.unb64(line) for line in lines[1:]]
    except notes.NoteError as exc:
        raise WitnessError(_("一致性证明无法解析：%(error)s") % {"error": exc}) from exc
    if any(len(h) != 32 for h in proof):
        raise WitnessError(_("一致性证明中的哈希应为 32 字节。"))
    return int(lines[0][4:]), proof, note


def cosign(name: str, body: str, *, log_key: str | None = None, now: dt.datetime | None = None) -> str:
    """Check an add-checkpoint request against what witness ``name`` cosigned before for its origin, remember the
    new checkpoint and return the cosignature line. The log's key is given the first time (``log_key``) and
    kept; a later request signed by another key, older, or not consistent with the last cosigned one is refused."""
    from .models import WitnessState

    old, proof, note = parse_request(body)
    try:
        text, _sigs = notes.parse_note(note)
        origin = notes.parse_checkpoint(text).origin
    except notes.NoteError as exc:
        raise WitnessError(_("检查点无法解析：%(error)s") % {"error": exc}) from exc
    with transaction.atomic():
        state = WitnessState.objects.select_for_update().filter(witness=name, origin=origin).first()
        if state is not None and log_key and log_key.strip() != state.log_key:
            raise WitnessError(_("该日志的公钥与见证方先前记下的不同，拒绝副署。"))
        vkey = state.log_key if state is not None else (log_key or "").strip()
        if not vkey:
            raise WitnessError(_("首次为该日志副署，须提供日志公钥（--log-key）。"))
        try:
            checkpoint = notes.open_checkpoint(note, notes.parse_vkey(vkey))
        except notes.NoteError as exc:
            raise WitnessError(_("检查点的日志签名无效：%(error)s") % {"error": exc}) from exc
        known_size = state.size if state is not None else 0
        known_root = bytes(state.root_hash) if state is not None else merkle.EMPTY_ROOT
        if old != known_size:
            raise WitnessError(
                _("请求所依据的条数（%(old)d）与见证方最近副署的（%(known)d）不同。")
                % {"old": old, "known": known_size}
            )
        if checkpoint.size < known_size:
            raise WitnessError(_("检查点比见证方最近副署的更短：日志回退，拒绝副署。"))
        if not merkle.verify_consistency(known_size, checkpoint.size, known_root, checkpoint.root, proof):
            raise WitnessError(
                _("检查点与见证方最近副署的不一致（一致性证明不成立）：日志历史被改写，拒绝副署。")
            )
        WitnessState.objects.update_or_create(
            witness=name,
            origin=origin,
            defaults={
                "log_key": vkey,
                "size": checkpoint.size,
                "root_hash": checkpoint.root,
                "updated_at": timezone.now(),
            },
        )
    when = int((now or timezone.now()).timestamp())
    return cosignature_line(name, text, when)


# The log side.


def request(log, old: int) -> str:
    """The add-checkpoint request for ``log``'s latest checkpoint, from size ``old`` (the witness's last)."""
    from . import queries
    from .models import Checkpoint

    checkpoint = Checkpoint.objects.filter(log=log).order_by("-size").first()
    if checkpoint is None:
        raise WitnessError(_("该账本还没有检查点。"))
    if not 0 <= old <= checkpoint.size:
        raise WitnessError(
            _("条数 %(old)d 超出最新检查点（%(size)d 条）。") % {"old": old, "size": checkpoint.size}
        )
    proof = queries.consistency_proof(log, old, checkpoint.size) if 0 < old < checkpoint.size else []
    lines = [f"old {old}", *(base64.b64encode(h).decode() for h in proof)]
    return "\n".join(lines) + "\n\n" + checkpoint.note


def record(checkpoint, line: str, witness_key_text: str):
    """Store a witness's cosignature of ``checkpoint`` after checking it."""
    from .models import Cosignature

    key = parse_witness_key(witness_key_text)
    text, _sigs = notes.parse_note(checkpoint.note)
    when = open_cosignature(line, key, text)
    cosignature, _created = Cosignature.objects.update_or_create(
        checkpoint=checkpoint,
        witness_key=key.vkey(),
        defaults={"line": line.strip(), "signed_at": when},
    )
    return cosignature
