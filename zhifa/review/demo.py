"""The demo bureau's 重大执法决定法制审核事项清单, its review settings, and a helper the case demo uses to pass a
case through review the way the legal review unit would. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from zhifa.org.models import Agency, Person

from . import actions, rules
from .choices import AppliesTo, CriterionKind
from .models import Criterion, ReviewPolicy

CRITERIA = [
    (
        AppliesTo.REVIEW,
        CriterionKind.PENALTY_KIND,
        "revoke_license",
        None,
        None,
        "吊销许可证件",
        "《行政处罚法》第五十八条",
    ),
    (
        AppliesTo.REVIEW,
        CriterionKind.PENALTY_KIND,
        "suspend_business",
        None,
        None,
        "责令停产停业",
        "《行政处罚法》第五十八条",
    ),
    (
        AppliesTo.REVIEW,
        CriterionKind.OUTCOME,
        "transfer",
        None,
        None,
        "涉嫌犯罪移送司法机关",
        "本局法制审核事项清单",
    ),
    (
        AppliesTo.COLLECTIVE,
        CriterionKind.PENALTY_KIND,
        "revoke_license",
        None,
        None,
        "吊销许可证件（集体讨论）",
        "《行政处罚法》第五十七条",
    ),
    (
        AppliesTo.COLLECTIVE,
        CriterionKind.LARGE_FINE,
        "",
        Decimal("50000"),
        Decimal("200000"),
        "较大数额罚款：个人五万元、单位二十万元以上（集体讨论）",
        "本局重大执法决定集体讨论事项（演示数据）",
    ),
]


def load() -> None:
    agency = Agency.objects.get(code="mingshan-wjj")
    if not ReviewPolicy.objects.filter(agency=agency).exists():
        actions.set_policy(None, agency, reviewer_ratio=rules.REVIEWER_RATIO_DEFAULT, discussion_quorum=3)
    if Criterion.objects.filter(agency=agency).exists():
        return
    for applies_to, kind, value, person, org, label, basis in CRITERIA:
        actions.set_criterion(
            None,
            agency,
            kind=kind,
            applies_to=applies_to,
            value=value,
            threshold_person=person,
            threshold_organisation=org,
            label=label,
            basis=basis,
        )


def pass_review(case, submitter: Person) -> None:
    """Submit the case and have the qualified reviewer (苏静怡, fagui1) agree on all nine points."""
    head = Person.objects.get(username="juzhang")
    reviewer = Person.objects.get(username="fagui1")
    submission = actions.submit(
        submitter,
        case,
        explanation=f"拟对{case.party.name}作出处理：{case.get_outcome_display()}。",
        discretion_reason=case.discretion or "不适用",
        qualifications="承办人员均持有有效执法证。",
    )
    actions.assign(head, submission, reviewers=[reviewer])
    actions.give_opinion(
        reviewer,
        submission,
        points={c: {"result": "pass", "comment": ""} for c in rules.POINT_CODES},
        outcome="agree",
        summary="主体合法，程序合法，事实清楚，证据确凿，适用法律正确，裁量适当，同意。",
    )
