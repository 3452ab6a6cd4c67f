"""Staff pages for 投诉举报 received on the portal (the agency's business roles handle them, supervisors read) and for
the publication of decisions (事后公开)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.forms import run_action

from . import actions, forms, queries
from .choices import ComplaintStatus, NotPublishedGround, PublicationState


@login_required
def complaint_list(request):
    if not queries.complaint_agencies(request.user):
        raise PermissionDenied(_("投诉举报由本执法主体的执法人员、承办机构负责人、负责人和监督人员查看。"))
    complaints = queries.visible_complaints(request.user)
    status = request.GET.get("status", "")
    if status in ComplaintStatus.values:
        complaints = complaints.filter(status=status)
    page = Paginator(complaints, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/staff/complaint_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ComplaintStatus.choices,
        },
    )


@login_required
def complaint_detail(request, pk):
    complaint = queries.access_complaint(request.user, pk)
    can_handle = queries.can_handle(request.user, complaint)
    form = forms.HandleForm(request.POST or None)
    if request.method == "POST":
        if not can_handle:
            raise PermissionDenied(_("您没有办理该投诉举报的权限。"))
        if form.is_valid():
            d = form.cleaned_data
            ok, _c = run_action(
                form,
                lambda: actions.handle_complaint(
                    request.user, complaint, status=d["status"], note=d["note"], public=d["public"]
                ),
            )
            if ok:
                messages.success(request, _("办理情况已记录。"))
                return redirect("catalog:complaint_detail", complaint.pk)
    return render(
        request,
        "publicity/staff/complaint_detail.html",
        {
            "complaint": complaint,
            "events": complaint.events.select_related("actor"),
            "attachments": complaint.attachments.all(),
            "form": form,
            "can_handle": can_handle,
            "final": complaint.status in (ComplaintStatus.ANSWERED, ComplaintStatus.REJECTED),
        },
    )


@login_required
def attachment(request, pk, attachment):
    complaint = queries.access_complaint(request.user, pk)
    att = get_object_or_404(complaint.attachments, pk=attachment)
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.original_name, content_type=att.content_type
    )


@login_required
def publication_list(request):
    """决定公开: every decision's publication in the agencies whose cases one reads, by due date; 已逾期 filters
    those past their due date and not yet published."""
    if not queries.publication_agencies(request.user):
        raise PermissionDenied(_("决定公开由本执法主体的执法人员、法制审核人员、负责人和监督人员查看。"))
    today = timezone.localdate()
    publications = queries.visible_publications(request.user)
    state = request.GET.get("state", "")
    if state in PublicationState.values:
        publications = publications.filter(state=state)
    only_late = request.GET.get("late") == "1"
    if only_late:
        publications = queries.late(publications, today)
    to_withdraw = request.GET.get("withdraw") == "1"
    if to_withdraw:
        publications = publications.filter(state=PublicationState.PUBLISHED, withdrawal_due_on__isnull=False)
    # A province's agency publishes tens of thousands of decisions a year: the count stops at COUNT_CAP (the page says
    # "more than", and a full page of many more is not counted: decision_views.capped_page), the order comes from the
    # index publication_agency_due (docs/publication.md, 规模).
    from .decision_views import capped_page

    page = capped_page(publications.order_by("due_on", "id"), 50, request.GET.get("page"))
    rows = [
        {"p": p, "late": p.is_late(today), "withdrawal_late": p.withdrawal_late(today)}
        for p in page.object_list
    ]
    return render(
        request,
        "publicity/staff/publication_list.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": PublicationState.choices,
            "late": only_late,
            "withdraw": to_withdraw,
            "cap": page.paginator.cap,
        },
    )


def _marked(text: str, removals: list[dict], *, original: bool):
    """The text in pieces for the side-by-side view: (piece, removal or None); ``original``: the removed text, else
    its replacement (offsets are the original's)."""
    pieces, at = [], 0
    for r in removals:
        pieces.append((text[at : r["start"]], None))
        pieces.append((text[r["start"] : r["end"]] if original else r["replacement"], r))
        at = r["end"]
    pieces.append((text[at:], None))
    return pieces


def _publication_step(request, pub):
    """One POSTed step on a publication: 提交审核, 修改去除项, 批准公开, 撤回 — each offered only to whom may take it."""
    from . import publication as p

    step = request.POST.get("step")
    steps = {
        "submit": (p.may_submit, lambda: p.submit(request.user, pub), _("已提交审核。")),
        "revise": (
            p.may_release,
            lambda: p.revise(
                request.user,
                pub,
                undo=[i for i in request.POST.getlist("undo") if i.isdigit()],
                add=request.POST.get("add", "").splitlines(),
            ),
            _("去除的内容已修改，公开文本已重新生成。"),
        ),
        "release": (p.may_release, lambda: p.release(request.user, pub), _("已批准公开。")),
        "not_publish": (
            p.may_decide_not_to_publish,
            lambda: p.decide_not_to_publish(
                request.user,
                pub,
                ground=request.POST.get("ground", ""),
                explanation=request.POST.get("explanation", ""),
            ),
            _("已决定不予公开。"),
        ),
        "withdraw": (
            p.may_withdraw,
            lambda: p.withdraw(request.user, pub, reason=request.POST.get("reason", "")),
            _("已撤回，公开网站上显示撤回说明。"),
        ),
    }
    if step not in steps:
        raise PermissionDenied(_("没有这个操作。"))
    allowed, run, done = steps[step]
    if not allowed(request.user, pub):
        raise PermissionDenied(_("您不能对这条公开记录进行此操作。"))
    try:
        run()
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, done)
    return redirect("catalog:publication_detail", pub.pk)


@login_required
def publication_detail(request, pk):
    """One decision's publication: the original text and the public text side by side, each removal marked with its
    reason; 提交审核 for the case's side; the reviewer's corrections and 批准公开 for a second person; 撤回."""
    from . import publication as publication_actions

    pub = queries.access_visible_publication(request.user, pk)
    if request.method == "POST":
        return _publication_step(request, pub)
    original, unchanged = publication_actions.original_text(pub)
    if pub.state == PublicationState.DRAFT:
        preview = publication_actions.public_text(pub.case, text=original)
        removals = publication_actions.stored_removals(preview)
    else:
        removals = pub.removals if unchanged else []
    removals = [{**r, "text": original[r["start"] : r["end"]], "reason": _(r["reason"])} for r in removals]
    today = timezone.localdate()
    return render(
        request,
        "publicity/staff/publication_detail.html",
        {
            "p": pub,
            "original": _marked(original, removals, original=True),
            "public": _marked(original, removals, original=False) if unchanged else [(pub.text, None)],
            "unchanged": unchanged,
            "removals": removals,
            "may_submit": publication_actions.may_submit(request.user, pub),
            "may_release": publication_actions.may_release(request.user, pub),
            "may_withdraw": publication_actions.may_withdraw(request.user, pub),
            "may_not_publish": publication_actions.may_decide_not_to_publish(request.user, pub),
            "grounds": [(g, NotPublishedGround(g).label) for g in publication_actions.NOT_PUBLISHED_BY_HEAD],
            "late": pub.is_late(today),
            "withdrawal_late": pub.withdrawal_late(today),
        },
    )


# 年度统计 ---------------------------------------------------------------------------------------------------------


@login_required
def statistics_list(request):
    """The agency's 年度统计, each year's state; 生成 for the head and the legal reviewers."""
    from zhifa.org.models import Agency

    from . import statistics
    from .models import AnnualReport

    agencies = queries.publication_agencies(request.user)
    if not agencies:
        raise PermissionDenied(_("年度统计由本执法主体的执法人员、法制审核人员、负责人和监督人员查看。"))
    preparable = [
        a
        for a in Agency.objects.filter(pk__in=agencies).order_by("code")
        if statistics.may_prepare(request.user, a)
    ]
    if request.method == "POST":
        agency = next((a for a in preparable if str(a.pk) == request.POST.get("agency")), None)
        if agency is None:
            raise PermissionDenied(_("年度统计由本执法主体的负责人或法制审核人员生成。"))
        year = request.POST.get("year", "")
        try:
            _report, job = statistics.request_report(request.user, agency, int(year) if year.isdigit() else 0)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect("catalog:statistics")
        return redirect("job", job_id=job.pk)
    reports = (
        AnnualReport.objects.filter(agency_id__in=agencies)
        .select_related("agency")
        .order_by("-year", "agency")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    last_year = timezone.localdate().year - 1
    return render(
        request,
        "publicity/staff/statistics_list.html",
        {
            "page": page,
            "preparable": preparable,
            "years": range(last_year, max(statistics.FIRST_YEAR, last_year - 9) - 1, -1),
        },
    )


@login_required
def statistics_detail(request, pk):
    from . import statistics

    report = queries.access_annual_report(request.user, pk)
    if request.method == "POST":
        if not statistics.is_publisher(request.user, report.agency):
            raise PermissionDenied(_("年度统计由本执法主体的负责人发布。"))
        try:
            statistics.publish_report(request.user, report, note=request.POST.get("note", ""))
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("年度统计已发布到公开网站。"))
        return redirect("catalog:statistics_detail", report.pk)
    return render(
        request,
        "publicity/staff/statistics_detail.html",
        {
            "report": report,
            "tables": statistics.labelled(report.data) if report.data else [],
            "amounts": (report.data or {}).get("amounts", {}),
            "may_publish": statistics.may_publish(request.user, report),
            "may_regenerate": report.state == report.State.DRAFT
            and statistics.may_prepare(request.user, report.agency),
        },
    )
