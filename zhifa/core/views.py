"""Health endpoints for load balancers and operators."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render


def healthz(request):
    """The process is up."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """The database and the task queue answer; with the queue's depth for monitoring (docs/deploy.md)."""
    from . import queue

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means not ready
        return JsonResponse({"status": "unavailable", "error": exc.__class__.__name__}, status=503)
    try:
        depth = queue.depth()
    except Exception as exc:  # the queue's storage (Redis, its tables) does not answer
        return JsonResponse(
            {"status": "unavailable", "error": f"queue: {exc.__class__.__name__}"}, status=503
        )
    return JsonResponse({"status": "ok", "queue": depth})


def _my_job(request, job_id):
    """The job, to the person who started it; anyone else gets 404 (as for an object that does not exist)."""
    from django.shortcuts import get_object_or_404

    from .models import Job

    return get_object_or_404(Job, pk=job_id, started_by=request.user, slot="")


@login_required
def job(request, job_id):
    """The state of a background job the user started: a progress bar that refreshes itself until it ends."""
    from . import queue

    found = _my_job(request, job_id)
    return render(
        request,
        "core/job.html",
        {
            "job": found,
            "label": queue.LABELS.get(found.kind, found.kind),
            "active": found.state in (found.State.QUEUED, found.State.RUNNING),
            "back": _target_url(found),
        },
    )


@login_required
def job_download(request, job_id):
    """The result file of a finished job, while its starter may still read the object it was made from."""
    from django.core.files.storage import default_storage

    from zhifa.ledger.queries import may_read_object

    found = _my_job(request, job_id)
    if found.state != found.State.DONE or not found.result_file:
        raise Http404
    if found.target_kind and not may_read_object(request.user, found.target_kind, found.target_id):
        raise Http404
    return FileResponse(
        default_storage.open(found.result_file, "rb"), as_attachment=True, filename=found.result_name
    )


# The page a job's result belongs to, by the kind of its target.
TARGET_PAGES = {"cases.case": "records:case_file", "publicity.annualreport": "catalog:statistics_detail"}


def _target_url(found) -> str:
    from django.urls import NoReverseMatch, reverse

    name = TARGET_PAGES.get(found.target_kind)
    if name is None:
        return ""
    try:
        return reverse(name, args=[found.target_id])
    except NoReverseMatch:
        return ""
