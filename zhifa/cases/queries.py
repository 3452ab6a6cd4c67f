"""Reads of cases, always scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhifa.org import queries as org_queries
from zhifa.org.choices import Role

from .models import Case, Party

# Who reads an agency's cases: its business roles and its supervisors. The three administrators never do.
CASE_READER_ROLES = frozenset(
    {Role.OFFICER, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD, Role.SUPERVISOR}
)
CASE_WORKER_ROLES = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD})


def readable_agency_ids(user) -> set[int]:
    return org_queries.agency_ids_with(user, CASE_READER_ROLES)


def visible_cases(user) -> QuerySet[Case]:
    return Case.objects.filter(agency_id__in=readable_agency_ids(user)).select_related(
        "party", "unit", "field", "agency"
    )


def visible_parties(user) -> QuerySet[Party]:
    return Party.objects.filter(agency_id__in=readable_agency_ids(user))


def access_case(user, case_id, *, lock: bool = False) -> Case:
    """The one permission-checked fetch of a case. ``lock=True`` takes SELECT … FOR UPDATE: the caller must be
    inside a transaction, and holds the row until it ends (two actions on one case never interleave)."""
    qs = visible_cases(user)
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_party(user, party_id) -> Party:
    try:
        return visible_parties(user).get(pk=party_id)
    except (Party.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_officer_ids(case) -> set[int]:
    return set(case.officer_links.values_list("person_id", flat=True))


def tasks_for(user, limit: int = 30) -> list[dict]:
    """The case steps waiting on ``user``: their own cases' next steps, and for heads the approvals."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from . import lifecycle
    from .choices import State

    tasks = []
    held = org_queries.roles_by_agency(user)
    mine = Case.objects.filter(officer_links__person=user).exclude(state__in=lifecycle.ENDED | {State.CLOSED})
    for case in mine.order_by("accepted_on", "id")[:limit]:
        steps = "、".join(lifecycle.label(a) for a in lifecycle.NEXT_STEP.get(case.state, ()))
        tasks.append(
            {
                "label": f"{case.reference} {case.cause}：{steps}",
                "url": reverse("cases:detail", args=[case.pk]),
            }
        )
    head_of = [agency for agency, roles in held.items() if Role.AGENCY_HEAD in roles]
    if head_of:
        waiting = Case.objects.filter(agency_id__in=head_of, state=State.FILING_REQUESTED).order_by(
            "accepted_on"
        )
        for case in waiting[:limit]:
            tasks.append(
                {
                    "label": _("%(ref)s 待批准立案") % {"ref": case.reference},
                    "url": reverse("cases:detail", args=[case.pk]),
                }
            )
    return tasks
