"""Who may do what to a case: the one place that reads the lifecycle table's *who* and *needs* columns.

``access_case(actor, case_id, lock=...)`` is the permission-checked fetch (Http404 outside the actor's agencies);
``may(actor, case, step)`` answers pages, the API, to-do lists and "下一步" (role and state); ``require(actor, case,
step)`` is what every action of cases, records and review calls first (role, state and the documents the step
needs), raising ActionDenied, RuleViolation or MissingDocuments. ``SYSTEM`` is the platform itself (scheduled
jobs): an explicit actor, never ``None``.
"""

from __future__ import annotations

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext as _

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role

from . import lifecycle
from .choices import Procedure
from .lifecycle import CHAIR, HANDLER, HEAD, SYSTEM, UNIT_HEAD, Doc
from .models import Case


class SystemActor:
    """The platform acting on its own (a scheduled job). Not a person: ledger entries carry no actor."""

    pk = None
    is_authenticated = False
    is_superuser = False

    def __str__(self) -> str:
        return str(_("系统"))

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM_ACTOR = SystemActor()


class MissingDocuments(RuleViolation):
    """A step refused because a document it needs is not finalised; ``kinds`` names what to make."""

    def __init__(self, message, kinds):
        super().__init__(message)
        self.kinds = tuple(kinds)


# Steps whose who and needs differ for the simple procedure (当场处罚的备案: arts. 51–52).
SIMPLE_ALSO = {"close_case": frozenset({UNIT_HEAD})}
SIMPLE_NEEDS = {"close_case": (Doc(("on_the_spot_decision",)),)}
# Steps only a simple-procedure case has (备案, 当场收缴, its hand-in); ``may`` also asks whether each still has
# something to do (cases.actions.simple.step_open).
SIMPLE_ONLY = frozenset({"file_simple_decision", "collect_on_the_spot", "hand_in_collection"})


def _case_qs():
    return Case.objects.select_related("agency", "party", "field", "unit")


def access_case(actor, case_id, *, lock: bool = False) -> Case:
    """The case, if ``actor`` may read it (Http404 otherwise). ``lock=True`` takes SELECT … FOR UPDATE: the
    caller must be inside a transaction and holds the row until it ends (two actions on one case never
    interleave)."""
    from .queries import readable_agency_ids

    if actor is SYSTEM_ACTOR:
        qs = _case_qs()
    elif actor is None or not getattr(actor, "is_authenticated", False):
        raise ActionDenied(_("请先登录。"))
    else:
        qs = _case_qs().filter(agency_id__in=readable_agency_ids(actor))
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=getattr(case_id, "pk", case_id))
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def officer_ids(case) -> set[int]:
    """The handling officers' ids, read once per case object."""
    ids = getattr(case, "_officer_ids", None)
    if ids is None:
        ids = set(case.officer_links.values_list("person_id", flat=True))
        case._officer_ids = ids
    return ids


def forget(case) -> None:
    """Drop what was remembered about ``case`` (after its officers change)."""
    case.__dict__.pop("_officer_ids", None)


def capacities(actor, case) -> frozenset[str]:
    """In which capacities ``actor`` stands to ``case``: handling officer, unit head, agency head, hearing chair."""
    if actor is SYSTEM_ACTOR:
        return frozenset({SYSTEM})
    if actor is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    held = org_queries.roles_by_agency(actor).get(case.agency_id, set())
    out = set()
    if Role.OFFICER in held and actor.pk in officer_ids(case):
        out.add(HANDLER)
    if Role.UNIT_HEAD in held:
        out.add(UNIT_HEAD)
    if Role.AGENCY_HEAD in held:
        out.add(HEAD)
    if case.hearing_chair_id is not None and case.hearing_chair_id == actor.pk:
        out.add(CHAIR)
    return frozenset(out)


def _given_to(case, step: str) -> frozenset[str]:
    """Those the law gives ``step`` on ``case`` to (the table's *who*, and the simple procedure's additions)."""
    found = lifecycle.steps_of(case).get(step)
    if found is None or (step in SIMPLE_ONLY and case.procedure != Procedure.SIMPLE):
        return frozenset()
    extra = SIMPLE_ALSO.get(step, frozenset()) if case.procedure == Procedure.SIMPLE else frozenset()
    return found.who | extra


def who(case, step: str) -> frozenset[str]:
    """Everyone who may take ``step`` on ``case``: those the law gives it to, and those who may act for them."""
    found = lifecycle.steps_of(case).get(step)
    return _given_to(case, step) | (found.also if found else frozenset())


def step_open(case, step: str) -> bool:
    """Whether a step its state allows still has something to do on ``case`` (a simple-procedure step done once;
    a compulsory measure's emergency approval, its one extension, its one penalty case)."""
    if step in SIMPLE_ONLY and case.procedure == Procedure.SIMPLE:
        from .actions.simple import step_open as simple_open

        return simple_open(case, step)
    if step in lifecycle.COMPULSION_STEPS and case.act_kind == lifecycle.ActKind.COMPULSION:
        from .actions.compulsion import step_open as measure_open

        return measure_open(case, step)
    return True


def may(actor, case, step: str, *, held: frozenset[str] | None = None) -> bool:
    """May ``actor`` take ``step`` on ``case`` now (role and state; the documents are checked on submit)?"""
    held = capacities(actor, case) if held is None else held
    if not lifecycle.allowed(case.state, step, case.act_kind) or not held & who(case, step):
        return False
    return step_open(case, step)


def waiting_on(actor, case, *, held: frozenset[str] | None = None) -> list[str]:
    """The next steps of ``case`` the law gives to ``actor`` (what is on their to-do list)."""
    held = capacities(actor, case) if held is None else held
    return [
        step for step in lifecycle.next_of(case) if held & _given_to(case, step) and step_open(case, step)
    ]


def needs(case, step: str) -> tuple[Doc, ...]:
    if case.procedure == Procedure.SIMPLE and step in SIMPLE_NEEDS:
        return SIMPLE_NEEDS[step]
    found = lifecycle.steps_of(case).get(step)
    return found.needs if found else ()


def final_documents(case, kinds):
    """The case's finalised documents of ``kinds`` (a queryset of records.Document, read lazily: records depends
    on cases)."""
    Document = apps.get_model("records", "Document")
    return Document.objects.filter(case_id=case.pk, kind__in=list(kinds), state="final")


NOTICE_KINDS = ("prior_notice", "hearing_rights")


def _hearing_possible(case) -> bool:
    from . import actions, rules

    try:
        thresholds = actions.hearing_thresholds(case.agency)
    except RuleViolation:
        return False
    return bool(rules.hearing_reasons(case.party.kind, actions.draft_penalty(case), thresholds))


def kinds_for(case, doc: Doc) -> tuple[str, ...]:
    """The kinds that meet ``doc`` on ``case``, the one to make first: a notice where the party may ask for a
    hearing must be the 听证告知书 (arts. 63–64)."""
    if doc.kinds == NOTICE_KINDS and _hearing_possible(case):
        return ("hearing_rights",)
    return doc.kinds


def missing_documents(case, step: str) -> list[str]:
    """The document kinds ``step`` needs that ``case`` has no finalised document for (one per requirement: the
    first kind named)."""
    wanted = needs(case, step)
    if not wanted:
        return []
    final = list(final_documents(case, {k for doc in wanted for k in doc.kinds}).values_list("kind", "dated"))
    missing = []
    for doc in wanted:
        after = getattr(case, doc.after) if doc.after else None
        kinds = kinds_for(case, doc)
        if not any(kind in kinds and (after is None or dated >= after) for kind, dated in final):
            missing.append(kinds[0])
    return missing


def document_label(kind: str) -> str:
    if apps.is_installed("zhifa.records"):
        from zhifa.records.choices import DocumentKind

        return str(DocumentKind(kind).label)
    return kind


def require(actor, case, step: str, *, documents: bool = True) -> None:
    """Refuse unless ``actor`` may take ``step`` on ``case`` now and every document it needs is finalised."""
    if actor is None:
        raise ActionDenied(_("请先登录。"))
    if step in SIMPLE_ONLY and case.procedure != Procedure.SIMPLE:
        raise RuleViolation(_("“%(step)s”只适用于简易程序案件。") % {"step": lifecycle.label(step)})
    if step not in lifecycle.steps_of(case):
        raise RuleViolation(
            _("“%(step)s”不是%(kind)s的步骤。")
            % {"step": lifecycle.label(step), "kind": case.get_act_kind_display()}
        )
    if not capacities(actor, case) & who(case, step):
        names = "、".join(str(lifecycle.WHO_LABELS[w]) for w in sorted(who(case, step)))
        raise ActionDenied(
            _("“%(step)s”只能由本案的%(who)s进行。") % {"step": lifecycle.label(step), "who": names}
        )
    lifecycle.check(case, step)
    if case.act_kind == lifecycle.ActKind.COMPULSION and step in lifecycle.COMPULSION_STEPS:
        from .actions.compulsion import closed_reason

        reason = closed_reason(case, step)
        if reason:
            raise RuleViolation(reason)
    if documents:
        missing = missing_documents(case, step)
        if missing:
            raise MissingDocuments(
                _("“%(step)s”须先制作并定稿：%(docs)s。")
                % {"step": lifecycle.label(step), "docs": "、".join(document_label(k) for k in missing)},
                missing,
            )


def lock(case) -> Case:
    """Re-read ``case`` with its row locked (inside the action's transaction), without a permission check: the
    action's ``require`` does that next."""
    return _case_qs().select_for_update(of=("self",)).get(pk=case.pk)
