"""Reads of documents, always scoped to what the asking user may see: exactly the cases they may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from zhifa.cases.queries import readable_agency_ids

from . import kinds
from .choices import DocumentState
from .models import Document, DocumentSignature


def visible_documents(user) -> QuerySet[Document]:
    return Document.objects.filter(agency_id__in=readable_agency_ids(user)).select_related(
        "case", "case__party", "agency", "supersedes", "created_by"
    )


def access_document(user, document_id) -> Document:
    """The one permission-checked fetch of a document: whoever may see its case may read it."""
    try:
        return visible_documents(user).get(pk=document_id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_signature(user, signature_id) -> DocumentSignature:
    try:
        return DocumentSignature.objects.select_related("document").get(
            pk=signature_id, document__agency_id__in=readable_agency_ids(user)
        )
    except (DocumentSignature.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_documents(case) -> list[Document]:
    """The case's documents (not discarded drafts), oldest first; each with ``superseded`` set when a finalised
    correction replaces it."""
    docs = list(
        Document.objects.filter(case=case).exclude(state=DocumentState.DISCARDED).select_related("supersedes")
    )
    replaced = {d.supersedes_id for d in docs if d.supersedes_id and d.state == DocumentState.FINAL}
    for doc in docs:
        doc.superseded = doc.pk in replaced
    return docs


def current_version(document: Document) -> Document:
    """The latest finalised version of the document's correction chain (the document itself if none)."""
    latest = document
    while True:
        nxt = latest.corrections.filter(state=DocumentState.FINAL).first()
        if nxt is None:
            return latest
        latest = nxt


SIGNER_FIELDS = ("interviewee", "stater", "recipient", "present")


def default_signer(document: Document) -> str:
    """Who is expected to sign for the party: the person the narrative names (被询问人, 陈述申辩人, 受送达人), else
    the organisation's legal representative, else the party."""
    for name in SIGNER_FIELDS:
        value = str((document.narrative or {}).get(name, "")).strip()
        if value:
            return value
    party = document.case.party
    return party.legal_representative or party.name


def may_change(user, case) -> bool:
    """Whether ``user`` may generate, edit, sign and finalise the case's documents."""
    from zhifa.cases.actions import _require_handler

    if not getattr(user, "is_authenticated", False):
        return False
    try:
        _require_handler(user, case)
    except PermissionDenied:
        return case.hearing_chair_id == user.pk
    return True


def generation_options(case) -> list[dict]:
    """Every kind with whether it can be generated now and, if not, why (for the generate form)."""
    from zhifa.cases.choices import State

    out = []
    for spec in kinds.KINDS.values():
        if case.state == State.ARCHIVED or case.state not in spec.states:
            problem = "state"
        else:
            problem = spec.applies(case) or ""
            if not problem and spec.record_kind and not case.records.filter(kind=spec.record_kind).exists():
                problem = "record"
        out.append(
            {
                "kind": spec.kind,
                "label": spec.label,
                "available": not problem,
                "problem": problem,
                "record_kind": spec.record_kind,
            }
        )
    return out
