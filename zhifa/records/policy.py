"""The agency's records settings (RecordsPolicy): the retention period of its case files (案卷保管期限), the
threshold of unusual access to evidence (异常调阅) on the supervisors' access log, and which act of its
音像记录事项清单 each kind of case record is.

None of them is national law (law-facts §8 items 3 and 7): they are data the agency's system administrator sets
(``set_records_policy``: an action with its ledger entry, the page ``records:policy`` and the API
``/api/v1/records-policy/{agency}/``); an agency that has set nothing works with ``rules.RECORDS_DEFAULTS``.
Everything that uses them reads ``settings_for(agency)``.
"""

from __future__ import annotations

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
from .models import RecordsPolicy

FIELDS = (
    "retention_general",
    "retention_simple",
    "access_burst_count",
    "access_burst_minutes",
    "record_acts",
)


def settings_for(agency) -> rules.RecordsSettings:
    """The agency's records settings, or ``rules.RECORDS_DEFAULTS`` when it has set none (once per page)."""
    agency_id = agency if isinstance(agency, int) else agency.pk

    def read() -> rules.RecordsSettings:
        policy = RecordsPolicy.objects.filter(agency_id=agency_id).first()
        if policy is None:
            return rules.RECORDS_DEFAULTS
        return rules.RecordsSettings(**{name: getattr(policy, name) for name in FIELDS})

    return memo.once(("records.policy", agency_id), read)


def _act_codes(agency) -> dict[str, str] | None:
    """{act code: act} of the agency's 音像记录事项清单 in force today, or None when it has none yet."""
    from zhifa.catalog.queries import av_requirements

    reqs = av_requirements(agency)
    return {r.act_code: r.act for r in reqs} if reqs else None


def record_kind_labels() -> dict[str, str]:
    from zhifa.cases.choices import RecordKind

    return {
        **{k: str(label) for k, label in RecordKind.choices},
        rules.INQUIRY_IN_CASE_ROOM: _("询问笔录（询问室）"),
    }


def policy_view(agency: Agency) -> dict:
    """What the page and the API show: the values in force and whether they are the defaults."""
    policy = RecordsPolicy.objects.filter(agency=agency).first()
    s = (
        settings_for(agency)
        if policy is None
        else rules.RecordsSettings(**{n: getattr(policy, n) for n in FIELDS})
    )
    labels = record_kind_labels()
    acts = _act_codes(agency) or {}
    return {
        "agency": agency.pk,
        "is_default": policy is None,
        "retention_general": s.retention_general,
        "retention_simple": s.retention_simple,
        "access_burst_count": s.access_burst_count,
        "access_burst_minutes": s.access_burst_minutes,
        "record_acts": dict(s.record_acts),
        "record_act_rows": [
            {"kind": k, "kind_label": labels.get(k, k), "act_code": v, "act": acts.get(v, "")}
            for k, v in s.record_acts.items()
        ],
        "basis": policy.basis if policy else rules.RECORDS_DEFAULTS_BASIS,
        "updated_at": policy.updated_at if policy else None,
    }


PROBLEMS = {
    "retention": lambda v: _("案卷保管期限应为1至%(n)d年。") % v,
    "burst_count": lambda v: _("异常调阅次数不少于%(n)d次。") % v,
    "burst_minutes": lambda v: _("异常调阅时间应为1至%(n)d分钟。") % v,
    "unknown_kind": lambda v: _("调查记录种类不正确：%(kinds)s。") % v,
    "unknown_act": lambda v: _("音像记录事项清单中没有这些事项：%(acts)s。") % v,
}


@transaction.atomic
def set_records_policy(
    actor,
    agency: Agency,
    *,
    retention_general: int,
    retention_simple: int,
    access_burst_count: int,
    access_burst_minutes: int,
    record_acts: dict[str, str] | None = None,
    basis: str = "",
) -> RecordsPolicy:
    """Set the agency's records settings (its system administrator). Left out, ``record_acts`` keeps the
    agency's current map (the default at first); each act named must be on the agency's 音像记录事项清单."""
    if actor is not None:
        if not getattr(actor, "is_authenticated", False):
            raise ActionDenied(_("请先登录。"))
        if not org_queries.has_role(actor, Role.SYSTEM_ADMIN, agency.pk):
            raise ActionDenied(_("只有本机关的系统管理员可以修改案卷与执法记录设置。"))
    current = settings_for(agency)
    acts = (
        dict(current.record_acts) if record_acts is None else {str(k): str(v) for k, v in record_acts.items()}
    )
    new = rules.RecordsSettings(
        retention_general=int(retention_general),
        retention_simple=int(retention_simple),
        access_burst_count=int(access_burst_count),
        access_burst_minutes=int(access_burst_minutes),
        record_acts=acts,
    )
    from zhifa.cases.choices import RecordKind

    problems = rules.settings_problems(new, RecordKind.values, _act_codes(agency))
    if problems:
        raise RuleViolation("".join(PROBLEMS[code](values) for code, values in problems))
    policy, _created = RecordsPolicy.objects.update_or_create(
        agency=agency,
        defaults={
            "retention_general": new.retention_general,
            "retention_simple": new.retention_simple,
            "access_burst_count": new.access_burst_count,
            "access_burst_minutes": new.access_burst_minutes,
            "record_acts": acts,
            "basis": basis,
            "updated_at": timezone.now(),
        },
    )
    from zhifa.ledger import actions as ledger

    ledger.append(
        agency=agency,
        actor=actor,
        action="records.set_records_policy",
        obj=policy,
        payload={"state": snapshot(policy)},
    )
    return policy


# Page ------------------------------------------------------------------------------------------------------------


class RecordsPolicyForm(forms.Form):
    retention_general = forms.IntegerField(label=gettext_lazy("一般程序案卷保管期限（年）"), min_value=1)
    retention_simple = forms.IntegerField(label=gettext_lazy("简易程序案卷保管期限（年）"), min_value=1)
    access_burst_count = forms.IntegerField(label=gettext_lazy("异常调阅：次数"), min_value=1)
    access_burst_minutes = forms.IntegerField(label=gettext_lazy("异常调阅：时间（分钟）"), min_value=1)
    record_acts = forms.CharField(
        label=gettext_lazy("调查记录对应的音像记录事项"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("每行一项：调查记录种类=音像记录事项编码，例如 seizure=seizure"),
    )
    basis = forms.CharField(label=gettext_lazy("依据"), max_length=300, required=False)

    def clean_record_acts(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for line in self.cleaned_data["record_acts"].splitlines():
            line = line.strip()
            if not line:
                continue
            kind, sep, act = line.partition("=")
            if not sep or not kind.strip() or not act.strip():
                raise forms.ValidationError(
                    _("格式不正确：“%(line)s”，应为“种类=事项编码”。") % {"line": line}
                )
            out[kind.strip()] = act.strip()
        return out


@login_required
def policy_page(request):
    agency = agency_settings.page_agency(request, _("您没有查看本机关案卷与执法记录设置的权限。"))
    may_edit = org_queries.has_role(request.user, Role.SYSTEM_ADMIN, agency.pk)
    view = policy_view(agency)
    form = None
    if may_edit:
        initial = {k: view[k] for k in FIELDS if k != "record_acts"}
        initial["record_acts"] = "\n".join(f"{k}={v}" for k, v in view["record_acts"].items())
        initial["basis"] = "" if view["is_default"] else view["basis"]
        form = RecordsPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("只有本机关的系统管理员可以修改案卷与执法记录设置。"))
        if form.is_valid():
            ok, _policy = run_action(
                form, lambda: set_records_policy(request.user, agency, **form.cleaned_data)
            )
            if ok:
                messages.success(request, _("案卷与执法记录设置已保存。"))
                return redirect(f"{request.path}?agency={agency.pk}")
    return render(
        request,
        "records/policy.html",
        {"agency": agency, "policy": view, "form": form, "acts": sorted((_act_codes(agency) or {}).items())},
    )


# API -------------------------------------------------------------------------------------------------------------


class RecordsPolicySerializer(serializers.Serializer):
    agency = serializers.IntegerField(read_only=True)
    is_default = serializers.BooleanField(
        read_only=True, help_text=str(gettext_lazy("本机关尚未设置，适用平台默认值"))
    )
    retention_general = serializers.IntegerField(min_value=1)
    retention_simple = serializers.IntegerField(min_value=1)
    access_burst_count = serializers.IntegerField(min_value=1)
    access_burst_minutes = serializers.IntegerField(min_value=1)
    record_acts = serializers.DictField(child=serializers.CharField(), required=False)
    basis = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


@extend_schema_view(
    **agency_settings.schema(
        RecordsPolicySerializer,
        gettext_lazy("案卷与执法记录设置"),
        gettext_lazy("本机关的案卷与执法记录设置"),
        gettext_lazy("设置案卷与执法记录（系统管理员）"),
    )
)
class RecordsPolicyViewSet(agency_settings.AgencySettingsViewSet):
    """GET /api/v1/records-policy/ (the agencies the user may see), GET and PUT /api/v1/records-policy/{agency}/."""

    serializer_class = RecordsPolicySerializer

    def view(self, agency):
        return policy_view(agency)

    def save(self, user, agency, data):
        set_records_policy(user, agency, **data)
