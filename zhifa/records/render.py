"""From a document to its content, its HTML, its PDF and its DOCX.

One HTML template per kind (templates/records/documents/<kind>.html) lays the document out like the official
format: A4, the agency name and the title centred, the 文号 on the right, the body, the signatures, the agency
name and date with the seal over them. WeasyPrint makes the PDF (the configured font family, embedded); the
DOCX is made with docxtpl from the same HTML, so the two never say different things.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import conf, contexts, kinds, rules, storage
from .choices import DocumentState, SignatureMethod, SignatureRole
from .seal import SealBox

CSS_PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96/in); PDF points are 72/in


def _in_chinese(func):
    """A document is written in Chinese whatever the language of the page it is made from: its content (which
    signatures bind by hash) and its text must not change with the reader's interface language."""
    from functools import wraps

    @wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper


# Content ---------------------------------------------------------------------------------------------------------


@_in_chinese
def build_data(case, spec: kinds.KindSpec, record, dated: dt.date) -> dict[str, Any]:
    return {
        **contexts.base_context(case),
        **contexts.record_context(record),
        **spec.build(case, record, dated),
    }


def content_for(document) -> dict[str, Any]:
    """What the document states now: the case file's data and the narrative, without number and signatures.
    Its hash is what signatures on a draft bind to."""
    spec = kinds.spec(document.kind)
    return {
        "kind": document.kind,
        "case": document.case_id,
        "record": document.record_id,
        "version": document.version,
        "dated": document.dated.isoformat(),
        "narrative": dict(document.narrative or {}),
        "data": build_data(document.case, spec, document.record, document.dated),
    }


def current_content(document) -> dict[str, Any]:
    """The frozen content of a finalised document, else the content built now."""
    if document.state == DocumentState.FINAL and document.context:
        return document.context["content"]
    return content_for(document)


@_in_chinese
def signature_view(sig, *, with_image: bool = True) -> dict[str, Any]:
    return {
        "id": sig.pk,
        "role": sig.role,
        "role_label": str(SignatureRole(sig.role).label),
        "method": sig.method,
        "method_label": str(SignatureMethod(sig.method).label),
        "name": sig.signer_name,
        "witness": sig.witness,
        "note": sig.note,
        "signed_at": timezone.localtime(sig.signed_at).isoformat(timespec="minutes"),
        "file_name": sig.file_name if with_image else "",
        "file_sha256": sig.file_sha256,
        "file_type": sig.file_type,
        "after_final": sig.after_final,
    }


def _image_uri(sig: dict[str, Any]) -> str:
    if sig.get("method") != SignatureMethod.HANDWRITTEN or not sig.get("file_name"):
        return ""
    data = storage.read(sig["file_name"], sig["file_sha256"])
    return "data:image/png;base64," + base64.b64encode(data).decode()


@_in_chinese
def template_context(
    document, content: dict[str, Any], signatures: list[dict[str, Any]], *, draft: bool, number: str = ""
) -> dict[str, Any]:
    spec = kinds.spec(document.kind)
    narrative = {n.name: "" for n in spec.narrative} | dict(content.get("narrative") or {})
    requirement = spec.requirement(document.record)
    sigs = [dict(s, image=_image_uri(s)) for s in signatures]
    supersedes = document.supersedes
    return {
        **content["data"],
        "n": narrative,
        "items": contexts.parse_items(narrative.get("items", "")),
        "item_labels": contexts.ITEM_LABELS,
        "doc": {
            "title": spec.label,
            "number": number,
            "wenhao": spec.has_wenhao,
            "dated": content["dated"],
            "version": document.version,
            "correction_reason": document.correction_reason,
            "supersedes": {
                "number": supersedes.number,
                "version": supersedes.version,
                "dated": supersedes.dated.isoformat(),
            }
            if supersedes
            else None,
        },
        "spec": {
            "seal": spec.seal,
            "officers": requirement.officers,
            "party": requirement.party,
            "party_label": spec.party_label,
        },
        "signatures": sigs,
        "officer_signatures": [s for s in sigs if s["role"] == SignatureRole.OFFICER],
        "head_signatures": [s for s in sigs if s["role"] == SignatureRole.HEAD],
        "party_signatures": [s for s in sigs if s["role"] == SignatureRole.PARTY],
        "draft": draft,
        "font_family": conf.css_font_family(),
    }


def valid_signatures(document, content_sha256: str) -> list:
    return [s for s in document.signatures.all() if s.content_sha256 == content_sha256 and not s.after_final]


def draft_context(document) -> tuple[dict[str, Any], dict[str, Any]]:
    """(content, template context) of a draft as it stands: only signatures on this very content count."""
    content = content_for(document)
    sha = rules.content_hash(content)
    sigs = [signature_view(s) for s in valid_signatures(document, sha)]
    return content, template_context(document, content, sigs, draft=True)


def final_context(document) -> dict[str, Any]:
    frozen = document.context
    return template_context(
        document, frozen["content"], frozen["signatures"], draft=False, number=document.number
    )


# HTML, PDF, DOCX -------------------------------------------------------------------------------------------------


@_in_chinese
def render_in_chinese(template: str, ctx: dict[str, Any]) -> str:
    """A document's HTML from ``template`` (other apps' documents, like the 法制审核意见书), always in Chinese."""
    return render_to_string(template, ctx)


@_in_chinese
def html(document, ctx: dict[str, Any]) -> str:
    return render_to_string(kinds.spec(document.kind).template, ctx)


def pdf(html_text: str) -> tuple[bytes, SealBox | None]:
    """The PDF and where its seal goes (the element with id "seal", on whichever page it fell)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    rendered = HTML(string=html_text, url_fetcher=URLFetcher(allowed_protocols={"data"})).render(
        font_config=FontConfiguration()
    )
    box = None
    for index, page in enumerate(rendered.pages):
        anchor = page.anchors.get("seal")
        if anchor:
            x1, y1, x2, y2 = anchor
            height = page.height
            box = SealBox(
                index,
                (
                    x1 * CSS_PX_TO_PT,
                    (height - y2) * CSS_PX_TO_PT,
                    x2 * CSS_PX_TO_PT,
                    (height - y1) * CSS_PX_TO_PT,
                ),
            )
    return rendered.write_pdf(), box


def docx(html_text: str) -> bytes:
    from .docxfile import render_docx

    return render_docx(html_text)
