"""事后公开 of decisions (issue 15): the publication a decision opens, with its deadline.

国办发〔2018〕118号 (law-facts.md §2.1): a penalty decision is published within 7 working days of the decision, other
enforcement decisions within 20; the periods are the agency-settable deadline kinds ``publication_penalty`` and
``publication_other`` (zhifa.workdays), counted on the working-day engine from the decision date. A case sent to the
judicial organs (移送) has no decision of its own to publish.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.catalog.actions import state
from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.ledger import actions as ledger
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role

from .choices import PublicationKind, PublicationState
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


def public_text(case, *, text: str | None = None, using=None):
    """The decision's text (``text`` when the caller has it already) with personal information removed
    (zhifa.publicity.redaction), from what the case knows."""
    from .redaction import case_context, redact

    return redact(decision_text(case) if text is None else text, case_context.context_for(case), using=using)


# Who prepares the public text (the case's side) and who releases it (a second person: the legal reviewer or the
# head — the two-person rule of issue 15).
SUBMITTER_ROLES = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD})
RELEASER_ROLES = frozenset({Role.LEGAL_REVIEWER, Role.AGENCY_HEAD})


def may_submit(user, publication) -> bool:
    return (
        publication.state == PublicationState.DRAFT
        and publication.agency_id in org_queries.agency_ids_with(user, SUBMITTER_ROLES)
    )


def may_release(user, publication) -> bool:
    return (
        publication.state == PublicationState.PENDING
        and publication.submitted_by_id != user.pk
        and publication.agency_id in org_queries.agency_ids_with(user, RELEASER_ROLES)
    )


def _lock(publication) -> Publication:
    return Publication.objects.select_for_update().select_related("agency", "case").get(pk=publication.pk)


def _record(actor, publication, action: str) -> None:
    ledger.append(
        agency=publication.agency,
        actor=actor,
        action=action,
        obj=publication,
        payload={"state": state(publication)},
    )


@transaction.atomic
def submit(actor, publication) -> Publication:
    """待编辑 → 待审核: the decision's text with personal information removed, its removals and its SHA-256 kept for
    the reviewer; the hash goes in the ledger."""
    publication = _lock(publication)
    if publication.state != PublicationState.DRAFT:
        raise RuleViolation(_("只有待编辑的公开记录可以提交审核。"))
    if not may_submit(actor, publication):
        raise ActionDenied(_("公开文本由本执法主体的执法人员、承办机构负责人或负责人提交审核。"))
    result = public_text(publication.case)
    if not result.text.strip():
        raise RuleViolation(_("决定书没有正文，无法生成公开文本。"))
    publication.text = result.text
    publication.removals = result.as_json()
    publication.text_sha256 = hashlib.sha256(result.text.encode()).hexdigest()
    publication.state = PublicationState.PENDING
    publication.submitted_by, publication.submitted_at = actor, timezone.now()
    publication.full_clean()
    publication.save()
    _record(actor, publication, "publicity.submit_publication")
    return publication


@transaction.atomic
def release(actor, publication) -> Publication:
    """待审核 → 已公开, by a second person (not the one who submitted it); the publication's deadline is met."""
    from zhifa.cases import deadlines

    publication = _lock(publication)
    if publication.state != PublicationState.PENDING:
        raise RuleViolation(_("只有待审核的公开记录可以批准公开。"))
    if publication.submitted_by_id == actor.pk:
        raise RuleViolation(_("提交审核的人不能批准自己提交的公开文本（两人规则）。"))
    if not may_release(actor, publication):
        raise ActionDenied(_("公开文本由本执法主体的法制审核人员或负责人批准公开。"))
    publication.state = PublicationState.PUBLISHED
    publication.released_by, publication.released_at = actor, timezone.now()
    publication.full_clean()
    publication.save()
    _record(actor, publication, "publicity.release_publication")
    deadlines.meet(actor, publication, DEADLINE_KINDS[publication.kind], timezone.localdate())
    return publication
