"""The decision document's draft (决定书代拟稿) and the decision it becomes.

The handling unit drafts the 行政处罚决定书 (or 不予行政处罚决定书) before it submits the case for legal review, so
the reviewer reviews the text the party will receive (implementation plan 三(三)4: 送审材料 include the 决定书代拟稿).
The decision binds that draft: ``decide`` records its id and the SHA-256 of its text; from then on the draft's text
cannot be edited or discarded, and it is finalised — numbered, dated with the decision date and sealed — with exactly
that text. A later correction is a formal one (``records.actions.correct_document``: a new version with its reason,
the original kept).
"""

from __future__ import annotations

import hashlib

import rfc8785
from django.utils.translation import gettext as _

from zhifa.cases.choices import Outcome, Procedure
from zhifa.core.errors import RuleViolation

from .choices import DocumentKind, DocumentState

# The outcome of a general-procedure case → the kind of its decision document.
KIND_FOR_OUTCOME = {
    Outcome.PENALTY: DocumentKind.PENALTY_DECISION,
    Outcome.NO_PENALTY_MINOR: DocumentKind.NO_PENALTY_DECISION,
    Outcome.NO_PENALTY_UNPROVEN: DocumentKind.NO_PENALTY_DECISION,
}
DECISION_KINDS = frozenset(KIND_FOR_OUTCOME.values())


def kind_for(case) -> str | None:
    """The decision document the case's proposed handling needs, or None (transfer; the simple procedure)."""
    if case.procedure == Procedure.SIMPLE:
        return None
    return KIND_FOR_OUTCOME.get(case.outcome)


def narrative_sha256(document) -> str:
    return hashlib.sha256(rfc8785.dumps(dict(document.narrative or {}))).hexdigest()


def current_draft(case):
    """The first version of the decision document the case needs that is not discarded, or None."""
    from .models import Document

    kind = kind_for(case)
    if kind is None:
        return None
    return (
        Document.objects.filter(case=case, kind=kind, supersedes=None)
        .exclude(state=DocumentState.DISCARDED)
        .order_by("-id")
        .first()
    )


def bound(case) -> dict | None:
    """What the decision bound: {"id", "kind", "narrative_sha256"}, or None (not decided, or decided without a
    draft)."""
    return (case.decision_snapshot or {}).get("decision_document")


def decision_gate(case) -> None:
    """No decision without its drafted document (registered in ``cases.actions.DECISION_GATES``)."""
    kind = kind_for(case)
    if kind is None:
        return
    drafts = [d for d in [current_draft(case)] if d is not None]
    if not drafts:
        raise RuleViolation(
            _("请先制作“%(kind)s”代拟稿，随案提交法制审核，方可作出决定。")
            % {"kind": DocumentKind(kind).label}
        )


def bind(case) -> dict:
    """Added to the decision snapshot by ``decide`` (``cases.actions.DECIDE_PARTS``)."""
    draft = current_draft(case)
    if draft is None:
        return {}
    return {
        "decision_document": {
            "id": draft.pk,
            "kind": draft.kind,
            "narrative_sha256": narrative_sha256(draft),
        }
    }


def _is_bound(case, document) -> bool:
    b = bound(case)
    return b is not None and b["id"] == document.pk


def refuse_change(case, document) -> None:
    """The bound draft's text is the decision's: it is not edited or discarded."""
    if _is_bound(case, document):
        raise RuleViolation(
            _("决定书的内容已随负责人的决定确定，不能修改或作废；定稿后如需更正，请制作更正版本并说明理由。")
        )


def refuse_generate(case, kind: str) -> None:
    """After a decision that bound a draft, no second decision document of that kind is drafted."""
    b = bound(case)
    if b is not None and b["kind"] == kind:
        raise RuleViolation(_("本案决定书代拟稿已随决定确定，请将其定稿，不能另行制作。"))


def check_finalise(case, document) -> None:
    """A decision document is finalised only after the decision, and only the draft the decision bound, with the
    text it bound (a correction of it is finalised with its own, formally recorded text)."""
    if document.kind not in DECISION_KINDS:
        return
    if case.decision_snapshot is None:
        raise RuleViolation(_("决定书代拟稿须经负责人作出决定后方可定稿。"))
    b = bound(case)
    if b is None or document.supersedes_id:
        return
    if b["id"] != document.pk:
        raise RuleViolation(_("该决定书不是负责人作出决定时所依据的代拟稿，不能定稿。"))
    if b["narrative_sha256"] != narrative_sha256(document):
        raise RuleViolation(_("决定书内容与负责人决定时的代拟稿不一致，不能定稿。"))
