"""Appending to an agency's ledger. STUB: the ledger issue replaces the body, keeping the signature."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction


def append(
    *,
    agency,
    actor,
    action: str,
    obj=None,
    payload: dict[str, Any],
    files: Iterable[tuple[str, str]] = (),
):
    """Append one entry for ``action`` to ``agency``'s log, inside the caller's transaction.

    ``actor`` is the Person acting, or None for the system itself (CLI bootstrap, scheduled tasks).
    ``obj`` is the model instance the action changed (its kind and id are recorded); ``payload`` is the
    JSON-able description of what changed; ``files`` are (name, sha256 hex) pairs of files the action stored.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger.append must be called inside the action's transaction")
    return None
