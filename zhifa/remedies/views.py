"""Remedy pages: the list, a case's new proceeding, a proceeding with its acceptance, outcome and documents, and
the panel on the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.cases import access as case_access
from zhifa.cases import queries as case_queries
from zhifa.core.forms import run_action
from zhifa.records import storage

from . import actions, forms, queries


def _require_step(user, case, step) -> None:
    """A step's page is offered only to who may take it now (the same rule as the action)."""
    try:
        case_access.require(user, case, step, documents=False)
    except ValidationError as exc:
        raise PermissionDenied(" ".join(exc.messages)) from None


def case_panel(case, user) -> dict:
    """What the case page shows of remedies: the proceedings, the decision's standing, and the step offered."""
    proceedings = list(case.remedies.order_by("applied_on", "id"))  # one query for the list and the standing
    return {
        "remedy_panel": "remedies/_case_panel.html",
        "remedies": proceedings,
        "decision_standing": queries.standing_of(proceedings) if proceedings else None,
        "may_record_remedy": case_access.may(user, case, "record_remedy"),
    }


@login_required
def home(request):
    if not case_queries.readable_agency_ids(request.user):
        raise PermissionDenied(_("您没有查看案件的权限。"))
    rows = queries.visible_proceedings(request.user).order_by("-applied_on", "-id")[:200]
    return render(request, "remedies/home.html", {"rows": rows})


@login_required
def new(request, case_pk):
    case = case_queries.access_case(request.user, case_pk)
    _require_step(request.user, case, "record_remedy")
    form = forms.ProceedingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, proceeding = run_action(
            form, lambda: actions.record_proceeding(request.user, case, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("已登记%(kind)s。") % {"kind": proceeding.get_kind_display()})
            return redirect(proceeding)
    return render(request, "remedies/form.html", {"form": form, "case": case, "title": _("登记复议诉讼")})


def _page(request, proceeding, **extra):
    case = proceeding.case
    context = {
        "p": proceeding,
        "case": case,
        "documents": proceeding.documents.all(),
        "may_record": case_access.may(request.user, case, "record_remedy"),
        "may_outcome": case_access.may(request.user, case, "record_remedy_outcome"),
        "acceptance_form": forms.AcceptanceForm(),
        "outcome_form": forms.OutcomeForm(),
        "document_form": forms.DocumentForm(),
        **extra,
    }
    return render(request, "remedies/detail.html", context)


@login_required
def detail(request, pk):
    proceeding = queries.access_proceeding(request.user, pk)
    case_queries.record_access(request.user, proceeding, _("查看复议诉讼"))
    return _page(request, proceeding)


def _post(request, pk, step, form_cls, call, form_key, done):
    proceeding = queries.access_proceeding(request.user, pk)
    _require_step(request.user, proceeding.case, step)
    form = form_cls(request.POST, request.FILES)
    if form.is_valid():
        ok, _result = run_action(form, lambda: call(proceeding, form.cleaned_data))
        if ok:
            messages.success(request, done)
            return redirect(proceeding)
    proceeding.refresh_from_db()
    return _page(request, proceeding, **{form_key: form})


@login_required
@require_POST
def accept(request, pk):
    return _post(
        request,
        pk,
        "record_remedy",
        forms.AcceptanceForm,
        lambda p, d: actions.record_acceptance(request.user, p, **d),
        "acceptance_form",
        _("已登记受理。"),
    )


@login_required
@require_POST
def outcome(request, pk):
    return _post(
        request,
        pk,
        "record_remedy_outcome",
        forms.OutcomeForm,
        lambda p, d: actions.record_outcome(request.user, p, **d),
        "outcome_form",
        _("已登记结果。"),
    )


@login_required
@require_POST
def upload(request, pk):
    return _post(
        request,
        pk,
        "record_remedy",
        forms.DocumentForm,
        lambda p, d: actions.add_document(request.user, p, title=d["title"], data=d["file"].read()),
        "document_form",
        _("已上传文书。"),
    )


@login_required
def document(request, pk):
    doc = queries.access_document(request.user, pk)
    case_queries.record_access(request.user, doc, _("查看复议诉讼文书"))
    response = HttpResponse(storage.read(doc.file_name, doc.sha256), content_type=doc.content_type)
    response["Content-Disposition"] = f'inline; filename="remedy-{doc.pk}.{doc.file_name.rsplit(".", 1)[-1]}"'
    return response
