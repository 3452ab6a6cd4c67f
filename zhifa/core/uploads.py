"""Request bodies with a limit: refused by their declared length before anything is read, and counted while the
bytes arrive.

Two pieces, both installed in settings:

- ``BodyLimitMiddleware`` (first in MIDDLEWARE): before any view or middleware reads the body, a request whose
  ``Content-Length`` is over the limit for its URL gets 413 with a Chinese page (JSON under ``/api/``); nothing is
  read, stored or ledgered. It also turns the refusal of ``LimitedUploadHandler`` into the same 413.
- ``LimitedUploadHandler`` (first in FILE_UPLOAD_HANDLERS): counts the file bytes of a multipart body as they are
  received and stops at the request's limit or at the form's per-file limit — while reading, not after. The files
  themselves go to temporary files on disk (``TemporaryFileUploadHandler``, FILE_UPLOAD_TEMP_DIR).

The limits: a body that is not a file upload (form fields, JSON) at most DATA_UPLOAD_MAX_MEMORY_SIZE
(``ZHIFA_MAX_BODY_MB``); a multipart upload at most ZHIFA_MAX_REQUEST_BYTES (``ZHIFA_MAX_REQUEST_MB``), or
ZHIFA_MAX_ANON_REQUEST_BYTES (``ZHIFA_MAX_ANON_REQUEST_MB``) for a visitor who is not logged in; the pages in
``view_limits()`` have their own limits, derived from the limits their actions check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

MB = 1024 * 1024
# Room for the form fields and the multipart framing around the files of a page with its own limit.
FORM_MARGIN = MB


@dataclass(frozen=True)
class Limit:
    total: int  # the whole body, in bytes
    per_file: int | None = None  # each file in it
    streamed: bool = False  # the view reads the body in pieces to disk (the resumable evidence upload)
    files: int = 1  # how many files the form takes


def view_limits() -> dict[str, Limit]:
    """URL name → its limit. The per-file limits are the ones the actions check, so a file is stopped while it
    arrives rather than refused after it is stored."""
    from zhifa.catalog.actions import IMPORT_MAX_BYTES, SAMPLE_MAX_BYTES
    from zhifa.publicity import rules as portal
    from zhifa.records import conf as records

    evidence = records.evidence_max_bytes()
    return {
        "publicity:complaint_new": Limit(
            portal.ATTACHMENTS_MAX * portal.ATTACHMENT_MAX_BYTES + FORM_MARGIN,
            portal.ATTACHMENT_MAX_BYTES,
            files=portal.ATTACHMENTS_MAX,
        ),
        "catalog:import": Limit(IMPORT_MAX_BYTES + FORM_MARGIN, IMPORT_MAX_BYTES),
        "catalog:material_add": Limit(SAMPLE_MAX_BYTES + FORM_MARGIN, SAMPLE_MAX_BYTES),
        "records:scan": Limit(records.SCAN_MAX_BYTES + FORM_MARGIN, records.SCAN_MAX_BYTES),
        "records:evidence_upload": Limit(evidence + FORM_MARGIN, evidence),
        # PUT of one piece of a resumable upload: read in pieces straight to disk, never into memory; the upload's
        # declared size bounds it further (records.evidence.receive_piece).
        "evidence-upload-detail": Limit(evidence, evidence, streamed=True),
    }


def is_multipart(request) -> bool:
    return request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")


def limit_for(request) -> Limit:
    match = getattr(request, "resolver_match", None)
    limit = view_limits().get(match.view_name) if match is not None else None
    if limit is None:
        if not is_multipart(request):
            return Limit(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        limit = Limit(settings.ZHIFA_MAX_REQUEST_BYTES)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        cap = settings.ZHIFA_MAX_ANON_REQUEST_BYTES
        limit = Limit(
            min(limit.total, cap),
            min(limit.per_file, cap) if limit.per_file else None,
            limit.streamed,
            limit.files,
        )
    return limit


def megabytes(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{max(n // 1024, 1)} KB"


def too_large_message(limit: Limit) -> str:
    if limit.per_file is not None and limit.files > 1:
        return _(
            "提交的内容过大：每个文件不超过%(file)s，合计不超过%(total)s。未保存任何内容，请减小文件后重新提交。"
        ) % {"file": megabytes(limit.per_file), "total": megabytes(limit.total)}
    if limit.per_file is not None:
        return _("提交的内容过大：文件不超过%(file)s。未保存任何内容，请减小文件后重新提交。") % {
            "file": megabytes(limit.per_file)
        }
    return _("提交的内容过大（不超过%(limit)s），未保存任何内容。请减小后重新提交。") % {
        "limit": megabytes(limit.total)
    }


def file_too_large_message(name: str, limit: int) -> str:
    return _("文件“%(name)s”超过大小限制（%(limit)s），未保存任何内容。") % {
        "name": (name or "")[:60],
        "limit": megabytes(limit),
    }


class RequestTooLarge(RequestDataTooBig):
    """The body passed its limit while being read (Django answers its SuspiciousOperation family with 400, and the
    middleware makes it 413 with this message)."""


def too_large_response(request, message: str):
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=413)
    else:
        response = render(request, "413.html", {"message": message}, status=413)
    # The unread rest of the body must not be taken for the next request on a kept-alive connection.
    response["Connection"] = "close"
    return response


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        message = getattr(request, "_zhifa_too_large", None)
        if message is not None and response.status_code in (400, 403, 500):
            return too_large_response(request, message)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared <= 0:
            return None
        limit = limit_for(request)
        if declared > limit.total:
            return too_large_response(request, too_large_message(limit))
        if request.method == "POST" and not getattr(view_func, "csrf_exempt", False):
            # The CSRF check reads the form next anyway; reading it here turns a body that passes its limit while
            # arriving into 413. (A csrf-exempt view may install its own upload handlers first: it reads the body
            # itself, and process_exception answers for it.)
            try:
                request.POST  # noqa: B018
            except RequestDataTooBig as exc:
                return self.process_exception(request, exc)
        return None

    def process_exception(self, request, exception):
        if not isinstance(exception, RequestDataTooBig):
            return None
        message = getattr(request, "_zhifa_too_large", None)
        if message is None:  # Django's own count of the form fields (DATA_UPLOAD_MAX_MEMORY_SIZE)
            message = too_large_message(Limit(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
        return too_large_response(request, message)


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of each file and of all files as they arrive; past a limit, it removes every temporary
    file of the request and stops the upload (the middleware answers 413)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = limit_for(self.request)
        self.total = 0
        self.temp_files = []
        if content_length > self.limit.total:
            self._refuse(too_large_message(self.limit))
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.this_file = 0

    def receive_data_chunk(self, raw_data, start):
        self._note_temp_files()
        self.this_file += len(raw_data)
        self.total += len(raw_data)
        if self.limit.per_file is not None and self.this_file > self.limit.per_file:
            self._refuse(file_too_large_message(self.file_name, self.limit.per_file))
        if self.total > self.limit.total:
            self._refuse(too_large_message(self.limit))
        return raw_data

    def file_complete(self, file_size):
        return None

    def _note_temp_files(self):
        for handler in self.request.upload_handlers:
            fh = getattr(handler, "file", None)
            if handler is not self and fh is not None and fh not in self.temp_files:
                self.temp_files.append(fh)

    def _refuse(self, message: str):
        for fh in getattr(self, "temp_files", []):
            try:
                fh.close()  # a temporary upload file is deleted when closed
            except OSError:
                pass
        self.request._zhifa_too_large = message
        raise RequestTooLarge(message)
