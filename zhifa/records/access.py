"""调阅记录 for supervisors: every opening of a case, document or evidence item is a ``ledger.access`` entry (and
every refused opening of a marked record a ``records.access_refused`` one). Reads only; scoped to the agencies the
user supervises (supervisors and agency heads)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.utils import timezone

from zhifa.core import keyset
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role

from . import rules
from .policy import settings_for

ACCESS_ACTIONS = ("ledger.access", "records.access_refused")
KINDS = ("cases.case", "records.document", "records.evidence")
# The log's order, newest first: the time, then the log and sequence number (entries of two agencies can share a
# time); the keyset of the page's links (``zhifa.core.keyset``).
ORDER = [("at", keyset.TIME), ("log_id", keyset.ID), ("seq", keyset.ID)]
# Unusual: ``access_burst_count`` openings of evidence by one person within ``access_burst_minutes`` — the
# agency's settings (``records.policy.settings_for``; defaults ``rules.RECORDS_DEFAULTS``).


def supervised_agency_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return org_queries.agency_ids_with(user, {Role.SUPERVISOR, Role.AGENCY_HEAD})


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def query(
    agency_ids,
    *,
    person: str = "",
    case: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    kinds=KINDS,
    actions=ACCESS_ACTIONS,
):
    """The access entries (newest first) of the agencies, every filter applied by the database before any limit.

    Reads the index ``ledger_entry_access`` (log, action, object kind, time, object id). ``case`` (the case's id)
    matches the openings of the case itself and of each of its documents and evidence items; ``person`` a user
    name exactly or part of a name; ``since`` / ``until`` are local dates, both included.
    """
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast

    from zhifa.ledger.models import Entry

    from .models import Document, Evidence

    qs = Entry.objects.filter(
        log_id__in=list(agency_ids), action__in=list(actions), object_kind__in=list(kinds)
    )
    if since:
        qs = qs.filter(at__gte=_day_start(since))
    if until:
        qs = qs.filter(at__lt=_day_start(until + dt.timedelta(days=1)))
    if person:
        qs = qs.filter(Q(actor__username=person) | Q(actor__full_name__contains=person))
    if case:
        if not case.isdigit():
            return qs.none()

        def ids(model):  # the case's documents or evidence items, as the text the ledger names objects by
            return (
                model.objects.filter(case_id=int(case))
                .annotate(text_id=Cast("pk", CharField()))
                .values("text_id")
            )

        qs = qs.filter(
            Q(object_kind="cases.case", object_id=str(int(case)))
            | Q(object_kind="records.document", object_id__in=ids(Document))
            | Q(object_kind="records.evidence", object_id__in=ids(Evidence))
        )
    return qs.select_related("actor", "log__agency").order_by("-at", "-log_id", "-seq")


def rows(entries) -> list[dict]:
    """The page's entries as rows: each decoded once (the reason), each object's case found in two queries for the
    whole page (documents, evidence)."""
    from zhifa.ledger.queries import present

    from .models import Document, Evidence

    # The reason given for an opening is the access record itself: shown to who may read this page (the head and
    # the supervisors of the agency, ``entries`` scopes the rows), never any other entry's content.
    views = present(entries, reader=lambda entry: entry.action in ACCESS_ACTIONS)
    wanted: dict[str, set[int]] = {"records.document": set(), "records.evidence": set()}
    for view in views:
        if view.entry.object_kind in wanted and (view.entry.object_id or "").isdigit():
            wanted[view.entry.object_kind].add(int(view.entry.object_id))
    cases: dict[tuple[str, str], int] = {}
    for kind, model in (("records.document", Document), ("records.evidence", Evidence)):
        if wanted[kind]:
            for pk, case_id in (
                model.objects.filter(pk__in=wanted[kind]).order_by().values_list("pk", "case_id")
            ):
                cases[(kind, str(pk))] = case_id
    out = []
    for view in views:
        entry = view.entry
        if entry.object_kind == "cases.case":
            case_id = int(entry.object_id) if (entry.object_id or "").isdigit() else None
        else:
            case_id = cases.get((entry.object_kind, entry.object_id))
        out.append(
            {
                "at": entry.at,
                "seq": entry.seq,
                "agency": entry.log.agency,
                "actor": entry.actor,
                "kind": entry.object_kind,
                "object_id": entry.object_id,
                "case_id": case_id,
                "reason": view.reason,
                "refused": entry.action == "records.access_refused",
            }
        )
    return out


def entries(
    agency_ids,
    *,
    person: str = "",
    case: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 1000,
) -> list[dict]:
    """The newest ``limit`` access entries matching the filters, as rows (the API; the page paginates ``query``)."""
    return rows(query(agency_ids, person=person, case=case, since=since, until=until)[:limit])


def flags(agency_ids, *, since=None, until=None) -> list[dict]:
    """Unusual patterns: opening cases outside one's unit, and many openings of evidence in a short time.

    Over every entry of the period (no cap), in four queries whatever their number: the openings of cases counted
    by person and case unit in the database, the supervisors and heads among those people, the times of evidence
    openings (read as a stream), and the names of the people flagged.
    """
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Cast

    from zhifa.cases.models import Case
    from zhifa.org.models import Person, RoleAssignment

    since = since or (timezone.localdate() - dt.timedelta(days=30))
    base = query(agency_ids, since=since, until=until).select_related(None).order_by()
    case_unit = Case.objects.filter(pk=Cast(OuterRef("object_id"), IntegerField())).values("unit_id")[:1]
    opened = (
        base.filter(object_kind="cases.case", actor__isnull=False, actor__unit__isnull=False)
        .annotate(case_unit=Subquery(case_unit))
        .values("actor_id", "actor__unit_id", "log_id", "case_unit")
        .annotate(n=Count("seq"))
    )
    candidates = [
        row for row in opened if row["case_unit"] is not None and row["case_unit"] != row["actor__unit_id"]
    ]
    exempt = set(
        RoleAssignment.objects.filter(
            person_id__in={row["actor_id"] for row in candidates},
            agency_id__in={row["log_id"] for row in candidates},
            role__in=(Role.SUPERVISOR, Role.AGENCY_HEAD),
        ).values_list("person_id", "agency_id")
    )
    outside: Counter = Counter()
    for row in candidates:
        if (row["actor_id"], row["log_id"]) not in exempt:
            outside[row["actor_id"]] += row["n"]
    bursts: dict[int, tuple[int, rules.RecordsSettings]] = {}
    stamps: dict[tuple[int, int], list] = defaultdict(list)
    times = base.filter(object_kind="records.evidence", actor__isnull=False).order_by(
        "actor_id", "log_id", "at"
    )
    for actor_id, log_id, at in times.values_list("actor_id", "log_id", "at").iterator(chunk_size=2000):
        stamps[(actor_id, log_id)].append(at)
    for (actor_id, log_id), ats in stamps.items():
        s = settings_for(log_id)  # each agency's own threshold, for the openings in its log
        if actor_id not in bursts and rules.burst(ats, s.access_burst_count, s.access_burst_minutes):
            bursts[actor_id] = (len(ats), s)
    names = (
        {p.pk: str(p) for p in Person.objects.filter(pk__in=set(outside) | set(bursts))}
        if outside or bursts
        else {}
    )
    out = [
        {"person": names.get(pk, str(pk)), "what": "outside_unit", "count": n} for pk, n in outside.items()
    ]
    out += [
        {
            "person": names.get(pk, str(pk)),
            "what": "burst",
            "count": n,
            "burst_count": s.access_burst_count,
            "burst_minutes": s.access_burst_minutes,
        }
        for pk, (n, s) in bursts.items()
    ]
    return out


def tasks_for(user) -> list[dict]:
    """Home-page tasks for supervisors and heads: evidence whose fixity check failed (an alert until resolved)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .evidence import failed_files
    from .models import Document, Evidence

    agencies = supervised_agency_ids(user)
    if not agencies:
        return []
    return [
        {
            "label": _("%(ref)s 证据文件完整性校验失败：%(what)s")
            % {"ref": e.case.reference, "what": e.description},
            "url": reverse("cases:detail", args=[e.case_id]),
        }
        for e in failed_files(Evidence, agencies, limit=30)
    ] + [
        {
            "label": _("%(ref)s 文书文件完整性校验失败：%(what)s")
            % {"ref": d.case.reference, "what": f"{d.get_kind_display()} {d.number}"},
            "url": reverse("records:document", args=[d.pk]),
        }
        for d in failed_files(Document, agencies, limit=30)
    ]
