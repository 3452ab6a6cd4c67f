"""Pages: the reviewer's queue, submitting, the review form beside the case file, rounds, coordination,
collective discussion, and the agency's review list."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhifa.cases import access as case_access
from zhifa.cases import queries as case_queries
from zhifa.core.forms import run_action
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role

from . import actions, digest, forms, gate, queries, rules
from .choices import SubmissionState, Vote
from .models import Criterion


@login_required
def home(request):
    user = request.user
    if not case_queries.readable_agency_ids(user) and not org_queries.has_role(user, Role.SYSTEM_ADMIN):
        raise PermissionDenied(_("您没有查看法制审核的权限。"))
    today = timezone.localdate()
    staffing = [
        {"agency": a, **queries.staffing(a)}
        for a in org_queries.visible_agencies(user).filter(
            pk__in=org_queries.agency_ids_with(user, {Role.AGENCY_HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER})
        )
    ]
    return render(
        request,
        "review/home.html",
        {
            "queue": queries.queue(user),
            "unassigned": queries.unassigned(user),
            "overdue": queries.overdue(user, today),
            "staffing": staffing,
            "today": today,
        },
    )


@login_required
def submit(request, case_pk):
    case = case_queries.access_case(request.user, case_pk)
    _require_step(request.user, case, "submit_review")
    previous = queries.latest_submission(case)
    problem_points = []
    if previous is not None and previous.state == SubmissionState.PROBLEMS:
        problem_points = [
            c
            for c in rules.POINT_CODES
            if any(o.points.get(c, {}).get("result") == "problem" for o in previous.opinions.all())
        ]
    form = forms.SubmitForm(request.POST or None, problem_points=problem_points)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, submission = run_action(
            form,
            lambda: actions.submit(
                request.user,
                case,
                explanation=d["explanation"],
                discretion_reason=d["discretion_reason"],
                qualifications=d["qualifications"],
                mode=d["mode"],
                responses=form.responses(),
            ),
        )
        if ok:
            messages.success(request, _("已提交法制审核。"))
            return redirect(submission)
    return render(
        request,
        "review/submit.html",
        {
            "form": form,
            "case": case,
            "reasons": queries.review_reasons(case),
            "previous": previous,
            "materials": (checklist := queries.materials(case)),
            # the form is offered once the package is complete (a missing item is named, never ticked)
            "missing": [str(m["label"]) for m in checklist if m["required"] and not m["present"]],
            "title": _("提交法制审核"),
        },
    )


@login_required
def submission_detail(request, pk):
    submission = queries.access_submission(request.user, pk)
    case = submission.case
    case_queries.record_access(request.user, submission, _("查看法制审核"))
    user = request.user
    held = org_queries.roles_by_agency(user).get(case.agency_id, set())
    assigned = submission.assignments.filter(reviewer=user).exists()
    current, _items = digest.case_digest(case)
    return render(
        request,
        "review/submission.html",
        {
            "s": submission,
            "case": case,
            "rounds": case.submissions.all(),
            "opinion_rows": [
                (o, [(label, o.points.get(code, {})) for code, label in rules.POINTS])
                for o in submission.opinions.select_related("reviewer")
            ],
            "assignments": submission.assignments.select_related("reviewer"),
            "records": case.records.all(),
            "penalty_text": case_queries.penalty_text(case),
            "materials": queries.materials(case),
            "officer_links": _officer_links(case),
            "stale": current != submission.digest and case.state in actions.SUBMITTABLE,
            "changes": queries.describe_changes(case, submission) if current != submission.digest else [],
            "can_assign": submission.state == SubmissionState.PENDING
            and not submission.assignments.exists()
            and (
                Role.AGENCY_HEAD in held
                or (
                    held & {Role.UNIT_HEAD, Role.LEGAL_REVIEWER}
                    and user.unit_id
                    and user.unit.is_legal_review_unit
                )
            ),
            "assign_form": forms.AssignForm(agency=case.agency),
            "can_review": assigned
            and submission.state == SubmissionState.PENDING
            and not submission.opinions.filter(reviewer=user).exists(),
            "opinion_form": forms.OpinionForm(),
            "can_escalate": submission.state == SubmissionState.PROBLEMS
            and not hasattr(submission, "coordination"),
            "can_coordinate": Role.AGENCY_HEAD in held
            and getattr(submission, "coordination", None) is not None
            and not submission.coordination.outcome,
            "reason_form": forms.ReasonForm(),
            "coordinate_form": forms.CoordinateForm(),
            "points": rules.POINTS,
        },
    )


def _post(request, submission, form, call, success):
    if form.is_valid():
        ok, _result = run_action(form, lambda: call(form))
        if ok:
            messages.success(request, success)
            return redirect(submission)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(submission)


@login_required
@require_POST
def assign(request, pk):
    s = queries.access_submission(request.user, pk)
    return _post(
        request,
        s,
        forms.AssignForm(request.POST, agency=s.case.agency),
        lambda f: actions.assign(request.user, s, reviewers=list(f.cleaned_data["reviewers"])),
        _("已指派审核人员。"),
    )


@login_required
def opinion(request, pk):
    s = queries.access_submission(request.user, pk)
    if not s.assignments.filter(reviewer=request.user).exists():
        raise PermissionDenied(_("您不是本次送审的审核人员。"))
    form = forms.OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _result = run_action(
            form,
            lambda: actions.give_opinion(
                request.user,
                s,
                points=form.points(),
                outcome=form.cleaned_data["outcome"],
                summary=form.cleaned_data["summary"],
            ),
        )
        if ok:
            messages.success(request, _("审核意见已签署。"))
            return redirect(s)
    return render(
        request,
        "review/opinion.html",
        {
            "s": s,
            "case": s.case,
            "form": form,
            "records": s.case.records.all(),
            "penalty_text": case_queries.penalty_text(s.case),
            "materials": queries.materials(s.case),
            "officer_links": _officer_links(s.case),
        },
    )


def _officer_links(case):
    return (
        case.officer_links.select_related("person")
        .prefetch_related("person__certificates")
        .order_by("-lead", "id")
    )


@login_required
@require_POST
def withdraw(request, pk):
    s = queries.access_submission(request.user, pk)
    return _post(
        request,
        s,
        forms.ReasonForm(request.POST),
        lambda f: actions.withdraw(request.user, s, reason=f.cleaned_data["reason"]),
        _("已撤回送审。"),
    )


@login_required
@require_POST
def escalate(request, pk):
    s = queries.access_submission(request.user, pk)
    return _post(
        request,
        s,
        forms.ReasonForm(request.POST),
        lambda f: actions.escalate(request.user, s, reason=f.cleaned_data["reason"]),
        _("已提请协调。"),
    )


@login_required
@require_POST
def coordinate(request, pk):
    s = queries.access_submission(request.user, pk)
    return _post(
        request,
        s,
        forms.CoordinateForm(request.POST),
        lambda f: actions.coordinate(request.user, s, **f.cleaned_data),
        _("协调决定已记录。"),
    )


@login_required
def discussion_new(request, case_pk):
    case = case_queries.access_case(request.user, case_pk)
    _require_step(request.user, case, "open_discussion")
    form = forms.DiscussionForm(request.POST or None, agency=case.agency)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, discussion = run_action(
            form,
            lambda: actions.open_discussion(
                request.user,
                case,
                held_on=d["held_on"],
                place=d["place"],
                participants=list(d["participants"]),
            ),
        )
        if ok:
            return redirect("review:discussion", discussion.pk)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("启动集体讨论：%(ref)s") % {"ref": case.reference}},
    )


@login_required
def discussion_detail(request, pk):
    d = queries.access_discussion(request.user, pk)
    is_chair = request.user.pk == d.chair_id
    opinion_form = forms.ParticipantOpinionForm(request.POST or None, discussion=d)
    conclusion_form = forms.ConclusionForm(request.POST or None)
    if request.method == "POST":
        if not is_chair:
            raise PermissionDenied(_("由主持人记录集体讨论。"))
        if "conclusion" in request.POST and conclusion_form.is_valid():
            ok, _r = run_action(
                conclusion_form,
                lambda: actions.conclude_discussion(
                    request.user, d, conclusion=conclusion_form.cleaned_data["conclusion"]
                ),
            )
            if ok:
                messages.success(request, _("讨论结论已记录。"))
                return redirect("review:discussion", d.pk)
        elif "participant" in request.POST and opinion_form.is_valid():
            c = opinion_form.cleaned_data
            ok, _r = run_action(
                opinion_form,
                lambda: actions.record_opinion(
                    request.user,
                    d,
                    participant=c["participant"],
                    opinion=c["opinion"],
                    vote=c["vote"],
                    recused=c["recused"],
                    reason=c["reason"],
                ),
            )
            if ok:
                return redirect("review:discussion", d.pk)
    names = {str(p.pk): p.full_name for p in d.participants.all()}
    return render(
        request,
        "review/discussion.html",
        {
            "d": d,
            "is_chair": is_chair,
            "opinion_form": opinion_form,
            "conclusion_form": conclusion_form,
            "opinions": [
                (names.get(k, k), v, dict(Vote.choices).get(d.votes.get(k), ""))
                for k, v in d.opinions.items()
            ],
            "recusals": [(names.get(str(r["person"]), r["person"]), r["reason"]) for r in d.recusals],
        },
    )


@login_required
def criteria(request):
    agencies = org_queries.agency_ids_with(
        request.user, set(case_queries.CASE_READER_ROLES) | {Role.SYSTEM_ADMIN}
    )
    if not agencies:
        raise PermissionDenied(_("您没有查看法制审核事项清单的权限。"))
    admin_of = org_queries.agency_ids_with(request.user, {Role.SYSTEM_ADMIN})
    form = forms.CriterionForm(request.POST or None)
    if request.method == "POST":
        if not admin_of:
            raise PermissionDenied(_("只有系统管理员可以修改法制审核事项清单。"))
        if form.is_valid():
            from zhifa.org.models import Agency

            agency = Agency.objects.get(pk=min(admin_of))
            ok, _r = run_action(
                form, lambda: actions.set_criterion(request.user, agency, **form.cleaned_data)
            )
            if ok:
                messages.success(request, _("已保存。"))
                return redirect("review:criteria")
    return render(
        request,
        "review/criteria.html",
        {
            "criteria": Criterion.objects.filter(agency_id__in=agencies).select_related("agency"),
            "form": form if admin_of else None,
            "statutory": rules.STATUTORY,
        },
    )


def _require_step(user, case, step) -> None:
    """The page of a step is offered only to who may take it now (the same rule as the action)."""
    try:
        case_access.require(user, case, step, documents=False)
    except ValidationError as exc:
        raise PermissionDenied(" ".join(exc.messages)) from None


def case_panel(case, user) -> dict:
    """What the case page shows of review: reasons, rounds, discussions, and what blocks the decision."""
    return {
        "may_open_discussion": case_access.may(user, case, "open_discussion"),
        "review_reasons": queries.review_reasons(case),
        "discussion_reasons": queries.discussion_reasons(case),
        "submissions": case.submissions.all(),
        "discussions": case.discussions.all(),
        "gate_problems": gate.gate_problems(case)
        if case.outcome and case.state in actions.SUBMITTABLE
        else [],
        "responsibility": queries.responsibility(case),
    }


@login_required
def opinion_pdf(request, pk):
    """The sealed 法制审核意见书 of a concluded round (made on first request, then always the same bytes)."""
    from django.http import Http404, HttpResponse

    from zhifa.records import storage

    s = queries.access_submission(request.user, pk)
    if s.state in (SubmissionState.PENDING, SubmissionState.WITHDRAWN) or not s.number:
        raise Http404(_("本轮审核尚未结束，还没有法制审核意见书。"))
    s = actions.issue_opinion_document(request.user, s)
    case_queries.record_access(request.user, s, _("查看法制审核意见书"))
    data = storage.read(s.pdf_name, s.pdf_sha256)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="review-{s.pk}.pdf"'
    return response


# The agency's review settings (ReviewPolicy) -----------------------------------------------------------------------


class ReviewPolicyForm(django_forms.Form):
    reviewer_ratio = django_forms.DecimalField(
        label=gettext_lazy("法制审核人员占执法人员的最低比例"), max_digits=5, decimal_places=4, min_value=0
    )
    discussion_quorum = django_forms.IntegerField(label=gettext_lazy("集体讨论最少参加人数"), min_value=0)


@login_required
def policy(request):
    """The agency's review settings: readers of its cases and its system administrator see them (with the staffing
    against the ratio); only the system administrator changes them (``actions.set_policy``)."""
    from zhifa.org.models import Agency

    ids = org_queries.agency_ids_with(request.user, set(case_queries.CASE_READER_ROLES) | {Role.SYSTEM_ADMIN})
    wanted = request.GET.get("agency", "")
    agency_id = int(wanted) if wanted.isdigit() else min(ids, default=None)
    if agency_id is None or agency_id not in ids:
        raise PermissionDenied(_("您没有查看本机关法制审核设置的权限。"))
    agency = Agency.objects.get(pk=agency_id)
    may_edit = org_queries.has_role(request.user, Role.SYSTEM_ADMIN, agency.pk)
    current = queries.policy(agency)
    form = None
    if may_edit:
        form = ReviewPolicyForm(
            request.POST or None,
            initial={
                "reviewer_ratio": current.reviewer_ratio,
                "discussion_quorum": current.discussion_quorum,
            },
        )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("只有本机关的系统管理员可以修改法制审核设置。"))
        if form.is_valid():
            ok, _p = run_action(form, lambda: actions.set_policy(request.user, agency, **form.cleaned_data))
            if ok:
                messages.success(request, _("法制审核设置已保存。"))
                return redirect(f"{request.path}?agency={agency.pk}")
    return render(
        request,
        "review/policy.html",
        {
            "agency": agency,
            "policy": current,
            "is_default": current.pk is None,
            "default_ratio": rules.REVIEWER_RATIO_DEFAULT,
            "staffing": queries.staffing(agency),
            "form": form,
        },
    )
