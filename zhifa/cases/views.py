"""Case pages: the list, a party, intake, the case page with its next steps, and one page per action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core import memo
from zhifa.core.forms import run_action
from zhifa.org import queries as org_queries

from . import access, actions, deadlines, forms, lifecycle, queries, simple_views
from .choices import ActKind, PaymentKind, State

# Functions other apps register (in their AppConfig.ready) to add to the case page: panel(case, user) -> context.
PANELS: list = []


def _worker_agencies(user):
    return org_queries.agency_ids_with(user, queries.CASE_WORKER_ROLES)


def _agency_for_new(user):
    ids = _worker_agencies(user)
    if not ids:
        raise PermissionDenied(_("只有执法人员和负责人可以受理案件。"))
    from zhifa.org.models import Agency

    return Agency.objects.get(pk=min(ids)) if user.agency_id not in ids else user.agency


CASE_PAGE_SIZE = 50
FILTERS = ("q", "kind", "state", "mine", "officer", "officer_name", "item", "due")


@login_required
def case_list(request):
    """The cases the user may read, newest first, 50 to a page, filtered in the database; pages are cut by keyset
    (``?after=``/``?before=`` the date and id of a row), so a deep page costs what the first one does."""
    from urllib.parse import urlencode

    agency_ids = queries.readable_agency_ids(request.user)
    if not agency_ids:
        raise PermissionDenied(_("您没有查看案件的权限。"))
    filters = {name: request.GET.get(name, "").strip() for name in FILTERS}
    cut = {
        "after": request.GET.get("after", ""),
        "before": request.GET.get("before", ""),
        "size": CASE_PAGE_SIZE,
    }
    if filters["due"] in queries.DUE_FILTERS:  # earliest due first, from the deadlines' side
        cases = queries.filter_cases(
            queries.visible_cases(request.user), request.user, **{**filters, "due": ""}
        )
        page = queries.due_page(cases.prefetch_related("officers"), agency_ids, filters["due"], **cut)
    else:
        cases = queries.filter_cases(queries.visible_cases(request.user), request.user, **filters)
        page = queries.keyset_page(cases.prefetch_related("officers"), "accepted_on", descending=True, **cut)
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
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "rows": rows,
            "q": filters["q"],
            "state": filters["state"],
            "states": State.choices,
            "kind": filters["kind"],
            "kinds": ActKind.choices,
            "can_create": bool(_worker_agencies(request.user)),
            "can_decide_on_the_spot": bool(simple_views.officer_agencies(request.user)),
            "mine": bool(filters["mine"]),
            "officers": queries.case_officers(agency_ids),
            "officer": filters["officer"],
            "officer_name": filters["officer_name"],
            "item": filters["item"],
            "due": filters["due"],
            "query": urlencode({k: v for k, v in filters.items() if v}),
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


def _act_create(request, spec, call, done):
    """A new act of another kind than a penalty case (its report or registration form), then its page."""
    agency = _agency_for_new(request.user)
    form = forms.form_for(spec, request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["officers"] = list(d["officers"])
        ok, case = run_action(form, lambda: call(request.user, **d))
        if ok:
            messages.success(request, done % {"ref": case.reference})
            return redirect(case)
    return render(request, "cases/case_create.html", {"form": form, "title": spec.title})


@login_required
def measure_create(request):
    """报请实施查封扣押: a 行政强制措施 of its own (lifecycle.COMPULSION_STEPS)."""
    from . import compulsion_forms

    return _act_create(request, compulsion_forms.OPEN, actions.open_measure, _("已报请实施强制措施：%(ref)s"))


@login_required
def requisition_create(request):
    """登记征用: a 行政征用 (lifecycle.REQUISITION_STEPS)."""
    from . import requisition_forms

    return _act_create(request, requisition_forms.OPEN, actions.open_requisition, _("已登记征用：%(ref)s"))


@login_required
def confirmation_create(request):
    """受理确认申请: a 行政确认 (lifecycle.CONFIRMATION_STEPS)."""
    from . import confirmation_forms

    return _act_create(
        request, confirmation_forms.OPEN, actions.open_confirmation, _("已受理确认申请：%(ref)s")
    )


@login_required
def inspection_create(request):
    """登记行政检查: a 行政检查 outside a random-inspection plan (lifecycle.INSPECTION_STEPS)."""
    from . import inspection_forms

    return _act_create(request, inspection_forms.OPEN, actions.open_inspection, _("已登记行政检查：%(ref)s"))


def _timeline(case):
    try:
        from zhifa.ledger import queries as ledger_queries

        return ledger_queries.present(
            ledger_queries.object_entries("cases.case", str(case.pk)).exclude(action="ledger.access")
        )
    except (ImportError, AttributeError):
        return []


# Steps of the table done on another app's page (the case's file steps are on the documents panel).
STEP_PAGES = {"submit_review": ("review:submit", "review")}


def _step_link(case, name):
    """{"action", "title", "url"} of step ``name`` on ``case``, or None when it has no page of its own here."""
    from django.apps import apps
    from django.urls import reverse

    if name in forms.SPECS:  # the step's name in the table: the same words as on the to-do list
        url = reverse("cases:action", args=[case.pk, name])
        return {"action": name, "title": lifecycle.label(name), "url": url}
    if name in STEP_PAGES and apps.is_installed(f"zhifa.{STEP_PAGES[name][1]}"):
        url = reverse(STEP_PAGES[name][0], args=[case.pk])
        return {"action": name, "title": lifecycle.label(name), "url": url}
    return None


@login_required
@memo.page  # review reasons, the digest, the AV list: computed once for the whole page
def case_detail(request, pk):
    case = queries.access_case(request.user, pk)
    queries.record_access(request.user, case, _("查看案件"))
    today = timezone.localdate()
    held = access.capacities(request.user, case)
    next_names = lifecycle.next_of(case)
    offered = [name for name in lifecycle.steps_of(case) if access.may(request.user, case, name, held=held)]
    links = {name: link for name in offered if (link := _step_link(case, name))}
    next_actions = [links[name] for name in next_names if name in links]
    other_actions = [link for name, link in links.items() if name not in next_names]
    due = deadlines.decision_due(case)
    context = {
        "case": case,
        "officers": queries.officer_links(case),
        "records": queries.case_records(case),
        "services": case.services.all(),
        "payments": case.payments.all(),
        "next_actions": next_actions,
        "other_actions": other_actions,
        "decision_due": due if case.state in lifecycle.BEFORE_DECISION else None,
        "overdue": bool(due and due < today and case.state in lifecycle.BEFORE_DECISION),
        "blockers": actions.decision_blockers(case, today)
        if lifecycle.allowed(case.state, "decide", case.act_kind)
        else [],
        "owed": [
            (PaymentKind(kind).label, amount)
            for kind, amount in actions.amount_owed(case, today).items()
            if amount
        ]
        if case.state in (State.SERVED, State.COURT_ENFORCEMENT)
        else None,
        "timeline": _timeline(case),
        "penalty_text": queries.penalty_text(case),
        "deadlines": deadlines.of_case(case),
        "documents_template": _documents_template(),
        "ratification": None if case.is_penalty else actions.compulsion.ratification(case),
        **_review_panel(case, request.user),
    }
    return render(request, "cases/case_detail.html", context)


def _review_panel(case, user) -> dict:
    """What other apps add to the case page (the review app: reasons, rounds, discussions)."""
    out = {}
    for panel in PANELS:
        out.update(panel(case, user))
    return out


def _documents_template():
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("records/_case_documents.html")
        return "records/_case_documents.html"
    except TemplateDoesNotExist:
        return None


def _refusal(request, case, name):
    """Why ``request.user`` may not take step ``name`` now, in words (role first, then state)."""
    from zhifa.core.errors import ValidationError

    try:
        access.require(request.user, case, name, documents=False)
    except PermissionDenied as exc:
        return str(exc)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _documents_needed(case, name):
    """The documents step ``name`` needs, each with whether it is ready and where to make it."""
    from django.urls import NoReverseMatch, reverse

    missing = set(access.missing_documents(case, name))
    rows = []
    for doc in access.needs(case, name):
        kinds = access.kinds_for(case, doc)
        kind = kinds[0]
        try:
            url = reverse("records:generate", args=[case.pk])
        except NoReverseMatch:
            url = ""
        rows.append(
            {
                "label": "、".join(access.document_label(k) for k in kinds),
                "kind": kind,
                "ready": kind not in missing,
                "url": url,
            }
        )
    return rows


@login_required
def case_action(request, pk, action):
    spec = forms.SPECS.get(action)
    if spec is None:
        raise Http404
    case = queries.access_case(request.user, pk)
    if not access.may(request.user, case, action):
        raise PermissionDenied(_refusal(request, case, action) or _("您不能进行此操作。"))
    form = forms.form_for(
        spec,
        request.POST if request.method == "POST" else None,
        case=case,
        files=request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        ok, _result = run_action(form, lambda: spec.call(request.user, case, form.cleaned_data))
        if ok:
            messages.success(request, _("已完成：%(action)s。") % {"action": spec.title})
            return redirect(case)
    context = {
        "form": form,
        "title": spec.title,
        "case": case,
        "spec": spec,
        "documents_needed": _documents_needed(case, action),
    }
    if action == "decide":
        from . import recusal

        brief = actions.decision_brief(case, timezone.localdate())
        # a head who must stand aside (art. 43) is told so before signing, and offered no button
        brief["blockers"] = [*brief["blockers"], *recusal.conflicts(case, [request.user])]
        context["brief"] = brief
        return render(request, "cases/decide.html", context)
    return render(request, "cases/case_action.html", context)
