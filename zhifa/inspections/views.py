"""双随机一公开 pages: the target pool (list, add, change, retire, import), the agency's 抽查细则, the plans and a plan
with its draw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.forms import run_action
from zhifa.org.models import Agency

from . import actions, forms, queries, rules
from .models import PlanState, Result

PAGE_SIZE = 50


def _agency(request) -> Agency:
    """The agency whose pool and plans the page shows: ``?agency=<id>`` among those the user may read, else their
    own, else (a supervisor) the first by code. The others are offered in the page's agency choice."""
    ids = queries.reader_agency_ids(request.user)
    if not ids:
        raise PermissionDenied(_("只有执法主体的人员和监督人员可以查看双随机抽查。"))
    agencies = list(Agency.objects.filter(pk__in=ids).order_by("code"))
    wanted = request.GET.get("agency", "")
    chosen = next((a for a in agencies if str(a.pk) == wanted), None)
    # by default the agency the user works in, where they inspect or direct; a supervisor: the first they supervise
    staff = queries.reader_agency_ids(request.user, supervising=False)
    chosen = chosen or next((a for a in agencies if a.pk == request.user.agency_id and a.pk in staff), None)
    chosen = chosen or next((a for a in agencies if a.pk != request.user.agency_id), None) or agencies[0]
    request.inspection_agencies = agencies if len(agencies) > 1 else []
    return chosen


@login_required
def targets(request):
    agency = _agency(request)
    qs = queries.search_targets(
        queries.visible_targets(request.user).filter(agency=agency).select_related("field"),
        request.GET.get("q", ""),
    )
    if request.GET.get("retired") != "1":
        qs = qs.filter(active=True)
    page = Paginator(qs.order_by("credit_code"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "agency": agency,
        "page": page,
        "may_edit": queries.may_edit_pool(request.user, agency),
        "q": request.GET.get("q", ""),
        "retired": request.GET.get("retired") == "1",
        "columns": actions.IMPORT_COLUMNS,
    }
    return render(request, "inspections/targets.html", context)


@login_required
def target_form(request, pk=None):
    target = queries.access_target(request.user, pk) if pk is not None else None
    agency = target.agency if target else _agency(request)
    if not queries.may_edit_pool(request.user, agency):
        raise PermissionDenied(_("只有本机关的系统管理员可以维护检查对象名录库和抽查细则。"))
    initial = {f: getattr(target, f) for f in actions.TARGET_FIELDS} if target else None
    form = forms.TargetForm(request.POST or None, initial=initial)
    retire = forms.RetireForm()
    if request.method == "POST" and form.is_valid():
        ok, saved = run_action(
            form, lambda: actions.save_target(request.user, agency, target=target, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("已保存“%(name)s”。") % {"name": saved.name})
            return redirect("inspections:targets")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "inspections/target_form.html",
        {"form": form, "target": target, "retire": retire},
        status=status,
    )


@login_required
@require_POST
def retire_target(request, pk):
    target = queries.access_target(request.user, pk)
    if not queries.may_edit_pool(request.user, target.agency):
        raise PermissionDenied(_("只有本机关的系统管理员可以维护检查对象名录库和抽查细则。"))
    form = forms.RetireForm(request.POST)
    if form.is_valid():
        ok, _t = run_action(form, lambda: actions.retire_target(request.user, target, **form.cleaned_data))
        if ok:
            messages.success(request, _("已将“%(name)s”移出名录库。") % {"name": target.name})
            return redirect("inspections:targets")
    for error in form.errors.values():
        messages.error(request, "；".join(error))
    return redirect("inspections:target_edit", target.pk)


@login_required
def import_targets(request):
    agency = _agency(request)
    if not queries.may_edit_pool(request.user, agency):
        raise PermissionDenied(_("只有本机关的系统管理员可以维护检查对象名录库和抽查细则。"))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        ok, counts = run_action(
            form,
            lambda: actions.import_targets(request.user, agency, filename=upload.name, data=upload.read()),
        )
        if ok:
            messages.success(
                request, _("已导入：新增 %(a)d 户，更新 %(u)d 户。") % {"a": counts[0], "u": counts[1]}
            )
            return redirect("inspections:targets")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "columns": actions.IMPORT_COLUMNS, "agency": agency}
    return render(request, "inspections/target_import.html", context, status=status)


@login_required
def policy(request):
    agency = _agency(request)
    current = queries.draw_policy(agency)
    may_edit = queries.may_edit_pool(request.user, agency)
    form = forms.PolicyForm(
        request.POST or None, initial={"minimum_rate": current.minimum_rate, "inspectors": current.inspectors}
    )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("只有本机关的系统管理员可以维护检查对象名录库和抽查细则。"))
        if form.is_valid():
            ok, _p = run_action(
                form, lambda: actions.set_draw_policy(request.user, agency, **form.cleaned_data)
            )
            if ok:
                messages.success(request, _("已修改抽查细则，之后制定的计划按新的规定。"))
                return redirect("inspections:policy")
    context = {"form": form, "policy": current, "may_edit": may_edit, "agency": agency}
    return render(request, "inspections/policy.html", context, status=400 if form.errors else 200)


@login_required
def plans(request):
    agency = _agency(request)
    page = Paginator(
        queries.visible_plans(request.user)
        .filter(agency=agency)
        .select_related("field")
        .order_by("-created_at", "-id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context = {"agency": agency, "page": page, "may_plan": queries.may_plan(request.user, agency)}
    return render(request, "inspections/plans.html", context)


@login_required
def new_plan(request):
    agency = _agency(request)
    if not queries.may_plan(request.user, agency):
        raise PermissionDenied(_("只有本机关负责人可以制定双随机抽查计划。"))
    policy_ = queries.draw_policy(agency)
    form = forms.PlanForm(
        request.POST or None, request.FILES or None, agency=agency, minimum_rate=policy_.minimum_rate
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("assigned_file", None)
        if upload is not None:  # a national or provincial plan's targets (checked for type, size and name)
            data["assigned_file"] = (upload.name, upload.read(actions.IMPORT_MAX_BYTES + 1))
        ok, made = run_action(form, lambda: actions.create_plan(request.user, agency, **data))
        if ok:
            messages.success(request, _("已制定计划，随机种子的承诺值已记入账本并在门户公开。"))
            return redirect(made)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/plan_new.html", {"form": form, "policy": policy_}, status=status)


@login_required
def plan(request, pk):
    p = queries.access_plan(request.user, pk)
    drawn = list(p.drawn.select_related("target", "result").order_by("position"))
    for d, pairs in zip(
        drawn, queries.inspector_pairs(drawn), strict=True
    ):  # the inspectors in the draw's order, with their certificates
        d.pairs = pairs
    context = {
        "p": p,
        "items": list(p.items.order_by("seq", "code")),
        "drawn": drawn,
        "may_draw": p.state == PlanState.OPEN and queries.may_plan(request.user, p.agency),
    }
    return render(request, "inspections/plan.html", context)


@login_required
@require_POST
def draw(request, pk):
    from django.core.exceptions import ValidationError

    p = queries.access_plan(request.user, pk)
    try:
        actions.draw_plan(request.user, p)
    except ValidationError as exc:  # a rule refused it: shown on the page, nothing written
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已封存名录库、公开随机种子并抽取检查对象和检查人员。"))
    return redirect(p)


@login_required
def drawn(request, pk):
    """A drawn target: its inspectors and, once recorded, the result; the form for its inspectors until then."""
    d = queries.access_drawn(request.user, pk)
    plan_ = d.plan
    inspectors = d.inspectors.order_by("pk")
    result = Result.objects.filter(drawn=d).select_related("case", "recorded_by").first()
    may_record = result is None and inspectors.filter(pk=request.user.pk).exists()
    form = None
    status = 200
    if may_record or request.method == "POST":
        if not may_record:
            raise PermissionDenied(_("只有抽中的检查人员可以记录检查结果，且只能记录一次。"))
        points = rules.checklist(plan_.items.order_by("seq", "code"))
        form = forms.ResultForm(
            request.POST or None,
            inspectors=inspectors,
            points=points,
            initial={
                "place": d.target.address,
                "officers": list(inspectors),
                "inspected_on": timezone.localdate(),
            },
        )
        if request.method == "POST":
            if form.is_valid():
                data = dict(form.cleaned_data)
                values = {
                    k: data[k] for k in ("inspected_on", "place", "officers", "outcome", "opinion", "cause")
                }
                ok, made = run_action(
                    form, lambda: actions.record_result(request.user, d, verdicts=form.verdicts(), **values)
                )
                if ok:
                    messages.success(request, _("已记录检查结果，门户上的抽查结果已更新。"))
                    return redirect("inspections:drawn", d.pk)
            status = 400
    may_recheck = (
        result is not None
        and result.outcome == "correct"
        and result.rechecked_on is None
        and inspectors.filter(pk=request.user.pk).exists()
    )
    context = {
        "d": d,
        "p": plan_,
        "result": result,
        "form": form,
        "pairs": queries.inspector_pairs([d])[0],
        "recheck": forms.RecheckForm(initial={"rechecked_on": timezone.localdate()}) if may_recheck else None,
    }
    if result is None and queries.may_plan(request.user, plan_.agency):
        context["replace"] = forms.ReplaceForm(pairs=context["pairs"])
    return render(request, "inspections/drawn.html", context, status=status)


@login_required
@require_POST
def recheck(request, pk):
    d = queries.access_drawn(request.user, pk)
    result = Result.objects.filter(drawn=d).first()
    if result is None or not d.inspectors.filter(pk=request.user.pk).exists():
        raise PermissionDenied(_("只有这个检查对象的检查人员可以记录复查结果。"))
    form = forms.RecheckForm(request.POST)
    if form.is_valid():
        ok, _r = run_action(form, lambda: actions.record_recheck(request.user, result, **form.cleaned_data))
        if ok:
            messages.success(request, _("已记录复查结果。"))
            return redirect("inspections:drawn", d.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("inspections:drawn", d.pk)


@login_required
@require_POST
def replace(request, pk):
    d = queries.access_drawn(request.user, pk)
    if not queries.may_plan(request.user, d.plan.agency):
        raise PermissionDenied(_("只有本机关负责人可以批准变更检查人员。"))
    form = forms.ReplaceForm(request.POST, pairs=queries.inspector_pairs([d])[0])
    if form.is_valid():
        ok, _d = run_action(form, lambda: actions.replace_inspector(request.user, d, **form.cleaned_data))
        if ok:
            messages.success(request, _("已按抽取顺序变更检查人员，变更记入账本。"))
            return redirect("inspections:drawn", d.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("inspections:drawn", d.pk)
