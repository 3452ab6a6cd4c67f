"""事后公开 of decisions (issue 15): the publication a decision opens, with its deadline.

国办发〔2018〕118号 (law-facts.md §2.1): a penalty decision is published within 7 working days of the decision, other
enforcement decisions within 20; the periods are the agency-settable deadline kinds ``publication_penalty`` and
``publication_other`` (zhifa.workdays), counted on the working-day engine from the decision date. A case sent to the
judicial organs (移送) has no decision of its own to publish.
"""

from __future__ import annotations

from zhifa.catalog.actions import state
from zhifa.ledger import actions as ledger

from .choices import PublicationKind
from .models import Publication

DEADLINE_KINDS = {PublicationKind.PENALTY: "publication_penalty", PublicationKind.OTHER: "publication_other"}


def kind_for(case) -> str | None:
    """Which publication a decided case needs: none for a transfer (移送司法机关 is not a decision on the case)."""
    from zhifa.cases.choices import Outcome

    if case.outcome == Outcome.TRANSFER:
        return None
    return PublicationKind.PENALTY if case.outcome == Outcome.PENALTY else PublicationKind.OTHER


def open_for_decision(actor, case) -> Publication | None:
    """Called by ``cases.actions.decide`` inside its transaction (``DECIDED_HOOKS``): the publication, 待编辑, and its
    deadline from the decision date, both in the ledger with the decision."""
    kind = kind_for(case)
    if kind is None:
        return None
    from zhifa.cases import deadlines

    deadline_kind = DEADLINE_KINDS[kind]
    publication = Publication(
        agency=case.agency,
        case=case,
        kind=kind,
        decided_on=case.decided_on,
        due_on=deadlines.due_on(case.agency, deadline_kind, case.decided_on),
    )
    publication.full_clean()
    publication.save()
    ledger.append(
        agency=case.agency,
        actor=actor,
        action="publicity.open_publication",
        obj=publication,
        payload={"state": state(publication)},
    )
    deadlines.open_(actor, case, deadline_kind, case.decided_on, target=publication)
    return publication


def decision_text(case) -> str:
    """The full text of the decision the case's decision bound (its decision document: the finalised one when
    finalised, else the bound draft), as plain text, one paragraph a line."""
    import html as html_lib
    import re

    from django.utils.html import strip_tags

    from zhifa.records import render
    from zhifa.records.decision_draft import current_draft

    document = current_draft(case)
    if document is None:
        return ""
    ctx = render.final_context(document) if document.number else render.draft_context(document)[1]
    markup = render.html(document, ctx)
    markup = re.sub(r"(?is)<(style|script|head)\b.*?</\1>", "", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr|table|section)>", "\n", markup)
    lines = (re.sub(r"\s+", " ", line).strip() for line in html_lib.unescape(strip_tags(markup)).splitlines())
    return "\n".join(line for line in lines if line)


def public_text(case, *, using=None):
    """The decision's text with personal information removed (zhifa.publicity.redaction), from what the case knows."""
    from .redaction import case_context, redact

    return redact(decision_text(case), case_context.context_for(case), using=using)
