"""The agencies' signing keys: private keys in files under ``settings.LEDGER_KEY_DIR`` (mode 600), never in
database rows that users can read; the public key is stored on the log row and published.

A key file is written before the transaction that creates its log commits; if that transaction rolls back,
the file stays behind, unused (file names carry the key ID, so it is never mistaken for another's).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings

from . import notes


def key_dir() -> Path:
    path = Path(settings.LEDGER_KEY_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def algorithm() -> str:
    """The algorithm for new keys: ``ZHIFA_LEDGER_KEY_ALGORITHM`` (ed25519, or sm2 when gmalg is installed)."""
    return getattr(settings, "LEDGER_KEY_ALGORITHM", notes.ED25519)


def origin_prefix() -> str:
    return getattr(settings, "LEDGER_ORIGIN_PREFIX", "zhifa.local")


def new_key(origin: str, code: str, algorithm_name: str | None = None) -> tuple[notes.Signer, str]:
    """Generate a key pair and write the private key to a new file; returns (signer, file name)."""
    algorithm_name = algorithm_name or algorithm()
    signer = notes.new_signer(algorithm_name)
    kid = signer.public_key(origin).key_id.hex()
    name = f"{re.sub(r'[^A-Za-z0-9_.-]', '_', code)}-{kid}.{algorithm_name}.key"
    path = key_dir() / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(signer.private_bytes())
    return signer, name


def load(log) -> notes.Signer:
    """The log's signer, from its key file."""
    data = (key_dir() / log.key_file).read_bytes()
    return notes.load_signer(log.algorithm, data)


def public_key(log) -> notes.PublicKey:
    return notes.PublicKey(log.origin, log.algorithm, bytes(log.public_key))
