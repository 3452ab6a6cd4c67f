"""Staff pages of the catalog: laws, the five lists, their versions, import and export.

Reads go through queries (an agency's staff only), writes through actions (its system administrator only).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.errors import RuleViolation
from zhifa.core.forms import run_action

from . import actions, forms, queries, serialize, tabular
from .choices import ListKind, TableKind
from .flowchart import render_svg
from .models import (
    AvRecordingItem,
    EnforcementItem,
    Flowchart,
    Law,
    RandomInspectionItem,
    ServiceGuide,
)


def _agency(request, agency_id):
    return queries.access_agency(request.user, agency_id)


def _require_edit(request, agency) -> None:
    if not queries.can_edit(request.user, agency):
        raise PermissionDenied(_("只有本执法主体的系统管理员可以修改执法事项目录和公示清单。"))


def _form_page(request, form, title, agency, back_url=None, multipart=False):
    return render(
        request,
        "catalog/form.html",
        {"form": form, "title": title, "agency": agency, "back_url": back_url, "multipart": multipart},
    )


def _kind(kind: str) -> ListKind:
    try:
        return ListKind(kind)
    except ValueError:
        raise Http404 from None


def _table(kind: str) -> TableKind:
    try:
        return TableKind(kind)
    except ValueError:
        raise Http404 from None


LIST_URLS = {
    ListKind.ITEMS: "catalog:item_list",
    ListKind.RANDOM: "catalog:random_list",
    ListKind.AV: "catalog:av_list",
    ListKind.GUIDES: "catalog:guide_list",
    ListKind.FLOWCHARTS: "catalog:flowchart_list",
    TableKind.LAWS: "catalog:law_list",
}


@login_required
def home(request):
    agencies = list(queries.catalog_agencies(request.user))
    if not agencies:
        raise PermissionDenied(_("您没有权限访问此页面。"))
    if len(agencies) == 1:
        return redirect("catalog:agency_home", agencies[0].pk)
    return render(request, "catalog/home.html", {"agencies": agencies})


@login_required
def agency_home(request, agency):
    agency = _agency(request, agency)
    today = timezone.localdate()
    lists = []
    for kind in ListKind:
        current = queries.effective_version(agency, kind, today)
        latest = queries.versions(agency, kind).first()
        lists.append(
            {
                "kind": kind,
                "label": kind.label,
                "url": reverse(LIST_URLS[kind], args=[agency.pk]),
                "current": current,
                "latest": latest,
                "pending": latest if latest and (current is None or latest.number > current.number) else None,
            }
        )
    return render(
        request,
        "catalog/agency_home.html",
        {
            "agency": agency,
            "lists": lists,
            "can_edit": queries.can_edit(request.user, agency),
            "flagged_items": queries.flagged_items(agency),
            "flagged_random": queries.flagged_random_items(agency),
            "law_count": Law.objects.filter(agency=agency).count(),
        },
    )


# 法律法规库


@login_required
def law_list(request, agency):
    agency = _agency(request, agency)
    return render(
        request,
        "catalog/law_list.html",
        {
            "agency": agency,
            "laws": Law.objects.filter(agency=agency),
            "can_edit": queries.can_edit(request.user, agency),
        },
    )


@login_required
def law_create(request, agency):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    form = forms.LawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, law = run_action(form, lambda: actions.create_law(request.user, agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("法规已添加。"))
            return redirect("catalog:law_detail", agency.pk, law.pk)
    return _form_page(request, form, _("添加法律法规"), agency, reverse("catalog:law_list", args=[agency.pk]))


@login_required
def law_detail(request, agency, pk):
    agency = _agency(request, agency)
    law = queries.access_law(request.user, agency, pk)
    return render(
        request,
        "catalog/law_detail.html",
        {
            "agency": agency,
            "law": law,
            "articles": law.articles.order_by("number", "-version"),
            "can_edit": queries.can_edit(request.user, agency),
            "citing": EnforcementItem.objects.filter(
                Q(violated_articles__law=law) | Q(penalty_articles__law=law)
            ).distinct(),
        },
    )


@login_required
def law_edit(request, agency, pk):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    law = queries.access_law(request.user, agency, pk)
    form = forms.LawForm(request.POST or None, instance=law)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        law.refresh_from_db()
        ok, _law = run_action(form, lambda: actions.update_law(request.user, law, **changes))
        if ok:
            messages.success(request, _("已保存。"))
            return redirect("catalog:law_detail", agency.pk, law.pk)
    return _form_page(
        request, form, _("编辑法规信息"), agency, reverse("catalog:law_detail", args=[agency.pk, law.pk])
    )


@login_required
def law_status(request, agency, pk):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    law = queries.access_law(request.user, agency, pk)
    form = forms.LawStatusForm(
        request.POST or None, initial={"status": law.status, "on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, count = run_action(
            form,
            lambda: actions.set_law_status(request.user, law, status=d["status"], on=d["on"], note=d["note"]),
        )
        if ok:
            messages.success(
                request, _("状态已更新；%(n)d个事项已标记为“依据已变更，待调整”。") % {"n": count}
            )
            return redirect("catalog:law_detail", agency.pk, law.pk)
    return _form_page(
        request,
        form,
        _("变更状态：%(law)s") % {"law": law},
        agency,
        reverse("catalog:law_detail", args=[agency.pk, law.pk]),
    )


@login_required
def article_add(request, agency, pk):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    law = queries.access_law(request.user, agency, pk)
    form = forms.ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _a = run_action(form, lambda: actions.add_article(request.user, law, **form.cleaned_data))
        if ok:
            messages.success(request, _("条文已添加。"))
            return redirect("catalog:law_detail", agency.pk, law.pk)
    return _form_page(
        request,
        form,
        _("添加条文：%(law)s") % {"law": law},
        agency,
        reverse("catalog:law_detail", args=[agency.pk, law.pk]),
    )


@login_required
def article_amend(request, agency, pk):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    article = queries.access_article(request.user, agency, pk)
    if not article.is_current:
        raise Http404
    form = forms.ArticleAmendForm(request.POST or None, initial={"text": article.text})
    if request.method == "POST" and form.is_valid():
        ok, _a = run_action(form, lambda: actions.amend_article(request.user, article, **form.cleaned_data))
        if ok:
            messages.success(request, _("条文已修改，原条文作为历史版本保留；引用该条的事项已标记待调整。"))
            return redirect("catalog:law_detail", agency.pk, article.law_id)
    return _form_page(
        request,
        form,
        _("修改条文：%(c)s") % {"c": article.citation},
        agency,
        reverse("catalog:law_detail", args=[agency.pk, article.law_id]),
    )


# 执法事项


@login_required
def item_list(request, agency):
    agency = _agency(request, agency)
    items = EnforcementItem.objects.filter(agency=agency).select_related("field", "unit")
    show = request.GET.get("show", "active")
    if show == "flagged":
        items = items.filter(needs_review=True)
    elif show == "retired":
        items = items.filter(active=False)
    else:
        items = items.filter(active=True)
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(Q(name__contains=q) | Q(code__icontains=q))
    return render(
        request,
        "catalog/item_list.html",
        {
            "agency": agency,
            "items": items,
            "show": show,
            "q": q,
            "can_edit": queries.can_edit(request.user, agency),
        },
    )


def _item_data(form):
    d = dict(form.cleaned_data)
    return d.pop("code"), d.pop("violated"), d.pop("penalty"), d


@login_required
def item_create(request, agency):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    form = forms.ItemForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        code, violated, penalty, data = _item_data(form)
        ok, item = run_action(
            form,
            lambda: actions.create_item(
                request.user, agency, code=code, violated=violated, penalty=penalty, **data
            ),
        )
        if ok:
            messages.success(request, _("执法事项已添加。发布新版本后在公示网站生效。"))
            return redirect("catalog:item_detail", agency.pk, item.pk)
    return _form_page(
        request, form, _("添加执法事项"), agency, reverse("catalog:item_list", args=[agency.pk])
    )


@login_required
def item_detail(request, agency, pk):
    agency = _agency(request, agency)
    item = queries.access_item(request.user, agency, pk)
    return render(
        request,
        "catalog/item_detail.html",
        {
            "agency": agency,
            "item": item,
            "can_edit": queries.can_edit(request.user, agency),
            "violated": item.violated_articles.select_related("law"),
            "penalty": item.penalty_articles.select_related("law"),
            "tiers": item.tiers.all(),
            "reason_form": forms.ReasonForm(),
            "note_form": forms.NoteForm(),
        },
    )


@login_required
def item_edit(request, agency, pk):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    item = queries.access_item(request.user, agency, pk)
    initial = {
        "code": item.code,
        "name": item.name,
        "kind": item.kind,
        "field": item.field,
        "unit": item.unit,
        "violated": serialize._citations(item.violated_articles.select_related("law")),
        "penalty": serialize._citations(item.penalty_articles.select_related("law")),
        "basis_note": item.basis_note,
        "hearing_eligible": item.hearing_eligible,
        "hearing_note": item.hearing_note,
        "order": item.order,
    }
    form = forms.ItemForm(request.POST or None, agency=agency, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        _code, violated, penalty, data = _item_data(form)
        ok, _i = run_action(
            form, lambda: actions.update_item(request.user, item, violated=violated, penalty=penalty, **data)
        )
        if ok:
            messages.success(request, _("已保存。发布新版本后在公示网站生效。"))
            return redirect("catalog:item_detail", agency.pk, item.pk)
    return _form_page(
        request,
        form,
        _("编辑执法事项：%(code)s") % {"code": item.code},
        agency,
        reverse("catalog:item_detail", args=[agency.pk, item.pk]),
    )


@login_required
def item_benchmarks(request, agency, pk):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    item = queries.access_item(request.user, agency, pk)
    form = forms.BenchmarkForm(request.POST or None, initial=forms.BenchmarkForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        ok, _t = run_action(form, lambda: actions.set_benchmarks(request.user, item, form.tiers()))
        if ok:
            messages.success(request, _("裁量基准已保存。"))
            return redirect("catalog:item_detail", agency.pk, item.pk)
    return _form_page(
        request,
        form,
        _("裁量基准：%(name)s") % {"name": item.name},
        agency,
        reverse("catalog:item_detail", args=[agency.pk, item.pk]),
    )


def _post(request, form, action, success, back):
    if form.is_valid():
        ok, _r = run_action(form, lambda: action(form.cleaned_data))
        if ok:
            messages.success(request, success)
            return redirect(back)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(back)


def _retire_view(access, retire, message, next_url):
    """A POST page that retires one object of a list (停用) with a reason, for the agency's catalog editors."""

    @login_required
    @require_POST
    def view(request, agency, pk):
        agency = _agency(request, agency)
        _require_edit(request, agency)
        obj = access(request.user, agency, pk)
        return _post(
            request,
            forms.ReasonForm(request.POST),
            lambda d: retire(request.user, obj, reason=d["reason"]),
            message,
            next_url(agency, obj),
        )

    return view


item_retire = _retire_view(
    queries.access_item,
    actions.retire_item,
    _("事项已停用，发布新版本后从公示清单中移除。"),
    lambda agency, obj: reverse("catalog:item_detail", args=[agency.pk, obj.pk]),
)


@login_required
@require_POST
def item_confirm(request, agency, pk):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    item = queries.access_item(request.user, agency, pk)
    return _post(
        request,
        forms.NoteForm(request.POST),
        lambda d: actions.confirm_item_basis(request.user, item, note=d["note"]),
        _("依据已核对，待调整标记已清除。"),
        reverse("catalog:item_detail", args=[agency.pk, item.pk]),
    )


# 随机抽查事项、音像记录事项


@login_required
def random_list(request, agency):
    agency = _agency(request, agency)
    return render(
        request,
        "catalog/random_list.html",
        {
            "agency": agency,
            "rows": RandomInspectionItem.objects.filter(agency=agency).prefetch_related("articles__law"),
            "can_edit": queries.can_edit(request.user, agency),
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
def random_edit(request, agency, pk=None):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    obj = queries.access_random(request.user, agency, pk) if pk else None
    initial = {}
    if obj:
        initial = {f: getattr(obj, f) for f in actions.RANDOM_FIELDS}
        initial.update(code=obj.code, citations=serialize._citations(obj.articles.select_related("law")))
    form = forms.RandomItemForm(request.POST or None, agency=agency, creating=obj is None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        code = obj.code if obj else d.pop("code")
        d.pop("code", None)
        articles = d.pop("citations")
        ok, _r = run_action(
            form, lambda: actions.save_random_item(request.user, agency, code=code, articles=articles, **d)
        )
        if ok:
            messages.success(request, _("已保存。发布新版本后在公示网站生效。"))
            return redirect("catalog:random_list", agency.pk)
    title = _("编辑随机抽查事项") if obj else _("添加随机抽查事项")
    return _form_page(request, form, title, agency, reverse("catalog:random_list", args=[agency.pk]))


random_retire = _retire_view(
    queries.access_random,
    actions.retire_random_item,
    _("事项已停用。"),
    lambda agency, obj: reverse("catalog:random_list", args=[agency.pk]),
)


@login_required
@require_POST
def random_confirm(request, agency, pk):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    obj = queries.access_random(request.user, agency, pk)
    return _post(
        request,
        forms.NoteForm(request.POST),
        lambda d: actions.confirm_random_basis(request.user, obj, note=d["note"]),
        _("依据已核对，待调整标记已清除。"),
        reverse("catalog:random_list", args=[agency.pk]),
    )


@login_required
def av_list(request, agency):
    agency = _agency(request, agency)
    return render(
        request,
        "catalog/av_list.html",
        {
            "agency": agency,
            "rows": AvRecordingItem.objects.filter(agency=agency),
            "can_edit": queries.can_edit(request.user, agency),
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
def av_edit(request, agency, pk=None):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    obj = queries.access_av(request.user, agency, pk) if pk else None
    initial = (
        {f: getattr(obj, f) for f in actions.AV_FIELDS if f != "active"} | {"act_code": obj.act_code}
        if obj
        else {}
    )
    form = forms.AvItemForm(request.POST or None, agency=agency, creating=obj is None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        code = obj.act_code if obj else d["act_code"]
        d.pop("act_code", None)
        ok, _r = run_action(form, lambda: actions.save_av_item(request.user, agency, act_code=code, **d))
        if ok:
            messages.success(request, _("已保存。发布新版本后在公示网站生效。"))
            return redirect("catalog:av_list", agency.pk)
    title = _("编辑音像记录事项") if obj else _("添加音像记录事项")
    return _form_page(request, form, title, agency, reverse("catalog:av_list", args=[agency.pk]))


av_retire = _retire_view(
    queries.access_av,
    actions.retire_av_item,
    _("事项已停用。"),
    lambda agency, obj: reverse("catalog:av_list", args=[agency.pk]),
)


# 执法服务指南


@login_required
def guide_list(request, agency):
    agency = _agency(request, agency)
    return render(
        request,
        "catalog/guide_list.html",
        {
            "agency": agency,
            "guides": ServiceGuide.objects.filter(agency=agency).select_related("item", "flowchart"),
            "can_edit": queries.can_edit(request.user, agency),
        },
    )


@login_required
def guide_detail(request, agency, pk):
    agency = _agency(request, agency)
    guide = queries.access_guide(request.user, agency, pk)
    return render(
        request,
        "catalog/guide_detail.html",
        {
            "agency": agency,
            "guide": guide,
            "materials": guide.materials.filter(active=True),
            "can_edit": queries.can_edit(request.user, agency),
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
def guide_edit(request, agency, pk=None):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    guide = queries.access_guide(request.user, agency, pk) if pk else None
    initial = {}
    if guide:
        initial = {f: getattr(guide, f) for f in actions.GUIDE_FIELDS if f != "active"}
        initial["code"] = guide.code
        initial["materials"] = "\n".join(
            m.name + (f"（{m.requirement}）" if m.requirement else "")
            for m in guide.materials.filter(active=True)
        )
    form = forms.GuideForm(request.POST or None, agency=agency, creating=guide is None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        code = guide.code if guide else d["code"]
        d.pop("code", None)
        ok, saved = run_action(form, lambda: actions.save_guide(request.user, agency, code=code, **d))
        if ok:
            messages.success(request, _("已保存。发布新版本后在公示网站生效。"))
            return redirect("catalog:guide_detail", agency.pk, saved.pk)
    title = _("编辑执法服务指南") if guide else _("添加执法服务指南")
    return _form_page(request, form, title, agency, reverse("catalog:guide_list", args=[agency.pk]))


@login_required
def material_add(request, agency, pk):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    guide = queries.access_guide(request.user, agency, pk)
    form = forms.MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d.get("sample")
        sample = (upload.name, upload.read()) if upload else None
        ok, _m = run_action(
            form,
            lambda: actions.add_material(
                request.user, guide, name=d["name"], requirement=d["requirement"], sample=sample
            ),
        )
        if ok:
            messages.success(request, _("材料已添加。"))
            return redirect("catalog:guide_detail", agency.pk, guide.pk)
    return _form_page(
        request,
        form,
        _("添加申请材料：%(t)s") % {"t": guide.title},
        agency,
        reverse("catalog:guide_detail", args=[agency.pk, guide.pk]),
        multipart=True,
    )


@login_required
@require_POST
def material_retire(request, agency, pk):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    material = queries.access_material(request.user, agency, pk)
    actions.retire_material(request.user, material)
    messages.success(request, _("材料已移除。"))
    return redirect("catalog:guide_detail", agency.pk, material.guide_id)


@login_required
def material_download(request, agency, pk):
    agency = _agency(request, agency)
    material = queries.access_material(request.user, agency, pk)
    if not material.sample:
        raise Http404
    return FileResponse(
        material.sample.open("rb"),
        as_attachment=True,
        filename=material.sample_name,
        content_type=material.sample_type,
    )


guide_retire = _retire_view(
    queries.access_guide,
    actions.retire_guide,
    _("指南已停用。"),
    lambda agency, obj: reverse("catalog:guide_list", args=[agency.pk]),
)


# 执法流程图


@login_required
def flowchart_list(request, agency):
    agency = _agency(request, agency)
    return render(
        request,
        "catalog/flowchart_list.html",
        {
            "agency": agency,
            "charts": Flowchart.objects.filter(agency=agency),
            "can_edit": queries.can_edit(request.user, agency),
        },
    )


@login_required
def flowchart_detail(request, agency, pk):
    agency = _agency(request, agency)
    chart = queries.access_flowchart(request.user, agency, pk)
    row = serialize.flowchart_row(chart)
    return render(
        request,
        "catalog/flowchart_detail.html",
        {
            "agency": agency,
            "chart": chart,
            "row": row,
            "svg": render_svg(row["steps"], row["arrows"], title=chart.title, ident=f"fc-{chart.code}"),
            "can_edit": queries.can_edit(request.user, agency),
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
def flowchart_edit(request, agency, pk=None):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    chart = queries.access_flowchart(request.user, agency, pk) if pk else None
    initial = forms.FlowchartForm.initial_for(chart) if chart else {}
    form = forms.FlowchartForm(request.POST or None, agency=agency, creating=chart is None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        code = chart.code if chart else d["code"]
        d.pop("code", None)
        ok, saved = run_action(form, lambda: actions.save_flowchart(request.user, agency, code=code, **d))
        if ok:
            messages.success(request, _("已保存。发布新版本后在公示网站生效。"))
            return redirect("catalog:flowchart_detail", agency.pk, saved.pk)
    title = _("编辑执法流程图") if chart else _("添加执法流程图")
    return _form_page(request, form, title, agency, reverse("catalog:flowchart_list", args=[agency.pk]))


flowchart_retire = _retire_view(
    queries.access_flowchart,
    actions.retire_flowchart,
    _("流程图已停用。"),
    lambda agency, obj: reverse("catalog:flowchart_list", args=[agency.pk]),
)


# 版本


@login_required
def version_list(request, agency, kind):
    agency = _agency(request, agency)
    kind = _kind(kind)
    current = queries.effective_version(agency, kind)
    return render(
        request,
        "catalog/version_list.html",
        {
            "agency": agency,
            "kind": kind,
            "versions": queries.versions(agency, kind),
            "current": current,
            "can_edit": queries.can_edit(request.user, agency),
            "today": timezone.localdate(),
            "list_url": reverse(LIST_URLS[kind], args=[agency.pk]),
        },
    )


@login_required
def version_detail(request, agency, kind, number):
    agency = _agency(request, agency)
    kind = _kind(kind)
    version = queries.version(agency, kind, number)
    if version is None:
        raise Http404
    return render(
        request,
        "catalog/version_detail.html",
        {
            "agency": agency,
            "kind": kind,
            "version": version,
            "rows": version.data,
            "row_template": f"catalog/rows/{kind.value}.html",
            "portal": False,
        },
    )


@login_required
def publish(request, agency, kind):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    kind = _kind(kind)
    previous = queries.versions(agency, kind).first()
    rows = actions.working_rows(agency, kind)
    from .rules import diff_rows

    changes = diff_rows(previous.data if previous else [], rows)
    form = forms.PublishForm(request.POST or None, initial={"effective_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        ok, version = run_action(
            form, lambda: actions.publish_list(request.user, agency, kind, **form.cleaned_data)
        )
        if ok:
            messages.success(
                request,
                _("已发布第%(n)d版，施行日期%(d)s。") % {"n": version.number, "d": version.effective_on},
            )
            return redirect("catalog:version_list", agency.pk, kind.value)
    return render(
        request,
        "catalog/publish.html",
        {
            "agency": agency,
            "kind": kind,
            "form": form,
            "previous": previous,
            "changes": changes,
            "row_count": len(rows),
        },
    )


# 导入、导出


def _export_response(agency, kind: str, fmt: str, rows: list[dict], filename: str):
    cells = serialize.flatten(kind, rows)
    headers = serialize.HEADERS[kind]
    if fmt == "csv":
        response = HttpResponse(tabular.write_csv(headers, cells), content_type="text/csv; charset=utf-8")
        ext = "csv"
    elif fmt == "xlsx":
        response = HttpResponse(
            tabular.write_xlsx(headers, cells, title=str(TableKind(kind).label)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        ext = "xlsx"
    else:
        raise Http404
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{ext}")
    return response


@login_required
def export(request, agency, table, fmt):
    agency = _agency(request, agency)
    table = _table(table)
    rows = actions.export_rows(agency, table)
    return _export_response(
        agency, table, fmt, rows, f"{agency.code}-{table.value}-{timezone.localdate():%Y%m%d}"
    )


@login_required
def import_table(request, agency, table):
    agency = _agency(request, agency)
    _require_edit(request, agency)
    table = _table(table)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    bad_rows = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = actions.import_table(
                request.user,
                agency,
                table,
                filename=upload.name,
                data=upload.read(),
                replace=form.cleaned_data["replace"],
            )
        except actions.ImportRejected as exc:
            bad_rows = exc.rows
        except RuleViolation as exc:
            for message in exc.messages:
                form.add_error("file", message)
    return render(
        request,
        "catalog/import.html",
        {
            "agency": agency,
            "table": table,
            "form": form,
            "result": result,
            "bad_rows": bad_rows,
            "headers": serialize.HEADERS[table],
            "required": serialize.REQUIRED[table],
            "list_url": reverse(LIST_URLS[table], args=[agency.pk]),
        },
    )
