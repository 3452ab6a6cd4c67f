"""Reads of reviews and discussions, scoped like cases (the case's readers read its reviews)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.cases import queries as case_queries
from zhifa.cases.models import Case
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Person

from . import rules
from .choices import AppliesTo, SubmissionState
from .models import Criterion, Discussion, ReviewPolicy, Submission


def visible_submissions(user) -> QuerySet[Submission]:
    return Submission.objects.filter(case__agency_id__in=case_queries.readable_agency_ids(user)).select_related(
        "case", "case__party", "submitted_by"
    )


def access_submission(user, pk) -> Submission:
    try:
        return visible_submissions(user).get(pk=pk)
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_discussion(user, pk) -> Discussion:
    try:
        return Discussion.objects.filter(case__agency_id__in=case_queries.readable_agency_ids(user)).get(pk=pk)
    except (Discussion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def queue(user) -> QuerySet[Submission]:
    """The reviewer's pending reviews, by due date."""
    return (
        visible_submissions(user)
        .filter(state=SubmissionState.PENDING, assignments__reviewer=user)
        .exclude(opinions__reviewer=user)
        .order_by("due_on", "submitted_at")
    )


def unassigned(user) -> QuerySet[Submission]:
    """Pending submissions nobody reviews yet, for those who assign them."""
    agencies = org_queries.agency_ids_with(user, {Role.AGENCY_HEAD, Role.UNIT_HEAD, Role.LEGAL_REVIEWER})
    return (
        Submission.objects.filter(case__agency_id__in=agencies, state=SubmissionState.PENDING, assignments=None)
        .select_related("case")
        .order_by("due_on")
    )


def overdue(user, today) -> QuerySet[Submission]:
    """Reviews past their time limit: shown to heads and supervisors."""
    agencies = org_queries.agency_ids_with(user, {Role.AGENCY_HEAD, Role.SUPERVISOR})
    return Submission.objects.filter(
        case__agency_id__in=agencies, state=SubmissionState.PENDING, due_on__lt=today
    ).select_related("case")


def agency_rules(agency, applies_to: str = AppliesTo.REVIEW) -> list[rules.Rule]:
    return [
        rules.Rule(c.kind, c.label, c.value, c.threshold_person, c.threshold_organisation)
        for c in Criterion.objects.filter(agency=agency, applies_to=applies_to, active=True)
    ]


def case_facts(case: Case) -> rules.CaseFacts:
    from zhifa.cases.rules import counts_as_citizen

    return rules.CaseFacts(
        general_procedure=case.procedure == "general", outcome=case.outcome, kinds=tuple(case.penalty_kinds),
        fine=case.fine_amount, confiscation=case.confiscation_amount, citizen=counts_as_citizen(case.party.kind),
        hearing_held=case.records.filter(kind="hearing").exists(), complex_case=case.complex_case,
        public_interest=case.public_interest, items=tuple(case.items or ()),
    )


def review_reasons(case: Case) -> list[str]:
    return rules.requires_legal_review(case_facts(case), agency_rules(case.agency))


def discussion_reasons(case: Case) -> list[str]:
    return rules.requires_collective_discussion(case_facts(case), agency_rules(case.agency, AppliesTo.COLLECTIVE))


def policy(agency) -> ReviewPolicy:
    return ReviewPolicy.objects.filter(agency=agency).first() or ReviewPolicy(agency=agency)


def staffing(agency) -> dict:
    """Reviewers against enforcement officers (the plan's 5 % rule, a ratio the agency sets)."""
    people = Person.objects.filter(is_active=True, roles__agency=agency)
    reviewers = people.filter(roles__role=Role.LEGAL_REVIEWER).distinct().count()
    officers = people.filter(roles__role=Role.OFFICER).distinct().count()
    ratio = policy(agency).reviewer_ratio
    return {"reviewers": reviewers, "officers": officers, "ratio": ratio,
            "shortfall": rules.staffing_shortfall(reviewers, officers, ratio)}


def first_time(person) -> bool:
    from .models import Opinion

    return not Opinion.objects.filter(reviewer=person).exists()


def latest_submission(case) -> Submission | None:
    return case.submissions.order_by("-round").first()


def passing_submission(case, digest: str) -> Submission | None:
    return case.submissions.filter(
        Q(state=SubmissionState.APPROVED) | Q(state=SubmissionState.ACCEPTED_BY_COORDINATION), digest=digest
    ).order_by("-round").first()
