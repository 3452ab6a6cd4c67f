"""Staff pages for 投诉举报 received on the portal (the agency's business roles handle them, supervisors read) and for
the publication of decisions (事后公开)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.forms import run_action

from . import actions, forms, queries
from .choices import ComplaintStatus, PublicationState


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
    page = Paginator(publications.order_by("due_on", "id"), 50).get_page(request.GET.get("page"))
    open_states = {PublicationState.DRAFT, PublicationState.PENDING}
    rows = [{"p": p, "late": p.state in open_states and p.due_on < today} for p in page.object_list]
    return render(
        request,
        "publicity/staff/publication_list.html",
        {"page": page, "rows": rows, "state": state, "states": PublicationState.choices, "late": only_late},
    )
