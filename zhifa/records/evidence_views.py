"""Pages for evidence: the upload form (streamed, hashed while it arrives), the evidence page with its player, the
file itself with HTTP Range (seeking in audio and video), the party's records together, and the supervisors'
access log (调阅记录). Every opening of an evidence item is recorded in the ledger."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from zhifa.cases.queries import access_case, access_party
from zhifa.core.errors import RuleViolation

from . import evidence as actions
from . import ingest, queries
from .choices import EvidenceKind, Secrecy
from .views import record_access


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_l("证据文件"))
    kind = forms.ChoiceField(label=_l("证据种类"), choices=EvidenceKind.choices)
    description = forms.CharField(label=_l("证据说明"), max_length=500)
    source = forms.CharField(label=_l("证据来源"), max_length=300, required=False)
    collected_at = forms.DateTimeField(
        label=_l("收集时间"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_l("收集地点"), max_length=300, required=False)
    latitude = forms.DecimalField(label=_l("纬度"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_l("经度"), required=False, max_digits=9, decimal_places=6)
    act_code = forms.ChoiceField(
        label=_l("音像记录事项"),
        required=False,
        help_text=_l("全程音像记录的执法行为（如查封扣押）须先上传录像，再制作该记录"),
    )
    device_id = forms.CharField(label=_l("记录设备编号"), max_length=100, required=False)
    secrecy = forms.ChoiceField(label=_l("涉密标识"), choices=Secrecy.choices, required=False)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        from zhifa.catalog.queries import av_requirements

        items = av_requirements(agency) if agency is not None else []
        self.fields["act_code"].choices = [("", "—")] + [
            (req.act_code, f"{req.act}（{_('全程') if req.mandatory else _('根据情况')}）") for req in items
        ]


@csrf_exempt  # the upload handler must be set before the body is read; the CSRF check follows in _upload
@login_required
def upload(request, case_id):
    request.upload_handlers = [ingest.HashingUploadHandler(request)]
    return _upload(request, case_id)


@csrf_protect
def _upload(request, case_id):
    case = access_case(request.user, case_id)
    if not queries.may_change(request.user, case):
        raise PermissionDenied(_("只有本案承办人员或负责人可以登记证据。"))
    form = EvidenceForm(request.POST or None, request.FILES or None, agency=case.agency)
    if request.method == "POST":
        if getattr(request, "evidence_too_large", False):
            form.add_error(None, ingest.too_large_message())
        elif form.is_valid():
            data = dict(form.cleaned_data)
            received = None
            try:
                received = ingest.received_from_upload(data.pop("file"))
                evidence = actions.add_evidence(request.user, case, received=received, **data)
            except RuleViolation as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("证据已登记，SHA-256：%(sha)s") % {"sha": evidence.sha256})
                return redirect(evidence)
            finally:
                if received is not None:
                    actions.cleanup_received(received)
    return render(request, "records/evidence_upload.html", {"form": form, "case": case})


def _opened_key(pk) -> str:
    return f"evidence_opened_{pk}"


@login_required
def evidence_detail(request, pk):
    item = queries.access_evidence(request.user, pk, log_refusal=True)
    if item.secrecy:
        reason = (request.POST.get("reason") or "").strip() if request.method == "POST" else ""
        if not request.session.get(_opened_key(pk)):
            if not reason:
                return render(request, "records/evidence_reason.html", {"evidence": item})
            record_access(request.user, item, reason)
            request.session[_opened_key(pk)] = True
            return redirect(item)
    else:
        record_access(request.user, item, _("查看证据"))
    return render(request, "records/evidence.html", {"evidence": item, "case": item.case})


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) inclusive of a single ``bytes=`` range; None when absent; Http404-like refusal via 416."""
    m = _RANGE.match(header.strip())
    if not m or (not m.group(1) and not m.group(2)):
        raise ValueError
    if not m.group(1):  # the last N bytes
        n = int(m.group(2))
        return max(size - n, 0), size - 1
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else size - 1
    if first >= size or last < first:
        raise ValueError
    return first, min(last, size - 1)


def _stream(name: str, first: int, length: int, chunk: int = 256 * 1024):
    with default_storage.open(name, "rb") as fh:
        fh.seek(first)
        left = length
        while left > 0:
            block = fh.read(min(chunk, left))
            if not block:
                break
            left -= len(block)
            yield block


def file_response(request, item, *, download: bool = False):
    """The stored file, whole or the one byte range asked for (206), streamed."""
    size = item.size
    header = request.headers.get("Range", "")
    if not default_storage.exists(item.file_name):
        raise Http404
    if header:
        try:
            first, last = _range(header, size)
        except ValueError:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = StreamingHttpResponse(
            _stream(item.file_name, first, last - first + 1), status=206, content_type=item.content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    else:
        response = StreamingHttpResponse(_stream(item.file_name, 0, size), content_type=item.content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = f'"{item.sha256}"'
    response["X-Content-SHA256"] = item.sha256
    response["X-Content-Type-Options"] = "nosniff"
    if download:
        from zhifa.core.filenames import disposition

        response["Content-Disposition"] = disposition(item.original_name or item.file_name.rsplit("/", 1)[-1])
    return response


@login_required
def evidence_file(request, pk):
    """The file for the page's player (Range) or, with ?download=1, as an attachment. The first request of a
    playback (no range or from byte 0) and every download are recorded; a marked item needs its reason first."""
    item = queries.access_evidence(request.user, pk, log_refusal=True)
    download = request.GET.get("download") == "1"
    if item.secrecy and not request.session.get(_opened_key(pk)):
        raise PermissionDenied(_("调阅涉密记录须先填写调阅事由。"))
    header = request.headers.get("Range", "")
    if download:
        record_access(request.user, item, _("下载证据"))
    elif not item.secrecy and (not header or header.startswith("bytes=0-")):
        record_access(request.user, item, _("播放或查看证据文件"))
    return file_response(request, item, download=download)


@login_required
def party_records(request, pk):
    party = access_party(request.user, pk)
    return render(
        request,
        "records/party_records.html",
        {
            "party": party,
            "documents": queries.party_documents(request.user, party),
            "evidence": queries.party_evidence(request.user, party),
        },
    )


# Access supervision --------------------------------------------------------------------------------------------------


@login_required
def access_log(request):
    """调阅记录: who opened which case, document or evidence item, filtered by person, case and time (in the
    database, before the page is cut), 50 to a page, newest first; pages are cut by keyset (``?after=``/``?before=``
    a row's time, log and sequence number), so the thousandth page of a busy case costs what the first does, and the
    count stops at :data:`COUNT_CAP`. With the unusual patterns flagged and the evidence whose fixity check failed."""
    from urllib.parse import urlencode

    from zhifa.core import keyset

    from . import access

    agencies = access.supervised_agency_ids(request.user)
    if not agencies:
        raise PermissionDenied(_("只有监督人员和机关负责人可以查看调阅记录。"))
    filters = {name: request.GET.get(name, "").strip() for name in ("person", "case", "since", "until")}
    since = _date(filters["since"])
    until = _date(filters["until"])
    entries = access.query(agencies, person=filters["person"], case=filters["case"], since=since, until=until)
    page = keyset.page_of(request, entries, access.ORDER, descending=True, size=PAGE_SIZE, narrow=False)
    total, more = keyset.capped_count(entries, COUNT_CAP)
    return render(
        request,
        "records/access_log.html",
        {
            "rows": access.rows(page.object_list),
            "page": page,
            "total": total,
            "more": more,
            "flags": access.flags(agencies, since=since, until=until),
            "fixity": actions.fixity_alerts(agencies),
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


COUNT_CAP = 10_000
PAGE_SIZE = 50


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


# The case file (案卷) -------------------------------------------------------------------------------------------------


@login_required
def case_file(request, case_id):
    """卷内目录 of the case; POST archives it (heads, closed cases); POST ``export`` starts the background job that
    makes the archive package and shows its progress (``zhifa.core.queue``, ``records.tasks.archive_package``)."""
    from django.db import transaction

    from zhifa.core import queue

    from . import archive

    case = access_case(request.user, case_id)
    if request.method == "POST" and "export" in request.POST:
        try:
            archive.check_archivable(case)
        except RuleViolation as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("records:case_file", case_id=case.pk)
        with transaction.atomic():
            record_access(request.user, case, _("导出案卷归档包"))
            job = queue.start(
                "records.archive_package",
                request.user,
                agency=case.agency,
                target=("cases.case", case.pk),
                step=_("等待后台进程处理"),
            )
        return redirect("job", job_id=job.pk)
    if request.method == "POST":
        try:
            archive.archive_case(request.user, case)
        except RuleViolation as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("案卷已归档，案件转为只读。"))
        return redirect("records:case_file", case_id=case.pk)
    rows = archive.index(case)
    from zhifa.cases import access as case_access

    archivable = case.state in ("closed", "not_filed", "revoked", "terminated")
    return render(
        request,
        "records/case_file.html",
        {
            "case": case,
            "rows": rows,
            "retention": archive.retention_years(case),
            "archivable": archivable,
            # the 归档 button only for who may archive (the case's head, the handling unit's head)
            "may_archive": archivable and case_access.may(request.user, case, "archive_case"),
            "missing": archive.missing(case) if archivable else [],
        },
    )
