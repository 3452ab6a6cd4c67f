"""Hearing rights (行政处罚法 art. 63), issue 12 item 9: confiscation of illegal gains or of illegal property above
the agency's threshold and the agency's "其他较重" kinds give the right to a hearing; the draft records the value of
confiscated property; the hearing policy has its page and API; an agency that has set nothing gets the defaults."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.cases import actions, rules
from zhifa.cases.choices import Outcome, PartyKind, PenaltyKind, RecordKind
from zhifa.cases.models import HearingPolicy
from zhifa.core.errors import ActionDenied, RuleViolation


def _no_policy(agency):
    """An agency as a fresh install has it: no hearing policy row (the cw fixture sets one for agency A)."""
    from zhifa.ledger.tracking import unrecorded_writes

    with unrecorded_writes():
        HearingPolicy.objects.filter(agency=agency).delete()


def _investigate(cw, case, *, kinds, fine="0", property_value="0", confiscation="0"):
    actions.request_filing(cw.officer, case)
    actions.approve_filing(cw.head, case, opinion="同意立案")
    actions.add_record(
        cw.officer,
        case,
        kind=RecordKind.ONSITE,
        data={"observations": "现场查见过期药品"},
        started_at=timezone.now(),
        place="甲区健康路1号",
        officers=[cw.officer, cw.officer2],
        certificates_shown=cw.certs(),
    )
    actions.add_record(
        cw.officer,
        case,
        kind=RecordKind.DELIBERATION,
        data={"conclusion": "建议处罚"},
        started_at=timezone.now(),
    )
    actions.update_draft(
        cw.officer,
        case,
        outcome=Outcome.PENALTY,
        facts="使用过期药品。",
        evidence_summary="现场笔录。",
        penalty_kinds=list(kinds),
        fine_amount=Decimal(fine),
        confiscation_amount=Decimal(confiscation),
        confiscated_property_value=Decimal(property_value),
        violated_provisions="某条例第十条",
        penalty_provisions="某条例第四十条",
        discretion="一般情节",
    )
    actions.close_investigation(cw.officer, case)
    case.refresh_from_db()
    return case


# A fresh agency -------------------------------------------------------------------------------------------------


def test_fresh_agency_gives_notice_with_the_default_policy(cw):
    _no_policy(cw.a)
    assert actions.hearing_thresholds(cw.a) == rules.HEARING_DEFAULTS
    small = _investigate(cw, cw.new_case(), kinds=[PenaltyKind.WARNING, PenaltyKind.FINE], fine="5000")
    case = cw.notice(small)
    assert not case.hearing_eligible and case.notice_snapshot["hearing_reasons"] == []
    large = _investigate(
        cw, cw.new_case(), kinds=[PenaltyKind.FINE], fine=str(rules.HEARING_DEFAULTS.fine_organisation)
    )
    case = cw.notice(large)
    assert case.hearing_eligible and case.notice_snapshot["hearing_reasons"] == ["large_fine"]
    assert not HearingPolicy.objects.filter(agency=cw.a).exists()  # reading the defaults writes nothing


# The draft records the value of confiscated property -------------------------------------------------------------


def test_confiscating_property_needs_its_value(cw):
    case = cw.new_case()
    actions.request_filing(cw.officer, case)
    actions.approve_filing(cw.head, case, opinion="同意立案")
    with pytest.raises(RuleViolation, match="财物价值"):
        actions.update_draft(
            cw.officer, case, outcome=Outcome.PENALTY, penalty_kinds=[PenaltyKind.CONFISCATE_PROPERTY]
        )
    with pytest.raises(RuleViolation, match="财物价值"):
        actions.update_draft(
            cw.officer,
            case,
            outcome=Outcome.PENALTY,
            penalty_kinds=[PenaltyKind.WARNING],
            confiscated_property_value=Decimal("100"),
        )
    case.refresh_from_db()
    assert case.confiscated_property_value == 0 and case.penalty_kinds == []


def test_large_property_value_gives_the_hearing_right_and_small_does_not(cw):
    limit = actions.hearing_thresholds(cw.a).property_value
    below = _investigate(
        cw, cw.new_case(), kinds=[PenaltyKind.CONFISCATE_PROPERTY], property_value=str(limit - 1)
    )
    assert not cw.notice(below).hearing_eligible
    at = _investigate(cw, cw.new_case(), kinds=[PenaltyKind.CONFISCATE_PROPERTY], property_value=str(limit))
    case = cw.notice(at)
    assert case.hearing_eligible and "large_property" in case.notice_snapshot["hearing_reasons"]
    assert case.notice_snapshot["property_value"] == f"{limit:.2f}"


def test_large_illegal_gains_give_the_hearing_right(cw):
    limit = actions.hearing_thresholds(cw.a).confiscation
    case = _investigate(cw, cw.new_case(), kinds=[PenaltyKind.CONFISCATE_GAINS], confiscation=str(limit))
    assert cw.notice(case).notice_snapshot["hearing_reasons"] == ["large_confiscation"]


def test_heavier_kinds_are_the_agencys_list(cw):
    # the cw policy was set before the list existed: it keeps the defaults (暂扣许可证件 among them)
    assert PenaltyKind.SUSPEND_LICENSE in actions.hearing_thresholds(cw.a).heavier_kinds
    case = _investigate(cw, cw.new_case(), kinds=[PenaltyKind.SUSPEND_LICENSE])
    assert cw.notice(case).notice_snapshot["hearing_reasons"] == ["heavier:suspend_license"]
    actions.set_hearing_policy(
        cw.sysadmin,
        cw.a,
        fine_person=Decimal("10000"),
        fine_organisation=Decimal("100000"),
        confiscation=Decimal("50000"),
        basis="本省标准",
        heavier_kinds=[],
    )
    other = _investigate(cw, cw.new_case(), kinds=[PenaltyKind.SUSPEND_LICENSE])
    assert not cw.notice(other).hearing_eligible
    # the statutory kinds (art. 63(3)–(4)) are not the agency's to remove
    revoke = _investigate(cw, cw.new_case(), kinds=[PenaltyKind.REVOKE_LICENSE])
    assert cw.notice(revoke).notice_snapshot["hearing_reasons"] == ["kind:revoke_license"]


def test_set_hearing_policy_checks_who_and_what(cw):
    before = HearingPolicy.objects.get(agency=cw.a)
    args = dict(
        fine_person=Decimal("1"), fine_organisation=Decimal("1"), confiscation=Decimal("1"), basis="x"
    )
    for person in (cw.officer, cw.head, cw.officer_b):
        with pytest.raises(ActionDenied):
            actions.set_hearing_policy(person, cw.a, **args)
    with pytest.raises(RuleViolation, match="罚款"):
        actions.set_hearing_policy(cw.sysadmin, cw.a, **args, heavier_kinds=[PenaltyKind.FINE])
    with pytest.raises(RuleViolation, match="大于零"):
        actions.set_hearing_policy(cw.sysadmin, cw.a, **{**args, "confiscation": Decimal("0")})
    with pytest.raises(RuleViolation, match="大于零"):
        actions.set_hearing_policy(cw.sysadmin, cw.a, **args, property_value=Decimal("0"))
    after = HearingPolicy.objects.get(agency=cw.a)
    assert (after.fine_person, after.heavier_kinds, after.updated_at) == (
        before.fine_person,
        before.heavier_kinds,
        before.updated_at,
    )


# API and page --------------------------------------------------------------------------------------------------


def test_hearing_policy_api(cw, login):
    url = reverse("hearing-policy-detail", args=[cw.a.pk])
    data = login(cw.officer).get(url).json()
    assert data["is_default"] is False and Decimal(data["fine_person"]) == Decimal("10000")
    # agency B has set nothing: its officer sees the defaults; agency A's policy is not B's to see
    b = login(cw.officer_b).get(reverse("hearing-policy-list")).json()
    assert [p["agency"] for p in b] == [cw.b.pk] and b[0]["is_default"] is True
    assert Decimal(b[0]["property_value"]) == rules.HEARING_DEFAULTS.property_value
    assert login(cw.officer_b).get(url).status_code == 404
    assert login(cw.auditor).get(url).status_code == 404
    body = {
        "fine_person": "20000",
        "fine_organisation": "200000",
        "confiscation": "30000",
        "property_value": "40000",
        "heavier_kinds": ["suspend_license"],
        "basis": "甲省规定",
    }
    assert login(cw.officer).put(url, body, content_type="application/json").status_code == 403
    bad = login(cw.sysadmin).put(url, {**body, "heavier_kinds": ["warning"]}, content_type="application/json")
    assert bad.status_code == 400 and "警告" in bad.content.decode()
    assert HearingPolicy.objects.get(agency=cw.a).fine_person == Decimal("10000")  # nothing changed
    ok = login(cw.sysadmin).put(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["heavier_kinds"] == ["suspend_license"]
    policy = HearingPolicy.objects.get(agency=cw.a)
    assert (policy.property_value, policy.heavier_kinds) == (Decimal("40000"), ["suspend_license"])


def test_property_value_through_the_draft_api(cw, login):
    case = cw.new_case()
    actions.request_filing(cw.officer, case)
    actions.approve_filing(cw.head, case, opinion="同意立案")
    url = reverse("case-update_draft", args=[case.pk])
    body = {
        "outcome": "penalty",
        "penalty_kinds": ["confiscate_property"],
        "facts": "事实",
        "evidence_summary": "证据",
    }
    response = login(cw.officer).post(url, body, content_type="application/json")
    assert response.status_code == 400 and "财物价值" in response.content.decode()
    response = login(cw.officer).post(
        url, {**body, "confiscated_property_value": "60000"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["confiscated_property_value"] == "60000.00"


def test_hearing_policy_page(cw, login):
    url = reverse("cases:hearing_policy")
    page = login(cw.officer).get(url)
    assert page.status_code == 200 and "较大价值没收非法财物" in page.content.decode()
    assert "修改听证标准" not in page.content.decode()
    assert login(cw.officer).post(url, {"fine_person": "1"}).status_code == 403
    assert login(cw.auditor).get(url).status_code == 403
    form = {
        "fine_person": "20000",
        "fine_organisation": "200000",
        "confiscation": "30000",
        "property_value": "0",
        "heavier_kinds": ["restrict_business"],
        "basis": "甲省规定",
    }
    admin = login(cw.sysadmin)
    assert "修改听证标准" in admin.get(url).content.decode()
    refused = admin.post(url, form)
    assert refused.status_code == 200 and "大于零" in refused.content.decode()
    assert admin.post(url, {**form, "property_value": "45000"}).status_code == 302
    policy = HearingPolicy.objects.get(agency=cw.a)
    assert policy.property_value == Decimal("45000") and policy.heavier_kinds == ["restrict_business"]
    # agency B (no policy): the page says the defaults apply
    assert "平台默认标准" in login(cw.officer_b).get(url).content.decode()


# The rule --------------------------------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10**7, places=2)


@settings(max_examples=200, deadline=None)
@given(
    value=money, limit=money.filter(lambda d: d > 0), extra=money, kinds=st.sets(st.sampled_from(PenaltyKind))
)
def test_property_hearing_right_is_the_threshold_and_monotone(value, limit, extra, kinds):
    t = rules.HearingThresholds(Decimal("1e9"), Decimal("1e9"), Decimal("1e9"), limit, frozenset())
    kinds = tuple(kinds | {PenaltyKind.CONFISCATE_PROPERTY})
    p = rules.Penalty(Outcome.PENALTY, kinds, property_value=value)
    reasons = rules.hearing_reasons(PartyKind.LEGAL, p, t)
    assert ("large_property" in reasons) == (value >= limit and value > 0)
    more = rules.Penalty(Outcome.PENALTY, kinds, property_value=value + extra)
    assert set(reasons) <= set(
        rules.hearing_reasons(PartyKind.LEGAL, more, t)
    )  # more value, never fewer rights
    # a heavier decision than the notice: a larger property value is heavier (art. 45)
    assert rules.is_heavier(more, p) == (extra > 0)
