"""Reads of reviews and discussions, scoped like cases (the case's readers read its reviews)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from zhifa.cases import queries as case_queries
from zhifa.cases.models import Case
from zhifa.core import memo
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Person

from . import rules
from .choices import AppliesTo, SubmissionState
from .models import Criterion, Discussion, ReviewPolicy, Submission


def visible_submissions(user) -> QuerySet[Submission]:
    return Submission.objects.filter(
        case__agency_id__in=case_queries.readable_agency_ids(user)
    ).select_related("case", "case__party", "submitted_by")


def access_submission(user, pk) -> Submission:
    try:
        return visible_submissions(user).get(pk=pk)
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_discussion(user, pk) -> Discussion:
    try:
        return Discussion.objects.filter(case__agency_id__in=case_queries.readable_agency_ids(user)).get(
            pk=pk
        )
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
        Submission.objects.filter(
            case__agency_id__in=agencies, state=SubmissionState.PENDING, assignments=None
        )
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
    """The agency's criteria of one kind (review or collective discussion); both kinds read in one query, once
    per page."""
    every = memo.once(
        ("review.agency_rules", agency.pk),
        lambda: [
            (c.applies_to, rules.Rule(c.kind, c.label, c.value, c.threshold_person, c.threshold_organisation))
            for c in Criterion.objects.filter(agency=agency, active=True).order_by("pk")
        ],
    )
    return [rule for kind, rule in every if kind == applies_to]


def case_facts(case: Case) -> rules.CaseFacts:
    from zhifa.cases.rules import counts_as_citizen

    return rules.CaseFacts(
        general_procedure=case.procedure == "general",
        outcome=case.outcome,
        kinds=tuple(case.penalty_kinds),
        fine=case.fine_amount,
        confiscation=case.confiscation_amount,
        citizen=counts_as_citizen(case.party.kind),
        hearing_held="hearing" in case_queries.record_kinds(case),
        complex_case=case.complex_case,
        public_interest=case.public_interest,
        items=tuple(case.items or ()),
        field=case.field.code if case.field_id else "",
        level=case.agency.level,
    )


def review_reasons(case: Case) -> list[str]:
    """Why the case's decision must pass legal review (empty when it need not); computed once per page."""
    return list(
        memo.once(
            ("review.review_reasons", case.pk),
            lambda: rules.requires_legal_review(_facts(case), agency_rules(case.agency)),
        )
    )


def discussion_reasons(case: Case) -> list[str]:
    """Why the heads must decide the case collectively (empty when they need not); computed once per page."""
    return list(
        memo.once(
            ("review.discussion_reasons", case.pk),
            lambda: rules.requires_collective_discussion(
                _facts(case), agency_rules(case.agency, AppliesTo.COLLECTIVE)
            ),
        )
    )


def _facts(case: Case) -> rules.CaseFacts:
    return memo.once(("review.case_facts", case.pk), lambda: case_facts(case))


def materials(case) -> list[dict]:
    """The 送审材料 checklist computed from the case file: each item with whether it is required, whether it is
    there, and the things that make it up (documents, records, evidence), for the submitter and the reviewer."""
    from django.apps import apps

    from zhifa.cases.choices import RecordKind

    from . import digest as digest_mod

    hearing = case.records.filter(kind=RecordKind.HEARING).exists()
    records = list(
        case.records.filter(
            kind__in=[k for k in digest_mod.RECORD_KINDS if k != RecordKind.HEARING]
        ).order_by("started_at", "id")
    )
    draft, evidence, hearing_docs = None, [], {}
    if apps.is_installed("zhifa.records"):
        from zhifa.records import decision_draft
        from zhifa.records.models import Document, Evidence

        draft = decision_draft.current_draft(case)
        evidence = list(Evidence.objects.filter(case=case).order_by("collected_at", "id"))
        for kind in ("hearing_record", "hearing_report"):
            hearing_docs[kind] = (
                Document.objects.filter(case=case, kind=kind, state="final").order_by("-id").first()
            )
    present = {
        "explanation": True,  # written with the submission (refused there when blank)
        "draft": draft is not None,
        "records": bool(records),
        "evidence": bool(records or evidence),
        "hearing_record": hearing_docs.get("hearing_record") is not None,
        "hearing_report": hearing_docs.get("hearing_report") is not None,
    }
    parts = {
        "draft": [draft] if draft else [],
        "records": records,
        "evidence": evidence,
        "hearing_record": [d for d in [hearing_docs.get("hearing_record")] if d],
        "hearing_report": [d for d in [hearing_docs.get("hearing_report")] if d],
    }
    required = {
        "explanation": True,
        "draft": bool(case.outcome) and _needs_draft(case),
        "records": True,
        "evidence": True,
        "hearing_record": hearing,
        "hearing_report": hearing,
    }
    return [
        {
            "code": code,
            "label": gettext_lazy(label),
            "required": required[code],
            "present": present[code],
            "items": parts.get(code, []),
        }
        for code, label in rules.MATERIALS
        if required[code] or present[code]
    ]


def _needs_draft(case) -> bool:
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return False
    from zhifa.records import decision_draft

    return decision_draft.kind_for(case) is not None


def policy(agency) -> ReviewPolicy:
    return ReviewPolicy.objects.filter(agency=agency).first() or ReviewPolicy(agency=agency)


def staffing(agency) -> dict:
    """Reviewers against enforcement officers (the plan's 5 % rule, a ratio the agency sets)."""
    return staffing_of([agency.pk])[agency.pk]


def staffing_of(agency_ids) -> dict[int, dict]:
    """:func:`staffing` of each agency of ``agency_ids``, in two queries however many (a supervisor's 工作台 over a
    hundred agencies asked three per agency)."""
    from django.db.models import Count

    from zhifa.org.models import RoleAssignment

    counts = {
        (row["agency_id"], row["role"]): row["n"]
        for row in RoleAssignment.objects.filter(
            agency_id__in=agency_ids, role__in=[Role.LEGAL_REVIEWER, Role.OFFICER], person__is_active=True
        )
        .values("agency_id", "role")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    }
    policies = {p.agency_id: p for p in ReviewPolicy.objects.filter(agency_id__in=agency_ids)}
    out = {}
    for pk in agency_ids:
        reviewers, officers = counts.get((pk, Role.LEGAL_REVIEWER), 0), counts.get((pk, Role.OFFICER), 0)
        ratio = (policies.get(pk) or ReviewPolicy(agency_id=pk)).reviewer_ratio
        out[pk] = {
            "reviewers": reviewers,
            "officers": officers,
            "ratio": ratio,
            "shortfall": rules.staffing_shortfall(reviewers, officers, ratio),
        }
    return out


def first_time(person) -> bool:
    from .models import Opinion

    return not Opinion.objects.filter(reviewer=person).exists()


def latest_submission(case) -> Submission | None:
    return case.submissions.order_by("-round").first()


def passing_submission(case, digest: str) -> Submission | None:
    """The round that passed review for exactly this digest: approved by the reviewers, or — where the unit
    disagreed and the head referred the disagreement to the heads (``actions.coordinate``) — resolved by a
    collective discussion that agreed on this same digest (行政处罚法 art. 57). No single person passes a review."""
    approved = (
        case.submissions.filter(state=SubmissionState.APPROVED, digest=digest).order_by("-round").first()
    )
    if approved is not None:
        return approved
    from .choices import CoordinationOutcome, DiscussionOutcome, DiscussionState

    resolved = (
        Discussion.objects.filter(
            case=case,
            state=DiscussionState.CONCLUDED,
            outcome=DiscussionOutcome.AGREE,
            digest=digest,
            resolves__digest=digest,
            resolves__state=SubmissionState.PROBLEMS,
            resolves__coordination__outcome=CoordinationOutcome.REFER_DISCUSSION,
        )
        .select_related("resolves")
        .order_by("-id")
        .first()
    )
    return resolved.resolves if resolved is not None else None


def referred_submission(case) -> Submission | None:
    """The latest round whose disagreement the head referred to collective discussion, if it is the latest."""
    from .choices import CoordinationOutcome

    latest = latest_submission(case)
    if (
        latest is not None
        and latest.state == SubmissionState.PROBLEMS
        and getattr(latest, "coordination", None) is not None
        and latest.coordination.outcome == CoordinationOutcome.REFER_DISCUSSION
    ):
        return latest
    return None


_CHANGE_WORDS = {
    "added": gettext_lazy("新增"),
    "removed": gettext_lazy("删除"),
    "changed": gettext_lazy("修改"),
}


def describe_changes(case, submission: Submission) -> list[str]:
    """What changed since ``submission`` was reviewed, in words: the draft decision, an officer, a record, a
    document or an evidence item (review.digest.changes)."""
    from django.utils.translation import gettext as _

    from zhifa.cases.choices import RecordKind
    from zhifa.cases.models import CaseRecord

    from . import digest as digest_mod

    _current, items = digest_mod.case_digest(case)
    out = []
    for change in digest_mod.changes(submission.digest_items, items):
        kind, _sep, pk = change["key"].partition(":")
        word = str(_CHANGE_WORDS[change["change"]])
        if kind == "draft":
            what = _("处理意见（处理结果、处罚种类和金额、事实、证据、依据、裁量、重大公共利益及其说明）")
        elif kind == "officer":
            person = Person.objects.filter(pk=pk).first()
            what = _("承办人员或其执法证：%(name)s") % {"name": person.full_name if person else pk}
        elif kind == "record":
            record = CaseRecord.objects.filter(pk=pk).first()
            what = _("调查记录：%(kind)s") % {"kind": RecordKind(record.kind).label if record else pk}
        elif kind == "document":
            from zhifa.records.models import Document

            doc = Document.objects.filter(pk=pk).first()
            what = _("文书：%(kind)s") % {"kind": doc.get_kind_display() if doc else pk}
        elif kind == "evidence":
            from zhifa.records.models import Evidence

            ev = Evidence.objects.filter(pk=pk).first()
            what = _("证据：%(what)s") % {"what": (ev.description or ev.original_name) if ev else pk}
        else:
            what = change["key"]
        out.append(f"{word}{what}")
    return out


RESPONSIBILITY_ACTIONS = {
    "review.submit": gettext_lazy("送审"),
    "review.assign": gettext_lazy("指派审核"),
    "review.give_opinion": gettext_lazy("审核并签署意见"),
    "review.coordinate": gettext_lazy("协调决定"),
    "review.conclude_discussion": gettext_lazy("主持集体讨论"),
    "cases.decide": gettext_lazy("作出决定（签发）"),
    "records.sign_document": gettext_lazy("签名"),
}


def responsibility(case) -> list[dict]:
    """Who submitted, who reviewed which round, who coordinated, who decided and signed — read from the ledger,
    so the record is the tamper-evident one."""
    from zhifa.ledger.models import Entry
    from zhifa.ledger.queries import present

    objects = [("cases.case", str(case.pk))]
    rounds = case.submissions.values_list(
        "pk", "opinions__pk", "coordination__pk"
    )  # one query for the rounds
    for submission, opinion, coordination in rounds:
        objects.append(("review.submission", str(submission)))
        if opinion is not None:
            objects.append(("review.opinion", str(opinion)))
        if coordination is not None:
            objects.append(("review.coordination", str(coordination)))
    objects = list(dict.fromkeys(objects))
    objects += [("review.discussion", str(pk)) for pk in case.discussions.values_list("pk", flat=True)]
    q = Q()
    for kind, object_id in objects:
        q |= Q(object_kind=kind, object_id=object_id)
    entries = Entry.objects.filter(q, action__in=RESPONSIBILITY_ACTIONS).order_by("at", "seq")
    return [
        {
            "what": RESPONSIBILITY_ACTIONS[v.entry.action],
            "action": v.entry.action,
            "person_id": v.entry.actor_id,
            "who": v.actor_name,
            "roles": v.actor_roles,
            "at": v.entry.at,
            "seq": v.entry.seq,
        }
        for v in present(entries)
    ]


def tasks_for(user) -> list[dict]:
    """Home-page tasks: reviews waiting on the user, reviews to assign, and the staffing warning."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    tasks = [
        {
            "label": _("待审核：%(ref)s 第%(n)s轮（期限 %(due)s）")
            % {"ref": s.case.reference, "n": s.round, "due": s.due_on},
            "url": reverse("review:submission", args=[s.pk]),
        }
        for s in queue(user)[:20]
    ]
    tasks += [
        {
            "label": _("待指派审核人员：%(ref)s") % {"ref": s.case.reference},
            "url": reverse("review:submission", args=[s.pk]),
        }
        for s in unassigned(user)[:20]
    ]
    tasks += [
        {
            "label": _("法制审核超期：%(ref)s（期限 %(due)s）") % {"ref": s.case.reference, "due": s.due_on},
            "url": reverse("review:submission", args=[s.pk]),
        }
        for s in overdue(user, timezone.localdate())[:20]
    ]
    from zhifa.org.models import Agency

    agencies = list(
        Agency.objects.filter(pk__in=org_queries.agency_ids_with(user, {Role.AGENCY_HEAD, Role.SUPERVISOR}))
    )
    staff = staffing_of([agency.pk for agency in agencies])
    for agency in agencies:
        st = staff[agency.pk]
        if st["shortfall"]:
            tasks.append(
                {
                    "label": _("%(agency)s法制审核人员%(r)s名，执法人员%(o)s名，低于规定比例，还需%(n)s名。")
                    % {
                        "agency": agency.name,
                        "r": st["reviewers"],
                        "o": st["officers"],
                        "n": st["shortfall"],
                    },
                    "url": reverse("review:home"),
                }
            )
    return tasks


def brief_part(case) -> dict:
    """What the head's decision page shows of legal review: whether it is required and why, the latest round
    with its result and 法制审核意见书 number, and the collective discussions with their conclusions."""
    latest = latest_submission(case)
    return {
        "review": {
            "reasons": review_reasons(case),
            "latest": latest,
            "state": latest.get_state_display() if latest else "",
            "number": latest.number if latest else "",
        },
        "discussions": [
            {"held_on": d.held_on, "state": d.get_state_display(), "conclusion": d.conclusion}
            for d in case.discussions.order_by("held_on", "id")
        ],
        "discussion_reasons": discussion_reasons(case),
    }
