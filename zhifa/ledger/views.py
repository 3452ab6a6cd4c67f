"""Ledger pages: an object's history, the audit pages (entries, checkpoints, verification) for the audit
administrator and supervisors, the public portal page, and the public plain-text checkpoint and key."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.org.choices import Role

from . import actions, keys, queries, registry
from .models import Entry


@login_required
def audit_index(request):
    """The logs the user audits, with their latest checkpoint and last verification."""
    queries.require_auditor(request.user)
    logs = list(queries.audited_logs(request.user))
    latest = queries.latest_checkpoints(logs)
    rows = [
        {"log": log, "checkpoint": latest.get(log.pk), "verification": queries.last_verification(log)}
        for log in logs
    ]
    return render(request, "ledger/audit_index.html", {"rows": rows})


@login_required
def audit_log(request, code):
    log = queries.access_audited_log(request.user, code)
    action = request.GET.get("action", "").strip()
    kind = request.GET.get("kind", "").strip()
    object_id = request.GET.get("object", "").strip()
    entries = queries.audit_entries(log, action=action, kind=kind, object_id=object_id)
    page = Paginator(
        entries.only("log", "seq", "at", "action", "object_kind", "object_id", "body", "nodes"), 50
    )
    page = page.get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/audit_log.html",
        {
            "log": log,
            "page": page,
            "entries": queries.present(page.object_list),
            "checkpoints": log.checkpoints.order_by("-size")[:20],
            "verification": queries.last_verification(log),
            "vkey": keys.public_key(log).vkey(),
            "action": action,
            "kind": kind,
            "object": object_id,
            "can_sign": Role.AUDIT_ADMIN in queries.roles_in(request.user, log.pk),
        },
    )


@login_required
def entry_detail(request, code, seq):
    log = queries.access_audited_log(request.user, code)
    entry = Entry.objects.filter(log=log, seq=seq).first()
    if entry is None:
        raise Http404
    checkpoint = queries.latest_checkpoint(log)
    proof = None
    if checkpoint is not None and checkpoint.size > entry.seq:
        proof = [h.hex() for h in queries.inclusion_proof(log, entry.seq, checkpoint.size)]
    return render(
        request,
        "ledger/entry_detail.html",
        {"log": log, "view": queries.present([entry])[0], "checkpoint": checkpoint, "proof": proof},
    )


@login_required
@require_POST
def verify_now(request, code):
    log = queries.access_audited_log(request.user, code)
    report = actions.run_verification(
        agency=log.agency, state=bool(request.POST.get("state")), by=request.user
    )
    if report.ok:
        messages.success(request, _("验证通过：%(n)d 条记录完整。") % {"n": report.entries})
    else:
        messages.error(request, _("验证未通过：%(problem)s") % {"problem": report.problems[0]})
    return redirect("ledger:audit_log", code)


@login_required
@require_POST
def checkpoint_now(request, code):
    log = queries.access_audited_log(request.user, code)
    if Role.AUDIT_ADMIN not in queries.roles_in(request.user, log.pk):
        raise PermissionDenied(_("只有审计管理员可以立即签署检查点。"))
    checkpoint = actions.make_checkpoint(log.agency, force=True)
    if checkpoint is None:
        messages.success(request, _("自上一个检查点以来没有新记录，无需签署。"))
    else:
        messages.success(request, _("已签署检查点：%(n)d 条记录。") % {"n": checkpoint.size})
    return redirect("ledger:audit_log", code)


@login_required
def history(request, kind, object_id):
    """Who did what to one object, and when, rendered from its ledger entries."""
    entries, is_auditor = queries.access_history(request.user, kind, object_id)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/history.html",
        {
            "kind": kind,
            "kind_label": registry.kind_label(kind),
            "object_id": object_id,
            "page": page,
            "entries": queries.present(page.object_list),
            "is_auditor": is_auditor,
        },
    )


def portal(request):
    """Public: each agency's latest checkpoint, its public key, and how to verify."""
    logs = list(queries.public_logs())
    latest = queries.latest_checkpoints(logs)
    rows = [
        {"log": log, "checkpoint": latest.get(log.pk), "vkey": keys.public_key(log).vkey()} for log in logs
    ]
    return render(request, "ledger/portal.html", {"rows": rows})


def _text(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def public_checkpoint(request, code):
    """The latest checkpoint as a plain signed note (what tlog clients and witnesses fetch)."""
    log = queries.public_log(code)
    checkpoint = queries.latest_checkpoint(log)
    if checkpoint is None:
        raise Http404
    return _text(checkpoint.note)


def public_key(request, code):
    """The log's verifier key, for ``verify_bundle --key``."""
    response = _text(keys.public_key(queries.public_log(code)).vkey() + "\n")
    response["Content-Disposition"] = f'attachment; filename="{code}.pub"'
    return response
