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


# Agency data (hearing thresholds, extension rule, review and records settings): read by who reads the agency's
# cases and by its system administrator, who alone changes it.
SETTINGS_READER_ROLES = CASE_READER_ROLES | {Role.SYSTEM_ADMIN}


def settings_agency_ids(user) -> set[int]:
    """The agencies whose settings ``user`` may read."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return org_queries.agency_ids_with(user, SETTINGS_READER_ROLES)


def settings_agency(user, pk):
    """The agency ``pk`` if ``user`` may read its settings, else Http404 (another agency's is not disclosed)."""
    from django.http import Http404

    from zhifa.org.models import Agency

    if not str(pk).isdigit() or int(pk) not in settings_agency_ids(user):
        raise Http404
    return Agency.objects.get(pk=int(pk))


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


def _ready(case, step: str, today, *, documents: bool = True) -> bool:
    """Whether ``step`` can be taken now, beyond role and state: the decision has no blocker left, closing has
    its report and the execution done. Steps not listed are ready when the state allows them."""
    from . import access, actions

    if step == "decide":
        return not actions.decision_blockers(case, today)
    if step == "close_case":
        if documents and access.missing_documents(case, "close_case"):
            return False
        return not actions.closing_blockers(case, today)
    if step == "extend":
        return bool(case.extension_request)
    if step in access.SIMPLE_ONLY:
        from .actions.simple import step_open

        return step_open(case, step)
    return True


def tasks_for(user, limit: int = 30) -> list[dict]:
    """The case steps waiting on ``user`` — exactly those the lifecycle table gives to a capacity they hold on
    the case (handling officer, unit head, agency head, hearing chair) and that can be taken now; for the
    handling officers also the documents a next step of someone else still needs (the 结案报告 the head
    approves)."""
    from django.db.models import Q
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from . import access, lifecycle
    from .choices import Procedure, State

    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    held = org_queries.roles_by_agency(user)
    head_of = [a for a, roles in held.items() if Role.AGENCY_HEAD in roles]
    unit_head_of = [a for a, roles in held.items() if Role.UNIT_HEAD in roles]
    head_states = {
        state
        for state, steps in lifecycle.NEXT_STEP.items()
        if any(lifecycle.HEAD in lifecycle.STEPS[s].who for s in steps)
    }
    unit_states = {
        state
        for state, steps in lifecycle.NEXT_STEP.items()
        if any(lifecycle.UNIT_HEAD in lifecycle.STEPS[s].who for s in steps if s not in access.SIMPLE_ONLY)
    }
    # 备案 of on-the-spot decisions (simple procedure only): the unfiled simple cases, not every served case
    unit_simple_states = {
        state
        for state, steps in lifecycle.NEXT_STEP.items()
        if any(lifecycle.UNIT_HEAD in lifecycle.STEPS[s].who for s in steps if s in access.SIMPLE_ONLY)
    }
    where = Q(officer_links__person=user) & ~Q(state__in=lifecycle.ENDED)
    where |= Q(hearing_chair=user, state=State.HEARING_SCHEDULED)
    where |= Q(agency_id__in=head_of, state__in=head_states)
    where |= Q(agency_id__in=head_of, extension_request__isnull=False)
    where |= Q(agency_id__in=unit_head_of, state__in=unit_states)
    where |= Q(
        agency_id__in=unit_head_of,
        state__in=unit_simple_states,
        procedure=Procedure.SIMPLE,
        simple_filing__isnull=True,
    )
    cases = (
        Case.objects.filter(where)
        .distinct()
        .select_related("agency", "party")
        .prefetch_related("officer_links")
        .order_by("accepted_on", "id")[: limit * 3]
    )
    tasks = []
    for case in cases:
        case._officer_ids = {link.person_id for link in case.officer_links.all()}
        capacities = access.capacities(user, case)
        steps = [s for s in access.waiting_on(user, case, held=capacities) if _ready(case, s, today)]
        if (
            lifecycle.HEAD in capacities
            and case.extension_request
            and lifecycle.allowed(case.state, "extend")
            and "extend" not in steps
        ):
            steps.append("extend")
        labels = [lifecycle.label(s) for s in steps]
        if lifecycle.HANDLER in capacities:
            for step in lifecycle.NEXT_STEP.get(case.state, ()):
                if lifecycle.HANDLER in lifecycle.STEPS[step].who:
                    continue
                if not _ready(case, step, today, documents=False):
                    continue
                for kind in access.missing_documents(case, step):
                    labels.append(_("制作%(doc)s") % {"doc": access.document_label(kind)})
        if labels:
            tasks.append(
                {
                    "label": f"{case.reference} {case.cause}：" + "、".join(dict.fromkeys(labels)),
                    "url": reverse("cases:detail", args=[case.pk]),
                }
            )
        if len(tasks) >= limit:
            break
    from .actions.simple import overdue_tasks  # 备案 and hand-ins past due, for the heads and unit heads

    return tasks + overdue_tasks(user, today)


def record_access(user, obj, reason) -> None:
    """Record that ``user`` read ``obj`` (the ledger's access entry)."""
    from zhifa.ledger import actions as ledger_actions

    ledger_actions.record_access(user, obj, reason)


def penalty_text(case) -> str:
    """The draft penalty in words (处罚种类 and amounts)."""
    from . import actions, rules
    from .choices import PenaltyKind

    return rules.penalty_text(actions.draft_penalty(case), dict(PenaltyKind.choices))
