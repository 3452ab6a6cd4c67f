"""Who sees and does what in 双随机一公开, and the pools a draw reads."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.org import queries as org_queries
from zhifa.org.choices import CertificateStatus, Role

from .models import Drawn, DrawPolicy, Plan, Target

# Who reads an agency's pool and plans: its staff who inspect or direct inspections, and its supervisors.
READER_ROLES = frozenset(
    {Role.OFFICER, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.SYSTEM_ADMIN}
)


def reader_agency_ids(user, supervising: bool = True) -> set[int]:
    """The agencies whose pool and plans the user reads (``supervising`` False: those they work in, not only
    supervise)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return org_queries.agency_ids_with(
        user, READER_ROLES if supervising else READER_ROLES - {Role.SUPERVISOR}
    )


def may_edit_pool(user, agency) -> bool:
    """The agency's system administrator keeps the pool and the 抽查细则 (as the 随机抽查事项清单)."""
    return bool(
        getattr(user, "is_authenticated", False) and org_queries.has_role(user, Role.SYSTEM_ADMIN, agency.pk)
    )


def may_plan(user, agency) -> bool:
    """The agency's head makes the plans and the draws."""
    return bool(
        getattr(user, "is_authenticated", False) and org_queries.has_role(user, Role.AGENCY_HEAD, agency.pk)
    )


def _get(qs: QuerySet, pk):
    if not str(pk).isdigit():
        raise Http404
    obj = qs.filter(pk=int(pk)).first()
    if obj is None:
        raise Http404
    return obj


def visible_targets(user) -> QuerySet[Target]:
    return Target.objects.filter(agency_id__in=reader_agency_ids(user))


def access_target(user, pk) -> Target:
    return _get(visible_targets(user).select_related("agency", "field"), pk)


def visible_plans(user) -> QuerySet[Plan]:
    return Plan.objects.filter(agency_id__in=reader_agency_ids(user))


def access_plan(user, pk) -> Plan:
    return _get(visible_plans(user).select_related("agency", "field", "created_by"), pk)


def access_drawn(user, pk) -> Drawn:
    return _get(Drawn.objects.filter(plan__agency_id__in=reader_agency_ids(user)), pk)


def access_result(user, pk):
    from .models import Result

    return _get(Result.objects.filter(drawn__plan__agency_id__in=reader_agency_ids(user)), pk)


def draw_policy(agency) -> DrawPolicy:
    """The agency's 抽查细则, or the platform's defaults (unsaved) where it has set none."""
    from . import rules

    return DrawPolicy.objects.filter(agency=agency).first() or DrawPolicy(
        agency=agency, minimum_rate=rules.DEFAULT_MINIMUM_RATE, inspectors=rules.MINIMUM_INSPECTORS
    )


def officer_pool(agency, field, on: dt.date) -> set[str]:
    """执法检查人员名录库 of a draw: the numbers of certificates in force on ``on`` for ``field`` held by the agency's
    active officers (one certificate per person: the one that ends last)."""
    from zhifa.org.models import Certificate

    rows = (
        Certificate.objects.filter(
            person__is_active=True,
            person__roles__agency=agency,
            person__roles__role=Role.OFFICER,
            status=CertificateStatus.ACTIVE,
            valid_from__lte=on,
            valid_to__gte=on,
            fields=field,
        )
        .order_by("person_id", "-valid_to", "number")
        .values_list("person_id", "number")
        .distinct()
    )
    chosen: dict[int, str] = {}
    for person_id, number in rows:
        chosen.setdefault(person_id, number)
    return set(chosen.values())


def certificate_holders(numbers) -> dict:
    from zhifa.org.models import Certificate

    return {
        c.number: c.person
        for c in Certificate.objects.filter(number__in=list(numbers)).select_related("person")
    }


def inspector_pairs(drawn_rows) -> list[list[tuple[str, str]]]:
    """For each drawn target, its inspectors in the draw's order: (name, certificate number); one query for all."""
    holders = certificate_holders([c for d in drawn_rows for c in d.certificates])
    return [[(holders[c].full_name if c in holders else "", c) for c in d.certificates] for d in drawn_rows]


def connections(agency, credit_codes, certificates) -> list[tuple[str, str]]:
    """(credit code, certificate number) where the certificate's holder declared a connection (利害关系, 回避) with the
    agency's party of that credit code."""
    from zhifa.cases.models import PartyConnection
    from zhifa.org.models import Certificate

    holder = dict(
        Certificate.objects.filter(number__in=list(certificates)).values_list("person_id", "number")
    )
    return [
        (code, holder[person_id])
        for code, person_id in PartyConnection.objects.filter(
            party__agency=agency, party__id_number__in=list(credit_codes), person_id__in=list(holder)
        ).values_list("party__id_number", "person_id")
    ]


def tasks_for(user, limit: int = 20) -> list[dict]:
    """工作台: the targets drawn for the user to inspect, in plans whose period has not ended (one query, for officers)."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    if not org_queries.agency_ids_with(
        user, {Role.OFFICER}
    ):  # only officers are drawn (no query for the rest)
        return []
    rows = (
        Drawn.objects.filter(inspectors=user, plan__period_end__gte=timezone.localdate(), result__isnull=True)
        .select_related("plan", "target")
        .order_by("plan__period_end", "plan_id", "position")[:limit]
    )
    return [
        {
            "label": _("双随机检查：%(target)s（%(plan)s，%(end)s 前）")
            % {"target": d.target.name, "plan": d.plan.title, "end": f"{d.plan.period_end:%Y-%m-%d}"},
            "url": reverse("inspections:drawn", args=[d.pk]),
        }
        for d in rows
    ]


def search_targets(qs: QuerySet[Target], text: str) -> QuerySet[Target]:
    text = (text or "").strip()
    if not text:
        return qs
    return qs.filter(Q(name__icontains=text) | Q(credit_code__iexact=text.upper()) | Q(licence__iexact=text))
