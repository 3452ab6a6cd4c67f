"""Every change to the ledger: appending entries, recording reads (调阅), signing checkpoints, and
recording verification runs.

``append`` is called by other apps' actions inside their own transaction, so a change without its
entry cannot exist. It takes the agency's log row lock (``SELECT ... FOR UPDATE`` on PostgreSQL; on
SQLite the whole database is locked from BEGIN, since transactions are IMMEDIATE), so concurrent appends
queue and the chain never forks.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.snapshot import object_kind

from . import encoding, keys, merkle, notes, registry, tracking
from .encoding import normalize
from .models import Checkpoint, Entry, Log, VerificationRun

logger = logging.getLogger(__name__)

ACCESS_ACTION = "ledger.access"
_UNKNOWN = object()
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def _actor_record(actor, agency) -> dict[str, Any] | None:
    if actor is None:
        return None
    from zhifa.org.queries import roles_by_agency

    return {
        "name": actor.get_full_name() or actor.get_username(),
        "roles": sorted(roles_by_agency(actor).get(agency.pk, ())),
    }


def _files(files: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    out = []
    for name, sha256 in files:
        if (
            not isinstance(name, str)
            or not name
            or not isinstance(sha256, str)
            or not _SHA256_HEX.match(sha256)
        ):
            raise ValueError(
                f"files must be (storage name, lowercase hex sha256) pairs, got {(name, sha256)!r}"
            )
        out.append({"name": name, "sha256": sha256})
    return out


def _create_log(agency) -> Log:
    origin = f"{keys.origin_prefix()}/{agency.code}"
    signer, key_file = keys.new_key(origin, agency.code)
    try:
        with transaction.atomic():
            return Log.objects.create(
                agency=agency,
                origin=origin,
                algorithm=signer.algorithm,
                public_key=signer.public_bytes,
                key_file=key_file,
            )
    except IntegrityError:
        # Someone else created it first (only possible for agencies that existed before the ledger).
        (keys.key_dir() / key_file).unlink(missing_ok=True)
        return Log.objects.select_for_update().get(pk=agency.pk)


# The time of the log's latest checkpoint, read by the statement that appends (so knowing whether the commit
# should sign one costs no query of its own): ``checkpoint_after_commit``.
_LAST_SIGNED = "(SELECT at FROM ledger_checkpoint WHERE log_id = %s ORDER BY size DESC LIMIT 1)"


_LOCK = f"SELECT origin, size, frontier, last_leaf, {_LAST_SIGNED} FROM ledger_log WHERE agency_id = %s"


def _lock(cursor, agency_id: int) -> tuple | None:
    """(origin, size, frontier, last_leaf, time of the latest checkpoint) of the agency's log, its row locked
    until the transaction ends."""
    lock = " FOR UPDATE OF ledger_log" if connection.features.has_select_for_update else ""
    cursor.execute(_LOCK + lock, [agency_id, agency_id])
    return cursor.fetchone()


def _as_datetime(value) -> dt.datetime | None:
    """A timestamp read by raw SQL: PostgreSQL gives an aware datetime, SQLite the UTC time Django stored (naive,
    as text or parsed by the driver)."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


# Entry's concrete fields in their order (their attnames are their columns).
_ENTRY_FIELDS = ["log_id", "seq", "at", "actor_id", "action", "object_kind", "object_id", "body", "nodes"]
_ENTRY_COLUMNS = ", ".join(_ENTRY_FIELDS)
_INSERT = f"INSERT INTO ledger_entry ({_ENTRY_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
_MOVE = "UPDATE ledger_log SET size = %s, frontier = %s, last_leaf = %s WHERE agency_id = %s"
# PostgreSQL, with a hint of where the log is: move the log on only if it is still there (the UPDATE takes the
# row lock, and re-reads the row if another transaction held it), and insert the entry only if it moved. In the
# same round trip, a second statement locks the row and reads it if the hint was wrong: if the log does not end
# with the entry just written (whose leaf hash no other entry has).
_MOVE_IF_UNCHANGED = (
    "WITH moved AS (UPDATE ledger_log SET size = %s, frontier = %s, last_leaf = %s "
    "WHERE agency_id = %s AND size = %s AND last_leaf = %s RETURNING agency_id) "
    f"INSERT INTO ledger_entry ({_ENTRY_COLUMNS}) SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s FROM moved "
    f"RETURNING {_LAST_SIGNED}; {_LOCK} AND last_leaf <> %s FOR UPDATE OF ledger_log"
)
# SQLite (no data-modifying WITH): move the log on if it is still where the hint says, and read the time of its
# latest checkpoint; the entry is inserted next only if it moved.
_MOVE_IF_AT = (
    "UPDATE ledger_log SET size = %s, frontier = %s, last_leaf = %s "
    f"WHERE agency_id = %s AND size = %s AND last_leaf = %s RETURNING {_LAST_SIGNED}"
)

# Where this process left each log it appended to: {(database, agency id): (origin, size, frontier, last leaf)}.
# Only a hint: the statement that uses it checks it against the row. Kept per process rather than per connection,
# so it outlives a request's connection (``CONN_MAX_AGE`` 0) and serves every thread.
_hints: dict[tuple[str, str, int], tuple[str, int, bytes, bytes]] = {}
_encoders: dict[str, encoding.HeadEncoder] = {}


def _head_encoder(origin: str) -> encoding.HeadEncoder:
    encoder = _encoders.get(origin)
    if encoder is None:
        if len(_encoders) > 10_000:
            _encoders.clear()
        encoder = _encoders[origin] = encoding.HeadEncoder(origin)
    return encoder


def _entry_bytes(origin, seq, frontier_blob, last_leaf, at, actor_id, action, kind, object_id, record_bytes):
    """(body, leaf, nodes, new frontier) of entry ``seq`` appended to a log whose state is given."""
    prev = bytes(last_leaf) or None
    body = (
        _head_encoder(origin).prefix(action, actor_id, encoding.format_time(at), kind, object_id, prev, seq)
        + record_bytes
        + b"}"
    )
    leaf = merkle.leaf_hash(body)
    frontier = merkle.split_hashes(bytes(frontier_blob))
    nodes = b"".join(merkle.append_leaf(frontier, seq, leaf))
    return body, leaf, nodes, b"".join(frontier)


def append(
    *,
    agency,
    actor,
    action: str,
    obj=None,
    payload: dict[str, Any],
    files: Iterable[tuple[str, str]] = (),
) -> Entry:
    """Append one entry for ``action`` to ``agency``'s log, inside the caller's transaction.

    ``actor`` is the Person acting, or None for the system itself (CLI bootstrap, scheduled tasks).
    ``obj`` is the model instance the action changed (its kind and id are recorded); ``payload`` is the
    JSON-able description of what changed — by convention ``{"state": snapshot(obj), ...}``, ``None`` as
    the state of a deleted object; ``files`` are (storage name, sha256 hex) pairs of files the action stored.
    The first append for an agency creates its log and its signing key.

    The log row is locked until the caller's transaction ends, so appends to one log queue and the chain
    never forks. The process remembers where it left each log (a hint, checked by the database in the same
    statement that moves the log on). On PostgreSQL an append after this process's last one to the same log
    pays one round trip; any other pays two (lock and read, then insert and move). The statement that tries the
    hint also locks and reads the row, so a wrong hint costs no more than none. On SQLite (one writer at a time:
    the transaction holds the database's write lock) a right hint makes two statements of three (move the log
    if it is still there, insert); a wrong one, after a rollback or another process's append, four.
    """
    conn = transaction.get_connection()  # this thread's connection (``connection`` is a shared proxy)
    if not conn.in_atomic_block:
        raise RuntimeError("ledger.append must be called inside the action's transaction")
    kind = object_kind(obj) if obj is not None else None
    object_id = str(obj.pk) if obj is not None and obj.pk is not None else None
    actor_id = actor.pk if actor is not None else None
    record = {"actor": _actor_record(actor, agency), "files": _files(files), "payload": normalize(payload)}
    record_bytes = encoding.canonical(record)  # outside the lock: keep the critical section short
    postgres = conn.vendor == "postgresql"
    hint_key = (conn.alias, conn.settings_dict["NAME"], agency.pk)

    with conn.cursor() as cursor:
        hint = _hints.pop(hint_key, None)
        row = moved = None
        if hint is not None:
            origin, seq, frontier_blob, last_leaf = hint
            at = timezone.now()
            body, leaf, nodes, frontier = _entry_bytes(
                origin, seq, frontier_blob, last_leaf, at, actor_id, action, kind, object_id, record_bytes
            )
            if postgres:
                # fmt: off
                cursor.execute(_MOVE_IF_UNCHANGED, [
                    seq + 1, frontier, leaf, agency.pk, seq, last_leaf,
                    agency.pk, seq, at, actor_id, action, kind, object_id, body, nodes,
                    agency.pk,
                    agency.pk, agency.pk, leaf,
                ])
                # fmt: on
                moved = cursor.fetchone()
                if moved is None:  # the hint was wrong: the row, locked, from the second statement
                    cursor.nextset()
                    row = cursor.fetchone()
            else:
                cursor.execute(_MOVE_IF_AT, [seq + 1, frontier, leaf, agency.pk, seq, last_leaf, agency.pk])
                moved = cursor.fetchone()
                if moved is not None:
                    at_value = conn.ops.adapt_datetimefield_value(at)
                    cursor.execute(
                        _INSERT, [agency.pk, seq, at_value, actor_id, action, kind, object_id, body, nodes]
                    )
            if moved is not None:
                last_signed = moved[0]
        if moved is None:
            if row is None:
                row = _lock(cursor, agency.pk)
            if row is None:
                _create_log(agency)
                row = _lock(cursor, agency.pk)
            origin, seq, frontier_blob, last_leaf, last_signed = row
            at = timezone.now()
            body, leaf, nodes, frontier = _entry_bytes(
                origin, seq, frontier_blob, last_leaf, at, actor_id, action, kind, object_id, record_bytes
            )
            values = [
                agency.pk,
                seq,
                conn.ops.adapt_datetimefield_value(at),
                actor_id,
                action,
                kind,
                object_id,
                body,
                nodes,
            ]
            move = [seq + 1, frontier, leaf, agency.pk]
            if postgres:
                cursor.execute(f"WITH entry AS ({_INSERT}) {_MOVE}", values + move)
            else:
                cursor.execute(_INSERT, values)
                cursor.execute(_MOVE, move)
    # Wrong after a rollback, and then simply refused by the database next time.
    if len(_hints) > 10_000:
        _hints.clear()
    _hints[hint_key] = (origin, seq + 1, frontier, leaf)
    # The row as written (``from_db``: the quick way Django builds an instance of a stored row).
    entry = Entry.from_db(
        conn.alias, _ENTRY_FIELDS, (agency.pk, seq, at, actor_id, action, kind, object_id, body, nodes)
    )
    _checkpoint_on_commit(conn, agency, _as_datetime(last_signed))
    tracking.appended(conn, agency=agency, actor=actor, action=action, obj=obj, payload=payload, entry=entry)
    return entry


def record_access(user, obj, reason: str) -> Entry:
    """Record that ``user`` opened ``obj`` (调阅), with the reason given, in the object's agency's log.

    The caller has already checked that ``user`` may open it. Runs in its own transaction if none is open.
    """
    if not getattr(user, "is_authenticated", False):
        raise ActionDenied(_("请先登录。"))
    if not (reason or "").strip():
        raise RuleViolation(_("请填写调阅事由。"))
    agency = registry.agency_of(obj)
    with transaction.atomic():
        return append(
            agency=agency, actor=user, action=ACCESS_ACTION, obj=obj, payload={"reason": reason.strip()}
        )


def record_platform_data(agency, actor) -> None:
    """Begin a new agency's log with the platform-wide data its work depends on (执法领域, the working-day
    calendar, the kinds of time limits: ``registry.register_platform_data``), inside the caller's transaction."""
    from django.apps import apps

    from zhifa.core.snapshot import snapshot

    for name, (extra, rows) in registry.platform_data().items():
        model = apps.get_model(name)
        queryset = model._base_manager.order_by("pk")
        for obj in rows(queryset) if rows else queryset:
            payload = {"state": snapshot(obj), **(extra(obj) if extra else {})}
            append(agency=agency, actor=actor, action="ledger.platform_data", obj=obj, payload=payload)


# Checkpoints.


def checkpoint_seconds() -> int:
    """``ZHIFA_LEDGER_CHECKPOINT_SECONDS`` (default 60): after a transaction that appended commits, its log is
    signed if its last checkpoint is older than this, and the periodic job signs a burst's tail as often
    (``jobs.checkpoints``); 0 leaves signing to the periodic job every ``LEDGER_CHECKPOINT_MINUTES``."""
    return max(int(settings.LEDGER_CHECKPOINT_SECONDS), 0)


def _checkpoint_on_commit(conn, agency, last_signed: dt.datetime | None) -> None:
    """Once per transaction and log: sign a checkpoint after the commit (``checkpoint_after_commit``).
    ``last_signed``: the time of the log's latest checkpoint, read under the log row lock (so no other can have
    been signed since, until the commit)."""
    if checkpoint_seconds() <= 0:
        return
    current = set(conn.savepoint_ids)
    for sids, func, _robust in conn.run_on_commit:
        # Registered by this transaction (or an enclosing savepoint of it): one is enough.
        if getattr(func, "_zhifa_checkpoint", None) == agency.pk and set(sids) <= current:
            return

    def sign():
        checkpoint_after_commit(agency, last_signed=last_signed)

    sign._zhifa_checkpoint = agency.pk
    transaction.on_commit(sign, using=conn.alias)


def checkpoint_after_commit(agency, *, last_signed=_UNKNOWN) -> Checkpoint | None:
    """Called when a transaction that appended to ``agency``'s log has committed: sign a checkpoint if the log has
    unsigned entries and none was signed in the last ``checkpoint_seconds()``. The log row lock (and the unique
    (log, size)) keeps concurrent commits from signing twice; a failure is logged and never reaches the action,
    which has committed already.

    ``last_signed`` is the time of the log's latest checkpoint as the transaction's append read it (None: it had
    none); the transaction's entries are unsigned, so a checkpoint is due exactly when that one is old enough.
    Checkpoints are never deleted, so a later one only makes it younger; after most commits this decides without
    a query. When a checkpoint may be due, ``make_checkpoint`` decides again under the log row lock."""
    try:
        min_age = dt.timedelta(seconds=checkpoint_seconds())
        signed_after = timezone.now() - min_age
        if last_signed is _UNKNOWN:
            if not _checkpoint_due(agency, signed_after):
                return None
        elif last_signed is not None and last_signed > signed_after:
            return None
        return make_checkpoint(agency, min_age=min_age)
    except Exception:
        logger.exception("ledger: cannot sign a checkpoint after commit for agency %s", agency.pk)
        return None


# Raw SQL: the ORM would spend ten times the round trip building it, after every commit.
_DUE = (
    "SELECT 1 FROM ledger_log l WHERE l.agency_id = %s AND l.size > 0 AND NOT EXISTS ("
    "SELECT 1 FROM (SELECT size, at FROM ledger_checkpoint c WHERE c.log_id = l.agency_id "
    "ORDER BY size DESC LIMIT 1) latest WHERE latest.size >= l.size OR latest.at > %s)"
)


def _checkpoint_due(agency, signed_after: dt.datetime) -> bool:
    """Might a checkpoint be due (the log has unsigned entries and its last checkpoint was signed before
    ``signed_after``)? One plain read, no lock and no transaction: after most commits the answer is no, and
    taking the log row lock to learn it would cost a transaction of its own (a row lock gives it a transaction
    id, so its commit waits for a WAL flush). When the answer is yes, ``make_checkpoint`` decides again under
    the lock."""
    conn = transaction.get_connection()
    with conn.cursor() as cursor:
        cursor.execute(_DUE, [agency.pk, conn.ops.adapt_datetimefield_value(signed_after)])
        return cursor.fetchone() is not None


def make_checkpoint(
    agency, *, force: bool = False, now: dt.datetime | None = None, min_age: dt.timedelta | None = None
) -> Checkpoint | None:
    """Sign a checkpoint of ``agency``'s log if it grew since the last one and that one is older than ``min_age``
    (default ``LEDGER_CHECKPOINT_MINUTES``; ``force``: whatever its age). Returns the new checkpoint, or None."""
    now = now or timezone.now()
    if min_age is None:
        min_age = dt.timedelta(minutes=settings.LEDGER_CHECKPOINT_MINUTES)
    with transaction.atomic():
        # The log row lock keeps appends out while we read size and frontier, so root and size agree.
        log = Log.objects.select_for_update().filter(pk=agency.pk).first()
        if log is None or log.size == 0:
            return None
        last = Checkpoint.objects.filter(log=log).order_by("-size").values_list("size", "at").first()
        if last is not None:
            last_size, last_at = last
            if last_size >= log.size:
                return None
            if not force and now - last_at < min_age:
                return None
        root = merkle.frontier_root(merkle.split_hashes(bytes(log.frontier)))
        at = now.replace(microsecond=0)
        note = notes.make_checkpoint(log.origin, log.size, root, at, keys.load(log))
        return Checkpoint.objects.create(log=log, size=log.size, root_hash=root, at=at, note=note)


def make_checkpoints(
    force: bool = False, *, agencies=None, min_age: dt.timedelta | None = None
) -> list[Checkpoint]:
    """Checkpoint every log that grew since its last checkpoint, if that one is older than ``min_age`` (default
    ``LEDGER_CHECKPOINT_MINUTES``; the periodic task passes ``checkpoint_seconds()``)."""
    logs = Log.objects.annotate(last=Max("checkpoints__size")).filter(
        Q(last__isnull=True, size__gt=0) | Q(size__gt=F("last"))
    )
    if agencies is not None:
        logs = logs.filter(agency__in=agencies)
    made = []
    for log in logs.select_related("agency"):
        try:
            checkpoint = make_checkpoint(log.agency, force=force, min_age=min_age)
        except (OSError, notes.NoteError):
            # One agency's missing or unreadable key must not stop the others' checkpoints.
            logger.exception("ledger: cannot sign a checkpoint for %s", log.origin)
            continue
        if checkpoint is not None:
            made.append(checkpoint)
    return made


# Verification runs.


def run_verification(*, agency=None, state: bool = False, files: bool = True, by=None, progress=None):
    """Verify one agency's log (or all), record the run, and return the report (see ``checks``)."""
    from . import checks

    run = VerificationRun.objects.create(agency=agency, with_state=state, by=by)
    report = checks.verify(agency=agency, state=state, files=files, progress=progress)
    run.sizes = report.sizes
    run.finished_at = timezone.now()
    run.ok = report.ok
    run.entries = report.entries
    run.checkpoints = report.checkpoints
    run.problems = "\n".join(str(p) for p in report.problems[:100])
    run.save()
    return report
