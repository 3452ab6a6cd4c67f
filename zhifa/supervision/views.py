"""案卷评查 pages: the evaluations a supervisor may see, a new one, one with its draw and results, and a drawn file's
scorecard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.forms import run_action
from zhifa.org.models import Agency

from . import actions, forms, queries
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
        "results": queries.results(files),
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
    rows = []
    for item in items:
        answer = f.answers.get(item.code) or {}
        rows.append({"item": item, "answer": answer})
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
