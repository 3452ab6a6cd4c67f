"""Pages for agencies, people, certificates and accounts. Reads go through queries, writes through actions."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core import keyset
from zhifa.core.forms import run_action

from . import actions, forms, queries, rules
from .choices import Role
from .signals import client_ip


def _require_role(user, role, agency) -> None:
    if not (user.is_superuser or queries.has_role(user, role, agency.pk)):
        raise PermissionDenied(_("您没有权限访问此页面。"))


def _form_page(request, form, title, back=None):
    return render(request, "core/form.html", {"form": form, "title": title, "back": back})


@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    certificates = []
    for cert in user.certificates.prefetch_related("fields"):
        certificates.append(
            {
                "cert": cert,
                "problem": rules.certificate_problem(
                    status=cert.status,
                    valid_from=cert.valid_from,
                    valid_to=cert.valid_to,
                    field_codes=[],
                    field=None,
                    on=today,
                ),
                "expiring": rules.expiring_soon(cert.valid_to, today),
            }
        )
    roles = queries.roles_by_agency(user)
    from zhifa.cases.queries import tasks_for
    from zhifa.inspections.queries import tasks_for as inspection_tasks
    from zhifa.records.access import tasks_for as records_tasks
    from zhifa.review.queries import tasks_for as review_tasks
    from zhifa.supervision.queries import tasks_for as supervision_tasks
    from zhifa.workdays.queries import calendar_warnings, my_deadlines, my_reminders, reminder_text

    unread = my_reminders(user).filter(read_at__isnull=True)
    latest = list(unread[:5])

    return render(
        request,
        "org/home.html",
        {
            "certificates": certificates,
            "role_labels": sorted({Role(r).label for held in roles.values() for r in held}),
            "tasks": records_tasks(user)
            + review_tasks(user)
            + tasks_for(user)
            + supervision_tasks(user)
            + inspection_tasks(user),
            "deadlines": my_deadlines(user),
            "calendar_warnings": calendar_warnings(user),
            "reminders": [{"reminder": r, "text": reminder_text(r)} for r in latest],
            "unread_reminders": len(latest) if len(latest) < 5 else unread.count(),
        },
    )


def password_change(request):
    if not request.user.is_authenticated:
        return redirect("login")
    form = forms.PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _result = run_action(
            form,
            lambda: actions.change_password(
                request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                ip=client_ip(request),
            ),
        )
        if ok:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("home")
    title = _("首次登录，请修改初始密码") if request.user.must_change_password else _("修改密码")
    return _form_page(request, form, title)


# 执法主体


@login_required
def agency_list(request):
    agencies = queries.visible_agencies(request.user).select_related("parent")
    if not agencies.exists() and not request.user.is_superuser:
        raise PermissionDenied(_("您没有权限访问此页面。"))
    return render(request, "org/agency_list.html", {"agencies": agencies})


@login_required
def agency_detail(request, pk):
    agency = queries.access_agency(request.user, pk)
    user = request.user
    return render(
        request,
        "org/agency_detail.html",
        {
            "agency": agency,
            "units": agency.units.all(),
            "people_count": agency.people.count(),
            "children": queries.visible_agencies(user).filter(parent=agency),
            "can_edit": user.is_superuser or queries.has_role(user, Role.SYSTEM_ADMIN, agency.pk),
        },
    )


@login_required
def agency_create(request, parent_pk=None):
    parent = queries.access_agency(request.user, parent_pk) if parent_pk else None
    if parent is None and not request.user.is_superuser:
        raise PermissionDenied(_("只有平台管理员可以创建顶级执法主体。"))
    if parent is not None:
        _require_role(request.user, Role.SYSTEM_ADMIN, parent)
    form = forms.AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, agency = run_action(
            form, lambda: actions.create_agency(request.user, parent=parent, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("执法主体已创建。"))
            return redirect("org:agency_detail", agency.pk)
    return _form_page(request, form, _("新建执法主体"))


@login_required
def agency_edit(request, pk):
    agency = queries.access_agency(request.user, pk)
    _require_role(request.user, Role.SYSTEM_ADMIN, agency)
    form = forms.AgencyForm(request.POST or None, instance=agency)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        agency.refresh_from_db()
        ok, _result = run_action(form, lambda: actions.update_agency(request.user, agency, **changes))
        if ok:
            messages.success(request, _("已保存。"))
            return redirect("org:agency_detail", agency.pk)
    return _form_page(request, form, _("编辑执法主体"), back=agency)


@login_required
def unit_add(request, pk):
    agency = queries.access_agency(request.user, pk)
    _require_role(request.user, Role.SYSTEM_ADMIN, agency)
    form = forms.UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _unit = run_action(form, lambda: actions.add_unit(request.user, agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("内设机构已添加。"))
            return redirect("org:agency_detail", agency.pk)
    return _form_page(request, form, _("添加内设机构"), back=agency)


# 人员


@login_required
def person_list(request):
    people = queries.visible_people(request.user).prefetch_related("certificates")
    if not queries.visible_agencies(request.user).exists() and not request.user.is_superuser:
        raise PermissionDenied(_("您没有权限访问此页面。"))
    q = request.GET.get("q", "").strip()
    if q:
        people = people.filter(Q(full_name__contains=q) | Q(username__contains=q) | Q(certificates__number=q))
    agency_id = request.GET.get("agency")
    if agency_id and agency_id.isdigit():
        people = people.filter(agency_id=agency_id)
    page = Paginator(people.distinct(), 50).get_page(request.GET.get("page"))
    creatable = [
        a
        for a in queries.visible_agencies(request.user)
        if request.user.is_superuser or queries.has_role(request.user, Role.SECURITY_ADMIN, a.pk)
    ]
    return render(request, "org/person_list.html", {"page": page, "q": q, "creatable": creatable})


@login_required
def person_detail(request, pk):
    person = queries.access_person(request.user, pk)
    user = request.user
    agency = person.agency
    today = timezone.localdate()
    is_security = agency is not None and (
        user.is_superuser or queries.has_role(user, Role.SECURITY_ADMIN, agency.pk)
    )
    is_system = agency is not None and (
        user.is_superuser or queries.has_role(user, Role.SYSTEM_ADMIN, agency.pk)
    )
    certs = [
        {
            "cert": c,
            "problem": rules.certificate_problem(
                status=c.status,
                valid_from=c.valid_from,
                valid_to=c.valid_to,
                field_codes=[],
                field=None,
                on=today,
            ),
            "expiring": rules.expiring_soon(c.valid_to, today),
        }
        for c in person.certificates.prefetch_related("fields")
    ]
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "roles": person.roles.select_related("agency"),
            "certificates": certs,
            "is_security": is_security,
            "is_system": is_system,
            "role_form": forms.RoleForm(),
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
def person_create(request, agency_pk):
    agency = queries.access_agency(request.user, agency_pk)
    _require_role(request.user, Role.SECURITY_ADMIN, agency)
    form = forms.PersonCreateForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        username, password = data.pop("username"), data.pop("password")
        ok, person = run_action(
            form,
            lambda: actions.add_person(request.user, agency, username=username, password=password, **data),
        )
        if ok:
            messages.success(request, _("账户已创建，该人员首次登录时须修改密码。"))
            return redirect("org:person_detail", person.pk)
    return _form_page(request, form, _("新建人员账户"), back=agency)


@login_required
def person_edit(request, pk):
    person = queries.access_person(request.user, pk)
    _require_role(request.user, Role.SECURITY_ADMIN, person.agency)
    form = forms.PersonEditForm(request.POST or None, instance=person, agency=person.agency)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        person.refresh_from_db()
        ok, _result = run_action(form, lambda: actions.update_person(request.user, person, **changes))
        if ok:
            messages.success(request, _("已保存。"))
            return redirect("org:person_detail", person.pk)
    return _form_page(request, form, _("编辑人员信息"), back=person)


def _post_action(request, person, form, action, success):
    if form.is_valid():
        ok, _result = run_action(form, lambda: action(form.cleaned_data))
        if ok:
            messages.success(request, success)
            return redirect("org:person_detail", person.pk)
    for error in form.errors.values():
        for message in error:
            messages.error(request, message)
    return redirect("org:person_detail", person.pk)


@login_required
@require_POST
def role_grant(request, pk):
    person = queries.access_person(request.user, pk)
    _require_role(request.user, Role.SECURITY_ADMIN, person.agency)
    return _post_action(
        request,
        person,
        forms.RoleForm(request.POST),
        lambda d: actions.grant_role(request.user, person, d["role"]),
        _("角色已授予。"),
    )


@login_required
@require_POST
def role_remove(request, pk, assignment_pk):
    person = queries.access_person(request.user, pk)
    assignment = get_object_or_404(person.roles, pk=assignment_pk)
    _require_role(request.user, Role.SECURITY_ADMIN, assignment.agency)
    return _post_action(
        request,
        person,
        forms.ReasonForm(request.POST),
        lambda d: actions.remove_role(
            request.user, person, assignment.role, assignment.agency, reason=d["reason"]
        ),
        _("角色已移除。"),
    )


@login_required
@require_POST
def person_active(request, pk):
    person = queries.access_person(request.user, pk)
    _require_role(request.user, Role.SECURITY_ADMIN, person.agency)
    active = request.POST.get("active") == "1"
    return _post_action(
        request,
        person,
        forms.ReasonForm(request.POST),
        lambda d: actions.set_person_active(request.user, person, active=active, reason=d["reason"]),
        _("账户已启用。") if active else _("账户已停用。"),
    )


@login_required
def password_reset(request, pk):
    person = queries.access_person(request.user, pk)
    _require_role(request.user, Role.SECURITY_ADMIN, person.agency)
    form = forms.PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _result = run_action(
            form,
            lambda: actions.reset_password(
                request.user, person, new_password=form.cleaned_data["new_password"]
            ),
        )
        if ok:
            messages.success(request, _("临时密码已设置，该人员下次登录时须修改。"))
            return redirect("org:person_detail", person.pk)
    return _form_page(request, form, _("重置密码：%(name)s") % {"name": person.full_name}, back=person)


# 执法证


@login_required
def certificate_issue(request, pk):
    person = queries.access_person(request.user, pk)
    _require_role(request.user, Role.SYSTEM_ADMIN, person.agency)
    form = forms.CertificateForm(
        request.POST or None,
        initial={
            "issuer": person.agency.parent.name if person.agency.parent else "",
            "valid_from": dt.date.today(),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _cert = run_action(
            form,
            lambda: actions.issue_certificate(
                request.user,
                person,
                number=d["number"],
                field_codes=[f.code for f in d["fields"]],
                issuer=d["issuer"],
                valid_from=d["valid_from"],
                valid_to=d["valid_to"],
            ),
        )
        if ok:
            messages.success(request, _("执法证已登记。"))
            return redirect("org:person_detail", person.pk)
    return _form_page(request, form, _("登记执法证：%(name)s") % {"name": person.full_name}, back=person)


@login_required
@require_POST
def certificate_status(request, pk, action):
    cert = queries.access_certificate(request.user, pk)
    _require_role(request.user, Role.SYSTEM_ADMIN, cert.person.agency)
    fn = {
        "suspend": actions.suspend_certificate,
        "reinstate": actions.reinstate_certificate,
        "revoke": actions.revoke_certificate,
    }.get(action)
    if fn is None:
        raise PermissionDenied
    return _post_action(
        request,
        cert.person,
        forms.ReasonForm(request.POST),
        lambda d: fn(request.user, cert, reason=d["reason"]),
        _("执法证状态已更新。"),
    )


# 登录审计 and tokens


@login_required
def auth_events(request):
    if not queries.has_role(request.user, Role.AUDIT_ADMIN):
        raise PermissionDenied(_("登录审计记录仅审计管理员可以查看。"))
    events = queries.visible_auth_events(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        events = events.filter(username=q)
    # the records only grow: cut by keyset (zhifa.core.keyset), newest first
    page = keyset.page_of(request, events, keyset.by_id("at", keyset.TIME), descending=True, size=100)
    query = urlencode({"q": q}) if q else ""
    return render(request, "org/auth_events.html", {"page": page, "q": q, "query": query})


@login_required
def tokens(request):
    form = forms.TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        ok, result = run_action(
            form,
            lambda: actions.create_api_token(
                request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            ),
        )
        if ok:
            raw = result[1]
            form = forms.TokenForm()
    return render(
        request, "org/tokens.html", {"tokens": request.user.api_tokens.all(), "form": form, "raw": raw}
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    actions.revoke_api_token(request.user, token)
    messages.success(request, _("令牌已吊销。"))
    return redirect("org:tokens")
