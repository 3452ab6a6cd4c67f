"""Legal review (法制审核) and collective discussion (集体讨论) as pure functions, with their sources.

行政处罚法 art. 58: before the decision, review is mandatory for (1) major public interest, (2) major rights
with a hearing held, (3) complex cases with several legal relations, (4) other cases the law requires; without a
passed review no decision. First-time reviewers hold the legal professional qualification. Art. 57: complex or
major cases are decided by the heads collectively. The district plan adds: every general-procedure penalty
decision is reviewed, and the agency's 重大执法决定法制审核事项清单 sets minimum criteria (data: Criterion rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_noop

from .choices import CriterionKind, Outcome, PointResult

# The nine points every opinion answers (implementation plan 三(三)3; law-facts §2.3).
POINTS: tuple[tuple[str, str], ...] = (
    ("subject", gettext_noop("主体合法")),
    ("qualification", gettext_noop("人员资格")),
    ("procedure", gettext_noop("程序合法")),
    ("facts", gettext_noop("事实清楚、证据合法充分")),
    ("law", gettext_noop("适用法律准确")),
    ("discretion", gettext_noop("裁量适当")),
    ("authority", gettext_noop("未超越法定权限")),
    ("documents", gettext_noop("文书规范齐备")),
    ("transfer", gettext_noop("是否涉嫌犯罪需移送司法机关")),
)
POINT_CODES = tuple(code for code, _label in POINTS)

# 送审材料 (implementation plan 三(三)4 "明确送审材料报送要求"; law-facts §2.3): what a package must contain before
# review starts. Each is computed from the case file (review.queries.materials), never ticked by the submitter.
MATERIALS: tuple[tuple[str, str], ...] = (
    ("explanation", gettext_noop("拟作出决定的情况说明")),
    ("draft", gettext_noop("决定书代拟稿")),
    ("records", gettext_noop("调查取证记录")),
    ("evidence", gettext_noop("证据材料及目录")),
    ("hearing_record", gettext_noop("听证笔录（经听证的）")),
    ("hearing_report", gettext_noop("听证报告（经听证的）")),
)


@dataclass(frozen=True)
class CaseFacts:
    """What the criteria look at, taken from the case and its draft."""

    general_procedure: bool
    outcome: str
    kinds: tuple[str, ...]
    fine: Decimal
    confiscation: Decimal
    citizen: bool
    hearing_held: bool
    complex_case: bool
    public_interest: bool
    items: tuple[str, ...] = ()
    field: str = ""  # 所属领域: the case's enforcement field code
    level: str = ""  # 执法层级: the agency's administrative level


@dataclass(frozen=True)
class Rule:
    """One criterion line of the agency's list."""

    kind: str
    label: str
    value: str = ""
    threshold_person: Decimal | None = None
    threshold_organisation: Decimal | None = None


def _matches(rule: Rule, f: CaseFacts) -> bool:
    penalty = f.outcome == "penalty"
    if rule.kind == CriterionKind.GENERAL_PENALTY:
        return f.general_procedure and penalty
    if rule.kind == CriterionKind.PENALTY_KIND:
        return penalty and rule.value in f.kinds
    if rule.kind in (CriterionKind.LARGE_FINE, CriterionKind.CONFISCATION):
        amount = f.fine if rule.kind == CriterionKind.LARGE_FINE else f.confiscation
        limit = rule.threshold_person if f.citizen else rule.threshold_organisation
        return penalty and limit is not None and amount > 0 and amount >= limit
    if rule.kind == CriterionKind.HEARING_HELD:
        return f.hearing_held  # art. 58(2)
    if rule.kind == CriterionKind.COMPLEX:
        return f.complex_case  # art. 58(3), art. 57
    if rule.kind == CriterionKind.PUBLIC_INTEREST:
        return f.public_interest  # art. 58(1)
    if rule.kind == CriterionKind.OUTCOME:
        return f.outcome == rule.value
    if rule.kind == CriterionKind.ITEM:
        return rule.value in f.items
    if rule.kind == CriterionKind.FIELD:
        return penalty and f.field == rule.value
    if rule.kind == CriterionKind.LEVEL:
        return penalty and f.level == rule.value
    return False


# Art. 58 applies whatever the agency's list says: these three are always part of it, and so is the plan's rule
# that every general-procedure penalty decision is reviewed (实施方案 三(三)2: "一般程序行政处罚决定都要进行法制审核")
# — a fresh agency with an empty list cannot decide a general-procedure penalty unreviewed. The agency's list adds
# to these (kinds, amounts, items, 所属领域, 执法层级); it never removes them.
STATUTORY = (
    Rule(
        CriterionKind.GENERAL_PENALTY,
        gettext_noop("一般程序行政处罚决定（区实施方案）"),
    ),
    Rule(
        CriterionKind.PUBLIC_INTEREST,
        gettext_noop("涉及重大公共利益（《行政处罚法》第五十八条第一款第一项）"),
    ),
    Rule(
        CriterionKind.HEARING_HELD,
        gettext_noop("直接关系当事人重大权益，经过听证程序（第五十八条第一款第二项）"),
    ),
    Rule(CriterionKind.COMPLEX, gettext_noop("案件情况疑难复杂、涉及多个法律关系（第五十八条第一款第三项）")),
)


def requires_legal_review(facts: CaseFacts, agency_rules: Sequence[Rule]) -> list[str]:
    """The reasons the decision must pass legal review (art. 58 and the agency's list); empty when none."""
    return _unique(r.label for r in (*STATUTORY, *agency_rules) if _matches(r, facts))


def requires_collective_discussion(facts: CaseFacts, agency_rules: Sequence[Rule]) -> list[str]:
    """Art. 57: complex or major cases are decided collectively by the heads; the agency lists which."""
    reasons = [gettext_noop("案情复杂（《行政处罚法》第五十七条第二款）")] if facts.complex_case else []
    return _unique([*reasons, *(r.label for r in agency_rules if _matches(r, facts))])


def _unique(labels: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(labels))


# Reviewers ---------------------------------------------------------------------------------------------------------


def reviewer_problem(
    *,
    is_reviewer: bool,
    in_review_unit: bool,
    handled_case: bool,
    submitted: bool,
    first_time: bool,
    qualified: bool,
) -> str | None:
    """Why a person may not review this case (art. 58; the plan's 回避), or None."""
    if not (is_reviewer and in_review_unit):
        return "not_reviewer"
    if handled_case or submitted:
        return "conflict"
    if first_time and not qualified:
        return "qualification"
    return None


# 法制审核人员 staffing: implementation plan 三(三)1 "原则上法制审核人员不少于执法人员总数的5%" (law-facts §2.3). The
# default of ReviewPolicy.reviewer_ratio; the agency may set a higher one (review.actions.set_policy).
REVIEWER_RATIO_DEFAULT = Decimal("0.05")


def staffing_shortfall(reviewers: int, officers: int, ratio: Decimal) -> int:
    """How many more reviewers the agency needs to reach ``ratio`` of its enforcement officers (0 when enough)."""
    import math

    needed = math.ceil(Decimal(officers) * ratio) if officers else 0
    return max(needed - reviewers, 0)


# Opinions ----------------------------------------------------------------------------------------------------------


def opinion_problem(points: dict, outcome: str) -> str | None:
    """An opinion answers all nine points; 同意 only when none found a problem; every problem has a comment."""
    if set(points) != set(POINT_CODES):
        return "points_missing"
    for answer in points.values():
        if answer.get("result") not in PointResult.values:
            return "points_missing"
        if answer["result"] == PointResult.PROBLEM and not str(answer.get("comment", "")).strip():
            return "problem_without_comment"
    has_problem = any(a["result"] == PointResult.PROBLEM for a in points.values())
    if outcome == Outcome.AGREE and has_problem:
        return "agree_with_problems"
    if outcome == Outcome.PROBLEMS and not has_problem:
        return "problems_without_point"
    return None


def collegial_outcome(outcomes: Sequence[str]) -> str:
    """合议审核: the majority decides; a tie is 存在问题 (the safer answer). Dissent stays on record."""
    agree = sum(1 for o in outcomes if o == Outcome.AGREE)
    return Outcome.AGREE if agree * 2 > len(outcomes) else Outcome.PROBLEMS
