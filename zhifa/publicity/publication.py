"""事后公开 of decisions (issue 15): the publication a decision opens, with its deadline.

国办发〔2018〕118号 (law-facts.md §2.1): a penalty decision is published within 7 working days of the decision, other
enforcement decisions within 20; the periods are the agency-settable deadline kinds ``publication_penalty`` and
``publication_other`` (zhifa.workdays), counted on the working-day engine from the decision date. A case sent to the
judicial organs (移送) has no decision of its own to publish.
"""

from __future__ import annotations

import hashlib
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhifa.catalog.actions import state
from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.ledger import actions as ledger
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role

from .choices import NotPublishedGround, PublicationKind, PublicationState
from .models import Publication

MANUAL_REASON = gettext_noop("审核人员指定去除")
DEADLINE_KINDS = {PublicationKind.PENALTY: "publication_penalty", PublicationKind.OTHER: "publication_other"}


def kind_for(case) -> str | None:
    """Which publication a decided case needs: none for a transfer (移送司法机关 is not a decision on the case)."""
    from zhifa.cases.choices import Outcome

    if case.outcome == Outcome.TRANSFER:
        return None
    return PublicationKind.PENALTY if case.outcome == Outcome.PENALTY else PublicationKind.OTHER


def open_for_decision(actor, case) -> Publication | None:
    """Called by ``cases.actions.decide`` and ``decide_on_the_spot`` inside their transactions (``DECIDED_HOOKS``):
    the publication, 待编辑, and its deadline from the decision date, both in the ledger with the decision."""
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


def decision_document(case):
    """The decided document a publication publishes: the general procedure's 行政处罚决定书 or 不予行政处罚决定书
    (the draft the decision bound), the simple procedure's 当场行政处罚决定书, a 行政强制措施's finalised
    查封扣押决定书, or a 行政征用's 行政征用决定书."""
    from zhifa.cases.choices import ActKind, Procedure

    # the 查封扣押决定书 handed over on the spot (行政强制法 art. 24); the 行政征用决定书 the head decided on
    other = {
        ActKind.COMPULSION: "seizure_decision",
        ActKind.REQUISITION: "requisition_decision",
        ActKind.CONFIRMATION: "confirmation_decision",
    }
    if (
        case.act_kind == ActKind.INSPECTION
    ):  # the result: the 卫生监督意见书 where correction was ordered, else the 现场笔录
        from zhifa.records.models import Document

        final = Document.objects.filter(case=case, state="final")
        return (
            final.filter(kind="supervision_opinion").order_by("-id").first()
            or final.filter(kind="onsite_record").order_by("-id").first()
        )
    if case.act_kind in other:
        from zhifa.records.models import Document

        return (
            Document.objects.filter(case=case, kind=other[case.act_kind], state="final")
            .order_by("-id")
            .first()
        )
    if case.procedure == Procedure.SIMPLE:
        from zhifa.cases.actions.simple import decision_document as on_the_spot_document

        return on_the_spot_document(case)
    from zhifa.records.decision_draft import current_draft

    return current_draft(case)


def decision_text(case) -> str:
    """The full text of the decision the case's decision bound (its decision document: the finalised one when
    finalised, else the bound draft), as plain text, one paragraph a line."""
    import html as html_lib
    import re

    from django.utils.html import strip_tags

    from zhifa.records import render

    document = decision_document(case)
    if document is None:
        return ""
    ctx = render.final_context(document) if document.number else render.draft_context(document)[1]
    markup = render.html(document, ctx)
    markup = re.sub(r"(?is)<(style|script|head)\b.*?</\1>", "", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr|table|section)>", "\n", markup)
    lines = (re.sub(r"\s+", " ", line).strip() for line in html_lib.unescape(strip_tags(markup)).splitlines())
    return "\n".join(line for line in lines if line)


def _person_policy(agency) -> str:
    from . import policy

    return policy.settings_for(agency).person_name


def redact_with(text: str, context, using=None):
    from .redaction import redact

    return redact(text, context, using=using)


def public_text(case, *, text: str | None = None, using=None):
    """The decision's text (``text`` when the caller has it already) with personal information removed
    (zhifa.publicity.redaction), from what the case knows and the agency's naming policy."""
    from .redaction import case_context

    context = case_context.context_for(case, person_policy=_person_policy(case.agency))
    return redact_with(decision_text(case) if text is None else text, context, using=using)


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


def summary_for(case, context=None) -> dict:
    """What the portal shows above the text, from the case when its text is submitted (issue 15 item 2):
    决定书文号; the party — an organisation's name and 统一社会信用代码, a natural person's name masked per the
    agency's policy; 案由, the enforcement items, the outcome, the penalty kinds and amounts, the basis; agency and
    date. Free text from the case (案由, 处罚依据) goes through the same redaction as the decision's text."""
    from zhifa.cases.choices import IdType
    from zhifa.catalog import queries as catalog_queries

    from .redaction import base as redaction_base
    from .redaction import case_context, redact

    context = context or case_context.context_for(case)
    party = case.party
    if party.is_natural_person:
        party_name = redaction_base.mask(party.name, redaction_base.Span(0, len(party.name), "name", "", ""))
        if context.person_policy == "keep":
            party_name = party.name
        credit_code = ""
    else:
        party_name = party.name
        credit_code = party.id_number if party.id_type == IdType.CREDIT_CODE else ""
    document = decision_document(case)
    items = []
    for code in case.items or []:
        item = catalog_queries.item_by_code(case.agency, code)
        items.append({"code": code, "name": item.name if item else ""})
    return {
        "number": (document.number if document is not None else "") or "",
        "party": party_name,
        "party_kind": "person" if party.is_natural_person else "org",
        "credit_code": credit_code,
        "cause": redact(case.cause, context).text,
        "items": items,
        "outcome": case.outcome,
        "penalty_kinds": list(case.penalty_kinds or []),
        "fine": str(case.fine_amount),
        "confiscation": str(case.confiscation_amount),
        "basis": redact(case.penalty_provisions if case.is_penalty else case.measure_basis, context).text,
        "act": case.act_kind,
        "measure": _measure(case),
        "agency": case.agency.name,
        "decided_on": case.decided_on.isoformat() if case.decided_on else "",
    }


def _measure(case) -> str:
    """What another act decided, shown beside its kind: a 行政强制措施's measure (查封 / 扣押 / 查封、扣押, from its
    record), a 行政确认's result (确认 / 不予确认), a 行政检查's (合格 / 责令改正 / 移送立案查处); "" for a penalty or a
    requisition."""
    if case.act_kind == "confirmation":
        return {True: "确认", False: "不予确认"}.get(case.confirmed, "")
    if case.act_kind == "inspection":  # the result as concluded, whatever state the file is in now (archived)
        return _inspection_result(case)
    if case.act_kind != "compulsion":
        return ""
    record = case.records.filter(kind="seizure").order_by("-id").first()
    return str((record.data or {}).get("measure", "")) if record is not None else ""


def _inspection_result(case) -> str:
    """移送立案查处 (a penalty case opened from it), 责令改正 (a finalised 卫生监督意见书; 复查合格 once its 复查 time limit
    was met), else 检查合格 — in the platform's language, as the summary is public data."""
    from zhifa.cases import deadlines
    from zhifa.records.models import Document

    if case.derived.exists():
        return "移送立案查处"
    if Document.objects.filter(case=case, kind="supervision_opinion", state="final").exists():
        recheck = deadlines.current(case, "inspection_recheck")
        return "责令改正，复查合格" if recheck is not None and recheck.met_on else "责令改正"
    return "检查合格"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def stored_removals(result) -> list[dict]:
    """The removals as stored: offsets, kind, reason (untranslated: shown in the reader's language), detector and
    replacement — never the removed text (it stays in the case's decision document; the publication and its ledger
    entries hold only what the public may read)."""
    return [
        {
            "start": s.start,
            "end": s.end,
            "kind": s.kind,
            "reason": s.reason,
            "detector": s.detector,
            "replacement": r,
        }
        for s, r in zip(result.spans, result.replacements, strict=True)
    ]


def _search_text(publication) -> str:
    from . import search

    summary = publication.summary or {}
    head = [summary.get(k, "") for k in ("number", "party", "credit_code", "cause", "basis", "agency")]
    head += [i.get("name", "") for i in summary.get("items", [])]
    return search.tokens("\n".join([*head, publication.text])) + " " + " ".join(search.tags(publication))


@transaction.atomic
def submit(actor, publication) -> Publication:
    """待编辑 → 待审核: the decision's text with personal information removed, its removals (offsets into the
    original, whose SHA-256 is kept) and the public summary saved for the reviewer; the text's SHA-256 goes in the
    ledger."""
    from .redaction import case_context

    publication = _lock(publication)
    if publication.state != PublicationState.DRAFT:
        raise RuleViolation(_("只有待编辑的公开记录可以提交审核。"))
    if not may_submit(actor, publication):
        raise ActionDenied(_("公开文本由本执法主体的执法人员、承办机构负责人或负责人提交审核。"))
    document = decision_document(publication.case)
    if document is None or not document.number:
        raise RuleViolation(_("决定书尚未定稿编号：定稿后，公开的是有文号的决定书。"))
    original = decision_text(publication.case)
    if not original.strip():
        raise RuleViolation(_("决定书没有正文，无法生成公开文本。"))
    context = case_context.context_for(publication.case, person_policy=_person_policy(publication.agency))
    result = redact_with(original, context)
    publication.text = result.text
    publication.removals = stored_removals(result)
    publication.source_sha256 = _sha256(original)
    publication.text_sha256 = _sha256(result.text)
    publication.summary = summary_for(publication.case, context)
    publication.state = PublicationState.PENDING
    publication.submitted_by, publication.submitted_at = actor, timezone.now()
    publication.full_clean()
    publication.save()
    _record(actor, publication, "publicity.submit_publication")
    return publication


def original_text(publication) -> tuple[str, bool]:
    """The decision's original text the removals refer to, and whether it is still the one they were made on."""
    text = decision_text(publication.case)
    return text, not publication.source_sha256 or _sha256(text) == publication.source_sha256


@transaction.atomic
def revise(actor, publication, *, undo=(), add=()) -> Publication:
    """The reviewer's corrections of a 待审核 text: ``undo`` — indexes of removals to put back; ``add`` — pieces of
    the original text to remove wherever they appear (each shown as ■). The text is rebuilt from the original, its
    new SHA-256 in the ledger. By the person who may release it (the submitter's text is checked by someone else)."""
    from .redaction import base as redaction_base

    publication = _lock(publication)
    if publication.state != PublicationState.PENDING:
        raise RuleViolation(_("只有待审核的公开文本可以修改去除的内容。"))
    if not may_release(actor, publication):
        raise ActionDenied(_("公开文本由本执法主体的法制审核人员或负责人审核（提交人以外的人）。"))
    original, same = original_text(publication)
    if not same:
        raise RuleViolation(_("决定书原文已与提交时不同，请退回重新提交。"))
    undo = {int(i) for i in undo}
    if any(i < 0 or i >= len(publication.removals) for i in undo):
        raise RuleViolation(_("要撤销的去除项不存在。"))
    spans = [
        redaction_base.Span(r["start"], r["end"], r["kind"], r["reason"], r["detector"])
        for i, r in enumerate(publication.removals)
        if i not in undo
    ]
    added = 0
    for piece in add:
        piece = (piece or "").strip()
        if not piece:
            continue
        if len(piece) > 200:
            raise RuleViolation(_("要去除的文字过长（最多 200 个字）。"))
        found = [m.start() for m in re.finditer(re.escape(piece), original)]
        if not found:
            raise RuleViolation(_("决定书原文中没有“%(text)s”。") % {"text": piece})
        for at in found:
            spans.append(redaction_base.Span(at, at + len(piece), "manual", MANUAL_REASON, "reviewer"))
            added += 1
    if not undo and not added:
        raise RuleViolation(_("没有要修改的去除项。"))
    result = redaction_base.rebuild(original, redaction_base.merge(spans))
    # What the reviewer removes from the text goes from the summary's free text too (案由, 处罚依据).
    summary = dict(publication.summary or {})
    for piece in (p.strip() for p in add):
        for key in ("cause", "basis"):
            if piece and isinstance(summary.get(key), str):
                summary[key] = summary[key].replace(piece, redaction_base.MASK * len(piece))
    publication.summary = summary
    publication.text = result.text
    publication.removals = stored_removals(result)
    publication.text_sha256 = _sha256(result.text)
    publication.full_clean()
    publication.save()
    _record(actor, publication, "publicity.revise_publication")
    return publication


@transaction.atomic
def release(actor, publication) -> Publication:
    """待审核 → 已公开, by a second person (not the one who submitted it); the publication's deadline is met and
    its search words are written."""
    from zhifa.cases import deadlines

    publication = _lock(publication)
    if publication.state != PublicationState.PENDING:
        raise RuleViolation(_("只有待审核的公开记录可以批准公开。"))
    if publication.submitted_by_id == actor.pk:
        raise RuleViolation(_("提交审核的人不能批准自己提交的公开文本（两人规则）。"))
    if not may_release(actor, publication):
        raise ActionDenied(_("公开文本由本执法主体的法制审核人员或负责人批准公开。"))
    from . import policy, rules, search

    publication.state = PublicationState.PUBLISHED
    publication.released_by, publication.released_at = actor, timezone.now()
    publication.search_text = _search_text(publication)
    publication.facets = " ".join(search.tags(publication))
    summary = publication.summary or {}
    months = rules.retention_months(
        policy.settings_for(publication.agency), summary.get("penalty_kinds"), summary.get("fine")
    )
    publication.offline_on = rules.add_months(timezone.localdate(), months)
    publication.full_clean()
    publication.save()
    _record(actor, publication, "publicity.release_publication")
    deadlines.meet(actor, publication, DEADLINE_KINDS[publication.kind], timezone.localdate())
    return publication


# 行政处罚法 art. 48: a published decision that is changed, revoked, or confirmed unlawful or void is withdrawn within
# 3 (working) days, with the reason made public — the deadline kind ``publication_withdrawal``.
WITHDRAWAL_DEADLINE = "publication_withdrawal"


def decision_changed(actor, proceeding) -> None:
    """``remedies.actions.OUTCOME_HOOKS``: a recorded 复议/诉讼 outcome changed or annulled the decision (inside the
    outcome's transaction). A published decision gets its withdrawal deadline, 3 working days from the outcome's
    date, and the public reason; one not yet published is not published, with that reason (the head recorded the
    outcome), and its publication deadline ends."""
    from zhifa.cases import deadlines

    publication = Publication.objects.select_for_update().filter(case_id=proceeding.case_id).first()
    if publication is None:
        return
    reason = _("本决定经%(kind)s（%(body)s，%(date)s）被%(outcome)s。") % {
        "kind": proceeding.get_kind_display(),
        "body": proceeding.body,
        "date": proceeding.decided_on.isoformat(),
        "outcome": proceeding.get_outcome_display(),
    }
    if publication.state == PublicationState.PUBLISHED:
        publication.withdrawal_due_on = deadlines.due_on(
            publication.agency, WITHDRAWAL_DEADLINE, proceeding.decided_on
        )
        publication.public_reason = reason
        publication.full_clean()
        publication.save()
        _record(actor, publication, "publicity.withdrawal_due")
        deadlines.open_(
            actor, publication.case, WITHDRAWAL_DEADLINE, proceeding.decided_on, target=publication
        )
    elif publication.state in Publication.OPEN_STATES:
        _not_published(actor, publication, NotPublishedGround.CHANGED, reason, on=proceeding.decided_on)


def _not_published(actor, publication, ground: str, reason: str, *, on) -> None:
    from zhifa.cases import deadlines

    publication.state = PublicationState.NOT_PUBLISHED
    publication.not_published_ground = ground
    publication.not_published_by = actor
    publication.public_reason = reason
    publication.full_clean()
    publication.save()
    _record(actor, publication, "publicity.not_published")
    current = deadlines.current(publication, DEADLINE_KINDS[publication.kind])
    if current is not None and current.met_on is None and current.ended_on is None:
        from zhifa.workdays import actions as wd_actions

        wd_actions.end_deadline(actor, current, on=on, reason=reason)


# 不予公开 by a ground chosen on the page: the agency head decides (负责人批准); ``changed`` is the outcome's own.
NOT_PUBLISHED_BY_HEAD = tuple(g for g in NotPublishedGround.values if g != NotPublishedGround.CHANGED)


def may_decide_not_to_publish(user, publication) -> bool:
    return (
        publication.state in Publication.OPEN_STATES
        and publication.agency_id in org_queries.agency_ids_with(user, {Role.AGENCY_HEAD})
    )


@transaction.atomic
def decide_not_to_publish(actor, publication, *, ground: str, explanation: str) -> Publication:
    """待编辑/待审核 → 不予公开, by the agency head, with its legal ground and an explanation (kept with the
    publication, counted by supervision); the publication deadline ends."""
    publication = _lock(publication)
    if publication.state not in Publication.OPEN_STATES:
        raise RuleViolation(_("只有尚未公开的决定可以决定不予公开。"))
    if not may_decide_not_to_publish(actor, publication):
        raise ActionDenied(_("不予公开由本执法主体的负责人批准。"))
    if ground not in NOT_PUBLISHED_BY_HEAD:
        raise RuleViolation({"ground": [_("请选择不予公开的依据。")]})
    explanation = (explanation or "").strip()
    if not explanation:
        raise RuleViolation({"explanation": [_("请写明不予公开的具体理由。")]})
    label = NotPublishedGround(ground).label
    _not_published(actor, publication, ground, f"{label}：{explanation[:1000]}", on=timezone.localdate())
    return publication


def may_withdraw(user, publication) -> bool:
    return (
        publication.state == PublicationState.PUBLISHED
        and publication.agency_id in org_queries.agency_ids_with(user, RELEASER_ROLES)
    )


@transaction.atomic
def withdraw(actor, publication, *, reason: str = "") -> Publication:
    """已公开 → 已撤回: the decision comes off the portal's list; its page keeps a notice with the public reason (the
    one a recorded outcome wrote, or ``reason``). By the legal reviewer or the head; meets the withdrawal deadline."""
    from zhifa.cases import deadlines

    publication = _lock(publication)
    if publication.state != PublicationState.PUBLISHED:
        raise RuleViolation(_("只有已公开的决定可以撤回。"))
    if not may_withdraw(actor, publication):
        raise ActionDenied(_("已公开的决定由本执法主体的法制审核人员或负责人撤回。"))
    reason = (reason or "").strip() or publication.public_reason
    if not reason:
        raise RuleViolation({"reason": [_("请写明撤回的理由（将向社会公开）。")]})
    publication.state = PublicationState.WITHDRAWN
    publication.public_reason = reason[:1000]
    publication.withdrawn_by, publication.withdrawn_at = actor, timezone.now()
    publication.full_clean()
    publication.save()
    _record(actor, publication, "publicity.withdraw_publication")
    deadlines.meet(actor, publication, WITHDRAWAL_DEADLINE, timezone.localdate())
    return publication


@transaction.atomic
def take_offline(publication, *, today=None) -> Publication | None:
    """已公开 → 已到期下线 when its offline date has come (the system, no person): off the portal, its record
    kept (law-facts.md §6). None when it is no longer due (another run took it, or it was withdrawn)."""
    today = today or timezone.localdate()
    publication = _lock(publication)
    if (
        publication.state != PublicationState.PUBLISHED
        or not publication.offline_on
        or publication.offline_on > today
    ):
        return None
    publication.state = PublicationState.OFFLINE
    publication.offline_at = timezone.now()
    publication.full_clean()
    publication.save()
    _record(None, publication, "publicity.take_offline")
    return publication


def take_offline_due(*, today=None, limit: int = 10_000) -> int:
    """Every published decision whose offline date has come, one transaction each (the periodic task)."""
    today = today or timezone.localdate()
    due = list(
        Publication.objects.filter(state=PublicationState.PUBLISHED, offline_on__lte=today)
        .order_by("offline_on", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(take_offline(Publication(pk=pk), today=today) is not None for pk in due)
