"""The agency's 事后公开 settings (PublicationPolicy): how a natural-person party is named in what is published
(surname kept and 某 for the rest, or the name as it is) and how long a published decision stays online (a general
period, and a shorter one for 通报批评 and small fines — law-facts.md §6; none of it is national law for health).

Data the agency's system administrator sets (``set_publication_policy``: an action with its ledger entry, the page
``catalog:publication_policy`` and the API ``/api/v1/publication-policy/{agency}/``); an agency that has set nothing
works with ``rules.PUBLICATION_DEFAULTS``. Everything that uses them reads ``settings_for(agency)``.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers

from zhifa.cases import agency_settings
from zhifa.core import memo
from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.forms import run_action
from zhifa.core.snapshot import snapshot
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Agency

from . import rules
from .models import PublicationPolicy

FIELDS = ("person_name", "retention_months", "short_retention_months", "short_kinds", "small_fine_limit")
PERSON_NAME_CHOICES = (
    ("mask_given", gettext_lazy("只保留姓，名字以“某”代替（如 张某某）")),
    ("keep", gettext_lazy("公开全名")),
)


def _settings(policy: PublicationPolicy) -> rules.PublicationSettings:
    return rules.PublicationSettings(
        person_name=policy.person_name,
        retention_months=policy.retention_months,
        short_retention_months=policy.short_retention_months,
        short_kinds=tuple(policy.short_kinds),
        small_fine_limit=Decimal(policy.small_fine_limit),
    )


def settings_for(agency) -> rules.PublicationSettings:
    """The agency's settings, or ``rules.PUBLICATION_DEFAULTS`` when it has set none (once per page)."""
    agency_id = agency if isinstance(agency, int) else agency.pk

    def read() -> rules.PublicationSettings:
        policy = PublicationPolicy.objects.filter(agency_id=agency_id).first()
        return rules.PUBLICATION_DEFAULTS if policy is None else _settings(policy)

    return memo.once(("publicity.policy", agency_id), read)


def _kind_labels() -> dict[str, str]:
    from zhifa.cases.choices import PenaltyKind

    return {k: str(label) for k, label in PenaltyKind.choices}


def policy_view(agency: Agency) -> dict:
    """What the page and the API show: the values in force and whether they are the defaults."""
    policy = PublicationPolicy.objects.filter(agency=agency).first()
    s = rules.PUBLICATION_DEFAULTS if policy is None else _settings(policy)
    labels = _kind_labels()
    return {
        "agency": agency.pk,
        "is_default": policy is None,
        "person_name": s.person_name,
        "person_name_label": str(dict(PERSON_NAME_CHOICES)[s.person_name]),
        "retention_months": s.retention_months,
        "short_retention_months": s.short_retention_months,
        "short_kinds": list(s.short_kinds),
        "short_kind_labels": [labels.get(k, k) for k in s.short_kinds],
        "small_fine_limit": s.small_fine_limit,
        "basis": policy.basis if policy else rules.PUBLICATION_DEFAULTS_BASIS,
        "updated_at": policy.updated_at if policy else None,
    }


# Said in the reader's language when raised (functions, not strings translated at import).
PROBLEMS = {
    "person_name": lambda: _("自然人当事人姓名的公开方式不正确。"),
    "months": lambda: _("公开期限应为 1 至 %(n)d 个月。") % {"n": rules.RETENTION_MAX_MONTHS},
    "order": lambda: _("较轻处罚的公开期限不能长于一般公开期限。"),
    "kinds": lambda: _("处罚种类不正确。"),
    "fine": lambda: _("较低数额罚款不能为负数。"),
}


@transaction.atomic
def set_publication_policy(
    actor,
    agency: Agency,
    *,
    person_name: str,
    retention_months: int,
    short_retention_months: int,
    short_kinds=(),
    small_fine_limit=Decimal("0"),
    basis: str = "",
) -> PublicationPolicy:
    """Set the agency's 事后公开 settings (its system administrator). Decisions already published keep the
    offline date they were given; what is submitted from now on is named by the new rule."""
    from zhifa.cases.choices import PenaltyKind

    if actor is not None:
        if not getattr(actor, "is_authenticated", False):
            raise ActionDenied(_("请先登录。"))
        if not org_queries.has_role(actor, Role.SYSTEM_ADMIN, agency.pk):
            raise ActionDenied(_("只有本机关的系统管理员可以修改决定公开设置。"))
    try:
        new = rules.PublicationSettings(
            person_name=str(person_name),
            retention_months=int(retention_months),
            short_retention_months=int(short_retention_months),
            short_kinds=tuple(dict.fromkeys(str(k) for k in short_kinds)),
            small_fine_limit=Decimal(str(small_fine_limit)),
        )
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise RuleViolation(_("设置的数值不正确。")) from exc
    problems = rules.settings_problems(new, PenaltyKind.values)
    if problems:
        raise RuleViolation("".join(PROBLEMS[code]() for code in problems))
    policy, _created = PublicationPolicy.objects.update_or_create(
        agency=agency,
        defaults={
            "person_name": new.person_name,
            "retention_months": new.retention_months,
            "short_retention_months": new.short_retention_months,
            "short_kinds": list(new.short_kinds),
            "small_fine_limit": new.small_fine_limit,
            "basis": (basis or "").strip()[:300],
            "updated_at": timezone.now(),
        },
    )
    from zhifa.ledger import actions as ledger

    ledger.append(
        agency=agency,
        actor=actor,
        action="publicity.set_publication_policy",
        obj=policy,
        payload={"state": snapshot(policy)},
    )
    return policy


# Page ------------------------------------------------------------------------------------------------------------


class PublicationPolicyForm(forms.Form):
    person_name = forms.ChoiceField(label=gettext_lazy("自然人当事人姓名"), choices=PERSON_NAME_CHOICES)
    retention_months = forms.IntegerField(
        label=gettext_lazy("公开期限（月）"), min_value=1, max_value=rules.RETENTION_MAX_MONTHS
    )
    short_retention_months = forms.IntegerField(
        label=gettext_lazy("较轻处罚的公开期限（月）"), min_value=1, max_value=rules.RETENTION_MAX_MONTHS
    )
    short_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("适用较短公开期限的处罚种类"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    small_fine_limit = forms.DecimalField(
        label=gettext_lazy("较低数额罚款（元，不超过；0 表示不适用）"),
        min_value=0,
        decimal_places=2,
        max_digits=14,
    )
    basis = forms.CharField(label=gettext_lazy("依据"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from zhifa.cases.choices import PenaltyKind

        self.fields["short_kinds"].choices = PenaltyKind.choices


@login_required
def policy_page(request):
    agency = agency_settings.page_agency(request, _("您没有查看本机关决定公开设置的权限。"))
    may_edit = org_queries.has_role(request.user, Role.SYSTEM_ADMIN, agency.pk)
    view = policy_view(agency)
    form = None
    if may_edit:
        initial = {k: view[k] for k in FIELDS}
        initial["basis"] = "" if view["is_default"] else view["basis"]
        form = PublicationPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("只有本机关的系统管理员可以修改决定公开设置。"))
        if form.is_valid():
            ok, _policy = run_action(
                form, lambda: set_publication_policy(request.user, agency, **form.cleaned_data)
            )
            if ok:
                messages.success(request, _("决定公开设置已保存。"))
                return redirect(f"{request.path}?agency={agency.pk}")
    return render(
        request, "publicity/staff/publication_policy.html", {"agency": agency, "policy": view, "form": form}
    )


# API -------------------------------------------------------------------------------------------------------------


class PublicationPolicySerializer(serializers.Serializer):
    agency = serializers.IntegerField(read_only=True)
    is_default = serializers.BooleanField(
        read_only=True, help_text=str(gettext_lazy("本机关尚未设置，适用平台默认值"))
    )
    person_name = serializers.ChoiceField(choices=[c for c, _label in PERSON_NAME_CHOICES])
    retention_months = serializers.IntegerField(min_value=1, max_value=rules.RETENTION_MAX_MONTHS)
    short_retention_months = serializers.IntegerField(min_value=1, max_value=rules.RETENTION_MAX_MONTHS)
    short_kinds = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    small_fine_limit = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    basis = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


@extend_schema_view(
    **agency_settings.schema(
        PublicationPolicySerializer,
        gettext_lazy("决定公开设置"),
        gettext_lazy("本机关的决定公开设置"),
        gettext_lazy("设置决定公开（系统管理员）"),
    )
)
class PublicationPolicyViewSet(agency_settings.AgencySettingsViewSet):
    """GET /api/v1/publication-policy/ (the agencies the user may see), GET and PUT
    /api/v1/publication-policy/{agency}/."""

    serializer_class = PublicationPolicySerializer

    def view(self, agency):
        return policy_view(agency)

    def save(self, user, agency, data):
        set_publication_policy(user, agency, **data)
