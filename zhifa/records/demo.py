"""Demo (and test) support: make a case's file complete before it is archived, through the document actions.

``complete_file`` finalises the drafts still open and makes, signs and finalises each document the case's
procedure path requires (``archive.REQUIRED``) that the file does not hold yet. The party signs on the screen.
"""

from __future__ import annotations

import io

from zhifa.core.errors import RuleViolation

from . import actions, archive, kinds
from .choices import DocumentState
from .models import Document


def signature_png(width: int = 120, height: int = 40) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    ImageDraw.Draw(img).line((5, height - 5, width - 5, 5), fill=(0, 0, 0, 255), width=3)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def finish(document: Document, officers, signer_name: str) -> Document:
    """Fill what the draft still lacks (required fields), sign it (officers, the party) and finalise it."""
    spec = kinds.spec(document.kind)
    blanks = {
        n.name: (n.choices[0] if n.choices else "见案卷。")
        for n in spec.narrative
        if n.required and not str((document.narrative or {}).get(n.name, "")).strip()
    }
    lead = officers[0]
    if blanks:
        document = actions.edit_draft(lead, document, narrative=blanks)
    requirement = spec.requirement(document.record)
    for person in list(officers)[: requirement.officers]:
        actions.sign_document(person, document)
    if requirement.party:
        actions.capture_party_signature(lead, document, signer_name=signer_name, png=signature_png())
    return actions.finalise_document(lead, document)


def complete_file(case, officers) -> list[Document]:
    """Make the file of ``case`` (closed or ended, not yet archived) complete; returns the documents finalised."""
    case.refresh_from_db()
    signer = case.party.legal_representative or case.party.name
    from . import decision_draft

    made = []
    for doc in Document.objects.filter(case=case, state=DocumentState.DRAFT).order_by("id"):
        if doc.kind in decision_draft.DECISION_KINDS and case.decision_snapshot is None:
            # a decision document drafted for review of a case that ended without a decision
            actions.discard_draft(officers[0], doc, reason="案件未作出决定即终结，代拟稿作废")
            continue
        made.append(finish(doc, officers, signer))
    path = archive.procedure_path(case)
    have = {d.kind for d in archive._latest_final(case)}
    needed = list(archive.REQUIRED[path])
    for record_kind, kind in archive.RECORD_DOCUMENTS.items():
        if path not in ("not_filed", "simple") and case.records.filter(kind=record_kind).exists():
            needed.append(kind)
    for item in needed:
        choice = item if isinstance(item, tuple) else (item,)
        if have & set(choice):
            continue
        for kind in choice:
            try:
                document = actions.generate_document(officers[0], case, kind=kind)
            except RuleViolation:
                continue  # not this one of the choice (no such record, not this outcome): try the next
            made.append(finish(document, officers, signer))
            have.add(kind)
            break
    return made
