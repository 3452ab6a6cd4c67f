"""Case pages: the list, a party, intake, the case page with its next steps, and one page per action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.forms import run_action
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role

from . import actions, deadlines, forms, lifecycle, queries, rules
from .choices import PaymentKind, State
from .models import Case


def _worker_agencies(user):
    return org_queries.agency_ids_with(user, queries.CASE_WORKER_ROLES)


def _agency_for_new(user):
    ids = _worker_agencies(user)
    if not ids:
        raise PermissionDenied(_("只有执法人员和负责人可以受理案件。"))
    from zhifa.org.models import Agency

    return Agency.objects.get(pk=min(ids)) if user.agency_id not in ids else user.agency


@login_required
def case_list(request):
    if not queries.readable_agency_ids(request.user):
        raise PermissionDenied(_("您没有查看案件的权限。"))
    cases = queries.visible_cases(request.user).prefetch_related("officers")
    q = request.GET.get("q", "").strip()
    if q:
        cases = cases.filter(Q(reference__contains=q) | Q(cause__contains=q) | Q(party__name__contains=q))
    state = request.GET.get("state", "")
    if state in State.values:
        cases = cases.filter(state=state)
    if request.GET.get("mine"):
        cases = cases.filter(officer_links__person=request.user)
    officer = request.GET.get("officer", "")
    if officer.isdigit():
        cases = cases.filter(officer_links__person_id=int(officer))
    item = request.GET.get("item", "").strip()
    if item:
        cases = cases.filter(items__icontains=f'"{item}"')
    due = request.GET.get("due", "")
    if due in ("overdue", "soon"):
        from django.contrib.contenttypes.models import ContentType

        from zhifa.workdays.models import Deadline

        today_ = timezone.localdate()
        limit = today_ if due == "overdue" else today_ + timezone.timedelta(days=15)
        open_ids = Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            kind__code=deadlines.DECISION,
            met_on__isnull=True,
            due__lt=limit if due == "overdue" else limit,
        ).values_list("object_id", flat=True)
        cases = cases.filter(pk__in=list(open_ids), state__in=lifecycle.BEFORE_DECISION)
    page = Paginator(cases.order_by("-accepted_on", "-id"), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    dues = deadlines.decision_dues(page.object_list)
    rows = []
    for case in page:
        due = dues[case.pk].due if case.pk in dues else None
        open_ = case.state in lifecycle.BEFORE_DECISION
        rows.append(
            {
                "case": case,
                "due": due if open_ else None,
                "overdue": bool(open_ and due and due < today),
                "soon": bool(open_ and due and 0 <= (due - today).days <= 15),
            }
        )
    from zhifa.org.models import Person

    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "state": state,
            "states": State.choices,
            "can_create": bool(_worker_agencies(request.user)),
            "mine": bool(request.GET.get("mine")),
            "officers": Person.objects.filter(
                agency_id__in=queries.readable_agency_ids(request.user), roles__role=Role.OFFICER
            )
            .distinct()
            .order_by("id"),
            "officer": officer,
            "item": item,
            "due": due,
        },
    )


@login_required
def party_create(request):
    agency = _agency_for_new(request.user)
    form = forms.form_for(forms.PARTY, request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        ok, party = run_action(
            form, lambda: actions.register_party(request.user, agency, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("当事人已登记。"))
            return redirect("cases:create")
    return render(request, "core/form.html", {"form": form, "title": forms.PARTY.title})


@login_required
def party_detail(request, pk):
    party = queries.access_party(request.user, pk)
    return render(
        request,
        "cases/party_detail.html",
        {
            "party": party,
            "cases": queries.visible_cases(request.user).filter(party=party),
        },
    )


@login_required
def case_create(request):
    agency = _agency_for_new(request.user)
    form = forms.form_for(forms.ACCEPT, request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["officers"] = list(d["officers"])
        ok, case = run_action(form, lambda: actions.accept_case(request.user, **d))
        if ok:
            messages.success(request, _("案件已受理：%(ref)s") % {"ref": case.reference})
            return redirect(case)
    return render(request, "cases/case_create.html", {"form": form, "title": forms.ACCEPT.title})


def _timeline(case):
    try:
        from zhifa.ledger import queries as ledger_queries

        return ledger_queries.present(
            ledger_queries.object_entries("cases.case", str(case.pk)).exclude(action="ledger.access")
        )
    except (ImportError, AttributeError):
        return []


def _record_access(user, obj, reason):
    from zhifa.ledger import actions as ledger_actions

    record = getattr(ledger_actions, "record_access", None)
    if record is not None:
        record(user, obj, reason)


@login_required
def case_detail(request, pk):
    case = queries.access_case(request.user, pk)
    _record_access(request.user, case, _("查看案件"))
    today = timezone.localdate()
    held = org_queries.roles_by_agency(request.user).get(case.agency_id, set())
    is_handler = request.user.pk in queries.case_officer_ids(case)

    def may(spec):  # officers act on the cases they handle; heads on any case of the agency
        return bool(held & (spec.roles - {Role.OFFICER}) or (is_handler and held & spec.roles))

    next_actions = [
        forms.SPECS[name]
        for name in lifecycle.NEXT_STEP.get(case.state, ())
        if name in forms.SPECS and may(forms.SPECS[name])
    ]
    other_actions = [
        spec
        for name, spec in forms.SPECS.items()
        if name not in lifecycle.NEXT_STEP.get(case.state, ())
        and lifecycle.allowed(case.state, name)
        and may(spec)
    ]
    due = deadlines.decision_due(case)
    context = {
        "case": case,
        "officers": case.officer_links.select_related("person"),
        "records": case.records.all(),
        "services": case.services.all(),
        "payments": case.payments.all(),
        "next_actions": next_actions,
        "other_actions": other_actions,
        "decision_due": due if case.state in lifecycle.BEFORE_DECISION else None,
        "overdue": bool(due and due < today and case.state in lifecycle.BEFORE_DECISION),
        "blockers": actions.decision_blockers(case, today) if lifecycle.allowed(case.state, "decide") else [],
        "owed": [
            (PaymentKind(kind).label, amount)
            for kind, amount in actions.amount_owed(case, today).items()
            if amount
        ]
        if case.state in (State.SERVED, State.COURT_ENFORCEMENT)
        else None,
        "timeline": _timeline(case),
        "penalty_text": _penalty_text(case),
        "deadlines": deadlines.of_case(case),
        "documents_template": _documents_template(),
        **_review_panel(case, request.user),
    }
    return render(request, "cases/case_detail.html", context)


def _review_panel(case, user) -> dict:
    from django.apps import apps

    if not apps.is_installed("zhifa.review"):
        return {}
    from zhifa.review.views import case_panel

    return case_panel(case, user)


def _penalty_text(case):
    from .choices import PenaltyKind

    return rules.penalty_text(actions.draft_penalty(case), dict(PenaltyKind.choices))


def _documents_template():
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("records/_case_documents.html")
        return "records/_case_documents.html"
    except TemplateDoesNotExist:
        return None


@login_required
def case_action(request, pk, action):
    spec = forms.SPECS.get(action)
    if spec is None:
        raise Http404
    case = queries.access_case(request.user, pk)
    held = org_queries.roles_by_agency(request.user).get(case.agency_id, set())
    if not held & spec.roles:
        raise PermissionDenied(_("您没有进行“%(action)s”的权限。") % {"action": spec.title})
    form = forms.form_for(spec, request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        ok, _result = run_action(form, lambda: spec.call(request.user, case, form.cleaned_data))
        if ok:
            messages.success(request, _("已完成：%(action)s。") % {"action": spec.title})
            return redirect(case)
    return render(
        request, "cases/case_action.html", {"form": form, "title": spec.title, "case": case, "spec": spec}
    )
