"""Proof bundles: one object's entries with their inclusion proofs, a signed checkpoint that covers them
and the log's public key — what a court or a supervisor receives, checked offline by ``verify_bundle``.

Format (JSON, ``"format": "zhifa-ledger-bundle/1"``)::

    {"format": ..., "created_at": ..., "origin": ..., "agency": {"code": ..., "name": ...},
     "object": {"kind": ..., "id": ...}, "public_key": "<verifier key>", "checkpoint": "<signed note>",
     "entries": [{"seq": n, "leaf_hash": hex, "body": base64 of the exact stored bytes,
                  "inclusion_proof": [hex, ...]}]}
"""

from __future__ import annotations

import base64
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation

from . import actions, keys, queries
from .models import Entry, Log

FORMAT = "zhifa-ledger-bundle/1"


def logs_recording(kind: str, object_id: str) -> list[Log]:
    ids = (
        Entry.objects.filter(object_kind=kind, object_id=object_id)
        .values_list("log_id", flat=True)
        .distinct()
    )
    return list(Log.objects.filter(pk__in=ids).select_related("agency").order_by("origin"))


def build(kind: str, object_id: str, *, agency=None, reader=None, sign: bool = True) -> dict[str, Any]:
    """The bundle for one object in one log. Signs a fresh checkpoint first if the latest does not cover
    the object's newest entry; with ``sign=False`` (a public page) it signs nothing and leaves out the entries the
    latest checkpoint does not cover yet (their seqs under ``pending``).

    A bundle carries the entries' exact bytes, so their content: built for a person (``reader``), it is
    refused unless they may read the object itself (``queries.may_read_object``) — an auditor gets hashes
    and proofs from the public API instead. The command line (``zhifa ledger bundle``, run by whoever runs
    the server) passes no reader."""
    logs = logs_recording(kind, object_id)
    if agency is not None:
        logs = [log for log in logs if log.pk == agency.pk]
    if reader is not None and not all(
        queries.may_read_object(reader, kind, object_id, log_id=log_id)
        for log_id in [log.pk for log in logs] or [None]
    ):
        raise RuleViolation(_("您不能查阅该对象，不能导出其记录原文；记录的哈希和包含证明可从公开接口取得。"))
    if not logs:
        raise RuleViolation(_("账本中没有该对象的记录。"))
    if len(logs) > 1:
        raise RuleViolation(
            _("该对象的记录分属多个执法主体的账本（%(codes)s），请指定执法主体。")
            % {"codes": "、".join(log.agency.code for log in logs)}
        )
    log = logs[0]
    entries = list(Entry.objects.filter(log=log, object_kind=kind, object_id=object_id).order_by("seq"))
    checkpoint = queries.latest_checkpoint(log)
    if sign and (checkpoint is None or checkpoint.size <= entries[-1].seq):
        actions.make_checkpoint(log.agency, force=True)
        checkpoint = queries.latest_checkpoint(log)
    size = checkpoint.size if checkpoint is not None else 0
    pending = [entry.seq for entry in entries if entry.seq >= size]
    entries = [entry for entry in entries if entry.seq < size]
    fetch = queries.node_fetcher(log.pk)
    from . import merkle

    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "origin": log.origin,
        "agency": {"code": log.agency.code, "name": log.agency.name},
        "object": {"kind": kind, "id": object_id},
        "public_key": keys.public_key(log).vkey(),
        "checkpoint": checkpoint.note if checkpoint is not None else "",
        "entries": [
            {
                "seq": entry.seq,
                "leaf_hash": bytes(entry.nodes[:32]).hex(),
                "body": base64.b64encode(bytes(entry.body)).decode("ascii"),
                "inclusion_proof": [
                    h.hex() for h in merkle.inclusion_proof(entry.seq, checkpoint.size, fetch)
                ],
            }
            for entry in entries
        ],
        **({"pending": pending} if pending else {}),
    }


class EntriesUnavailable(Exception):
    """Why an object's entries could not be read and verified (the message says it, in the user's language)."""


def verified_entries(
    kind: str, object_id: str, bundle_path: str | None = None, key_path: str | None = None
) -> list:
    """The decoded entries of ``kind``:``object_id`` from a proof bundle, verified against a public key: an exported
    bundle and the key the reader obtained publicly (``bundle_path``, ``key_path``), or, with neither, one built here
    from this deployment's ledger. What offline re-draws (``zhifa supervision redraw``, ``zhifa inspections redraw``)
    start from. Raises EntriesUnavailable."""
    import json

    from django.core.exceptions import ValidationError

    from . import notes, verify_bundle

    if bundle_path:
        if not key_path:
            raise EntriesUnavailable(_("使用 --bundle 时须用 --key 给出从公开渠道取得的公钥文件。"))
        try:
            with open(bundle_path, encoding="utf-8") as fh:
                data = json.load(fh)
            with open(key_path, encoding="utf-8") as fh:
                public_key = notes.parse_vkey(fh.read())
        except (OSError, ValueError) as exc:
            raise EntriesUnavailable(_("无法读取：%(error)s") % {"error": exc}) from exc
    else:
        try:
            data = build(kind, str(object_id))
        except ValidationError as exc:
            raise EntriesUnavailable(" ".join(exc.messages)) from exc
        public_key = notes.parse_vkey(data["public_key"])
    wanted = data.get("object") or {}
    if wanted.get("kind") != kind or str(wanted.get("id")) != str(object_id):
        raise EntriesUnavailable(_("证明包不是 %(kind)s %(id)s 的记录。") % {"kind": kind, "id": object_id})
    try:
        return verify_bundle.verify(data, public_key)
    except verify_bundle.BundleError as exc:
        raise EntriesUnavailable(_("证明包验证失败：%(error)s") % {"error": exc}) from exc
