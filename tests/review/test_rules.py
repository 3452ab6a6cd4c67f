from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhifa.review import rules
from zhifa.review.choices import CriterionKind

BASE = dict(
    general_procedure=True,
    outcome="penalty",
    kinds=("fine",),
    fine=Decimal("5000"),
    confiscation=Decimal(0),
    citizen=False,
    hearing_held=False,
    complex_case=False,
    public_interest=False,
)


def facts(**kw):
    return rules.CaseFacts(**{**BASE, **kw})


GENERAL = rules.Rule(CriterionKind.GENERAL_PENALTY, "一般程序行政处罚决定")
REVOKE = rules.Rule(CriterionKind.PENALTY_KIND, "吊销许可证件", "revoke_license")
BIG = rules.Rule(
    CriterionKind.LARGE_FINE,
    "较大数额罚款",
    threshold_person=Decimal("5000"),
    threshold_organisation=Decimal("50000"),
)


def test_article_58_applies_without_any_agency_list():
    simple = dict(general_procedure=False)  # the simple procedure: only art. 58 itself can apply
    assert rules.requires_legal_review(facts(**simple), []) == []
    assert rules.requires_legal_review(facts(public_interest=True, **simple), [])[0].startswith(
        "涉及重大公共利益"
    )
    assert "经过听证程序" in rules.requires_legal_review(facts(hearing_held=True, **simple), [])[0]
    assert "疑难复杂" in rules.requires_legal_review(facts(complex_case=True, **simple), [])[0]


def test_every_general_procedure_penalty_is_reviewed_with_no_agency_list():
    """The plan's rule is statutory here: a fresh agency with an empty list still reviews every general-procedure
    penalty decision; not a no-penalty decision, not the simple procedure."""
    assert rules.requires_legal_review(facts(), []) == ["一般程序行政处罚决定（区实施方案）"]
    assert rules.requires_legal_review(facts(general_procedure=False), []) == []
    assert rules.requires_legal_review(facts(outcome="no_penalty_minor", kinds=(), fine=Decimal(0)), []) == []


def test_agency_thresholds_distinguish_persons_and_organisations():
    def listed(**kw):
        return rules.requires_legal_review(facts(general_procedure=False, **kw), [BIG, REVOKE])

    assert listed(fine=Decimal("5000"), citizen=True) == ["较大数额罚款"]
    assert listed(fine=Decimal("5000"), citizen=False) == []
    assert listed(fine=Decimal("50000")) == ["较大数额罚款"]
    assert listed(kinds=("revoke_license",), fine=Decimal(0)) == ["吊销许可证件"]


def test_field_and_level_criteria():
    """The plan: the minimum standard also looks at 所属领域 and 执法层级 (agency data)."""
    field = rules.Rule(CriterionKind.FIELD, "医疗卫生领域", "medical")
    level = rules.Rule(CriterionKind.LEVEL, "市级机关", "city")
    simple = dict(general_procedure=False)
    assert rules.requires_legal_review(facts(field="medical", **simple), [field, level]) == ["医疗卫生领域"]
    assert rules.requires_legal_review(facts(field="public_health", **simple), [field, level]) == []
    assert rules.requires_legal_review(facts(level="city", **simple), [field, level]) == ["市级机关"]
    assert rules.requires_legal_review(facts(level="county", **simple), [field, level]) == []
    assert (
        rules.requires_legal_review(facts(field="medical", outcome="no_penalty_minor", **simple), [field])
        == []
    )


def test_collective_discussion_for_complex_cases_and_listed_ones():
    assert rules.requires_collective_discussion(facts(), []) == []
    assert rules.requires_collective_discussion(facts(complex_case=True), [])
    assert rules.requires_collective_discussion(facts(kinds=("revoke_license",)), [REVOKE]) == [
        "吊销许可证件"
    ]


def test_reviewer_rules():
    ok = dict(
        is_reviewer=True,
        in_review_unit=True,
        handled_case=False,
        submitted=False,
        first_time=False,
        qualified=False,
    )
    assert rules.reviewer_problem(**ok) is None
    assert rules.reviewer_problem(**{**ok, "handled_case": True}) == "conflict"
    assert rules.reviewer_problem(**{**ok, "submitted": True}) == "conflict"
    assert rules.reviewer_problem(**{**ok, "first_time": True}) == "qualification"
    assert rules.reviewer_problem(**{**ok, "first_time": True, "qualified": True}) is None
    assert rules.reviewer_problem(**{**ok, "in_review_unit": False}) == "not_reviewer"


def test_staffing_five_percent():
    assert rules.staffing_shortfall(1, 20, Decimal("0.05")) == 0
    assert rules.staffing_shortfall(1, 21, Decimal("0.05")) == 1
    assert rules.staffing_shortfall(0, 0, Decimal("0.05")) == 0


def test_opinions_answer_all_nine_points():
    passes = {c: {"result": "pass"} for c in rules.POINT_CODES}
    assert rules.opinion_problem(passes, "agree") is None
    assert (
        rules.opinion_problem({**passes, "law": {"result": "problem", "comment": ""}}, "problems")
        == "problem_without_comment"
    )
    assert (
        rules.opinion_problem({**passes, "law": {"result": "problem", "comment": "条款引用错误"}}, "agree")
        == "agree_with_problems"
    )
    assert rules.opinion_problem(passes, "problems") == "problems_without_point"
    assert (
        rules.opinion_problem({k: v for k, v in passes.items() if k != "transfer"}, "agree")
        == "points_missing"
    )


@given(st.lists(st.sampled_from(["agree", "problems"]), min_size=2, max_size=7))
def test_collegial_majority_and_ties_are_problems(outcomes):
    agree = outcomes.count("agree")
    assert rules.collegial_outcome(outcomes) == ("agree" if agree > len(outcomes) - agree else "problems")
