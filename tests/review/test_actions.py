"""Legal review: submission, binding, reviewers, the loop, coordination, collective discussion, the gate."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import actions as case_actions
from zhifa.cases.choices import RecordKind, State
from zhifa.cases.models import Case
from zhifa.ledger.tracking import unrecorded_writes
from zhifa.review import actions
from zhifa.review.choices import AppliesTo, CriterionKind, SubmissionState


def _ready(rw):
    case = rw.investigate(rw.new_case())
    rw.notice(case)
    case_actions.waive_statement(rw.officer, case, signer="李康宁")
    case.refresh_from_db()
    return case


def test_no_decision_without_review(rw):
    case = _ready(rw)
    with pytest.raises(ValidationError, match="须经法制审核通过后方可作出决定"):
        case_actions.decide(rw.head, case)
    rw.approve(case)
    case_actions.decide(rw.head, case)
    assert Case.objects.get(pk=case.pk).state == State.DECIDED


def test_incomplete_package_is_refused_with_what_is_missing(rw):
    case = _ready(rw)
    with pytest.raises(ValidationError, match="证据材料"):
        rw.submit(case, materials=["explanation", "draft"])
    with pytest.raises(ValidationError, match="裁量基准适用说明"):
        rw.submit(case, discretion_reason=" ")


def test_a_change_after_approval_makes_it_stale(rw):
    case = _ready(rw)
    rw.approve(case)
    case_actions.reopen_investigation(rw.officer, case, reason="补充证据")
    case_actions.add_record(
        rw.officer,
        case,
        kind=RecordKind.INQUIRY,
        data={"content": "补充询问"},
        started_at=dt.datetime.now(dt.UTC),
        officers=[rw.officer, rw.officer2],
        certificates_shown=rw.certs(),
    )
    case_actions.close_investigation(rw.officer, case)
    rw.notice(case)
    case_actions.waive_statement(rw.officer, case, signer="李康宁")
    with pytest.raises(ValidationError, match="材料已变更，须重新送审"):
        case_actions.decide(rw.head, case)
    rw.approve(case)
    case_actions.decide(rw.head, case)


def test_the_draft_is_bound_too(rw):
    case = _ready(rw)
    rw.approve(case)
    with unrecorded_writes():  # test set-up written around the actions layer
        Case.objects.filter(pk=case.pk).update(
            fine_amount=Decimal("4000")
        )  # even a lighter penalty is another draft
    with pytest.raises(ValidationError, match="材料已变更"):
        case_actions.decide(rw.head, case)


def test_reviewers_must_not_have_handled_the_case_and_first_timers_need_the_qualification(rw):
    from zhifa.org import actions as org_actions

    org_actions.grant_role(None, rw.reviewer2, "officer")
    org_actions.issue_certificate(
        None,
        rw.reviewer2,
        number="REV-2",
        field_codes=["medical"],
        issuer="甲区人民政府",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2028, 1, 1),
    )
    case = rw.investigate(rw.new_case(officers=[rw.officer, rw.reviewer2]))
    s = rw.submit(case)
    with pytest.raises(ValidationError, match="应当回避"):
        actions.assign(rw.head, s, reviewers=[rw.reviewer2])
    with pytest.raises(ValidationError, match="不是本机关法制审核机构"):
        actions.assign(rw.head, s, reviewers=[rw.head])
    with pytest.raises(ValidationError, match="法律职业资格"):
        actions.assign(rw.head, s, reviewers=[rw.unqualified])
    with pytest.raises(PermissionDenied):
        actions.assign(rw.officer, s, reviewers=[rw.reviewer])
    actions.assign(rw.head, s, reviewers=[rw.reviewer])


def test_collegial_review_needs_two_and_records_dissent(rw):
    case = _ready(rw)
    s = rw.submit(case, mode="collegial")
    with pytest.raises(ValidationError, match="两名以上"):
        actions.assign(rw.head, s, reviewers=[rw.reviewer])
    actions.assign(rw.head, s, reviewers=[rw.reviewer, rw.reviewer2])
    actions.give_opinion(rw.reviewer, s, points=rw.all_pass(), outcome="agree", summary="同意")
    actions.give_opinion(
        rw.reviewer2, s, points=rw.all_pass(facts="证据不足"), outcome="problems", summary="证据不足"
    )
    s.refresh_from_db()
    assert s.state == SubmissionState.PROBLEMS  # a tie is 存在问题; both opinions stay
    assert s.opinions.count() == 2


def test_the_resubmission_loop_keeps_every_round(rw):
    case = _ready(rw)
    first = rw.submit(case)
    actions.assign(rw.head, first, reviewers=[rw.reviewer])
    with pytest.raises(ValidationError, match="九个审核要点"):
        actions.give_opinion(rw.reviewer, first, points={}, outcome="agree", summary="x")
    actions.give_opinion(
        rw.reviewer,
        first,
        points=rw.all_pass(law="处罚依据条款引用错误"),
        outcome="problems",
        summary="适用法律存在问题。",
    )
    first.refresh_from_db()
    assert first.state == SubmissionState.PROBLEMS and first.number.startswith("甲卫法审〔")
    with pytest.raises(ValidationError, match="须经法制审核"):
        case_actions.decide(rw.head, case)
    with pytest.raises(ValidationError, match="逐条答复"):
        rw.submit(case)
    second = rw.submit(case, responses={"law": "已更正为第四十三条。"})
    assert second.round == 2
    actions.assign(rw.head, second, reviewers=[rw.reviewer])
    actions.give_opinion(rw.reviewer, second, points=rw.all_pass(), outcome="agree", summary="同意。")
    case_actions.decide(rw.head, case)
    assert list(case.submissions.values_list("round", "state")) == [(1, "problems"), (2, "approved")]


def test_coordination_by_the_head(rw):
    case = _ready(rw)
    s = rw.submit(case)
    actions.assign(rw.head, s, reviewers=[rw.reviewer])
    actions.give_opinion(
        rw.reviewer, s, points=rw.all_pass(discretion="应从轻"), outcome="problems", summary="裁量偏重"
    )
    with pytest.raises(PermissionDenied):
        actions.escalate(rw.officer_b, s, reason="不同意")
    actions.escalate(rw.officer, s, reason="裁量符合基准“一般”档次")
    with pytest.raises(PermissionDenied):
        actions.coordinate(rw.officer, s, outcome="accept_unit", decision="自己决定")
    actions.coordinate(rw.head, s, outcome="accept_unit", decision="采纳承办机构意见")
    case_actions.decide(rw.head, case)


def test_collective_discussion_gate(rw):
    actions.set_criterion(
        rw.sysadmin,
        rw.a,
        kind=CriterionKind.LARGE_FINE,
        applies_to=AppliesTo.COLLECTIVE,
        label="罚款五千元以上集体讨论",
        threshold_person=Decimal("1000"),
        threshold_organisation=Decimal("5000"),
    )
    actions.set_policy(rw.sysadmin, rw.a, reviewer_ratio=Decimal("0.05"), discussion_quorum=3)
    case = _ready(rw)
    rw.approve(case)
    with pytest.raises(ValidationError, match="集体讨论"):
        case_actions.decide(rw.head, case)
    d = actions.open_discussion(
        rw.head, case, held_on=rw.clock.today, place="会议室", participants=[rw.reviewer, rw.officer2]
    )
    actions.record_opinion(rw.head, d, participant=rw.officer2, recused=True, reason="本案承办人")
    actions.record_opinion(rw.head, d, participant=rw.head, opinion="同意")
    actions.record_opinion(rw.head, d, participant=rw.reviewer, opinion="同意")
    with pytest.raises(ValidationError, match="不足3人"):
        actions.conclude_discussion(rw.head, d, conclusion="同意")
    third = rw.person(rw.a, "head_a2", "甲副局长", "agency_head")
    d.participants.add(third)
    actions.record_opinion(rw.head, d, participant=third, opinion="同意")
    actions.conclude_discussion(rw.head, d, conclusion="同意按拟处罚意见作出决定")
    case_actions.decide(rw.head, case)


def test_review_deadline_runs_on_working_days(rw):
    case = _ready(rw)
    s = rw.submit(case)
    assert s.due_on == dt.date(2026, 6, 8)  # 5 working days from Monday 2026-06-01


def test_the_gate_holds_through_the_api(rw, client):
    from zhifa.org import actions as org_actions

    case = _ready(rw)
    token = org_actions.create_api_token(rw.head, name="t")[1]
    response = client.post(
        f"/api/v1/cases/{case.pk}/decide/",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400 and "法制审核" in str(response.json())
    assert Case.objects.get(pk=case.pk).state == State.NOTIFIED


def test_the_admin_site_cannot_touch_decisions_or_reviews(rw, client):
    from zhifa.org.models import Person

    root = Person.objects.create_superuser("root", "Root#Pass2026", full_name="平台管理员")
    client.force_login(root)
    for url in (
        "/django-admin/cases/case/",
        "/django-admin/review/submission/",
        "/django-admin/review/opinion/",
        "/django-admin/review/discussion/",
    ):
        assert client.get(url).status_code == 404, url  # not registered: no admin form can write them
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("cases", "review", "records", "ledger"):
            assert not model_admin.has_change_permission(None), model
