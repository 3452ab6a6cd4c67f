"""调阅记录 for supervisors: every opening of a case, document or evidence item is a ``ledger.access`` entry (and
every refused opening of a marked record a ``records.access_refused`` one). Reads only; scoped to the agencies the
user supervises (supervisors and agency heads)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.utils import timezone

from zhifa.org import queries as org_queries
from zhifa.org.choices import Role

ACCESS_ACTIONS = ("ledger.access", "records.access_refused")
KINDS = ("cases.case", "records.document", "records.evidence")
# Unusual: this many downloads or openings by one person within WINDOW.
BURST = 20
WINDOW = dt.timedelta(minutes=10)


def supervised_agency_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return org_queries.agency_ids_with(user, {Role.SUPERVISOR, Role.AGENCY_HEAD})


def _case_of(kind: str, object_id: str) -> int | None:
    from zhifa.cases.models import Case

    from .models import Document, Evidence

    try:
        if kind == "cases.case":
            return int(object_id)
        model = {"records.document": Document, "records.evidence": Evidence}[kind]
        return model.objects.filter(pk=object_id).values_list("case_id", flat=True).first()
    except (KeyError, ValueError, Case.DoesNotExist):
        return None


def entries(agency_ids, *, person: str = "", case: str = "", since=None, until=None) -> list[dict]:
    from zhifa.ledger.models import Entry
    from zhifa.ledger.queries import present

    qs = Entry.objects.filter(log__agency_id__in=agency_ids, action__in=ACCESS_ACTIONS, object_kind__in=KINDS)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    if person:
        qs = qs.filter(actor__username=person) | qs.filter(actor__full_name__contains=person)
    qs = qs.select_related("actor", "log__agency").order_by("-at", "-seq")
    rows = []
    cache: dict[tuple[str, str], int | None] = {}
    for view in present(qs[:5000]):
        entry = view.entry
        key = (entry.object_kind, entry.object_id)
        if key not in cache:
            cache[key] = _case_of(*key)
        case_id = cache[key]
        if case and str(case_id) != case:
            continue
        rows.append(
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
    return rows


def flags(agency_ids, *, since=None, until=None) -> list[dict]:
    """Unusual patterns: opening cases outside one's unit, and many openings in a short time."""
    from zhifa.cases.models import Case

    since = since or (timezone.localdate() - dt.timedelta(days=30))
    rows = entries(agency_ids, since=since, until=until)
    out = []
    case_units = dict(
        Case.objects.filter(pk__in={r["case_id"] for r in rows if r["case_id"]}).values_list("pk", "unit_id")
    )
    outside: Counter = Counter()
    for r in rows:
        actor = r["actor"]
        if actor is None or r["case_id"] is None or r["kind"] != "cases.case":
            continue
        unit = case_units.get(r["case_id"])
        if (
            getattr(actor, "unit_id", None)
            and unit
            and actor.unit_id != unit
            and not (supervised_agency_ids(actor) & {r["agency"].pk})
        ):
            outside[(actor.pk, str(actor))] += 1
    for (_pk, name), n in outside.items():
        out.append({"person": name, "what": "outside_unit", "count": n})
    times: dict[tuple, list] = defaultdict(list)
    for r in rows:
        if r["actor"] is not None and r["kind"] == "records.evidence":
            times[(r["actor"].pk, str(r["actor"]))].append(r["at"])
    for (_pk, name), stamps in times.items():
        stamps.sort()
        j = 0
        for i in range(len(stamps)):
            while stamps[i] - stamps[j] > WINDOW:
                j += 1
            if i - j + 1 >= BURST:
                out.append({"person": name, "what": "burst", "count": len(stamps)})
                break
    return out


def tasks_for(user) -> list[dict]:
    """Home-page tasks for supervisors and heads: evidence whose fixity check failed (an alert until resolved)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

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
        for e in Evidence.objects.filter(agency_id__in=agencies, fixity_ok=False).select_related("case")[:30]
    ] + [
        {
            "label": _("%(ref)s 文书文件完整性校验失败：%(what)s")
            % {"ref": d.case.reference, "what": f"{d.get_kind_display()} {d.number}"},
            "url": reverse("records:document", args=[d.pk]),
        }
        for d in Document.objects.filter(agency_id__in=agencies, fixity_ok=False).select_related("case")[:30]
    ]
