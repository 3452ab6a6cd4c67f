"""Reads of documents, always scoped to what the asking user may see: exactly the cases they may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

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
    """Whether ``user`` may generate, edit, sign and finalise the case's documents (the lifecycle table's
    ``change_documents`` step; the hearing chair for the hearing documents)."""
    from zhifa.cases import access

    held = access.capacities(user, case)
    return access.may(user, case, "change_documents", held=held) or access.may(
        user, case, "change_hearing_documents", held=held
    )


def generation_options(case) -> list[dict]:
    """Every kind with whether it can be generated now and, if not, why (for the generate form)."""
    from zhifa.cases.choices import State
    from zhifa.cases.queries import record_kinds

    out = []
    have = record_kinds(case)  # once, not a query per kind
    for spec in kinds.KINDS.values():
        if case.state == State.ARCHIVED or case.state not in spec.states:
            problem = "state"
        else:
            problem = spec.applies(case) or ""
            if not problem and spec.record_kind and spec.record_kind not in have:
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


# Evidence -----------------------------------------------------------------------------------------------------------


def visible_evidence(user):
    from .models import Evidence

    return Evidence.objects.filter(agency_id__in=readable_agency_ids(user)).select_related("case", "agency")


def may_open_marked(user, case) -> bool:
    """Records marked 国家秘密 / 商业秘密 / 个人隐私 open only to the case's officers, its assigned reviewers, the
    agency's heads and supervisors."""
    from django.apps import apps

    from zhifa.cases.queries import case_officer_ids
    from zhifa.org import queries as org_queries
    from zhifa.org.choices import Role

    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk in case_officer_ids(case):
        return True
    if case.agency_id in org_queries.agency_ids_with(user, {Role.AGENCY_HEAD, Role.SUPERVISOR}):
        return True
    if apps.is_installed("zhifa.review"):
        Assignment = apps.get_model("review", "Assignment")
        return Assignment.objects.filter(submission__case=case, reviewer=user).exists()
    return False


def access_evidence(user, evidence_id, *, log_refusal: bool = False):
    """The one permission-checked fetch of an evidence item: 404 outside the agencies the user reads; 403 for a
    marked item the user may not open (the refusal is recorded in the ledger when ``log_refusal``)."""
    from .models import Evidence

    try:
        evidence = visible_evidence(user).get(pk=evidence_id)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if evidence.secrecy and not may_open_marked(user, evidence.case):
        if log_refusal:
            from django.db import transaction

            from zhifa.ledger import actions as ledger

            with transaction.atomic():
                ledger.append(
                    agency=evidence.agency,
                    actor=user,
                    action="records.access_refused",
                    obj=evidence,
                    payload={"case": evidence.case_id, "secrecy": evidence.secrecy},
                )
        raise PermissionDenied(
            _("涉密记录（%(mark)s）仅限本案承办人员、审核人员、负责人和监督人员调阅。")
            % {"mark": evidence.get_secrecy_display()}
        )
    return evidence


def case_evidence(user, case) -> list:
    """The case's evidence, each with ``restricted`` set when it is marked and the user may not open it."""
    items = list(case.evidence.all().prefetch_related("officers").select_related("record", "document"))
    allowed = may_open_marked(user, case)
    for item in items:
        item.restricted = bool(item.secrecy) and not allowed
    return items


def party_evidence(user, party) -> list:
    """All evidence of the party's cases the user may see (集中存储: one party's records in one place)."""
    from zhifa.cases.queries import visible_cases

    cases = visible_cases(user).filter(party=party)
    return list(visible_evidence(user).filter(case__in=cases).order_by("case_id", "collected_at", "id"))


def party_documents(user, party) -> list:
    from zhifa.cases.queries import visible_cases

    cases = visible_cases(user).filter(party=party)
    return list(
        visible_documents(user)
        .filter(case__in=cases)
        .exclude(state=DocumentState.DISCARDED)
        .order_by("case_id", "id")
    )
