"""Reads of cases, always scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhifa.core import keyset, memo
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


def filter_cases(
    cases: QuerySet[Case],
    user,
    *,
    q="",
    state="",
    mine="",
    officer="",
    officer_name="",
    item="",
    due="",
    kind="",
    **_ignored,
):
    """The list's filters, each in the database: text in the reference, cause or party name; state; the user's own
    cases or one officer's; the act kind (行政处罚, 行政强制措施); an item code of the 执法事项清单; the decision deadline overdue or due within 15 days."""

    from django.db import connection
    from django.db.models import Exists, OuterRef, Q

    from . import lifecycle
    from .choices import ActKind, State
    from .models import CaseOfficer

    if q:
        cases = cases.filter(Q(reference__contains=q) | Q(cause__contains=q) | Q(party__name__contains=q))
    if state in State.values:
        cases = cases.filter(state=state)
    if kind in ActKind.values:  # from the index on (act_kind, agency, accepted_on)
        cases = cases.filter(act_kind=kind)
    for person in ([user.pk] if mine else []) + ([int(officer)] if str(officer).isdigit() else []):
        cases = cases.filter(Exists(CaseOfficer.objects.filter(case=OuterRef("pk"), person_id=person)))
    if officer_name:
        cases = cases.filter(
            Exists(CaseOfficer.objects.filter(case=OuterRef("pk"), person__full_name=officer_name))
        )
    if item:
        if connection.vendor == "postgresql":  # jsonb containment, from the GIN index on items
            cases = cases.filter(items__contains=[item])
        else:
            cases = cases.filter(items__icontains=f'"{item}"')
    if due in DUE_FILTERS:
        cases = cases.filter(
            Exists(_due_deadlines(due).filter(agency_id=OuterRef("agency_id"), object_id=OuterRef("pk")))
        )
        cases = cases.filter(state__in=lifecycle.BEFORE_DECISION)
    return cases


# The list's deadline filters: the decision deadline (art. 60) already passed, or due within 15 days.
DUE_FILTERS = ("overdue", "soon")
DUE_SOON_DAYS = 15


def _due_deadlines(due: str):
    """The open decision deadlines of cases that ``due`` selects (any agency)."""
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from zhifa.workdays.models import Deadline

    from . import deadlines

    today = timezone.localdate()
    limit = today if due == "overdue" else today + dt.timedelta(days=DUE_SOON_DAYS)
    from zhifa.workdays.models import DeadlineKind

    # the kind's id, not a join on its code: the database then reads that kind's open deadlines in due order from
    # their index, instead of sorting all of them
    kind = memo.once(
        ("cases.decision_kind",),
        lambda: DeadlineKind.objects.values_list("pk", flat=True).get(code=deadlines.DECISION),
    )
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        kind_id=kind,
        met_on__isnull=True,
        ended_on__isnull=True,
        due__lt=limit,
    )


def due_page(
    cases: QuerySet[Case], agency_ids, due: str, *, after: str = "", before: str = "", size: int = 50
):
    """A page of the cases of ``cases`` whose decision deadline ``due`` selects, the earliest due first, read from
    the deadlines' side: the open deadlines of the readable agencies in due order (an index on open deadlines by
    due date), each kept if its case passes the list's other filters. Overdue cases are not rare (a tenth of a
    province's open cases), but they are the oldest open ones: from the cases' side, newest first, the database
    first walked every case of the last three months (735 ms for a supervisor at a million cases). Cut by keyset
    on (due, deadline id); the page's rows are the cases, in the deadlines' order."""
    from django.db.models import Exists, OuterRef

    from . import lifecycle

    wanted = cases.filter(state__in=lifecycle.BEFORE_DECISION).order_by()
    deadlines = _due_deadlines(due).filter(agency_id__in=agency_ids).only("pk", "due", "object_id")
    page = None
    if not before:
        # Most open decision deadlines belong to cases the list shows: take the next 4 pages' worth of deadlines in
        # due order (no join) and keep those whose case passes the filters (one query). The database cannot know
        # that, and joined all the agency's open deadlines with its cases before sorting (66 ms at the largest).
        ahead = keyset_page(deadlines, "due", descending=False, after=after, size=size * 4)
        shown = set(wanted.filter(pk__in=[d.object_id for d in ahead]).values_list("pk", flat=True))
        kept = [d for d in ahead if d.object_id in shown]
        if len(kept) > size or not ahead.has_next:
            page = keyset.KeysetPage(
                kept[:size],
                has_next=len(kept) > size,
                has_previous=not ahead.first,
                key=keyset.by_id("due"),
                first=ahead.first,
            )
    if page is None:  # selective filters (few of the deadlines are shown): let the database join
        found = deadlines.filter(Exists(wanted.filter(pk=OuterRef("object_id"))))
        page = keyset_page(found, "due", descending=False, after=after, before=before, size=size)
    ids = list(dict.fromkeys(d.object_id for d in page.object_list))
    rows = {case.pk: case for case in cases.filter(pk__in=ids).order_by()}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


# Past this many officers (a supervisor over a whole city) the officer filter is a name to type, not a list.
OFFICER_CHOICES_MAX = 300


def case_officers(agency_ids) -> list | None:
    """The officers of ``agency_ids`` for the list's officer filter, or None when there are too many to list."""
    from zhifa.org.models import Person

    officers = list(
        Person.objects.filter(roles__agency_id__in=agency_ids, roles__role=Role.OFFICER)
        .distinct()
        .order_by("id")
        .only("id", "full_name")[: OFFICER_CHOICES_MAX + 1]
    )
    return officers if len(officers) <= OFFICER_CHOICES_MAX else None


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
    from . import access

    return set(access.officer_ids(case))  # read once per case object


def case_records(case) -> list:
    """The case's records in their order (started, id), each with its many-to-many values prefetched: read once
    per page (``memo``) by everything on the case page that looks at records — the list, the review digest, which
    documents can be generated, the AV check, the deadlines — and read afresh each time outside a page."""

    def compute():
        from .models import CaseRecord

        many = [field.name for field in CaseRecord._meta.many_to_many]
        return list(case.records.order_by("started_at", "id").prefetch_related(*many))

    return memo.once(("cases.case_records", case.pk), compute)


def officer_links(case) -> list:
    """The case's officers (``CaseOfficer`` with the person, each one's certificates and their fields), the lead
    first: read once per page by the officer list, the review digest and the capacities."""

    def compute():
        from .models import CaseOfficer

        return list(
            CaseOfficer.objects.filter(case=case)
            .select_related("person")
            .prefetch_related("person__certificates__fields")
            .order_by("-lead", "person_id")
        )

    return memo.once(("cases.officer_links", case.pk), compute)


def record_kinds(case) -> set[str]:
    """The kinds of record the case has: from the page's :func:`case_records`, or (in an action, outside a page)
    one narrow query instead of reading every record with its many-to-many values."""
    if memo.in_page():
        return {record.kind for record in case_records(case)}
    return set(case.records.order_by().values_list("kind", flat=True).distinct())


def record_ids(case) -> list[int]:
    """The ids of the case's records (from the page's :func:`case_records`, or one narrow query)."""
    if memo.in_page():
        return [record.pk for record in case_records(case)]
    return list(case.records.values_list("pk", flat=True))


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

    def states_waiting_on(capacity, simple_only=None):
        """The states (of every act kind) whose next steps the law gives to ``capacity``."""
        return {
            state
            for t in lifecycle.TABLES.values()
            for state, steps in t.next_step.items()
            if any(
                capacity in t.steps[s].who
                for s in steps
                if simple_only is None or (s in access.SIMPLE_ONLY) == simple_only
            )
        }

    head_states = states_waiting_on(lifecycle.HEAD)
    unit_states = states_waiting_on(lifecycle.UNIT_HEAD, simple_only=False)
    # 备案 of on-the-spot decisions (simple procedure only): the unfiled simple cases, not every served case
    unit_simple_states = states_waiting_on(lifecycle.UNIT_HEAD, simple_only=True)
    from .models import CaseOfficer

    # Each way a case waits on the user is a query of its own, served from its own index (the officer's links, the
    # hearing chair, the agency's states); their oldest ``limit * 3`` ids are merged here. One OR over all of them
    # made the database scan and de-duplicate every case of the agency (434 ms at 100,000 cases).
    branches = [
        Q(pk__in=CaseOfficer.objects.filter(person=user).values("case_id"))
        & ~Q(state__in=lifecycle.ALL_ENDED),
        Q(hearing_chair=user, state=State.HEARING_SCHEDULED),
    ]
    if head_of:
        branches += [
            Q(agency_id__in=head_of, state__in=head_states),
            Q(agency_id__in=head_of, extension_request__isnull=False),
        ]
    if unit_head_of:
        branches += [
            Q(agency_id__in=unit_head_of, state__in=unit_states),
            Q(
                agency_id__in=unit_head_of,
                state__in=unit_simple_states,
                procedure=Procedure.SIMPLE,
                simple_filing__isnull=True,
            ),
        ]
    keys = set()
    for where in branches:
        keys.update(
            Case.objects.filter(where)
            .order_by("accepted_on", "id")
            .values_list("accepted_on", "id")[: limit * 3]
        )
    ids = [pk for _on, pk in sorted(keys)[: limit * 3]]
    found = {
        case.pk: case
        for case in Case.objects.filter(pk__in=ids)
        .select_related("agency", "party")
        .prefetch_related("officer_links")
    }
    cases = [found[pk] for pk in ids if pk in found]
    tasks = []
    for case in cases:
        case._officer_ids = {link.person_id for link in case.officer_links.all()}
        capacities = access.capacities(user, case)
        steps = [s for s in access.waiting_on(user, case, held=capacities) if _ready(case, s, today)]
        if (
            lifecycle.HEAD in capacities
            and case.extension_request
            and lifecycle.allowed(case.state, "extend", case.act_kind)
            and "extend" not in steps
        ):
            steps.append("extend")
        labels = [lifecycle.label(s) for s in steps]
        if lifecycle.HANDLER in capacities:
            for step in lifecycle.next_of(case):
                if lifecycle.HANDLER in lifecycle.step(case, step).who:
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


# Keyset pagination (zhifa.core.keyset): the case lists are ordered by (a date, id).


def keyset_page(
    qs, key: str, *, descending: bool, after: str = "", before: str = "", size: int = 50, parse=None
):
    """The page of ``qs`` ordered by (``key``, id), both descending or both ascending (``zhifa.core.keyset.page``);
    ``parse`` turns a cursor's value back into the key's type (default: a date)."""
    return keyset.page(
        qs,
        keyset.by_id(key, parse or keyset.DATE),
        descending=descending,
        after=after,
        before=before,
        size=size,
    )
