"""案卷评查 pages: the evaluations a supervisor may see, a new one, one with its draw and results, and a drawn file's
scorecard."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.forms import run_action
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Agency, Person

from . import actions, forms, models, queries
from .checks import CHECKS
from .choices import EvaluationState, ItemGroup


def _require_supervisor(user) -> None:
    if not queries.is_supervisor(user):
        raise PermissionDenied(_("只有监督人员可以进入执法监督。"))


@login_required
def home(request):
    _require_supervisor(request.user)
    evaluations = queries.visible_evaluations(request.user).select_related("agency")[:200]
    context = {
        "evaluations": evaluations,
        "todo": queries.files_to_evaluate(request.user).order_by("evaluation_id", "position")[:100],
    }
    return render(request, "supervision/home.html", context)


def _evaluation_form(request):
    ids = queries.supervised_agency_ids(request.user)
    return forms.EvaluationForm(
        request.POST or None,
        agencies=Agency.objects.filter(pk__in=ids).order_by("code"),
        evaluators=queries.possible_evaluators_any(ids).select_related("agency"),
        standards=queries.current_standards(request.user),
    )


@login_required
def new_evaluation(request):
    _require_supervisor(request.user)
    form = _evaluation_form(request)
    if request.method == "POST" and form.is_valid():
        ok, evaluation = run_action(
            form, lambda: actions.create_evaluation(request.user, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("已创建案卷评查，随机种子的承诺值已记入账本。"))
            return redirect(evaluation)
    return render(request, "supervision/new.html", {"form": form})


def _may_draw(user, evaluation) -> bool:
    return evaluation.state == EvaluationState.OPEN and (
        user.pk == evaluation.created_by_id or any(p.pk == user.pk for p in evaluation.evaluators.all())
    )


@login_required
def evaluation(request, pk):
    ev = queries.access_evaluation(request.user, pk)
    files = queries.sample(ev)
    context = {
        "ev": ev,
        "agencies": list(ev.agencies.order_by("code")),
        "evaluators": list(ev.evaluators.order_by("pk")),
        "files": files,
        **queries.report_context(ev, files),
    }
    context["may_draw"] = _may_draw(request.user, ev)
    context["period_over"] = timezone.localdate() > ev.period_end
    return render(request, "supervision/evaluation.html", context)


@login_required
@require_POST
def draw(request, pk):
    ev = queries.access_evaluation(request.user, pk)
    try:
        actions.draw_sample(request.user, ev)
    except ValidationError as exc:  # a rule refused it: shown on the page, nothing written
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已封存抽样框、公开随机种子并抽取案卷。"))
    return redirect(ev)


def _file_page(request, f, form=None, status=200):
    items = list(f.evaluation.standard.items.all())
    rectified = {r.item_code: r for r in f.rectifications.order_by("pk")}
    may_rectify = f.case.agency_id in queries.supervised_agency_ids(request.user)
    rows = []
    for item in items:
        answer = f.answers.get(item.code) or {}
        rows.append(
            {
                "item": item,
                "answer": answer,
                "rectification": rectified.get(item.code),
                "may_rectify": may_rectify and answer.get("verdict") == "fail" and item.code not in rectified,
            }
        )
    groups = [(label, [r for r in rows if r["item"].group == value]) for value, label in ItemGroup.choices]
    editable = f.finished_at is None and f.evaluator_id == request.user.pk
    context = {
        "f": f,
        "ev": f.evaluation,
        "case": f.case,
        "groups": groups,
        "editable": editable,
        "pending_auto": editable
        and any(r["answer"].get("auto") in ("pass", "fail") and not r["answer"].get("verdict") for r in rows),
        "form": form,
        "error_code": form.data.get("code") if form is not None and form.errors else None,
        "unanswered": sum(1 for r in rows if not r["answer"].get("verdict")),
    }
    return render(request, "supervision/file.html", context, status=status)


@login_required
def file(request, pk):
    return _file_page(request, queries.access_file(request.user, pk))


@login_required
@require_POST
def answer(request, pk):
    f = queries.access_file(request.user, pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        ok, _result = run_action(form, lambda: actions.answer_item(request.user, f, **form.cleaned_data))
        if ok:
            return redirect(f"{f.get_absolute_url()}#item-{form.cleaned_data['code']}")
    return _file_page(request, queries.access_file(request.user, pk), form=form, status=400)


def _simple(request, pk, action, done):
    f = queries.access_file(request.user, pk)
    try:
        action(request.user, f)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(f)


@login_required
@require_POST
def confirm(request, pk):
    return _simple(request, pk, actions.confirm_prefilled, _("已确认平台的判断。"))


@login_required
@require_POST
def finish(request, pk):
    return _simple(request, pk, actions.finish_file, _("已评定。"))


# 整改 ---------------------------------------------------------------------------------------------------------------


@login_required
def new_rectification(request, pk, code):
    f = queries.access_file(request.user, pk)
    if f.case.agency_id not in queries.supervised_agency_ids(request.user):
        raise PermissionDenied(_("只有该执法主体的监督人员才能提出整改。"))
    answer = f.answers.get(code) or {}
    item = f.evaluation.standard.items.filter(code=code).first()
    if item is None or answer.get("verdict") != "fail":
        raise PermissionDenied(_("只能对评查结论为“不符合”的项目提出整改。"))
    if f.rectifications.filter(item_code=code).exists():
        raise PermissionDenied(_("这一项已经提出整改。"))
    people = Person.objects.filter(agency=f.case.agency, is_active=True).select_related("unit", "agency")
    form = forms.RectificationForm(
        request.POST or None,
        people=people.order_by("unit_id", "pk"),
        initial={"problem": f"{item.text}：{answer.get('reason', '')}".strip("：")},
    )
    if request.method == "POST" and form.is_valid():
        ok, rect = run_action(
            form,
            lambda: actions.open_rectification(request.user, f, item_code=code, **form.cleaned_data),
        )
        if ok:
            messages.success(request, _("已提出整改，整改期限至%(due)s。") % {"due": rect.deadline.due})
            return redirect(rect)
    return render(request, "supervision/rectification_new.html", {"form": form, "f": f, "item": item})


@login_required
def rectifications(request):
    user = request.user
    if not (
        queries.supervised_agency_ids(user)
        or org_queries.agency_ids_with(user, {Role.AGENCY_HEAD})
        or queries.visible_rectifications(user).exists()
    ):
        raise PermissionDenied(_("您没有需要查看的整改。"))
    rows = list(
        queries.visible_rectifications(request.user)
        .select_related("agency", "owner", "deadline", "case")
        .order_by("state", "deadline__due", "-id")[:200]
    )
    repeated = queries.repeated_findings(rows)
    today = timezone.localdate()
    for r in rows:
        r.repeated = repeated.get((r.agency_id, r.item_code), 0)
        r.overdue = r.state == "open" and r.deadline is not None and r.deadline.due < today
    return render(request, "supervision/rectifications.html", {"rows": rows})


def _rectification_page(request, rect, fix_form=None, verify_form=None, status=200):
    from zhifa.org.queries import has_role

    user = request.user
    context = {
        "r": rect,
        "today": timezone.localdate(),
        "may_fix": rect.state == "open"
        and (user.pk == rect.owner_id or has_role(user, Role.AGENCY_HEAD, rect.agency_id)),
        "may_verify": rect.state == "submitted" and rect.agency_id in queries.supervised_agency_ids(user),
        "fix_form": fix_form or forms.FixForm(),
        "verify_form": verify_form or forms.VerifyForm(),
        "accountabilities": list(
            rect.accountabilities.prefetch_related("people").select_related("recorded_by")
        ),
        "may_hold_accountable": rect.agency_id in queries.supervised_agency_ids(user),
        "may_see_file": rect.evaluation_file_id is not None
        and queries.visible_files(user).filter(pk=rect.evaluation_file_id).exists(),
        "may_see_inspection": rect.inspection_line_id is not None
        and queries.visible_inspections(user).filter(pk=rect.inspection_line.inspection_id).exists(),
    }
    return render(request, "supervision/rectification.html", context, status=status)


@login_required
def rectification(request, pk):
    return _rectification_page(request, queries.access_rectification(request.user, pk))


@login_required
@require_POST
def submit_fix(request, pk):
    rect = queries.access_rectification(request.user, pk)
    form = forms.FixForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        data = upload.read() if upload else None
        ok, _r = run_action(
            form, lambda: actions.submit_fix(request.user, rect, note=form.cleaned_data["note"], data=data)
        )
        if ok:
            messages.success(request, _("已报送整改情况，等待监督人员核验。"))
            return redirect(rect)
    return _rectification_page(
        request, queries.access_rectification(request.user, pk), fix_form=form, status=400
    )


@login_required
@require_POST
def verify_fix(request, pk):
    rect = queries.access_rectification(request.user, pk)
    form = forms.VerifyForm(request.POST)
    if form.is_valid():
        ok, _r = run_action(form, lambda: actions.verify_fix(request.user, rect, **form.cleaned_data))
        if ok:
            messages.success(request, _("已核验。"))
            return redirect(rect)
    return _rectification_page(
        request, queries.access_rectification(request.user, pk), verify_form=form, status=400
    )


@login_required
def fix_file(request, pk):
    from django.http import Http404, HttpResponse

    from zhifa.records import storage

    rect = queries.access_rectification(request.user, pk)
    if not rect.fix_file_name:
        raise Http404
    response = HttpResponse(
        storage.read(rect.fix_file_name, rect.fix_sha256), content_type=rect.fix_content_type
    )
    response["Content-Disposition"] = (
        f'inline; filename="rectification-{rect.pk}.{rect.fix_file_name.rsplit(".", 1)[-1]}"'
    )
    return response


# 问责 ---------------------------------------------------------------------------------------------------------------


@login_required
def new_accountability(request, pk):
    rect = queries.access_rectification(request.user, pk)
    if rect.agency_id not in queries.supervised_agency_ids(request.user):
        raise PermissionDenied(_("只有该执法主体的监督人员才能登记问责。"))
    chain = actions.responsibility_chain(rect.case)
    ids = {row["person"] for row in chain if row["person"]} | {rect.owner_id}
    if rect.case_id:
        ids |= set(rect.case.officer_links.values_list("person_id", flat=True))
    people = Person.objects.filter(pk__in=ids, agency_id=rect.agency_id).order_by("pk")
    form = forms.AccountabilityForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        ok, _record = run_action(
            form, lambda: actions.record_accountability(request.user, rect, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("已登记问责。"))
            return redirect(rect)
    return render(
        request,
        "supervision/accountability_new.html",
        {"r": rect, "chain": models.chain_rows(chain), "form": form},
    )


@login_required
def report(request, pk):
    """The evaluation's report (评查报告) as a PDF: the draw, the results per agency and per file, the grades and the
    items most often failed, with their charts; always in Chinese, as the platform's documents are."""
    from django.http import HttpResponse

    from zhifa.records import conf as records_conf
    from zhifa.records import render

    ev = queries.access_evaluation(request.user, pk)
    if ev.state == EvaluationState.OPEN:
        raise Http404
    files = queries.sample(ev)
    context = {
        "ev": ev,
        "agencies": list(ev.agencies.order_by("code")),
        "evaluators": list(ev.evaluators.order_by("pk")),
        "files": files,
        "font_family": records_conf.css_font_family(),
        "today": timezone.localdate(),
        **queries.report_context(ev, files),
    }
    data, _box = render.pdf(render.render_in_chinese("supervision/report_pdf.html", context))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evaluation-{ev.pk}.pdf"'
    return response


# 每季度网上巡查 -------------------------------------------------------------------------------------------------------


def _require_inspection_reader(user) -> None:
    if not (queries.supervised_agency_ids(user) or org_queries.agency_ids_with(user, {Role.AGENCY_HEAD})):
        raise PermissionDenied(_("只有监督人员和执法主体负责人可以查看网上巡查。"))


def _prepare_form(request, data=None):
    from . import inspection as checks

    ids = queries.supervised_agency_ids(request.user)
    year, quarter = checks.last_ended_quarter(timezone.localdate())
    return forms.PrepareInspectionForm(
        data,
        agencies=Agency.objects.filter(pk__in=ids).order_by("code"),
        initial={"year": year, "quarter": quarter},
    )


@login_required
def inspections(request):
    """The quarterly publicity inspections the user may see, newest quarter first; a supervisor prepares one."""
    from django.core.paginator import Paginator

    _require_inspection_reader(request.user)
    supervisor = queries.is_supervisor(request.user)
    form = _prepare_form(request, request.POST or None) if supervisor else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("只有监督人员可以生成网上巡查。"))
        if form.is_valid():
            ok, inspection = run_action(
                form, lambda: actions.prepare_inspection(request.user, **form.cleaned_data)
            )
            if ok:
                messages.success(request, _("已生成网上巡查，请逐项确认。"))
                return redirect(inspection)
    from django.db.models import Count, Q

    rows = (
        queries.visible_inspections(request.user)
        .select_related("agency")
        .annotate(problem_count=Count("lines", filter=Q(lines__result="problem", lines__dismissed="")))
        .order_by("-year", "-quarter", "agency_id", "pk")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/inspections.html",
        {"page": page, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _inspection_page(request, inspection, *, finding_form=None, sign_form=None, status=200):
    from .choices import InspectionState

    supervises = inspection.agency_id in queries.supervised_agency_ids(request.user)
    context = {
        **queries.inspection_context(inspection),
        "may_edit": supervises and inspection.state == InspectionState.PREPARED,
        "may_rectify": supervises and inspection.state == InspectionState.SIGNED,
        "finding_form": finding_form or forms.FindingForm(),
        "sign_form": sign_form or forms.SignForm(),
    }
    return render(request, "supervision/inspection.html", context, status=status)


@login_required
def inspection(request, pk):
    return _inspection_page(request, queries.access_inspection(request.user, pk))


def _inspection_step(request, inspection, form, action, done):
    if form.is_valid():
        ok, _result = run_action(form, lambda: action(form.cleaned_data))
        if ok:
            messages.success(request, done)
            return redirect(inspection)
    return None


@login_required
@require_POST
def prepare_again(request, pk):
    ins = queries.access_inspection(request.user, pk)
    try:
        actions.prepare_inspection(request.user, ins.agency, ins.year, ins.quarter)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已重新生成平台检查的内容，已添加的问题保留。"))
    return redirect(ins)


@login_required
@require_POST
def add_finding(request, pk):
    ins = queries.access_inspection(request.user, pk)
    form = forms.FindingForm(request.POST)
    response = _inspection_step(
        request,
        ins,
        form,
        lambda data: actions.add_finding(request.user, ins, **data),
        _("已添加发现的问题。"),
    )
    return response or _inspection_page(request, ins, finding_form=form, status=400)


@login_required
@require_POST
def judge_line(request, pk):
    line = queries.access_line(request.user, pk)
    form = forms.JudgeForm(request.POST)
    if form.is_valid():
        try:
            actions.judge_line(request.user, line, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已记录判断。"))
    else:
        messages.error(request, _("理由不超过 2000 字。"))
    return redirect(f"{line.inspection.get_absolute_url()}#line-{line.pk}")


@login_required
@require_POST
def sign_inspection(request, pk):
    ins = queries.access_inspection(request.user, pk)
    form = forms.SignForm(request.POST)
    response = _inspection_step(
        request,
        ins,
        form,
        lambda data: actions.sign_inspection(request.user, ins, **data),
        _("已签发网上巡查报告。"),
    )
    return response or _inspection_page(request, ins, sign_form=form, status=400)


@login_required
def inspection_pdf(request, pk):
    """The signed report, the sealed bytes as stored (their SHA-256 is in the ledger)."""
    from django.http import HttpResponse

    from zhifa.records import storage

    ins = queries.access_inspection(request.user, pk)
    if not ins.pdf_name:
        raise Http404
    response = HttpResponse(storage.read(ins.pdf_name, ins.pdf_sha256), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="inspection-{ins.pk}.pdf"'
    return response


@login_required
def new_finding_rectification(request, pk):
    line = queries.access_line(request.user, pk)
    ins = line.inspection
    if ins.agency_id not in queries.supervised_agency_ids(request.user):
        raise PermissionDenied(_("只有该执法主体的监督人员才能提出整改。"))
    if ins.state != "signed" or not line.is_finding or line.rectifications.exists():
        raise PermissionDenied(_("只能对已签发的巡查中尚未提出整改的问题提出整改。"))
    people = Person.objects.filter(agency=ins.agency, is_active=True).select_related("unit", "agency")
    form = forms.RectificationForm(
        request.POST or None,
        people=people.order_by("unit_id", "pk"),
        initial={"problem": line.text, "requirement": _("对照公开要求逐项整改，报送整改情况及佐证材料。")},
    )
    if request.method == "POST" and form.is_valid():
        ok, rect = run_action(
            form, lambda: actions.open_finding_rectification(request.user, line, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("已提出整改，整改期限至%(due)s。") % {"due": rect.deadline.due})
            return redirect(rect)
    return render(
        request, "supervision/finding_rectification_new.html", {"form": form, "line": line, "i": ins}
    )


# 执法统计 -----------------------------------------------------------------------------------------------------------


def figure_agency_ids(user) -> set[int]:
    """The agencies whose figures the user may see: those they supervise, and their own as a head."""
    return queries.supervised_agency_ids(user) | org_queries.agency_ids_with(user, {Role.AGENCY_HEAD})


def _figures_form(request, allowed):
    from . import figures

    today = timezone.localdate()
    data = request.GET if "first" in request.GET else None
    return forms.FiguresForm(
        data,
        agencies=Agency.objects.filter(pk__in=allowed).order_by("code"),
        dimensions=[(k, v) for k, v in figures.DIMENSIONS.items()],
        initial={
            "first": today.replace(month=1, day=1),
            "last": today.replace(day=1),
            "dimension": figures.ALL,
        },
    )


def _figures_choice(request):
    """(agency ids, first month, last month, dimension, form) asked for, within what the user may see."""
    from . import figures

    allowed = figure_agency_ids(request.user)
    if not allowed:
        raise PermissionDenied(_("只有监督人员和执法主体负责人可以查看执法统计。"))
    form = _figures_form(request, allowed)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        ids = {a.pk for a in data["agencies"]} or allowed
        return ids, data["first"], data["last"], data["dimension"], form
    today = timezone.localdate()
    return allowed, today.replace(month=1, day=1), today.replace(day=1), figures.ALL, form


def _member_names(dimension, keys) -> dict[tuple[int, str], str]:
    from zhifa.catalog.models import EnforcementItem
    from zhifa.org.models import Unit

    from . import figures

    names: dict[tuple[int, str], str] = {}
    agencies = dict(Agency.objects.filter(pk__in={a for a, _m in keys}).values_list("pk", "name"))
    if dimension == figures.ALL:
        return {(a, m): agencies.get(a, "") for a, m in keys}
    members = {m for _a, m in keys}
    if dimension == figures.UNIT:
        units = dict(
            Unit.objects.filter(pk__in=[int(m) for m in members if m.isdigit()]).values_list("pk", "name")
        )
        lookup = {str(k): v for k, v in units.items()}
    elif dimension == figures.ITEM:
        lookup = {
            (a, code): name
            for a, code, name in EnforcementItem.objects.filter(
                agency_id__in=agencies, code__in=members
            ).values_list("agency_id", "code", "name")
        }
    else:
        people = Person.objects.filter(pk__in=[int(m) for m in members if m.isdigit()])
        lookup = {str(k): v for k, v in people.values_list("pk", "full_name")}
    for a, m in keys:
        name = lookup.get((a, m)) if dimension == figures.ITEM else lookup.get(m)
        label = f"{m} {name}" if dimension == figures.ITEM and name else (name or m or _("（未指定）"))
        names[(a, m)] = f"{agencies.get(a, '')} · {label}" if len(agencies) > 1 else label
    return names


FIGURE_COLUMNS = (
    "filed",
    "decided",
    "penalties",
    "fines",
    "hearings",
    "reviews",
    "review_problems",
    "review_problem_rate",
    "deadlines_due",
    "overdue",
    "overdue_rate",
    "pub_due",
    "pub_on_time",
    "pub_on_time_rate",
    "complaints",
    "complaints_on_time",
    "complaint_on_time_rate",
    "remedies",
    "remedies_changed",
    "corrected",
    "correction_rate",
    "av_due",
    "av_complete",
    "av_complete_rate",
)


FIGURE_PAGE_ROWS = 100


def _member_order(key):
    return key  # (agency id, member): the order of the index the page reads (``figures.member_page``)


def _figure_cursor(text: str):
    """(agency id, member) from a page link's ``<agency id>:<member>``; None when tampered with."""
    agency, sep, member = (text or "").partition(":")
    if not sep or not agency.isdigit() or len(agency) > 19 or len(member) > 40:
        return None
    return int(agency), member


def figures_table(ids, first, last, dimension, cursor=None):
    """The table the page, the CSV and the XLSX show: (columns [(key, label, measure or None)], rows, page, the chart
    of the most overdue). The page (``cursor``: the request's ``after``/``before``) shows ``FIGURE_PAGE_ROWS`` rows
    at a time in (agency, member) order, cut by keyset, and reads and names only those, plus the 30 with the most
    overdue time limits for the chart; the exports (``cursor`` None) have every row."""
    from zhifa.core.keyset import KeysetPage

    from . import figures

    labels = {k: m.label for k, m in figures.MEASURES.items()} | {k: lab for k, _n, _d, lab in figures.RATES}
    columns = [(k, labels[k], figures.MEASURES.get(k)) for k in FIGURE_COLUMNS]
    page = None
    if cursor is None:
        values = figures.totals(ids, first, last, dimension)
        keys = sorted(values, key=_member_order)
        worst = sorted(values, key=lambda k: -(values[k].get("overdue") or 0))[:30]
        most = [(k, values[k].get("overdue") or 0) for k in worst if values[k].get("overdue")]
    else:
        after, before = (_figure_cursor(cursor.get(name, "")) for name in ("after", "before"))
        keys, has_next, has_previous = figures.member_page(
            ids, first, last, dimension, after=after, before=None if after else before, size=FIGURE_PAGE_ROWS
        )
        values = figures.totals_of(ids, first, last, dimension, keys)
        most = [((a, m), v) for a, m, v in figures.most(ids, first, last, dimension, "overdue", 30)]
        page = KeysetPage(
            [SimpleNamespace(cursor=f"{a}:{m}") for a, m in keys],
            has_next=has_next,
            has_previous=has_previous,
            key=[("cursor", str)],
            first=not has_previous,
        )
    names = _member_names(dimension, list(dict.fromkeys([*keys, *(k for k, _v in most)])))

    def row(key):
        shown = figures.shown(values.get(key, {}))
        return {
            "agency": key[0],
            "member": key[1],
            "name": names[key],
            "cells": [
                (k, shown[k], m is not None and m.drill and dimension in m.dims and bool(shown[k]))
                for k, _l, m in columns
            ],
        }

    overdue = [[names[k], v] for k, v in most]
    return columns, [row(k) for k in keys], page, overdue


@login_required
def figures_page(request):
    from django.urls import reverse
    from django.utils.http import urlencode

    from . import figures
    from .models import FigureBuild

    ids, first, last, dimension, form = _figures_choice(request)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        columns, rows, _page, _overdue = figures_table(ids, first, last, dimension)
        return _figures_export(fmt, columns, rows, first, last)
    columns, rows, page, overdue = figures_table(ids, first, last, dimension, cursor=request.GET)
    series = figures.monthly(ids, first, last, ["decided", "corrected", "overdue"])
    months = sorted(series)
    built = (  # the oldest count among the agencies shown: every figure is at least that fresh
        FigureBuild.objects.filter(agency_id__in=ids)
        .order_by("built_at")
        .values_list("built_at", flat=True)
        .first()
    )
    query = request.GET.copy()
    for name in ("format", "after", "before"):
        query.pop(name, None)
    drill = reverse("supervision:figure_cases")
    base = {"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}", "dimension": dimension}
    for row in rows:
        where = {**base, "agency": row["agency"], "member": row["member"]}
        row["cells"] = [
            (key, value, f"{drill}?{urlencode({**where, 'key': key})}" if link else "")
            for key, value, link in row["cells"]
        ]
    chart_data = [
        {
            "key": "monthly",
            "title": str(_("每月作出决定")),
            "rows": [[f"{m:%Y-%m}", series[m].get("decided", 0)] for m in months],
        },
        {
            "key": "overdue",
            "title": str(_("超期的办案期限")),
            "rows": overdue,
        },
    ]
    return render(
        request,
        "supervision/figures.html",
        {
            "form": form,
            "columns": columns,
            "rows": rows,
            "page": page,
            "chart_data": chart_data,
            "built": built,
            "export_query": query.urlencode(),
            "query": query.urlencode(),  # the pager's links keep the filters
            "period": (first, last),
        },
    )


def _figures_export(fmt, columns, rows, first, last):
    import csv
    import io

    from django.http import HttpResponse

    header = [str(_("名称"))] + [str(label) for _k, label, _m in columns]
    lines = [[r["name"]] + ["" if v is None else v for _k, v, _l in r["cells"]] for r in rows]
    name = f"figures-{first:%Y%m}-{last:%Y%m}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([[str(v) for v in line] for line in lines])
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = str(_("执法统计"))[:31]
        sheet.append(header)
        for line in lines:
            sheet.append([float(v) if hasattr(v, "quantize") else v for v in line])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def figure_cases(request):
    """The cases behind one number of the figures (drill-down), by the measure's own definition."""
    from django.core.paginator import Paginator

    from . import figures

    allowed = figure_agency_ids(request.user)
    if not allowed:
        raise PermissionDenied(_("只有监督人员和执法主体负责人可以查看执法统计。"))
    agency = request.GET.get("agency", "")
    key = request.GET.get("key", "")
    dimension = request.GET.get("dimension", figures.ALL)
    form = forms.FiguresForm(
        {"first": request.GET.get("first"), "last": request.GET.get("last"), "dimension": dimension},
        agencies=Agency.objects.none(),
        dimensions=list(figures.DIMENSIONS.items()),
    )
    if (
        not agency.isdigit()
        or int(agency) not in allowed
        or key not in figures.MEASURES
        or not form.is_valid()
    ):
        raise Http404
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    member = request.GET.get("member", "")
    cases = figures.cases_for([int(agency)], key, first, last, dimension, member)
    if cases is None:
        raise Http404
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    names = _member_names(dimension, [(int(agency), member)])
    return render(
        request,
        "supervision/figure_cases.html",
        {
            "page": page,
            "measure": figures.MEASURES[key],
            "name": names[(int(agency), member)],
            "first": first,
            "last": last,
        },
    )


# 执法数据分析报告 -----------------------------------------------------------------------------------------------------


def _report_form(request, data=None):
    from . import analysis

    ids = queries.report_agency_ids(request.user)
    kind, year, number = analysis.last_ended(timezone.localdate())[0]
    return forms.AnalysisReportForm(
        data,
        agencies=Agency.objects.filter(pk__in=ids).order_by("code"),
        initial={"kind": kind, "year": year, "number": number},
    )


@login_required
def analysis_reports(request):
    """The analysis reports of the agencies the user supervises or heads, newest period first; a new one on request."""
    from django.core.paginator import Paginator

    if not queries.report_agency_ids(request.user):
        raise PermissionDenied(_("只有监督人员和执法主体负责人可以查看执法数据分析报告。"))
    form = _report_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, result = run_action(
            form, lambda: actions.request_analysis_report(request.user, **form.cleaned_data)
        )
        if ok:
            report, _job = result
            messages.success(request, _("已开始生成执法数据分析报告，完成后即可查看。"))
            return redirect(report)
    rows = (
        queries.visible_reports(request.user)
        .select_related("agency")
        .order_by("-period_end", "agency_id", "kind")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    read = set(
        models.ReportReading.objects.filter(person=request.user, report__in=[r.pk for r in page]).values_list(
            "report_id", flat=True
        )
    )
    return render(
        request,
        "supervision/analysis_reports.html",
        {"page": page, "form": form, "read": read},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def analysis_report(request, pk):
    from zhifa.core.models import Job
    from zhifa.org.queries import has_role

    report = queries.access_report(request.user, pk)
    context = queries.analysis_context(report)
    readings = list(report.readings.select_related("person").order_by("read_at"))
    context |= {
        "readings": readings,
        "may_read": report.state == "ready"
        and has_role(request.user, Role.AGENCY_HEAD, report.agency_id)
        and all(r.person_id != request.user.pk for r in readings),
        "job": Job.objects.filter(target_kind="supervision.analysisreport", target_id=str(report.pk))
        .order_by("-pk")
        .first()
        if report.state != "ready"
        else None,
        "chart_data": _report_chart_data(report.data) if report.data else [],
    }
    return render(request, "supervision/analysis_report.html", context)


def _report_chart_data(data):
    from . import figures

    units = [(name, figures.shown(values)) for name, _m, values in data.get("units", [])]
    return [
        {
            "key": "monthly",
            "title": str(_("每月作出决定")),
            "rows": [[m, v.get("decided", 0)] for m, v in data["monthly"]],
        },
        {
            "key": "unit_overdue",
            "title": str(_("各承办机构超期率（%）")),
            "rows": [[n, v["overdue_rate"] or 0] for n, v in units],
        },
    ]


@login_required
def analysis_report_file(request, pk, fmt):
    from django.http import HttpResponse

    from zhifa.records import storage

    report = queries.access_report(request.user, pk)
    name, sha = (
        (report.pdf_name, report.pdf_sha256) if fmt == "pdf" else (report.docx_name, report.docx_sha256)
    )
    if fmt not in ("pdf", "docx") or not name:
        raise Http404
    types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    response = HttpResponse(storage.read(name, sha), content_type=types[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="analysis-{report.pk}.{fmt}"'
    return response


@login_required
@require_POST
def read_analysis_report(request, pk):
    report = queries.access_report(request.user, pk)
    try:
        actions.read_analysis_report(request.user, report)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已记录阅读。"))
    return redirect(report)


@login_required
def weak_point_rules(request):
    """The declared rules of the analysis reports and the 考核 indicators, with their thresholds and weights; the
    platform administrator edits them."""
    from .models import Indicator, WeakPointRule

    user = request.user
    if not (user.is_superuser or queries.report_agency_ids(user)):
        raise PermissionDenied(_("只有监督人员、执法主体负责人和平台管理员可以查看薄弱环节规则。"))
    rules_, indicators = list(WeakPointRule.objects.all()), list(Indicator.objects.all())
    failed = False
    if request.method == "POST":
        if not user.is_superuser:
            raise PermissionDenied(_("只有平台管理员可以修改薄弱环节规则。"))
        if "indicator" in request.POST:
            target = next((i for i in indicators if str(i.pk) == request.POST["indicator"]), None)
            form_class, prefix, act = forms.IndicatorForm, "i", actions.set_indicator
        else:
            target = next((r for r in rules_ if str(r.pk) == request.POST.get("rule")), None)
            form_class, prefix, act = forms.WeakPointRuleForm, "r", actions.set_weak_point_rule
        if target is None:
            raise Http404
        form = form_class(request.POST, prefix=f"{prefix}{target.pk}")
        if form.is_valid():
            ok, _r = run_action(form, lambda: act(user, target, **form.cleaned_data))
            if ok:
                messages.success(request, _("已修改，之后生成的报告按新规则分析。"))
                return redirect("supervision:weak_point_rules")
        target.form, failed = form, True
    if user.is_superuser:
        for r in rules_:
            if getattr(r, "form", None) is None:
                r.form = forms.WeakPointRuleForm(
                    prefix=f"r{r.pk}",
                    initial={"threshold": r.threshold, "minimum": r.minimum, "active": r.active},
                )
        for i in indicators:
            if getattr(i, "form", None) is None:
                i.form = forms.IndicatorForm(
                    prefix=f"i{i.pk}", initial={"weight": i.weight, "active": i.active}
                )
    return render(
        request,
        "supervision/weak_point_rules.html",
        {"rules": rules_, "indicators": indicators, "may_edit": user.is_superuser},
        status=400 if failed else 200,
    )


# 向司法局导出 ---------------------------------------------------------------------------------------------------------


@login_required
def export_cases(request):
    """The export package of a supervised agency's case files (a background job; its page offers the download)."""
    from zhifa.core import queue

    ids = queries.supervised_agency_ids(request.user)
    if not ids:
        raise PermissionDenied(_("只有监督人员可以导出案卷数据。"))
    today = timezone.localdate()
    form = forms.ExportForm(
        request.POST or None,
        agencies=Agency.objects.filter(pk__in=ids).order_by("code"),
        initial={"start": today.replace(month=1, day=1), "end": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = queue.start(
            "supervision.export",
            request.user,
            agency=data["agency"],
            params={"start": data["start"].isoformat(), "end": data["end"].isoformat()},
            step=str(_("等待后台进程处理")),
        )
        return redirect("job", job.pk)
    return render(
        request, "supervision/export.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


# 考核 ---------------------------------------------------------------------------------------------------------------


@login_required
def rankings(request):
    """The published rankings the user may see; a supervisor previews (GET with the form's fields) and publishes."""
    from django.core.paginator import Paginator

    from . import analysis, ranking

    supervised = queries.supervised_agency_ids(request.user)
    if not (supervised or org_queries.agency_ids_with(request.user, {Role.AGENCY_HEAD})):
        raise PermissionDenied(_("只有监督人员和执法主体负责人可以查看考核排名。"))
    form = preview = None
    if supervised:
        kind, year, number = analysis.last_ended(timezone.localdate())[0]
        data = request.POST or (request.GET if "kind" in request.GET else None)
        form = forms.RankingForm(
            data,
            agencies=Agency.objects.filter(pk__in=supervised).order_by("code"),
            initial={"kind": kind, "year": year, "number": number, "agencies": list(supervised)},
        )
        if data is not None and form.is_valid():
            if request.method == "POST":
                ok, record = run_action(
                    form, lambda: actions.publish_ranking(request.user, **form.cleaned_data)
                )
                if ok:
                    messages.success(request, _("已公布考核排名，参加考核的执法主体负责人可以查看。"))
                    return redirect(record)
            else:
                d = form.cleaned_data
                preview = ranking.compute([a.pk for a in d["agencies"]], d["kind"], d["year"], d["number"])
    elif request.method == "POST":
        raise PermissionDenied(_("只有监督人员可以公布考核排名。"))
    page = Paginator(
        queries.visible_rankings(request.user).select_related("body").order_by("-published_at", "-pk"), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/rankings.html",
        {"page": page, "form": form, "preview": preview},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def ranking_page(request, pk):
    record = queries.access_ranking(request.user, pk)
    return render(request, "supervision/ranking.html", {"r": record, "data": record.data})


# 评查标准 -------------------------------------------------------------------------------------------------------------


@login_required
def standards(request):
    """Every 评查标准 and its versions; the newest of each is the one new evaluations use."""
    user = request.user
    if not (user.is_superuser or queries.report_agency_ids(user)):
        raise PermissionDenied(_("只有监督人员、执法主体负责人和平台管理员可以查看评查标准。"))
    rows = list(
        queries.visible_standards(user)
        .select_related("agency")
        .order_by(F("agency_id").asc(nulls_first=True), "name", "-version")
    )
    current: dict[tuple, models.Standard] = {}
    for s in rows:  # the newest version of each, with how many versions it has
        first = current.setdefault((s.agency_id, s.name), s)
        first.versions = getattr(first, "versions", 0) + 1
    return render(request, "supervision/standards.html", {"standards": list(current.values())})


def _standard_versions(standard):
    return models.Standard.objects.filter(agency_id=standard.agency_id, name=standard.name).order_by(
        "-version"
    )


@login_required
def standard(request, pk):
    s = queries.access_standard(request.user, pk)
    versions = list(_standard_versions(s).only("pk", "version", "created_at"))
    items = list(s.items.all())
    context = {
        "s": s,
        "versions": versions,
        "current": versions[0].pk == s.pk,
        "groups": [(label, [i for i in items if i.group == value]) for value, label in ItemGroup.choices],
        "points": {value: sum(i.points for i in items if i.group == value) for value in ItemGroup.values},
        "checks": CHECKS,
        "may_revise": queries.may_make_standard(request.user, s),
        "own": (s.agency_id is None and request.user.is_superuser) or s.agency_id == request.user.agency_id,
    }
    return render(request, "supervision/standard.html", context)


@login_required
def revise_standard(request, pk):
    """修订 (a new version of the platform's or the body's own standard) or 制定本机关标准 from this one."""
    base = queries.access_standard(request.user, pk)
    if not queries.may_make_standard(request.user, base):
        raise PermissionDenied(
            _("只有平台管理员可以修订平台默认评查标准；监督人员可以制定、修订本机关的评查标准。")
        )
    items = list(base.items.all())
    if request.method == "POST":
        form = forms.StandardForm(request.POST)
        formset = forms.StandardItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            rows = [
                {k: f.cleaned_data.get(k) for k in actions.STANDARD_FIELDS}
                for f in formset.ordered_forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            ok, made = run_action(
                form, lambda: actions.revise_standard(request.user, base, items=rows, **form.cleaned_data)
            )
            if ok:
                messages.success(
                    request,
                    _("已保存为第 %(version)s 版，之后创建的评查可以选用。") % {"version": made.version},
                )
                return redirect("supervision:standard", made.pk)
        status = 400
    else:
        deriving = (
            not (base.agency_id is None and request.user.is_superuser)
            and base.agency_id != request.user.agency_id
        )
        form = forms.StandardForm(
            initial={
                # a standard of one's own from another's: named after the body, not after the one it came from
                "name": _("%(body)s案卷评查标准") % {"body": request.user.agency.name}
                if deriving
                else base.name,
                "excellent_min": base.excellent_min,
                "pass_min": base.pass_min,
                "basis": base.basis,
            }
        )
        formset = forms.StandardItemFormSet(
            prefix="items",
            initial=[
                {f: getattr(i, f) for f in actions.STANDARD_FIELDS} | {"ORDER": n}
                for n, i in enumerate(items, 1)
            ],
        )
        status = 200
    platform = base.agency_id is None and request.user.is_superuser
    context = {"base": base, "form": form, "formset": formset, "platform": platform}
    return render(request, "supervision/standard_revise.html", context, status=status)
