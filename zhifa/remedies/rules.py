"""The law of remedies against a decision, as pure functions and constants with their articles.

The periods for applying live here once: the workdays deadline kinds ``reconsideration`` and ``litigation`` are
kept equal to them (remedies migration 0001 writes them; a test checks), and the portal's 救济渠道 text
(publicity.rules) reads them from here.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from .choices import RemedyKind, RemedyOutcome

# 行政复议法 (2023) art. 20: within 60 days of knowing of the act (art. 24: a county-level department's act goes to
# the people's government at the same level).
RECONSIDERATION_DAYS = 60
RECONSIDERATION_BASIS = gettext_noop("《中华人民共和国行政复议法》第二十条、第二十四条")
# 行政诉讼法 (2017) art. 46: within 6 months of knowing of the act.
LITIGATION_MONTHS = 6
LITIGATION_BASIS = gettext_noop("《中华人民共和国行政诉讼法》第四十六条")

# The workdays deadline kinds that carry these periods: code -> (length, unit, legal basis as the kind shows it).
PERIOD_KINDS = {
    "reconsideration": (RECONSIDERATION_DAYS, "days", "《行政复议法》第二十条"),
    "litigation": (LITIGATION_MONTHS, "months", "《行政诉讼法》第四十六条"),
}

# Outcomes that change or annul the decision: 变更 (行政复议法 art. 63; 行政诉讼法 art. 77), 撤销 (行政复议法 art. 64;
# 行政诉讼法 art. 70), 确认违法 (行政复议法 art. 65; 行政诉讼法 art. 74), 确认无效 (行政复议法 art. 67; 行政诉讼法
# art. 75). What follows: the published decision is withdrawn within 3 working days (行政处罚法 art. 48), and the
# case counts as corrected (被纠错) in supervision — both through actions.OUTCOME_HOOKS.
CHANGING = frozenset(
    {RemedyOutcome.VARIED, RemedyOutcome.ANNULLED, RemedyOutcome.UNLAWFUL, RemedyOutcome.VOID}
)
# Outcomes after which the decision no longer binds the party: nothing is left to execute.
ANNULLING = frozenset({RemedyOutcome.ANNULLED, RemedyOutcome.VOID})


def changes_decision(outcome: str) -> bool:
    return outcome in CHANGING


def annuls_decision(outcome: str) -> bool:
    return outcome in ANNULLING


def conflict(kind: str, others) -> str | None:
    """Why a new proceeding of ``kind`` cannot be recorded beside ``others`` (rows with ``kind``, ``outcome``,
    ``accepted_on``), as a message code, or None.

    - ``pending``: one proceeding at a time — while a 复议 is pending no suit (行政诉讼法 art. 44: sue after the
      reconsideration decision, art. 45); while a suit is pending no 复议 (行政复议法 art. 29 第二款).
    - ``after_litigation``: no 复议 once a court has accepted a suit on the act (行政复议法 art. 29 第二款),
      unless the suit was withdrawn.
    - ``final``: a court's judgment ends the matter (a new suit on the same act is not accepted).
    """
    others = list(others)
    if any(not o.outcome for o in others):
        return "pending"
    suits = [o for o in others if o.kind == RemedyKind.LITIGATION and o.outcome != RemedyOutcome.WITHDRAWN]
    if kind == RemedyKind.RECONSIDERATION and any(o.accepted_on for o in suits):
        return "after_litigation"
    if kind == RemedyKind.LITIGATION and suits:
        return "final"
    return None


def standing(proceedings) -> str:
    """The decision's standing from its proceedings (oldest first): ``pending`` while one is undecided, else the
    last changing outcome (``varied``, ``annulled``, ``unlawful``, ``void``), else ``standing``."""
    proceedings = list(proceedings)
    if any(not p.outcome for p in proceedings):
        return "pending"
    changed = [p.outcome for p in proceedings if p.outcome in CHANGING]
    return str(changed[-1]) if changed else "standing"
