"""Every row an action writes is in the ledger — a guarantee of the write path, not a habit of its authors.

The database wrapper (``zhifa.core.db``) keeps, per connection, the list of what happened since the action's
transaction began: each save, delete and many-to-many change of a recorded model (``post_save``,
``post_delete``, ``m2m_changed``), and each ledger entry appended (``ledger.actions.append`` reports it).
When the action's transaction is about to commit — the outermost ``transaction.atomic`` block (in the test
suite, the outermost block that is not the test's own) — ``complete`` compares every row written with the
state the transaction's entries recorded for it, re-reading the rows from the database (one query per
model). A row whose new state no entry carries gets its own entry, in the same transaction, named after the
action that wrote it (its most recent entry) and pointing at that entry. So no action can leave a change out
of the ledger, whatever its author remembered.

What cannot be completed is refused, and the transaction is rolled back:
- a recorded row written in a transaction that appended no entry at all (a write outside the actions layer);
- a recorded row written outside any transaction (it would be committed before anything could record it);
- a SQL write to a recorded table that bypasses the model signals (``QuerySet.update``, ``bulk_create``,
  raw SQL), except an ``UPDATE`` of volatile bookkeeping columns only.

Recorded models are every model of our apps (every app under ``zhifa.``) except those declared unrecorded with
the reason (``registry.register_unrecorded``); a test checks each model is one or the other. Fields a kind declares volatile, and secret
fields, may change without an entry.

Tests that simulate tampering, and migrations, write around this with ``unrecorded_writes()``; nothing
under ``zhifa/`` but this module and migrations may use it (a test checks).
"""

from __future__ import annotations

import contextlib
import copy
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connections
from django.db.models import signals
from django.utils.translation import gettext as _


def our_apps() -> list:
    """The app configs whose models the ledger answers for: every installed app of this project."""
    from django.apps import apps

    return [config for config in apps.get_app_configs() if config.name.startswith("zhifa.")]


_MISSING = object()


class LedgerIncomplete(DatabaseError):
    """A write the ledger cannot record; the transaction is rolled back.

    A ``DatabaseError``, so that ``transaction.atomic`` rolls back when it is raised at commit."""


@dataclass
class _Write:
    key: tuple[str, str]
    model: Any
    pk: Any
    instance: Any = None  # a copy of the deleted instance (its pk kept), for deletions
    deleted: bool = False
    m2m: bool = False  # its many-to-many fields changed
    written: dict | None = None  # the field values a whole-row save wrote (not for partial saves)


@dataclass
class _Entry:
    agency: Any
    actor: Any
    action: str
    seq: int
    key: tuple[str, str] | None
    state: Any = _MISSING  # the state it recorded for ``key``, if any
    auto: bool = False


@dataclass
class Tracker:
    events: list = field(default_factory=list)
    generation: int = 0
    marks: dict = field(default_factory=dict)
    brackets: Counter = field(default_factory=Counter)
    completing: bool = False
    disabled: int = 0
    released: set = field(default_factory=set)

    def clear(self) -> None:
        self.events = []
        self.generation += 1
        self.marks.clear()
        self.brackets.clear()


def tracker(conn) -> Tracker:
    t = conn.__dict__.get("_zhifa_tracker")
    if t is None:
        t = conn.__dict__["_zhifa_tracker"] = Tracker()
    return t


# Which models and tables are recorded ------------------------------------------------------------------------

_cache_lock = threading.Lock()
_recorded: dict[str, Any] | None = None
_tables: dict[str, tuple[str | None, frozenset[str]]] | None = None


def recorded_models() -> dict[str, Any]:
    """{label: model} of every model whose rows the ledger records."""
    global _recorded, _tables
    if _recorded is None:
        from . import registry

        with _cache_lock:
            models: dict[str, Any] = {}
            tables: dict[str, tuple[str | None, frozenset[str]]] = {}
            for config in our_apps():
                for model in config.get_models(include_auto_created=True):
                    name = model._meta.label_lower
                    if model._meta.auto_created:  # many-to-many tables: their rows are the owner's state
                        if registry.unrecorded_reason(model._meta.auto_created._meta.label_lower) is None:
                            tables[model._meta.db_table] = (None, frozenset())
                        continue
                    if registry.unrecorded_reason(name) is not None:
                        continue
                    models[name] = model
                    columns = frozenset(
                        f.column for f in model._meta.concrete_fields if f.attname in volatile_fields(name)
                    )
                    tables[model._meta.db_table] = (name, columns)
            _tables = tables
            _recorded = models
    return _recorded


def _guarded_tables() -> dict[str, tuple[str | None, frozenset[str]]]:
    recorded_models()
    assert _tables is not None
    return _tables


def volatile_fields(label: str) -> frozenset[str]:
    """Fields of ``label`` that change without an action (bookkeeping), and secrets never recorded. Credential
    hashes are not among them: they are recorded as a keyed digest (``core.snapshot.DIGESTED``), so changing one
    takes an action, like any other field."""
    from zhifa.core.snapshot import DIGESTED, SECRET_FIELDS

    from . import registry

    k = registry.kind(label)
    return (k.volatile if k else frozenset()) | (SECRET_FIELDS - set(DIGESTED))


def _label(sender) -> str | None:
    if sender.__module__ == "__fake__":  # a migration's historical model
        return None
    name = sender._meta.label_lower
    return name if name in recorded_models() else None


def _key(label: str, pk) -> tuple[str, str]:
    return (label, str(pk))


# Where we are: inside an action's transaction, or not ---------------------------------------------------------


def in_action(conn) -> bool:
    """Inside a transaction that is not only the test suite's wrapper (or while completing one)."""
    t = tracker(conn)
    if t.completing:
        return True
    return conn.in_atomic_block and any(not getattr(b, "_from_testcase", False) for b in conn.atomic_blocks)


def _refuse_outside(conn, label: str) -> None:
    if tracker(conn).disabled or in_action(conn):
        return
    raise LedgerIncomplete(
        _("%(kind)s 的写入不在任何操作的事务中，无法记入账本；请通过操作层（actions）修改业务数据。")
        % {"kind": label}
    )


@contextlib.contextmanager
def unrecorded_writes(using: str = "default"):
    """Write recorded tables without the ledger: for migrations and for tests that simulate tampering."""
    t = tracker(connections[using])
    t.disabled += 1
    try:
        yield
    finally:
        t.disabled -= 1


# Signal handlers ---------------------------------------------------------------------------------------------


def _pre_save(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    label = _label(sender)
    if label is None:
        return
    conn = connections[using]
    if update_fields is None or not frozenset(update_fields) <= volatile_fields(label):
        _refuse_outside(conn, label)
    tracker(conn).brackets[sender._meta.db_table] += 1


def _post_save(sender, instance, created=False, raw=False, using="default", update_fields=None, **kwargs):
    label = _label(sender)
    if label is None:
        return
    t = tracker(connections[using])
    _unbracket(t, sender._meta.db_table)
    if t.disabled or (update_fields is not None and frozenset(update_fields) <= volatile_fields(label)):
        return
    written = None
    if update_fields is None:  # a whole row: what it wrote is what the instance holds now
        from zhifa.core.snapshot import snapshot

        written = snapshot(instance, many_to_many=False)
    t.events.append(_Write(_key(label, instance.pk), sender, instance.pk, written=written))


def _pre_delete(sender, instance, using="default", **kwargs):
    label = _label(sender)
    if label is None:
        return
    conn = connections[using]
    _refuse_outside(conn, label)
    tracker(conn).brackets[sender._meta.db_table] += 1


def _post_delete(sender, instance, using="default", **kwargs):
    label = _label(sender)
    if label is None:
        return
    t = tracker(connections[using])
    _unbracket(t, sender._meta.db_table)
    if t.disabled:
        return
    t.events.append(_Write(_key(label, instance.pk), sender, instance.pk, copy.copy(instance), deleted=True))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, using="default", **kwargs):
    table = sender._meta.db_table
    if table not in _guarded_tables():
        return
    conn = connections[using]
    t = tracker(conn)
    owner_model = model if reverse else type(instance)
    label = _label(owner_model)
    if action.startswith("pre_"):
        if label is not None:
            _refuse_outside(conn, label)
        t.brackets[table] += 1
        if action == "pre_clear" and reverse:
            # The owners losing ``instance``: read them before the rows go.
            through_field = next(
                f for f in sender._meta.concrete_fields if f.related_model is type(instance) and f.is_relation
            )
            owner_field = next(
                f for f in sender._meta.concrete_fields if f.related_model is owner_model and f.is_relation
            )
            instance._zhifa_cleared = list(
                sender._base_manager.using(using)
                .filter(**{through_field.attname: instance.pk})
                .values_list(owner_field.attname, flat=True)
            )
        return
    _unbracket(t, table)
    if label is None or t.disabled:
        return
    if not reverse:
        owners = [instance.pk]
    elif action == "post_clear":
        owners = getattr(instance, "_zhifa_cleared", [])
    else:
        owners = list(pk_set or ())
    for pk in owners:
        t.events.append(_Write(_key(label, pk), owner_model, pk, m2m=True))


def _unbracket(t: Tracker, table: str) -> None:
    if t.brackets[table] > 0:
        t.brackets[table] -= 1


def connect_signals() -> None:
    signals.pre_save.connect(_pre_save, dispatch_uid="zhifa.ledger.tracking.pre_save")
    signals.post_save.connect(_post_save, dispatch_uid="zhifa.ledger.tracking.post_save")
    signals.pre_delete.connect(_pre_delete, dispatch_uid="zhifa.ledger.tracking.pre_delete")
    signals.post_delete.connect(_post_delete, dispatch_uid="zhifa.ledger.tracking.post_delete")
    signals.m2m_changed.connect(_m2m_changed, dispatch_uid="zhifa.ledger.tracking.m2m_changed")
    signals.pre_migrate.connect(_pre_migrate, dispatch_uid="zhifa.ledger.tracking.pre_migrate")
    signals.post_migrate.connect(_post_migrate, dispatch_uid="zhifa.ledger.tracking.post_migrate")


_migrating: set[str] = set()


def _pre_migrate(sender, using="default", **kwargs):
    # Sent once per app before ``migrate`` runs; the migrations' data steps write with historical models.
    if using not in _migrating:
        _migrating.add(using)
        tracker(connections[using]).disabled += 1


def _post_migrate(sender, using="default", **kwargs):
    if using in _migrating:
        _migrating.discard(using)
        tracker(connections[using]).disabled -= 1


# SQL that goes around the signals ----------------------------------------------------------------------------

_WRITE = re.compile(
    r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)[`"]?(.*)', re.IGNORECASE | re.DOTALL
)
_SET_COLUMNS = re.compile(r'[`"]?(\w+)[`"]?\s*=')


def guard(execute, sql, params, many, context):
    """The connection's execute wrapper: refuse writes to recorded tables that no signal brackets."""
    head = sql[:12].lstrip()[:1].upper() if isinstance(sql, str) else ""
    if head in ("I", "U", "D"):
        match = _WRITE.match(sql)
        if match is not None:
            tables = _guarded_tables()
            table = match.group(2)
            if table in tables:
                _check_write(context["connection"], table, tables[table], match.group(1), match.group(3))
    return execute(sql, params, many, context)


def _check_write(conn, table: str, info, verb: str, rest: str) -> None:
    t = tracker(conn)
    if t.disabled or t.brackets[table] > 0:
        return
    label, volatile_columns = info
    if verb.upper().startswith("DELETE") and not rest.strip(" ;"):
        return  # a whole table emptied: the test database's flush (verify --state finds any other)
    if verb.upper() == "UPDATE" and volatile_columns:
        set_clause = re.split(r"\sWHERE\s", rest, maxsplit=1, flags=re.IGNORECASE)[0]
        set_clause = re.sub(r"^\s*SET\s", "", set_clause, flags=re.IGNORECASE)
        columns = set(_SET_COLUMNS.findall(set_clause))
        if columns and columns <= volatile_columns:
            return
    raise LedgerIncomplete(
        _("对 %(table)s 的写入绕过了账本（批量更新、批量新增或直接 SQL），无法逐行记入账本；请逐条保存。")
        % {"table": label or table}
    )


# Savepoints and the action's end (called by the database wrapper) ----------------------------------------------


def on_savepoint(conn, sid) -> None:
    if sid is not None:
        t = tracker(conn)
        t.marks[sid] = (t.generation, len(t.events))


def on_savepoint_rollback(conn, sid) -> None:
    t = tracker(conn)
    mark = t.marks.get(sid)
    if mark is not None:
        generation, n = mark
        if generation == t.generation:
            del t.events[n:]
        else:  # the events were completed and cleared since: all that is left came after the savepoint
            t.events = []
    t.brackets.clear()
    t.released.add(sid)  # Django releases a rolled-back savepoint right after: that is no action's end


def on_savepoint_commit(conn, sid) -> None:
    t = tracker(conn)
    if sid in t.released:
        t.released.discard(sid)
        return
    t.marks.pop(sid, None)
    if t.completing or any(not getattr(b, "_from_testcase", False) for b in conn.atomic_blocks):
        return  # an inner block: the action goes on
    _complete_or_roll_back(conn)


def on_commit(conn) -> None:
    t = tracker(conn)
    if t.completing:
        return
    # Django has left the outermost block; the transaction is still open until the commit.
    conn.in_atomic_block = True
    try:
        _complete_or_roll_back(conn)
    finally:
        conn.in_atomic_block = False


def _complete_or_roll_back(conn) -> None:
    """Django rolls a transaction back only on a ``DatabaseError`` raised at its commit: anything else that goes
    wrong while completing must become one, or the half-recorded transaction could still be committed."""
    try:
        complete(conn)
    except DatabaseError:
        raise
    except Exception as exc:
        raise LedgerIncomplete(_("无法把本次操作的改动完整记入账本：%(error)s") % {"error": exc}) from exc


def on_rollback(conn) -> None:
    tracker(conn).clear()


def appended(conn, *, agency, actor, action: str, obj, payload, entry) -> None:
    """``ledger.actions.append`` reports each entry it appended in this transaction."""
    t = tracker(conn)
    key = None
    state = _MISSING
    if obj is not None and obj.pk is not None:
        key = _key(obj._meta.label_lower, obj.pk)
        if isinstance(payload, dict) and "state" in payload:
            state = payload["state"]  # made canonical only if it has to be compared (``_pending``)
    t.events.append(_Entry(agency, actor, action, entry.seq, key, state, auto=t.completing))


def complete(conn) -> None:
    """Give every row written in this transaction the entry of its new state (see the module docstring)."""
    t = tracker(conn)
    events = t.events
    t.clear()
    if not events:
        return
    writes: dict[tuple[str, str], _Write] = {}
    deleted: set[tuple[str, str]] = set()
    m2m_keys: set[tuple[str, str]] = set()
    states: dict[tuple[str, str], Any] = {}
    owner: dict[tuple[str, str], _Entry] = {}  # the action that wrote it: its next entry, or its last before
    waiting: list[tuple[str, str]] = []
    last: _Entry | None = None
    for event in events:
        if isinstance(event, _Write):
            writes[event.key] = event
            if event.deleted:
                deleted.add(event.key)
            if event.m2m:
                m2m_keys.add(event.key)
            if last is not None:
                owner[event.key] = last
            waiting.append(event.key)
        else:
            if event.key is not None and event.state is not _MISSING:
                states[event.key] = event.state
            if not event.auto:
                last = event
                for key in waiting:
                    owner[key] = event
                waiting = []
    if not writes:
        return
    pending = _pending(conn, writes, deleted, states, m2m_keys)
    if not pending:
        return
    if last is None:
        from zhifa.org.models import Agency

        if not Agency.objects.exists():
            return  # the platform before its first agency: no log exists yet; create_agency records its data
        names = "、".join(sorted({f"{label} #{pk}" for (label, pk), _obj, _state in pending})[:10])
        raise LedgerIncomplete(
            _("本次事务修改了 %(objects)s，但没有任何操作记入账本；请通过操作层（actions）修改业务数据。")
            % {"objects": names}
        )
    from . import actions as ledger

    t.completing = True
    try:
        for key, obj, state in pending:
            by = owner[key]
            ledger.append(
                agency=_agency(obj, by.agency),
                actor=by.actor,
                action=by.action,
                obj=obj,
                payload={"state": state, "recorded_with": {"agency": by.agency.code, "seq": by.seq}},
            )
    finally:
        t.completing = False
        t.events = []


def _pending(conn, writes, deleted, states, m2m_keys) -> list[tuple[tuple[str, str], Any, Any]]:
    """(key, object, state to record) for each written row whose current state no entry carries.

    A row last written whole, whose recorded state equals what that save wrote, needs no query. The others are
    re-read, one query per model; their many-to-many values only where this transaction changed them (nothing
    else can: raw SQL on those tables is refused)."""
    from zhifa.core.snapshot import snapshot

    by_model: dict[Any, list[_Write]] = {}
    for write in writes.values():
        recorded = states.get(write.key, _MISSING)
        if (
            isinstance(recorded, dict)
            and write.written is not None
            and write.key not in m2m_keys
            and _agrees(write.model, write.written, recorded, many_to_many=False)
        ):
            continue
        by_model.setdefault(write.model, []).append(write)
    pending = []
    for model, model_writes in by_model.items():
        live = {
            str(obj.pk): obj
            for obj in model._base_manager.using(conn.alias).filter(pk__in=[w.pk for w in model_writes])
        }
        for write in model_writes:
            recorded = states.get(write.key, _MISSING)
            obj = live.get(write.key[1])
            if obj is None:
                if write.key not in deleted or recorded is None:
                    continue  # deleted and recorded so; or created in a savepoint rolled back since
                gone = write.instance if write.instance is not None else model(pk=write.pk)
                gone.pk = write.pk
                pending.append((write.key, gone, None))
                continue
            if isinstance(recorded, dict):
                m2m = write.key in m2m_keys
                if _agrees(model, snapshot(obj, many_to_many=m2m), recorded, many_to_many=m2m):
                    continue
            pending.append((write.key, obj, snapshot(obj)))
    return pending


def _agrees(model, now: dict, recorded: dict, *, many_to_many: bool) -> bool:
    """``now`` and ``recorded`` agree on every field but the volatile ones (and, unless ``many_to_many``, on the
    concrete fields only), compared as values of the field as ``verify --state`` compares them."""
    from .checks import _same

    fields = {f.attname: f for f in model._meta.concrete_fields}
    volatile = volatile_fields(model._meta.label_lower)
    names = set(now) | (set(recorded) if many_to_many else set(recorded) & set(fields))
    return not any(
        name not in volatile and not _same(fields.get(name), now.get(name), recorded.get(name))
        for name in names
    )


def _agency(obj, fallback):
    from . import registry

    try:
        agency = registry.agency_of(obj)
    except Exception:  # a deleted row's parents may be gone too; a platform-wide object has no agency
        return fallback
    return agency if agency is not None else fallback
