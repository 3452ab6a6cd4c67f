"""Reads of the ledger, scoped to who asks.

- Proofs, checkpoints and leaf hashes are public: they reveal nothing of an entry's content.
- Entries (audit records) are listed for the audit administrator (审计管理员) and the supervisors (监督人员)
  of an agency — never for the system or security administrator (三员分立), never for the superuser account.
  What they list is the entry's frame: who, which act, when, which object (kind and id), the hashes, how many
  files and their SHA-256.
- The content of an entry (its payload: the object's state, reasons, opinions; its files' names) is shown only
  to who may read the object itself: ``may_read_content`` asks the access function the object's app
  registered (``registry.register_kind(..., access=...)``), the same check its own pages make. The audit
  administrator reads no case, party, complaint or person, so none of their content.
  Reads (调阅) are the exception: their reason is the audit record itself and is shown to the auditors.
- An object's history is read by whoever may open the object (its app's registered access function) and
  by the auditors of the agency whose log records it; reads (调阅) in it are shown to auditors only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhifa.org.choices import Role
from zhifa.org.queries import agency_ids_with, roles_by_agency

from . import encoding, merkle, registry
from .actions import ACCESS_ACTION
from .models import Checkpoint, Entry, Log, VerificationRun

AUDIT_ROLES = frozenset({Role.AUDIT_ADMIN, Role.SUPERVISOR})


# Proofs.


def node_fetcher(log_id: int) -> merkle.NodeFetcher:
    """Fetch perfect subtree hashes of one log from the entries that completed them: one query."""

    def fetch(wanted: set[merkle.Node]) -> dict[merkle.Node, bytes]:
        homes = {node: merkle.node_home(*node) for node in wanted}
        seqs = sorted({seq for seq, _offset in homes.values()})
        table = Entry._meta.db_table
        marks = ", ".join(["%s"] * len(seqs))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT seq, nodes FROM {table} WHERE log_id = %s AND seq IN ({marks})", [log_id, *seqs]
            )
            stored = {seq: bytes(nodes) for seq, nodes in cursor.fetchall()}
        out = {}
        for node, (seq, offset) in homes.items():
            blob = stored.get(seq)
            if blob is not None and len(blob) >= offset + merkle.HASH_SIZE:
                out[node] = blob[offset : offset + merkle.HASH_SIZE]
        return out

    return fetch


def inclusion_proof(log: Log, index: int, size: int) -> list[bytes]:
    return merkle.inclusion_proof(index, size, node_fetcher(log.pk))


def leaf_and_inclusion_proof(log: Log, index: int, size: int) -> tuple[bytes, list[bytes]]:
    return merkle.leaf_and_inclusion_proof(index, size, node_fetcher(log.pk))


def consistency_proof(log: Log, first: int, second: int) -> list[bytes]:
    return merkle.consistency_proof(first, second, node_fetcher(log.pk))


def root_at(log: Log, size: int) -> bytes:
    return merkle.root_at(size, node_fetcher(log.pk))


def leaf_hashes(log: Log, start: int, end: int) -> list[bytes]:
    rows = (
        Entry.objects.filter(log=log, seq__gte=start, seq__lt=end)
        .order_by("seq")
        .values_list("nodes", flat=True)
    )
    return [bytes(nodes[: merkle.HASH_SIZE]) for nodes in rows]


# Logs and checkpoints (public).


def public_logs() -> QuerySet[Log]:
    return Log.objects.select_related("agency").order_by("agency__name")


def public_log(code: str) -> Log:
    log = public_logs().filter(agency__code=code).first()
    if log is None:
        raise Http404
    return log


def latest_checkpoint(log: Log) -> Checkpoint | None:
    return log.checkpoints.order_by("-size").first()


def latest_checkpoints(logs) -> dict[int, Checkpoint]:
    """{log id: its latest checkpoint} for the given logs, in two queries."""
    from django.db.models import Max, Q

    sizes = Log.objects.filter(pk__in=[log.pk for log in logs]).annotate(last=Max("checkpoints__size"))
    match = Q(pk__in=[])
    for log_id, last in sizes.values_list("pk", "last"):
        if last is not None:
            match |= Q(log_id=log_id, size=last)
    return {cp.log_id: cp for cp in Checkpoint.objects.filter(match)}


# Audit records.


def audited_agency_ids(user) -> set[int]:
    """Agencies whose audit records ``user`` may read: as audit administrator or supervisor."""
    return agency_ids_with(user, AUDIT_ROLES)


def require_auditor(user) -> None:
    if not audited_agency_ids(user):
        raise PermissionDenied(_("账本审计记录仅审计管理员和监督人员可以查看。"))


def audited_logs(user) -> QuerySet[Log]:
    return public_logs().filter(agency_id__in=audited_agency_ids(user))


def access_audited_log(user, code: str) -> Log:
    require_auditor(user)
    log = audited_logs(user).filter(agency__code=code).first()
    if log is None:
        raise Http404
    return log


def audit_entries(log: Log, *, action: str = "", kind: str = "", object_id: str = "") -> QuerySet[Entry]:
    qs = Entry.objects.filter(log=log).order_by("-seq")
    if action:
        qs = qs.filter(action=action)
    if kind:
        qs = qs.filter(object_kind=kind)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs


def last_verification(log: Log | None = None) -> VerificationRun | None:
    qs = VerificationRun.objects.filter(finished_at__isnull=False)
    if log is not None:
        # A run over every log covers this one too.
        from django.db.models import Q

        qs = qs.filter(Q(agency_id=log.pk) | Q(agency__isnull=True))
    return qs.order_by("-started_at", "-id").first()


# Object history.


def object_entries(kind: str, object_id: str) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(object_kind=kind, object_id=object_id)
        .select_related("log__agency")
        .order_by("at", "log_id", "seq")
    )


def access_history(user, kind: str, object_id: str) -> tuple[QuerySet[Entry], bool]:
    """The object's entries the user may see, and whether the user sees reads (调阅) too.

    404 when the object is neither accessible to the user nor in a log the user audits.
    """
    entries = object_entries(kind, object_id)
    audited = audited_agency_ids(user)
    is_auditor = entries.filter(log_id__in=audited).exists() if audited else False
    allowed = is_auditor
    if not allowed:
        k = registry.kind(kind)
        if k is not None and k.access is not None:
            try:
                k.access(user, object_id)
                allowed = True
            except (Http404, PermissionDenied):
                allowed = False
    if not allowed or not entries.exists():
        raise Http404
    if is_auditor:
        # Reads are shown for the logs the user audits; in other logs only changes.
        from django.db.models import Q

        entries = entries.filter(Q(log_id__in=audited) | ~Q(action=ACCESS_ACTION))
    else:
        entries = entries.exclude(action=ACCESS_ACTION)
    return entries, is_auditor


# Who may read an entry's content.

# Actions whose payload is itself audit data (the reason given for a read), shown to the auditors.
AUDIT_RECORD_ACTIONS = frozenset({ACCESS_ACTION})


# Who reads the content of entries about a kind no app registered (a case's records, officers, review
# opinions, deadline events, an agency's settings): the agency's business roles and its supervisors — the
# readers of its cases (``cases.queries.CASE_READER_ROLES``), never the three administrators.
UNREGISTERED_READER_ROLES = frozenset(
    {Role.OFFICER, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD, Role.SUPERVISOR}
)


def may_read_object(user, kind: str | None, object_id: str | None, *, log_id: int | None = None) -> bool:
    """Whether ``user`` may read the object itself, by its app's registered access function — the one
    mapping from an entry's kind to who may read its content. A kind without an access function: the
    business roles of the agency whose log (``log_id``) records it. Entries without an object: nobody."""
    if not kind or object_id is None or not getattr(user, "is_authenticated", False):
        return False
    k = registry.kind(kind)
    if k is None or k.access is None:
        return log_id is not None and log_id in agency_ids_with(user, UNREGISTERED_READER_ROLES)
    try:
        k.access(user, object_id)
    except (Http404, PermissionDenied):  # ActionDenied is a PermissionDenied
        return False
    return True


class ContentReader:
    """``reader(entry)``: whether ``user`` may read ``entry``'s content. Asks once per object, so a page of
    entries about a few objects costs a few queries. ``objects=False`` (the audit log's list, where entries
    about fifty objects would cost fifty checks) shows only the audit records' content; the entry's own page
    and the object's history show the rest to who may read it."""

    def __init__(self, user, *, objects: bool = True) -> None:
        self.user = user
        self.objects = objects
        self.audited = audited_agency_ids(user)
        self._objects: dict[tuple[int, str | None, str | None], bool] = {}

    def __call__(self, entry: Entry) -> bool:
        if entry.action in AUDIT_RECORD_ACTIONS and entry.log_id in self.audited:
            return True
        if not self.objects:
            return False
        key = (entry.log_id, entry.object_kind, entry.object_id)
        if key not in self._objects:
            self._objects[key] = may_read_object(
                self.user, entry.object_kind, entry.object_id, log_id=entry.log_id
            )
        return self._objects[key]


# Presenting entries.


@dataclass
class EntryView:
    """One entry for a page. ``content`` says whether the viewer may read its payload and file names
    (``ContentReader``); without it every property that would show them is empty."""

    entry: Entry
    head: dict[str, Any]
    record: dict[str, Any]
    content: bool = False

    @property
    def action_label(self):
        return registry.action_label(self.entry.action)

    @property
    def kind_label(self):
        return registry.kind_label(self.entry.object_kind)

    @property
    def actor_name(self) -> str:
        actor = self.record.get("actor")
        return actor.get("name", "") if isinstance(actor, dict) else ""

    @property
    def actor_roles(self) -> list[str]:
        actor = self.record.get("actor")
        roles = actor.get("roles", []) if isinstance(actor, dict) else []
        labels = []
        for role in roles:
            try:
                labels.append(str(Role(role).label))
            except ValueError:
                labels.append(role)
        return labels

    @property
    def payload(self) -> Any:
        return self.record.get("payload") if self.content else None

    @property
    def reason(self) -> str:
        payload = self.payload
        return payload.get("reason", "") if isinstance(payload, dict) else ""

    @property
    def changed(self) -> list[str]:
        payload = self.payload
        return payload.get("changed", []) if isinstance(payload, dict) else []

    @property
    def files(self) -> list[dict]:
        """The files with their names: for who may read the content."""
        files = self.record.get("files", [])
        return files if self.content and isinstance(files, list) else []

    @property
    def file_hashes(self) -> list[str]:
        """The files' SHA-256, for everyone who sees the entry (a name may itself be personal data)."""
        files = self.record.get("files", [])
        if not isinstance(files, list):
            return []
        return [str(f.get("sha256", "")) for f in files if isinstance(f, dict)]

    @property
    def leaf_hash(self) -> str:
        return bytes(self.entry.nodes[:32]).hex()

    @property
    def prev_hash(self) -> str:
        prev = self.head.get("prev")
        return prev if isinstance(prev, str) else ""

    @property
    def shown_record(self) -> dict[str, Any] | None:
        """The record (actor, files, payload) when the viewer may read it, else None."""
        return self.record if self.content else None

    @property
    def pretty(self) -> str:
        """The canonical text, pretty-printed: head and record for who may read the content, the head only
        (who, act, when, object, hashes) for everyone else."""
        import json

        data = {"head": self.head, "record": self.record} if self.content else {"head": self.head}
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def present(entries, reader=None) -> list[EntryView]:
    """The entries for a page; ``reader`` (a ``ContentReader``) decides which show their content — none
    without one."""
    out = []
    for entry in entries:
        try:
            data = encoding.decode(bytes(entry.body))
            head, record = data.get("head", {}), data.get("record", {})
        except (ValueError, AttributeError):
            head, record = {}, {}
        out.append(EntryView(entry, head, record, content=bool(reader and reader(entry))))
    return out


def roles_in(user, agency_id: int) -> set[str]:
    return set(roles_by_agency(user).get(agency_id, set()))
