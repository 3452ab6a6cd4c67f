"""Time limits of a case on the page and the API: the panel (limitation, the 90-day period with its extensions and
suspensions and their approvers) and the agency's extension rule (行政处罚法 arts. 36, 60)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhifa.core.forms import run_action
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Agency

from . import actions, queries, rules

PANEL_TEMPLATE = "cases/_time_limits.html"


def case_panel(case, user) -> dict:
    """The case page's time-limits panel (registered in ``views.PANELS``)."""
    return {"time_limits": actions.time_limits(case), "time_limits_template": PANEL_TEMPLATE}


# The agency's extension rule ----------------------------------------------------------------------------------


def _readable_agency(user, agency_pk) -> Agency:
    """The agency whose rule ``user`` may read: case readers and system administrators of that agency."""
    agency = get_object_or_404(Agency, pk=agency_pk)
    if agency.pk not in queries.settings_agency_ids(user):
        raise PermissionDenied(_("您不能查看该机关的延长办案期限规则。"))
    return agency


def _may_set(user, agency) -> bool:
    return org_queries.has_role(user, Role.SYSTEM_ADMIN, agency.pk)


def policy_data(agency) -> dict:
    rule = actions.extension_rule(agency)
    return {
        "agency": agency.pk,
        "max_count": rule.max_count,
        "max_days": rule.max_days,
        "approver_role": rule.approver_role,
        "reasons": list(rule.reasons),
        "basis": actions.extension_basis(agency),
        "configured": hasattr(agency, "extension_policy") and agency.extension_policy is not None,
    }


def _approver_choices():
    return [(r, Role(r).label) for r in rules.EXTENSION_APPROVER_ROLES]


class ExtensionPolicyForm(forms.Form):
    max_count = forms.IntegerField(label=gettext_lazy("最多延长次数"), min_value=0)
    max_days = forms.IntegerField(label=gettext_lazy("每次最多延长天数"), min_value=1)
    approver_role = forms.ChoiceField(label=gettext_lazy("批准人"), choices=_approver_choices)
    reasons = forms.CharField(
        label=gettext_lazy("可以延长的理由"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy("每行一条"),
    )
    basis = forms.CharField(label=gettext_lazy("依据"), max_length=300, required=False)


@login_required
def extension_policy(request, agency_pk: int):
    agency = _readable_agency(request.user, agency_pk)
    may_set = _may_set(request.user, agency)
    if request.method == "POST" and not may_set:
        raise PermissionDenied(_("只有本机关的系统管理员可以设置延长办案期限规则。"))
    current = policy_data(agency)
    initial = {**current, "reasons": "\n".join(current["reasons"])}
    form = ExtensionPolicyForm(request.POST or None, initial=initial) if may_set else None
    if form is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _policy = run_action(
            form,
            lambda: actions.set_extension_policy(
                request.user,
                agency,
                max_count=d["max_count"],
                max_days=d["max_days"],
                approver_role=d["approver_role"],
                reasons=d["reasons"].splitlines(),
                basis=d["basis"],
            ),
        )
        if ok:
            messages.success(request, _("延长办案期限规则已保存。"))
            return redirect("cases:extension_policy", agency_pk=agency.pk)
    return render(
        request,
        "cases/extension_policy.html",
        {
            "agency": agency,
            "policy": current,
            "approver_label": Role(current["approver_role"]).label,
            "form": form,
            "title": _("延长办案期限规则"),
        },
    )


# API ----------------------------------------------------------------------------------------------------------


class ExtensionPolicySerializer(serializers.Serializer):
    max_count = serializers.IntegerField(min_value=0, label=gettext_lazy("最多延长次数"))
    max_days = serializers.IntegerField(min_value=1, label=gettext_lazy("每次最多延长天数"))
    approver_role = serializers.ChoiceField(choices=list(rules.EXTENSION_APPROVER_ROLES))
    reasons = serializers.ListField(child=serializers.CharField(max_length=200), allow_empty=True)
    basis = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


@extend_schema(
    request=ExtensionPolicySerializer,
    responses=OpenApiTypes.OBJECT,
    summary=str(gettext_lazy("延长办案期限规则")),
)
@api_view(["GET", "PUT"])
def extension_policy_api(request, agency_pk: int):
    """GET the agency's rule for extending the 90-day decision period (defaults when not set); PUT sets it
    (system administrator of the agency)."""
    if not request.user.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    agency = _readable_agency(request.user, agency_pk)
    if request.method == "PUT":
        if not _may_set(request.user, agency):
            raise PermissionDenied(_("只有本机关的系统管理员可以设置延长办案期限规则。"))
        ser = ExtensionPolicySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        actions.set_extension_policy(request.user, agency, **ser.validated_data)
        agency.refresh_from_db()
    return Response(policy_data(Agency.objects.get(pk=agency.pk)))


def time_limits_data(case) -> dict:
    """The JSON form of ``actions.time_limits`` (GET /api/v1/cases/{id}/time-limits/)."""
    t = actions.time_limits(case)
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    person = lambda p: {"id": p.pk, "name": p.full_name} if p else None  # noqa: E731
    deadline = t["decision"]
    return {
        "limitation": {
            "violation_date": iso(t["limitation"]["violation_date"]),
            "violation_ended": iso(t["limitation"]["violation_ended"]),
            "years": t["limitation"]["years"],
            "ends": iso(t["limitation"]["ends"]),
            "accepted_on": iso(t["limitation"]["accepted_on"]),
            "within": t["limitation"]["within"],
        },
        "decision": {
            "start": iso(deadline.start),
            "due": iso(deadline.due),
            "suspended_since": iso(deadline.suspended_since),
            "extensions": deadline.extensions,
        }
        if deadline
        else None,
        "events": [
            {
                "kind": e["kind"],
                "on": iso(e["on"]),
                "length": e["length"],
                "reason": e["reason"],
                "approver": person(e["approver"]),
                "actor": person(e["actor"]),
                "due_before": iso(e["due_before"]),
                "due_after": iso(e["due_after"]),
            }
            for e in t["events"]
        ],
        "suspended_since": iso(t["suspended_since"]),
        "suspended_by": person(t["suspended_by"]),
        "rule": {
            "max_count": t["rule"].max_count,
            "max_days": t["rule"].max_days,
            "approver_role": t["rule"].approver_role,
            "reasons": list(t["rule"].reasons),
            "basis": t["basis"],
        },
    }
