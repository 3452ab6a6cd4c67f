"""The agency's hearing policy (听证的较大数额、较大价值、其他较重, 行政处罚法 art. 63): a page and an API endpoint.

Everyone who reads the agency's cases (and its system administrator) may see the values in force — the agency's
own or the platform defaults; only the system administrator changes them, through ``actions.set_hearing_policy``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers

from zhifa.core.forms import run_action
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role

from . import actions, agency_settings, rules
from .choices import PenaltyKind

HEAVIER_CHOICES = tuple((k, lbl) for k, lbl in PenaltyKind.choices if k not in rules.NOT_HEAVIER_KINDS)


class HearingPolicyForm(forms.Form):
    fine_person = forms.DecimalField(
        label=gettext_lazy("较大数额罚款：自然人（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    fine_organisation = forms.DecimalField(
        label=gettext_lazy("较大数额罚款：法人或其他组织（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    confiscation = forms.DecimalField(
        label=gettext_lazy("较大数额没收违法所得（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    property_value = forms.DecimalField(
        label=gettext_lazy("较大价值没收非法财物（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    heavier_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("其他较重的行政处罚（第六十三条第一款第五项）"),
        choices=HEAVIER_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    basis = forms.CharField(label=gettext_lazy("依据"), max_length=300, required=False)


@login_required
def hearing_policy(request):
    agency = agency_settings.page_agency(request, _("您没有查看本机关听证标准的权限。"))
    may_edit = org_queries.has_role(request.user, Role.SYSTEM_ADMIN, agency.pk)
    view = actions.hearing_policy_view(agency)
    form = None
    if may_edit:
        initial = {k: view[k] for k in ("fine_person", "fine_organisation", "confiscation", "property_value")}
        initial.update(heavier_kinds=view["heavier_kinds"], basis="" if view["is_default"] else view["basis"])
        form = HearingPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("只有本机关的系统管理员可以修改听证标准。"))
        if form.is_valid():
            ok, _policy = run_action(
                form,
                lambda: actions.set_hearing_policy(
                    request.user,
                    agency,
                    **{**form.cleaned_data, "heavier_kinds": list(form.cleaned_data["heavier_kinds"])},
                ),
            )
            if ok:
                messages.success(request, _("听证标准已保存。"))
                return redirect("cases:hearing_policy")
    return render(request, "cases/hearing_policy.html", {"agency": agency, "policy": view, "form": form})


# API ---------------------------------------------------------------------------------------------------------------


class HearingPolicySerializer(serializers.Serializer):
    agency = serializers.IntegerField(read_only=True)
    is_default = serializers.BooleanField(
        read_only=True, help_text=str(gettext_lazy("本机关尚未设置，适用平台默认标准"))
    )
    fine_person = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    fine_organisation = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    confiscation = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    property_value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    heavier_kinds = serializers.ListField(child=serializers.ChoiceField(choices=PenaltyKind.choices))
    statutory_kind_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    basis = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


@extend_schema_view(
    **agency_settings.schema(
        HearingPolicySerializer,
        gettext_lazy("听证标准"),
        gettext_lazy("本机关的听证标准"),
        gettext_lazy("设置听证标准（系统管理员）"),
    )
)
class HearingPolicyViewSet(agency_settings.AgencySettingsViewSet):
    """GET /api/v1/hearing-policy/ (the agencies the user may see), GET and PUT /api/v1/hearing-policy/{agency}/."""

    serializer_class = HearingPolicySerializer

    def view(self, agency):
        return actions.hearing_policy_view(agency)

    def save(self, user, agency, data):
        data = {k: v for k, v in data.items() if k in HearingPolicyForm.base_fields}
        actions.set_hearing_policy(user, agency, **data)
