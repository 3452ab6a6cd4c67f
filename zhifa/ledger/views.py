"""Ledger pages: an object's history, the audit pages (entries, checkpoints, verification) for the audit
administrator and supervisors, the public portal page, and the public plain-text checkpoint and key."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core import keyset
from zhifa.org.choices import Role

from . import actions, keys, queries, registry
from .models import Entry

# Both lists only grow: cut by keyset (zhifa.core.keyset), a log's entries by sequence number, newest first; an
# object's history (entries in more than one log) by time, log and sequence number, oldest first.
SEQ_ORDER = [("seq", keyset.ID)]
HISTORY_ORDER = [("at", keyset.TIME), ("log_id", keyset.ID), ("seq", keyset.ID)]


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
    page = keyset.page_of(
        request,
        entries.only("log", "seq", "at", "action", "object_kind", "object_id", "body", "nodes"),
        SEQ_ORDER,
        descending=True,
        narrow=False,
    )
    return render(
        request,
        "ledger/audit_log.html",
        {
            "log": log,
            "page": page,
            "query": urlencode({"action": action, "kind": kind, "object": object_id}),
            "entries": queries.present(page.object_list, queries.ContentReader(request.user, objects=False)),
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
        {
            "log": log,
            "view": queries.present([entry], queries.ContentReader(request.user))[0],
            "checkpoint": checkpoint,
            "proof": proof,
        },
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
    page = keyset.page_of(request, entries, HISTORY_ORDER, descending=False, size=100, narrow=False)
    views = queries.present(page.object_list, queries.ContentReader(request.user))
    return render(
        request,
        "ledger/history.html",
        {
            "kind": kind,
            "kind_label": registry.kind_label(kind),
            "object_id": object_id,
            "page": page,
            "entries": views,
            "withheld": any(not v.content for v in views),
            "is_auditor": is_auditor,
        },
    )


def portal(request):
    """Public, in the portal's layout: each agency's latest signed checkpoint and public key, a check of an entry
    or a proof bundle in the browser (static/ledger/check.js, WebCrypto), and plain words on what it proves.

    A read-only view of signed checkpoints, so it is served from the portal's page cache
    (``publicity.views.cached_page``): the key holds the visitor's agency, each log's identity and key, and the id
    and text of its latest checkpoint — a new checkpoint makes a new key. A hit costs three indexed queries (the
    agency, the logs with their latest checkpoint's id, those checkpoints' text), builds no model object and renders
    nothing. A miss renders the checkpoints the key names."""
    from django.db.models import OuterRef, Subquery
    from django.urls import reverse

    from zhifa.publicity import queries as portal_queries
    from zhifa.publicity.views import _fields, cached_page

    from .models import Checkpoint

    agency = portal_queries.portal_agency(request.GET.get("agency"))
    latest = Checkpoint.objects.filter(log=OuterRef("pk")).order_by("-size").values("pk")[:1]
    logs = list(
        queries.public_logs()
        .annotate(latest_checkpoint=Subquery(latest))
        .values_list(
            "agency_id",
            "agency__code",
            "agency__name",
            "origin",
            "algorithm",
            "public_key",
            "latest_checkpoint",
        )
    )
    ids = [log[-1] for log in logs if log[-1] is not None]
    signed = {
        pk: (note, at)
        for pk, note, at in Checkpoint.objects.filter(pk__in=ids).values_list("pk", "note", "at")
    }
    # the page shows each log's agency, identity and key, and the text and time of its latest checkpoint
    shown = (_fields(agency), [(*log[:5], bytes(log[5]), log[6], signed.get(log[6])) for log in logs])

    def build():
        checkpoints = {cp.log_id: cp for cp in Checkpoint.objects.filter(pk__in=ids)}
        rows = []
        for log in queries.public_logs():
            code = log.agency.code
            vkey = keys.public_key(log).vkey()
            rows.append(
                {
                    "log": log,
                    "checkpoint": checkpoints.get(log.pk),
                    "vkey": vkey,
                    "selected": log.agency_id == agency.pk,
                    "script": {
                        "code": code,
                        "agency": log.agency.name,
                        "origin": log.origin,
                        "vkey": vkey,
                        "checkpoint_url": reverse("ledger:public_checkpoint", args=[code]),
                        "proof_url": reverse("ledger-log-inclusion-proof", args=[code]),
                    },
                }
            )
        rows.sort(key=lambda r: not r["selected"])  # the agency the visitor came from first
        return {
            "agency": agency,
            "agencies": [r["log"].agency for r in rows] if len(rows) > 1 else [],
            "aq": f"?agency={agency.code}",
            "rows": rows,
            "logs_json": [r["script"] for r in rows if r["checkpoint"]],
            "words": _check_words(),
        }

    return cached_page(request, "ledger/portal.html", shown, build)


def _check_words() -> dict[str, str]:
    """What the in-browser check says, in the page's language."""
    return {
        "passed": _("核验通过"),
        "partly": _("部分核验：本浏览器不能核对这种签名，请用下方的核验程序核对签名"),
        "failed": _("核验未通过"),
        "not_json": _("这不是 JSON 文件。"),
        "not_bundle": _("这不是执法记录账本的证明包（format 应为 zhifa-ledger-bundle/1）。"),
        "unknown_log": _("本网站没有日志标识为 %(origin)s 的账本。"),
        "log_known": _("证明包来自 %(agency)s 的账本（%(origin)s）。"),
        "key_differs": _("证明包附带的公钥与本页公布的公钥不一致：以本页公布的为准，核验不通过。"),
        "bad_checkpoint": _("检查点格式错误。"),
        "signature_ok": _("检查点（%(n)s 条记录，签署于 %(time)s）由该执法主体公布的密钥签署。"),
        "signature_unchecked": _("检查点的签名算法本浏览器不能核对（如国密 SM2），请用核验程序核对。"),
        "signature_bad": _("检查点的签名不成立：它不是由本页公布的密钥签署的。"),
        "entry_malformed": _("第 %(seq)s 条记录格式错误。"),
        "entry_changed": _("第 %(seq)s 条记录的内容与其哈希不符：记录被改动。"),
        "entry_not_included": _("第 %(seq)s 条记录的包含证明不成立：记录被改动，或不在该检查点的账本中。"),
        "entry_mismatch": _("第 %(seq)s 条记录的序号、账本或所属对象与证明包不符。"),
        "entry_chain": _("第 %(seq)s 条记录与前一条记录的哈希链不符。"),
        "entries_ok": _("证明包中的 %(n)s 条记录都包含在这个经签名的检查点中，内容未被改动。"),
        "index_outside": _("该序号不在最新检查点的范围内（共 %(n)s 条记录，序号从 0 起）。"),
        "leaf_included": _("第 %(seq)s 条记录（哈希 %(leaf)s…）包含在这个经签名的检查点中。"),
        "body_matches": _("您提供的记录原文与账本中这条记录的哈希一致：原文未被改动。"),
        "body_differs": _("您提供的记录原文与账本中这条记录的哈希不一致：原文被改动，或不是这一条记录。"),
        "body_missing": _("未提供记录原文：只核验了该序号的记录在账本中，没有核对内容。"),
        "download_proof": _("下载这条记录的包含证明（JSON）"),
        "fetch_failed": _("无法取得检查点或证明，请稍后再试。"),
        "col_seq": _("序号"),
        "col_time": _("记账时间（UTC）"),
        "col_action": _("操作"),
        "col_object": _("对象"),
    }


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
