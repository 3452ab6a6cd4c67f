"""A case's statutory deadlines, kept as workdays Deadline records (the one place periods are computed).

The kinds are the workdays deadline kinds seeded from law-facts.md: ``decision`` (90 days from 立案, art. 60),
``statement_defence`` (agency-set, default 3 working days), ``hearing_request`` (5 working days, art. 64),
``service`` (7 working days, art. 61), ``payment`` (15 days, art. 67), ``preserved_evidence`` (7 working days,
art. 56), ``seizure`` (30 days, 行政强制法 art. 25).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from zhifa.workdays import actions as wd_actions
from zhifa.workdays import queries as wd_queries
from zhifa.workdays.models import Deadline

DECISION = "decision"
STATEMENT = "statement_defence"
HEARING_REQUEST = "hearing_request"
SERVICE = "service"
PAYMENT = "payment"
PRESERVED = "preserved_evidence"
SEIZURE = "seizure"
HEARING_NOTICE = "hearing_notice"


def due_on(agency, code: str, start: dt.date) -> dt.date:
    """The due date of ``code`` started on ``start`` for ``agency`` (its own setting where it may set one)."""
    return wd_queries.compute_due(wd_queries.kind_by_code(code), start, agency).date


def length(agency, code: str) -> int:
    """The period of ``code`` for ``agency``, in the kind's unit."""
    return wd_queries.period_for(wd_queries.kind_by_code(code), agency).length


def open_(actor, case, code: str, start: dt.date, target=None) -> Deadline:
    lead = case.officer_links.filter(lead=True).select_related("person").first()
    return wd_actions.open_deadline(
        actor,
        agency=case.agency,
        kind=code,
        target=target or case,
        start=start,
        label=case.reference,
        responsible=lead.person if lead else None,
    )


def current(target, code: str) -> Deadline | None:
    """The newest deadline of ``code`` on ``target`` (asked once per page: the case page's due date and its
    time-limits panel share it; actions always read it afresh)."""
    from zhifa.core import memo

    return memo.once(
        ("deadline", target._meta.label, target.pk, code),
        lambda: (
            Deadline.objects.filter(
                content_type=ContentType.objects.get_for_model(target), object_id=target.pk, kind__code=code
            )
            .order_by("-id")
            .first()
        ),
    )


def meet(actor, target, code: str, on: dt.date) -> None:
    deadline = current(target, code)
    if deadline is not None and deadline.met_on is None and deadline.ended_on is None:
        wd_actions.meet_deadline(actor, deadline, on=on, by_owner=True)


def _of_case_qs(case):
    """Every deadline of the case: its own, its records' (preservation, seizure) and its review rounds'."""
    from django.apps import apps

    from .models import CaseRecord

    qs = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(case), object_id=case.pk
    ) | Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(CaseRecord),
        object_id__in=list(case.records.values_list("pk", flat=True)),
    )
    if apps.is_installed("zhifa.review"):
        from zhifa.review.models import Submission

        qs = qs | Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Submission),
            object_id__in=list(Submission.objects.filter(case=case).values_list("pk", flat=True)),
        )
    return qs


def end_running(actor, case, on: dt.date, reason: str) -> list[Deadline]:
    """The case ended (撤销立案、终止、不予立案、结案、归档): every deadline of it still running stops, with the
    reason, so none shows as 进行中 or 已超期 again. Call inside the case action's transaction."""
    running = _of_case_qs(case).filter(met_on__isnull=True, ended_on__isnull=True).order_by("id")
    return [wd_actions.end_deadline(actor, d, on=on, reason=reason) for d in running]


def decision_due(case) -> dt.date | None:
    deadline = current(case, DECISION)
    return deadline.due if deadline else None


def decision_dues(cases) -> dict[int, Deadline]:
    """{case id: its decision deadline} for a page of cases, in one query."""
    from .models import Case

    ids = [c.pk for c in cases]
    found = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id__in=ids, kind__code=DECISION
    ).order_by("id")
    return {d.object_id: d for d in found}


def of_case(case) -> list[dict]:
    """The case's deadlines (and its records' — preservation, seizure) with their state, soonest first."""
    from .models import CaseRecord

    ct_case = ContentType.objects.get_for_model(case)
    ct_record = ContentType.objects.get_for_model(CaseRecord)
    from .queries import record_ids as ids_of_records

    record_ids = ids_of_records(case)
    qs = Deadline.objects.filter(content_type=ct_case, object_id=case.pk) | Deadline.objects.filter(
        content_type=ct_record, object_id__in=record_ids
    )
    return wd_queries.with_state(qs.select_related("kind").order_by("met_on", "ended_on", "due", "id"))
