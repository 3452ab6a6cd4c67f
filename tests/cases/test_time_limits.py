"""Time limits that cannot be bent (issue 12, items 7 and 8): the 90-day decision period (行政处罚法 art. 60) is
extended only as the agency's rule allows — before it runs out, within the count, days and reasons, by the approver
it names — a suspension takes effect from its approval, and the limitation (art. 36) is counted to the intake."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.cases import actions, deadlines, rules
from zhifa.cases.choices import Outcome
from zhifa.cases.models import ExtensionPolicy
from zhifa.ledger.models import Entry

REASON = rules.EXTENSION_DEFAULTS["reasons"][0]
DUE = dt.date(2026, 8, 30)  # 90 days from filing on 2026-06-01 (tests/cases/conftest.py TODAY)


def _bearer(person):
    from zhifa.org import actions as org_actions

    return {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(person, name="t")[1]}


def _post(client, person, url, data):
    return client.post(url, data, content_type="application/json", **_bearer(person))


@pytest.fixture
def filed(cw):
    return cw.investigate(cw.new_case(), outcome=Outcome.NO_PENALTY_MINOR)


# Item 7: extensions --------------------------------------------------------------------------------------------


def test_default_rule_applies_without_configuration(cw):
    rule = actions.extension_rule(cw.a)
    assert not ExtensionPolicy.objects.filter(agency=cw.a).exists()
    assert rule.max_count == rules.EXTENSION_DEFAULTS["max_count"] == 1
    assert rule.approver_role == "agency_head" and REASON in rule.reasons


def test_extension_within_the_rule_moves_the_due_date_and_records_the_approver(cw, filed):
    actions.request_extension(cw.officer, filed, days=30, reason=REASON, note="等待省疾控中心检测报告")
    actions.extend(cw.head, filed, days=30, reason=REASON)
    assert deadlines.decision_due(filed) == DUE + dt.timedelta(days=30)
    t = actions.time_limits(filed)
    (event,) = [e for e in t["events"] if e["kind"] == "extended"]
    assert event["approver"] == cw.head and event["length"] == 30 and REASON in event["reason"]
    assert Entry.objects.filter(action="cases.extend", object_id=str(filed.pk)).exists()


def test_extension_refused_after_the_limit_passed(cw, filed):
    cw.clock.move_to(DUE + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="届满"):
        actions.request_extension(cw.officer, filed, days=10, reason=REASON)
    with pytest.raises(ValidationError, match="届满"):
        actions.extend(cw.head, filed, days=10, reason=REASON)
    with pytest.raises(ValidationError, match="九十日"):
        actions.decide(cw.head, filed)  # and the overdue case cannot be decided
    assert deadlines.decision_due(filed) == DUE


def test_extension_on_the_last_day_is_allowed(cw, filed):
    cw.clock.move_to(DUE)
    actions.extend(cw.head, filed, days=10, reason=REASON)
    assert deadlines.decision_due(filed) == DUE + dt.timedelta(days=10)


def test_extension_refused_beyond_the_count(cw, filed):
    actions.extend(cw.head, filed, days=10, reason=REASON)
    with pytest.raises(ValidationError, match="最多延长1次"):
        actions.extend(cw.head, filed, days=10, reason=REASON)
    with pytest.raises(ValidationError, match="最多延长1次"):
        actions.request_extension(cw.officer, filed, days=10, reason=REASON)
    # the agency allows two: a second one passes, a third does not
    actions.set_extension_policy(
        cw.sysadmin, cw.a, max_count=2, max_days=15, approver_role="agency_head", reasons=[REASON]
    )
    actions.extend(cw.head, filed, days=15, reason=REASON)
    with pytest.raises(ValidationError, match="最多延长2次"):
        actions.extend(cw.head, filed, days=5, reason=REASON)


def test_extension_refused_with_a_reason_not_in_the_list_or_too_long(cw, filed):
    with pytest.raises(ValidationError, match="延长理由中选择"):
        actions.extend(cw.head, filed, days=30, reason="办案人员外出学习")
    with pytest.raises(ValidationError, match="延长理由中选择"):
        actions.request_extension(cw.officer, filed, days=30, reason="案件多，人手不足")
    with pytest.raises(ValidationError, match="1至30日"):
        actions.extend(cw.head, filed, days=31, reason=REASON)
    with pytest.raises(ValidationError, match="1至30日"):
        actions.extend(cw.head, filed, days=0, reason=REASON)
    assert deadlines.decision_due(filed) == DUE


def test_extension_refused_to_a_non_head(cw, filed):
    for person in (cw.officer, cw.sysadmin, cw.reviewer):
        with pytest.raises(PermissionDenied):
            actions.extend(person, filed, days=30, reason=REASON)
    assert deadlines.decision_due(filed) == DUE


def test_extension_api_and_page(cw, filed, client, login):
    url = f"/api/v1/cases/{filed.pk}/extend/"
    assert _post(client, cw.officer, url, {"days": 30, "reason": REASON}).status_code == 403
    response = _post(client, cw.head, url, {"days": 30, "reason": "工作量大"})
    assert response.status_code == 400 and "延长理由" in str(response.json())
    response = _post(
        client, cw.officer, f"/api/v1/cases/{filed.pk}/request-extension/", {"days": 20, "reason": REASON}
    )
    assert response.status_code == 200 and response.json()["extension_request"]["days"] == 20
    assert _post(client, cw.head, url, {"days": 20, "reason": REASON}).status_code == 200
    response = _post(client, cw.head, url, {"days": 5, "reason": REASON})
    assert response.status_code == 400 and "最多延长1次" in str(response.json())
    # the page: the reasons are the agency's list; the case page shows the extension and its approver
    form = login(cw.head).get(reverse("cases:action", args=[filed.pk, "extend"])).content.decode()
    assert REASON in form
    page = login(cw.officer).get(reverse("cases:detail", args=[filed.pk])).content.decode()
    assert "时效与办案期限" in page and cw.head.full_name in page and "20日" in page
    # the time-limits endpoint
    data = client.get(f"/api/v1/cases/{filed.pk}/time-limits/", **_bearer(cw.officer)).json()
    assert data["decision"]["due"] == (DUE + dt.timedelta(days=20)).isoformat()
    assert [e["approver"]["name"] for e in data["events"] if e["kind"] == "extended"] == [cw.head.full_name]
    assert client.get(f"/api/v1/cases/{filed.pk}/time-limits/", **_bearer(cw.officer_b)).status_code == 404


def test_extension_page_refuses_after_the_limit(cw, filed, login):
    cw.clock.move_to(DUE + dt.timedelta(days=3))
    client = login(cw.head)
    response = client.post(reverse("cases:action", args=[filed.pk, "extend"]), {"days": 10, "reason": REASON})
    assert response.status_code == 200 and "届满" in response.content.decode()
    assert deadlines.decision_due(filed) == DUE


# Item 7: suspension --------------------------------------------------------------------------------------------


def test_back_dated_suspension_refused(cw, filed):
    cw.clock.move_to(DUE + dt.timedelta(days=10))
    with pytest.raises(ValidationError, match="不能追溯"):
        actions.suspend(cw.head, filed, reason="等待检验结果", since=DUE - dt.timedelta(days=1))
    filed.refresh_from_db()
    assert filed.suspended_since is None
    # suspended from today, the overdue case stays overdue: it cannot be decided on resumption
    actions.suspend(cw.head, filed, reason="等待检验结果")
    actions.resume(cw.head, filed)
    with pytest.raises(ValidationError, match="九十日"):
        actions.decide(cw.head, filed)


def test_suspension_shows_its_approver(cw, filed, login, client):
    actions.suspend(cw.head, filed, reason="等待检验结果")
    filed.refresh_from_db()
    assert filed.suspended_by == cw.head
    page = login(cw.officer).get(reverse("cases:detail", args=[filed.pk])).content.decode()
    assert "等待检验结果" in page and "中止" in page
    data = client.get(f"/api/v1/cases/{filed.pk}/time-limits/", **_bearer(cw.officer)).json()
    assert data["suspended_by"]["name"] == cw.head.full_name


def test_back_dated_suspension_refused_through_the_api(cw, filed, client):
    """The API's suspend takes no start date: it is the day of approval."""
    cw.clock.move_to(DUE + dt.timedelta(days=10))
    response = _post(client, cw.head, f"/api/v1/cases/{filed.pk}/suspend/", {"reason": "等待检验结果"})
    assert response.status_code == 200
    assert response.json()["suspended_since"] == (DUE + dt.timedelta(days=10)).isoformat()


# The agency's extension rule ----------------------------------------------------------------------------------


def test_extension_policy_set_by_the_system_administrator_only(cw):
    with pytest.raises(PermissionDenied):
        actions.set_extension_policy(
            cw.head, cw.a, max_count=3, max_days=60, approver_role="agency_head", reasons=["x"]
        )
    with pytest.raises(ValidationError):
        actions.set_extension_policy(
            cw.sysadmin, cw.a, max_count=1, max_days=0, approver_role="agency_head", reasons=["x"]
        )
    with pytest.raises(ValidationError, match="批准人"):
        actions.set_extension_policy(
            cw.sysadmin, cw.a, max_count=1, max_days=10, approver_role="officer", reasons=["x"]
        )
    with pytest.raises(ValidationError, match="理由"):
        actions.set_extension_policy(
            cw.sysadmin, cw.a, max_count=1, max_days=10, approver_role="agency_head", reasons=[" "]
        )
    assert not ExtensionPolicy.objects.filter(agency=cw.a).exists()
    actions.set_extension_policy(
        cw.sysadmin,
        cw.a,
        max_count=2,
        max_days=45,
        approver_role="agency_head",
        reasons=["需要鉴定", "需要鉴定", "当事人下落不明"],
        basis="甲省规定",
    )
    rule = actions.extension_rule(cw.a)
    assert (rule.max_count, rule.max_days, rule.reasons) == (2, 45, ("需要鉴定", "当事人下落不明"))
    assert Entry.objects.filter(action="cases.set_extension_policy").count() == 1
    # no extension at all when the agency's rule allows none
    actions.set_extension_policy(
        cw.sysadmin, cw.a, max_count=0, max_days=1, approver_role="agency_head", reasons=[]
    )
    case = cw.investigate(cw.new_case(), outcome=Outcome.NO_PENALTY_MINOR)
    with pytest.raises(ValidationError, match="最多延长0次"):
        actions.extend(cw.head, case, days=1, reason="需要鉴定")


def test_extension_policy_page(cw, login):
    url = reverse("cases:extension_policy", args=[cw.a.pk])
    page = login(cw.officer).get(url).content.decode()
    assert REASON in page and "默认规则" in page and 'name="max_days"' not in page
    assert login(cw.officer).post(url, {"max_count": 5}).status_code == 403
    assert login(cw.officer_b).get(url).status_code == 403
    client = login(cw.sysadmin)
    response = client.post(
        url, {"max_count": 1, "max_days": 0, "approver_role": "agency_head", "reasons": "需要鉴定"}
    )
    assert response.status_code == 200 and not ExtensionPolicy.objects.exists()
    response = client.post(
        url,
        {
            "max_count": 2,
            "max_days": 20,
            "approver_role": "agency_head",
            "reasons": "需要鉴定\n当事人下落不明",
        },
    )
    assert response.status_code == 302
    assert actions.extension_rule(cw.a).reasons == ("需要鉴定", "当事人下落不明")


def test_extension_policy_api(cw, client):
    url = f"/api/v1/extension-policy/{cw.a.pk}/"
    data = client.get(url, **_bearer(cw.officer)).json()
    assert data["max_count"] == 1 and data["configured"] is False
    assert client.get(url, **_bearer(cw.officer_b)).status_code == 403
    body = {"max_count": 2, "max_days": 20, "approver_role": "agency_head", "reasons": ["需要鉴定"]}
    assert client.put(url, body, content_type="application/json", **_bearer(cw.head)).status_code == 403
    bad = client.put(
        url, {**body, "approver_role": "officer"}, content_type="application/json", **_bearer(cw.sysadmin)
    )
    assert bad.status_code == 400 and not ExtensionPolicy.objects.exists()
    response = client.put(url, body, content_type="application/json", **_bearer(cw.sysadmin))
    assert response.status_code == 200 and response.json()["max_days"] == 20 and response.json()["configured"]
    assert client.get(url).status_code in (401, 403)


# Item 8: limitation --------------------------------------------------------------------------------------------


def test_limitation_counted_to_intake_not_filing(cw):
    today = cw.clock.today
    # discovered (受理) on the last day: filing ten days later is still within the limitation
    case = cw.new_case(
        violation_date=dt.date(2024, 6, 1)
    )  # the limitation ends on the intake day, 2026-06-01
    assert rules.within_limitation(case.accepted_on, case.violation_date, None, False)
    cw.clock.move_to(today + dt.timedelta(days=10))
    actions.request_filing(cw.officer, case)
    actions.approve_filing(cw.head, case, opinion="同意立案")
    # a violation 2 years and a day before the intake is refused, whenever the filing is
    late = cw.new_case(violation_date=dt.date(2024, 6, 10))  # accepted 2026-06-11
    with pytest.raises(ValidationError, match="追责时效"):
        actions.request_filing(cw.officer, late)
    # life and health with harmful consequences: five years
    five = cw.new_case(violation_date=dt.date(2021, 6, 12), life_health_harm=True)
    actions.request_filing(cw.officer, five)
    too_old = cw.new_case(violation_date=dt.date(2021, 6, 10), life_health_harm=True)
    with pytest.raises(ValidationError, match="5年"):
        actions.request_filing(cw.officer, too_old)


def test_limitation_counts_from_the_end_of_a_continuing_violation(cw):
    case = cw.new_case(violation_date=dt.date(2020, 1, 1), violation_ended=dt.date(2025, 1, 1))
    actions.request_filing(cw.officer, case)
    with pytest.raises(ValidationError, match="终了日期"):
        cw.new_case(violation_date=dt.date(2025, 1, 1), violation_ended=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="晚于受理日期"):
        cw.new_case(violation_date=dt.date(2026, 5, 20), accepted_on=dt.date(2026, 5, 10))


def test_limitation_through_the_api_and_page(cw, client, login):
    base = {
        "party": cw.clinic.pk,
        "cause": "擅自执业",
        "source": "inspection",
        "field": cw.medical.pk,
        "unit": cw.section.pk,
        "officers": [cw.officer.pk, cw.officer2.pk],
        "summary": "……",
    }
    bad = _post(
        client,
        cw.officer,
        "/api/v1/cases/",
        {**base, "violation_date": "2025-01-01", "violation_ended": "2024-01-01"},
    )
    assert bad.status_code == 400 and "终了日期" in str(bad.json())
    response = _post(
        client,
        cw.officer,
        "/api/v1/cases/",
        {**base, "violation_date": "2024-05-31", "life_health_harm": False},
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = _post(client, cw.officer, f"/api/v1/cases/{pk}/request-filing/", {})
    assert response.status_code == 400 and "追责时效" in str(response.json())
    page = login(cw.officer).get(reverse("cases:detail", args=[pk])).content.decode()
    assert "受理时已超过追责时效" in page
    data = client.get(f"/api/v1/cases/{pk}/time-limits/", **_bearer(cw.officer)).json()
    assert data["limitation"] == {
        "violation_date": "2024-05-31",
        "violation_ended": None,
        "years": 2,
        "ends": "2026-05-31",
        "accepted_on": "2026-06-01",
        "within": False,
    }
    # the intake page records the violation dates
    form = login(cw.officer).get(reverse("cases:create")).content.decode()
    assert 'name="violation_date"' in form and 'name="violation_ended"' in form


def test_limitation_years_are_one_table():
    assert rules.LIMITATION_YEARS == {False: 2, True: 5}
    assert rules.limitation_years(True) == 5 and rules.limitation_years(False) == 2


@settings(max_examples=300, deadline=None)
@given(
    violation=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    continuing=st.one_of(st.none(), st.integers(0, 3000)),
    found_after=st.integers(0, 2500),
    harm=st.booleans(),
)
def test_limitation_property(violation, continuing, found_after, harm):
    """Within the limitation exactly when the discovery is no later than N years after the violation's end
    (N from the one table), and the end of a continuing violation only ever lengthens it."""
    ended = violation + dt.timedelta(days=continuing) if continuing is not None else None
    start = ended or violation
    found = start + dt.timedelta(days=found_after)
    years = rules.LIMITATION_YEARS[harm]
    ends = rules.limitation_ends(violation, ended, harm)
    assert ends.year - start.year == years and ends >= start
    assert rules.within_limitation(found, violation, ended, harm) == (found <= ends)
    assert rules.within_limitation(start, violation, ended, harm)
    if rules.within_limitation(found, violation, None, harm):
        assert rules.within_limitation(found, violation, ended, harm)
    if rules.within_limitation(found, violation, ended, False):
        assert rules.within_limitation(found, violation, ended, True)


@settings(max_examples=200, deadline=None)
@given(
    max_count=st.integers(0, 3),
    max_days=st.integers(1, 90),
    days=st.integers(-5, 120),
    used=st.integers(0, 4),
    late=st.integers(-30, 30),
    listed=st.booleans(),
)
def test_extension_rule_property(max_count, max_days, days, used, late, listed):
    """An extension passes exactly when it is on or before the due date, within the count, the days and the list."""
    rule = rules.ExtensionRule(max_count, max_days, "agency_head", ("甲",))
    due = dt.date(2026, 8, 30)
    problem = rules.extension_problem(
        rule,
        days=days,
        reason="甲" if listed else "乙",
        used=used,
        today=due + dt.timedelta(days=late),
        due=due,
    )
    ok = late <= 0 and used < max_count and 1 <= days <= max_days and listed
    assert (problem is None) == ok


def test_the_decision_period_is_not_bent_through_the_generic_deadline_endpoints(cw, filed, client):
    """The case's 90-day period is a workdays deadline: its generic suspend / extend / resume / meet endpoints
    and actions must not bypass the case's rule (a back-dated suspension, an extension beyond the rule)."""
    from zhifa.workdays import actions as wd_actions

    deadline = deadlines.current(filed, deadlines.DECISION)
    cw.clock.move_to(DUE + dt.timedelta(days=10))
    officer = _bearer(cw.officer)
    base = f"/api/v1/deadlines/{deadline.pk}"
    for what, body in (
        ("suspend", {"on": (DUE - dt.timedelta(days=1)).isoformat(), "reason": "x", "approver": cw.head.pk}),
        ("extend", {"reason": "x", "approver": cw.head.pk, "length": 60}),
        ("meet", {"on": (DUE - dt.timedelta(days=1)).isoformat()}),
    ):
        response = client.post(f"{base}/{what}/", body, content_type="application/json", **officer)
        assert response.status_code == 400 and "案件" in str(response.json()), what
    with pytest.raises(ValidationError, match="案件"):
        wd_actions.extend_deadline(cw.head, deadline, reason="x", approver=cw.head, length=60)
    deadline.refresh_from_db()
    assert deadline.due == DUE and deadline.suspended_since is None and deadline.met_on is None
    with pytest.raises(ValidationError, match="九十日"):
        actions.decide(cw.head, filed)


def test_workdays_limitation_kinds_agree_with_the_one_table(db):
    """The workdays calculator still carries the limitation kinds (its migration seeds them); cases never reads
    them, and they must not drift from ``rules.LIMITATION_YEARS`` while they remain."""
    from zhifa.workdays.models import DeadlineKind

    kinds = {k.code: k for k in DeadlineKind.objects.filter(code__in=["limitation", "limitation_health"])}
    for code, harm in (("limitation", False), ("limitation_health", True)):
        if code in kinds:
            assert (kinds[code].length, kinds[code].unit) == (rules.LIMITATION_YEARS[harm], "years")
