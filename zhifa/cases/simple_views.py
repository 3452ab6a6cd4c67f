"""The simple procedure's pages (当场处罚, arts. 51–52, 68–71): the on-the-spot decision form (a new case, for the
agency's officers) and the case page's panel — the 告知 and 陈述申辩 recorded before the decision, the numbered 当场
行政处罚决定书, 备案 and 当场收缴 with its hand-in, each with its deadline. The steps themselves (备案, 收缴, 交款) are
the lifecycle table's, offered through the case page's step links (``forms.SPECS``) to who may take them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhifa.core.forms import run_action
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Agency

from . import deadlines, forms, simple_forms
from .actions import simple
from .choices import Procedure, RecordKind


def officer_agencies(user) -> set[int]:
    """The agencies where ``user`` is an 执法人员 (who may decide on the spot)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(org_queries.agency_ids_with(user, {Role.OFFICER}))


def _agency(user) -> Agency:
    ids = officer_agencies(user)
    if not ids:
        raise PermissionDenied(_("只有执法人员可以当场作出行政处罚决定。"))
    return user.agency if user.agency_id in ids else Agency.objects.get(pk=min(ids))


@login_required
def on_the_spot(request):
    """当场处罚: the form of ``actions.decide_on_the_spot`` for an officer of the agency."""
    agency = _agency(request.user)
    spec = simple_forms.ON_THE_SPOT
    post = request.method == "POST"
    form = forms.form_for(
        spec, request.POST if post else None, agency=agency, files=request.FILES if post else None
    )
    if post and form.is_valid():
        ok, case = run_action(form, lambda: spec.call(request.user, form.cleaned_data))
        if ok:
            messages.success(request, _("已当场作出行政处罚决定：%(ref)s") % {"ref": case.reference})
            return redirect(case)
    return render(request, "cases/simple_decide.html", {"form": form, "title": spec.title})


def panel_data(case) -> dict | None:
    """What the simple procedure adds to a case (the page panel and ``GET …/simple-procedure/``), or None."""
    if case.procedure != Procedure.SIMPLE:
        return None
    statement = case.records.filter(kind__in=[RecordKind.STATEMENT, RecordKind.STATEMENT_WAIVER]).first()
    filing = getattr(case, "simple_filing", None) if _has(case, "simple_filing") else None
    collection = getattr(case, "spot_collection", None) if _has(case, "spot_collection") else None
    document = simple.decision_document(case)
    filing_deadline = deadlines.current(case, simple.SIMPLE_FILING)
    hand_in_deadline = deadlines.current(case, simple.HAND_IN)
    return {
        "notice": (case.decision_snapshot or {}).get("notice"),
        "statement": statement,
        "document": document,
        "filing": filing,
        "filing_due": filing_deadline.due if filing_deadline else None,
        "collection": collection,
        "hand_in_due": hand_in_deadline.due if hand_in_deadline else None,
    }


def _has(case, name) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        getattr(case, name)
    except ObjectDoesNotExist:
        return False
    return True


def case_panel(case, user) -> dict:
    """The case page's 简易程序 panel (registered in ``views.PANELS``)."""
    data = panel_data(case)
    if data is None:
        return {}
    return {"simple_panel": "cases/simple_panel.html", "simple": data}


def api_data(case) -> dict:
    """``GET /api/v1/cases/{id}/simple-procedure/``: the panel's content as JSON (404-scoped by the caller)."""
    from django.http import Http404

    data = panel_data(case)
    if data is None:
        raise Http404
    statement, document = data["statement"], data["document"]
    filing, collection = data["filing"], data["collection"]
    day = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "notice": data["notice"],
        "statement": (
            {
                "waived": statement.kind == RecordKind.STATEMENT_WAIVER,
                **{k: statement.data.get(k, "") for k in ("content", "recheck")},
            }
            if statement
            else None
        ),
        "document": (
            {"id": document.pk, "state": document.state, "number": document.number or ""}
            if document
            else None
        ),
        "filing": (
            {
                "filed_on": day(filing.filed_on),
                "officer": filing.officer_id,
                "acknowledged_by": filing.acknowledged_by_id,
                "note": filing.note,
            }
            if filing
            else None
        ),
        "filing_due": day(data["filing_due"]),
        "collection": (
            {
                "amount": str(collection.amount),
                "receipt_number": collection.receipt_number,
                "ground": collection.ground,
                "reason": collection.reason,
                "party_requested": collection.party_requested,
                "collected_on": day(collection.collected_on),
                "collected_by": collection.collected_by_id,
                "handed_in_on": day(collection.handed_in_on),
                "handed_in_by": collection.handed_in_by_id,
                "received_by": collection.received_by_id,
            }
            if collection
            else None
        ),
        "hand_in_due": day(data["hand_in_due"]),
    }


def filing_period(agency) -> dict:
    """The agency's 备案 period (deadline kind ``simple_filing``): its own setting, or the default."""
    from zhifa.workdays import queries as wd_queries

    kind = wd_queries.kind_by_code(simple.SIMPLE_FILING)
    setting = wd_queries.agency_settings(agency).get(kind.pk)
    return {
        "agency": agency.pk,
        "length": setting.length if setting else kind.length,
        "unit": kind.unit,
        "default": kind.length,
        "configured": setting is not None,
        "reason": setting.reason if setting else "",
        "basis": kind.legal_basis,
    }


def filing_period_agency(user, agency_id, *, write: bool = False) -> Agency:
    """The agency whose 备案 period ``user`` may read (its case readers, its system administrator) or set (its
    system administrator: checked again by ``workdays.actions.set_agency_deadline``); 404 otherwise."""
    from django.http import Http404

    from . import queries

    agency = Agency.objects.filter(pk=agency_id).first() if str(agency_id).isdigit() else None
    if agency is None:
        raise Http404
    admin = user.is_superuser or org_queries.has_role(user, Role.SYSTEM_ADMIN, agency.pk)
    if not admin and agency.pk not in set(queries.readable_agency_ids(user)):
        raise Http404
    if write and not admin:
        raise PermissionDenied(_("只有本机关的系统管理员可以设定备案期限。"))
    return agency
