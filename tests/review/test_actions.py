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
    with pytest.raises(ValidationError, match="缺少：决定书代拟稿"):
        rw.submit(case, draft=False)  # the checklist is computed from the file: a missing item is named
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


def _problems_and_escalated(rw, case):
    s = rw.submit(case)
    actions.assign(rw.head, s, reviewers=[rw.reviewer])
    actions.give_opinion(
        rw.reviewer, s, points=rw.all_pass(discretion="应从轻"), outcome="problems", summary="裁量偏重"
    )
    actions.escalate(rw.officer, s, reason="裁量符合基准“一般”档次")
    return s


def _heads(rw, n):
    return [rw.person(rw.a, f"head_x{i}", f"甲副局长{i}", "agency_head") for i in range(n)]


def test_no_single_person_turns_a_failed_review_into_a_pass(rw):
    """Seen: coordinate(accept_unit) marked the round passed and the same head decided. Now the head can only
    uphold the review (a new round) or refer the disagreement to the heads' collective discussion."""
    case = _ready(rw)
    s = _problems_and_escalated(rw, case)
    with pytest.raises(PermissionDenied):
        actions.escalate(rw.officer_b, s, reason="不同意")
    with pytest.raises(PermissionDenied):
        actions.coordinate(rw.officer, s, outcome="refer_discussion", decision="自己决定")
    with pytest.raises(ValidationError, match="请选择协调结果"):
        actions.coordinate(rw.head, s, outcome="accept_unit", decision="采纳承办机构意见")
    actions.coordinate(rw.head, s, outcome="refer_discussion", decision="提交局务会集体讨论")
    s.refresh_from_db()
    assert s.state == SubmissionState.PROBLEMS
    with pytest.raises(ValidationError, match="须经法制审核通过"):
        case_actions.decide(rw.head, case)


def test_a_referred_disagreement_is_settled_by_the_heads_on_the_same_digest(rw):
    case = _ready(rw)
    s = _problems_and_escalated(rw, case)
    actions.coordinate(rw.head, s, outcome="refer_discussion", decision="提交集体讨论")
    h1, h2 = _heads(rw, 2)
    d = actions.open_discussion(
        rw.head, case, held_on=rw.clock.today, place="会议室", participants=[h1, h2, rw.reviewer]
    )
    assert d.resolves_id == s.pk
    with pytest.raises(ValidationError, match="不参加表决"):  # the reviewer attends, heads vote (art. 57)
        actions.record_opinion(rw.head, d, participant=rw.reviewer, opinion="维持审核意见", vote="reject")
    actions.record_opinion(rw.head, d, participant=rw.reviewer, opinion="维持审核意见")
    with pytest.raises(ValidationError, match="表明同意或不同意"):
        actions.record_opinion(rw.head, d, participant=h1, opinion="同意")
    actions.record_opinion(rw.head, d, participant=rw.head, opinion="同意", vote="agree")
    actions.record_opinion(rw.head, d, participant=h1, opinion="同意", vote="agree")
    actions.record_opinion(rw.head, d, participant=h2, opinion="不同意", vote="reject")
    actions.conclude_discussion(rw.head, d, conclusion="多数同意按承办机构意见作出决定")
    d.refresh_from_db()
    assert d.outcome == "agree" and d.votes == {
        str(rw.head.pk): "agree",
        str(h1.pk): "agree",
        str(h2.pk): "reject",
    }
    case_actions.decide(rw.head, case)
    assert Case.objects.get(pk=case.pk).state == State.DECIDED


def test_heads_who_reject_or_a_changed_file_keep_the_gate_shut(rw):
    case = _ready(rw)
    s = _problems_and_escalated(rw, case)
    actions.coordinate(rw.head, s, outcome="refer_discussion", decision="提交集体讨论")
    h1, h2 = _heads(rw, 2)
    d = actions.open_discussion(rw.head, case, held_on=rw.clock.today, place="会议室", participants=[h1, h2])
    for p, vote in ((rw.head, "agree"), (h1, "reject"), (h2, "reject")):
        actions.record_opinion(rw.head, d, participant=p, opinion="意见", vote=vote)
    actions.conclude_discussion(rw.head, d, conclusion="不同意，退回承办机构")
    with pytest.raises(ValidationError, match="须经法制审核通过"):
        case_actions.decide(rw.head, case)
    # A second discussion after the file changed is refused: it must judge what the reviewers reviewed.
    d2 = actions.open_discussion(rw.head, case, held_on=rw.clock.today, place="会议室", participants=[h1, h2])
    for p in (rw.head, h1, h2):
        actions.record_opinion(rw.head, d2, participant=p, opinion="同意", vote="agree")
    with unrecorded_writes():
        Case.objects.filter(pk=case.pk).update(fine_amount=Decimal("4000"))
    with pytest.raises(ValidationError, match="集体讨论须针对审核时的材料"):
        actions.conclude_discussion(rw.head, d2, conclusion="同意")


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
    (second,) = _heads(rw, 1)
    d = actions.open_discussion(
        rw.head, case, held_on=rw.clock.today, place="会议室", participants=[rw.reviewer, second, rw.officer2]
    )
    actions.record_opinion(rw.head, d, participant=rw.officer2, opinion="本案承办人介绍案情")
    actions.record_opinion(rw.head, d, participant=rw.head, opinion="同意", vote="agree")
    actions.record_opinion(rw.head, d, participant=second, opinion="同意", vote="agree")
    actions.record_opinion(rw.head, d, participant=rw.reviewer, opinion="同意")
    # quorum counts heads only: two heads, however many attend
    with pytest.raises(ValidationError, match="负责人（不含回避人员）不足3人"):
        actions.conclude_discussion(rw.head, d, conclusion="同意")
    (third,) = [rw.person(rw.a, "head_a3", "甲副局长三", "agency_head")]
    d.participants.add(third)
    actions.record_opinion(rw.head, d, participant=third, recused=True, reason="与当事人负责人系亲属")
    with pytest.raises(ValidationError, match="不足3人"):  # a recused head does not count either
        actions.conclude_discussion(rw.head, d, conclusion="同意")
    (fourth,) = [rw.person(rw.a, "head_a4", "甲副局长四", "agency_head")]
    d.participants.add(fourth)
    actions.record_opinion(rw.head, d, participant=fourth, opinion="同意", vote="agree")
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
