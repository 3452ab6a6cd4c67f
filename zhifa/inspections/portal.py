"""The portal's 双随机一公开 pages: each agency's plans with the commitment published before the draw, and a plan's
draw — the seed, the pools' sizes, the targets and their inspectors — for anyone to check (``zhifa inspections
redraw`` reproduces it from the ledger)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from zhifa.publicity import queries as portal_queries

from . import queries
from .models import Plan


def _context(request, agency, **extra):
    agencies = list(portal_queries.portal_agencies())
    return {
        "agency": agency,
        "agencies": agencies if len(agencies) > 1 else [],
        "aq": f"?agency={agency.code}",
        **extra,
    }


def plans(request):
    agency = portal_queries.portal_agency(request.GET.get("agency"))
    page = Paginator(
        Plan.objects.filter(agency=agency).select_related("field").order_by("-created_at", "-id"), 50
    ).get_page(request.GET.get("page"))
    return render(request, "inspections/portal_plans.html", _context(request, agency, page=page))


def plan(request, pk):
    p = Plan.objects.filter(pk=pk).select_related("agency", "field").first()
    if p is None:
        raise Http404
    drawn = list(p.drawn.select_related("target", "result").order_by("position"))
    for d, pairs in zip(drawn, queries.inspector_pairs(drawn), strict=True):
        d.pairs = pairs
    context = _context(request, p.agency, p=p, items=list(p.items.order_by("seq", "code")), drawn=drawn)
    return render(request, "inspections/portal_plan.html", context)
