"""Pages for a case's documents: list, generate, edit, preview, sign, finalise, download, verify.

Reads go through queries (whoever may see the case reads its documents), writes through actions (the handling
officers and heads change them). Opening a document is recorded in the ledger as an access (调阅).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from zhifa.cases.models import CaseRecord
from zhifa.cases.queries import access_case
from zhifa.core.errors import ActionDenied

from . import actions, forms, kinds, queries, rules, seal, storage, uploads
from . import render as rendering
from .choices import DocumentState

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def record_access(user, obj, reason: str) -> None:
    """调阅 entry in the ledger (zhifa.ledger.actions.record_access), when the ledger provides it."""
    from zhifa.ledger import actions as ledger_actions

    recorder = getattr(ledger_actions, "record_access", None)
    if recorder is not None:
        recorder(user, obj, reason)


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _run(request, fn, success: str | None = None):
    try:
        result = fn()
    except ValidationError as exc:
        _errors(request, exc)
        return None
    if success:
        messages.success(request, success)
    return result


def _filename(document, ext: str) -> str:
    name = f"{document.get_kind_display()}{document.number or '草稿'}"
    if document.version > 1:
        name += f"（第{document.version}版）"
    return f"{name}.{ext}"


# The case's documents --------------------------------------------------------------------------------------------


@login_required
def case_documents(request, case_id):
    case = access_case(request.user, case_id)
    return render(request, "records/case_documents.html", {"case": case})


@login_required
@require_POST
def generate(request, case_id):
    case = access_case(request.user, case_id)
    options = queries.generation_options(case)
    form = forms.GenerateForm(request.POST, case=case, options=options)
    if not form.is_valid():
        messages.error(request, _("请选择可以制作的文书种类。"))
        return redirect("records:case_documents", case.pk)
    record = None
    if form.cleaned_data["record"]:
        record = CaseRecord.objects.filter(case=case, pk=form.cleaned_data["record"]).first()
    document = _run(
        request,
        lambda: actions.generate_document(request.user, case, kind=form.cleaned_data["kind"], record=record),
        _("已生成文书草稿，请填写内容并签名后定稿。"),
    )
    if document is None:
        return redirect("records:case_documents", case.pk)
    return redirect(document)


# One document ----------------------------------------------------------------------------------------------------


def _detail_context(request, document, narrative_form=None) -> dict:
    spec = kinds.spec(document.kind)
    case = document.case
    may_change = queries.may_change(request.user, case)
    ctx = {
        "document": document,
        "case": case,
        "spec": spec,
        "may_change": may_change,
        "signatures": list(document.signatures.select_related("person")),
        "corrections": list(document.corrections.exclude(state=DocumentState.DISCARDED)),
        "current": queries.current_version(document) if document.is_final else None,
        "narrative_labels": [(n.title, (document.narrative or {}).get(n.name, "")) for n in spec.narrative],
    }
    if document.is_draft:
        sha = rules.content_hash(rendering.content_for(document))
        ctx["content_sha256"] = sha
        ctx["missing"] = actions.missing_for(document, sha)
        ctx["valid_signature_ids"] = {s.pk for s in rendering.valid_signatures(document, sha)}
        if may_change:
            initial = {**document.narrative, "dated": document.dated}
            ctx["narrative_form"] = narrative_form or forms.NarrativeForm(initial=initial, spec=spec)
            ctx["refusal_form"] = forms.RefusalForm(initial={"signer_name": queries.default_signer(document)})
    if may_change:
        ctx["reason_form"] = forms.ReasonForm()
        ctx["scan_form"] = forms.ScanForm(initial={"signer_name": queries.default_signer(document)})
    return ctx


@login_required
def document_detail(request, pk):
    document = queries.access_document(request.user, pk)
    record_access(request.user, document, _("查看文书"))
    return render(request, "records/document.html", _detail_context(request, document))


@login_required
@require_POST
def edit(request, pk):
    document = queries.access_document(request.user, pk)
    spec = kinds.spec(document.kind)
    form = forms.NarrativeForm(request.POST, spec=spec)
    if form.is_valid():
        data = dict(form.cleaned_data)
        dated = data.pop("dated")
        done = _run(
            request,
            lambda: actions.edit_draft(request.user, document, narrative=data, dated=dated),
            _("文书内容已保存。"),
        )
        if done is not None:
            return redirect(document)
    return render(request, "records/document.html", _detail_context(request, document, form), status=400)


@login_required
@require_POST
def sign(request, pk):
    document = queries.access_document(request.user, pk)
    _run(request, lambda: actions.sign_document(request.user, document), _("已签名。"))
    return redirect(document)


@login_required
@require_POST
def finalise(request, pk):
    document = queries.access_document(request.user, pk)
    done = _run(request, lambda: actions.finalise_document(request.user, document), None)
    if done is not None:
        messages.success(request, _("文书已定稿，编号为%(number)s。") % {"number": done.number})
    return redirect(document)


@login_required
@require_POST
def refusal(request, pk):
    document = queries.access_document(request.user, pk)
    form = forms.RefusalForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: actions.record_refusal(request.user, document, **form.cleaned_data),
            _("已记录当事人拒绝签名及见证人。"),
        )
    else:
        messages.error(request, _("请填写拒绝签名的当事人和见证人。"))
    return redirect(document)


@login_required
@require_POST
def scan(request, pk):
    document = queries.access_document(request.user, pk)
    form = forms.ScanForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data["file"].read(uploads.conf.SCAN_MAX_BYTES + 1)
        _run(
            request,
            lambda: actions.attach_signed_scan(
                request.user,
                document,
                signer_name=form.cleaned_data["signer_name"],
                data=data,
                note=form.cleaned_data["note"],
            ),
            _("扫描件已保存。"),
        )
    else:
        messages.error(request, _("请选择扫描件并填写签名人。"))
    return redirect(document)


@login_required
@require_POST
def correct(request, pk):
    document = queries.access_document(request.user, pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写更正理由。"))
        return redirect(document)
    correction = _run(
        request,
        lambda: actions.correct_document(request.user, document, reason=form.cleaned_data["reason"]),
        _("已制作更正版本草稿；定稿后将取代原文书，原文书保留。"),
    )
    return redirect(correction or document)


@login_required
@require_POST
def discard(request, pk):
    document = queries.access_document(request.user, pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写作废理由。"))
        return redirect(document)
    done = _run(
        request,
        lambda: actions.discard_draft(request.user, document, reason=form.cleaned_data["reason"]),
        _("草稿已作废。"),
    )
    return redirect("records:case_documents", document.case_id) if done else redirect(document)


@login_required
def party_signature(request, pk):
    """The touch-screen page: the party signs on the canvas the officer holds out (or a PNG is uploaded)."""
    document = queries.access_document(request.user, pk)
    if not queries.may_change(request.user, document.case):
        raise ActionDenied(_("只有本案承办人员或负责人可以进行此操作。"))
    form = forms.PartySignatureForm(
        request.POST or None, request.FILES or None, initial={"signer_name": queries.default_signer(document)}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("image")
        try:
            png = (
                upload.read(uploads.conf.SIGNATURE_MAX_BYTES + 1)
                if upload
                else uploads.decode_data_url(form.cleaned_data["image_data"])
            )
            actions.capture_party_signature(
                request.user, document, signer_name=form.cleaned_data["signer_name"], png=png
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("当事人签名已保存。"))
            return redirect(document)
    spec = kinds.spec(document.kind)
    return render(
        request,
        "records/party_signature.html",
        {"document": document, "form": form, "spec": spec},
        status=400 if form.errors else 200,
    )


# Files -----------------------------------------------------------------------------------------------------------


@login_required
@xframe_options_sameorigin
def preview(request, pk):
    """The PDF shown inline: the stored sealed PDF of a finalised document, a fresh rendering of a draft."""
    document = queries.access_document(request.user, pk)
    record_access(request.user, document, _("预览文书"))
    if document.is_final:
        data = storage.read(document.pdf_name, document.pdf_sha256)
    else:
        _content, ctx = rendering.draft_context(document)
        data, _box = rendering.pdf(rendering.html(document, ctx))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def download(request, pk, fmt):
    document = queries.access_document(request.user, pk)
    if fmt not in CONTENT_TYPES or not document.is_final:
        raise Http404
    record_access(request.user, document, _("下载文书"))
    name, sha = (
        (document.pdf_name, document.pdf_sha256)
        if fmt == "pdf"
        else (document.docx_name, document.docx_sha256)
    )
    try:
        data = storage.read(name, sha)
    except storage.FileTampered:
        messages.error(
            request, _("存储的文件与定稿时记录的哈希值不一致，文件可能已被篡改，请联系系统管理员。")
        )
        return redirect(document)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(_filename(document, fmt))}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def signature_file(request, pk):
    signature = queries.access_signature(request.user, pk)
    if not signature.file_name:
        raise Http404
    data = storage.read(signature.file_name, signature.file_sha256)
    return FileResponse(iter([data]), content_type=signature.file_type or "application/octet-stream")


def stored_verification(document) -> dict:
    """The stored PDF checked twice: against the SHA-256 recorded at finalising, and its own signatures."""
    try:
        data = storage.read(document.pdf_name)
    except OSError:
        return {"hash_ok": False, "result": seal.Verification(1, _("找不到存储的PDF文件。"))}
    hash_ok = rules.sha256_hex(data) == document.pdf_sha256
    return {"hash_ok": hash_ok, "result": seal.verify_pdf(data), "sha256": rules.sha256_hex(data)}


@login_required
def verify_document(request, pk):
    document = queries.access_document(request.user, pk)
    if not document.is_final:
        raise Http404
    record_access(request.user, document, _("验证文书签名"))
    return render(request, "records/verify.html", {"document": document, **stored_verification(document)})


@login_required
def verify_upload(request):
    """Anyone signed in may check a PDF they hold: are its signatures intact, and by whom?"""
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(50 * 1024 * 1024)
        result = seal.verify_pdf(data)
        matched = queries.visible_documents(request.user).filter(pdf_sha256=rules.sha256_hex(data)).first()
        return render(
            request,
            "records/verify.html",
            {
                "form": form,
                "result": result,
                "matched": matched,
                "sha256": rules.sha256_hex(data),
                "upload": True,
            },
        )
    return render(
        request,
        "records/verify.html",
        {"form": form, "result": result, "upload": True, "now": timezone.now()},
    )
