"""Whole lifecycles through the actions, for each procedure, and every rule with its refusal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa.cases import actions, rules
from zhifa.cases.choices import Outcome, PaymentKind, PenaltyKind, RecordKind, ServiceMethod, State
from zhifa.cases.models import Case
from zhifa.ledger.tracking import unrecorded_writes
from zhifa.org.models import Certificate


def _notice_and_wait(cw, case):
    cw.notice(case)
    case.refresh_from_db()
    # The statement period runs 3 working days; the party stated and waived nothing: wait it out.
    cw.clock.move_to(dt.date.fromisoformat(case.notice_snapshot["statement_due"]) + dt.timedelta(days=1))
    return case


def test_general_procedure_from_intake_to_archive(cw):
    case = cw.new_case()
    assert case.state == State.INTAKE and case.reference == "甲卫案〔2026〕1号"
    case = cw.investigate(case)
    assert case.state == State.INVESTIGATED and case.filed_on == dt.date(2026, 6, 1)
    case = _notice_and_wait(cw, case)
    assert case.state == State.NOTIFIED and not case.hearing_eligible  # 5,000 yuan to an organisation
    assert case.notice_snapshot["statement_due"] == "2026-06-04"
    cw.decide(case)
    case.refresh_from_db()
    assert case.state == State.DECIDED and case.decision_snapshot["fine"] == "5000.00"
    cw.finalise(case, "service_receipt")
    actions.serve_decision(
        cw.officer, case, method=ServiceMethod.DIRECT, delivered_on=cw.clock.today, recipient="李康宁"
    )
    case.refresh_from_db()
    # 15 days from service (art. 67) ends on Saturday 2026-06-20, after the 端午 holiday: moved to Monday.
    assert case.payment_due == dt.date(2026, 6, 22)
    actions.record_payment(
        cw.officer,
        case,
        kind=PaymentKind.FINE,
        amount=Decimal("5000"),
        paid_on=cw.clock.today,
        receipt_number="FS-001",
    )
    case.refresh_from_db()
    assert case.state == State.EXECUTED
    cw.finalise(case, "closing_report", {"result": "罚款已缴清，处罚决定执行完毕。"})
    actions.close_case(cw.head, case)
    for kind in ("filing_report", "onsite_record", "investigation_report", "penalty_decision"):
        cw.finalise(case, kind)
    actions.archive_case(cw.head, case)
    case.refresh_from_db()
    assert case.state == State.ARCHIVED


def test_hearing_procedure(cw):
    case = cw.investigate(cw.new_case(), kinds=(PenaltyKind.FINE,), fine="150000")
    cw.notice(case)
    case.refresh_from_db()
    assert case.hearing_eligible and case.notice_snapshot["hearing_reasons"] == ["large_fine"]
    with pytest.raises(ValidationError, match="听证申请期限"):
        cw.clock.move_to(dt.date(2026, 6, 6))  # statement period over, hearing period (5 working days) not
        actions.decide(cw.head, case)
    actions.request_hearing(cw.officer, case, requested_on=dt.date(2026, 6, 5))
    cw.clock.move_to(dt.date(2026, 6, 8))
    with pytest.raises(ValidationError, match="非本案调查人员"):
        actions.schedule_hearing(
            cw.officer, case, hearing_on=dt.date(2026, 6, 30), place="听证室", chair=cw.officer2
        )
    with pytest.raises(ValidationError, match="七个工作日前"):
        actions.schedule_hearing(
            cw.officer, case, hearing_on=dt.date(2026, 6, 15), place="听证室", chair=cw.reviewer
        )
    actions.schedule_hearing(
        cw.officer, case, hearing_on=dt.date(2026, 6, 17), place="听证室", chair=cw.reviewer
    )
    cw.finalise(case, "hearing_notice")
    with pytest.raises(ValidationError, match="听证尚未举行"):
        actions.record_hearing(cw.reviewer, case, record="……", opinion="……")
    cw.clock.move_to(dt.date(2026, 6, 17))
    actions.record_hearing(cw.reviewer, case, record="当事人陈述……", opinion="建议维持原处罚意见")
    # After a hearing the decision needs legal review (art. 58(2)); the chair may not review it.
    with pytest.raises(ValidationError, match="经过听证程序"):
        actions.decide(cw.head, case)
    from zhifa.org.choices import Role
    from zhifa.review import actions as review
    from zhifa.review.rules import POINT_CODES

    other = cw.person(
        cw.a,
        "reviewer_b2",
        "甲审核乙",
        Role.LEGAL_REVIEWER,
        unit=cw.legal_unit,
        legal_qualification=True,
        legal_qualification_date=dt.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError, match="决定书代拟稿.*听证笔录.*听证报告"):
        review.submit(
            cw.officer, case, explanation="听证后维持", discretion_reason="较重", qualifications="持证"
        )
    cw.draft_decision(case)
    cw.finalise(case, "hearing_record", by=cw.reviewer)
    cw.finalise(case, "hearing_report", by=cw.reviewer)
    submission = review.submit(
        cw.officer,
        case,
        explanation="听证后维持",
        discretion_reason="较重情节",
        qualifications="持证",
    )
    review.assign(cw.head, submission, reviewers=[other])
    review.give_opinion(
        other,
        submission,
        points={c: {"result": "pass"} for c in POINT_CODES},
        outcome="agree",
        summary="同意",
    )
    cw.decide(case)
    case.refresh_from_db()
    assert case.state == State.DECIDED


def test_late_hearing_request_is_refused(cw):
    case = cw.investigate(cw.new_case(), kinds=(PenaltyKind.FINE,), fine="150000")
    cw.notice(case)
    cw.clock.move_to(dt.date(2026, 6, 9))
    with pytest.raises(ValidationError, match="超过期限"):
        actions.request_hearing(cw.officer, case)


def test_no_penalty_case_needs_no_notice(cw):
    case = cw.investigate(cw.new_case(), outcome=Outcome.NO_PENALTY_MINOR)
    with pytest.raises(ValidationError, match="只有拟给予行政处罚"):
        actions.issue_notice(cw.officer, case)
    cw.decide(case)
    case.refresh_from_db()
    cw.finalise(case, "service_receipt")
    actions.serve_decision(cw.officer, case, method=ServiceMethod.POSTAL, delivered_on=cw.clock.today)
    cw.finalise(case, "closing_report", {"result": "不予处罚决定已送达。"})
    actions.close_case(cw.head, case)
    assert Case.objects.get(pk=case.pk).state == State.CLOSED


def test_transfer_to_judicial_organs(cw):
    case = cw.investigate(cw.new_case(), outcome=Outcome.TRANSFER)
    cw.decide(case)
    cw.finalise(case, "closing_report", {"result": "已移送甲区公安分局。"})
    actions.close_case(cw.head, case)
    assert Case.objects.get(pk=case.pk).state == State.CLOSED


def test_simple_procedure_on_the_spot(cw):
    kwargs = dict(
        party=cw.person_party,
        cause="公共场所从业人员未取得健康合格证明",
        field=cw.medical,
        unit=cw.section,
        officers=[cw.officer, cw.officer2],
        certificates_shown=cw.certs(),
        penalty_kinds=[PenaltyKind.FINE],
        fine_amount=Decimal("300"),
        facts="……",
        violated_provisions="……",
        penalty_provisions="……",
        place="甲区某理发店",
        party_signed=True,
        told_facts="从业人员未取得健康合格证明上岗。",
        told_reasons="违反公共场所卫生管理规定。",
        told_basis="《公共场所卫生管理条例》",
        rights_told=True,
        statement_waived=True,
    )
    with pytest.raises(ValidationError, match="二百元以下"):
        actions.decide_on_the_spot(cw.officer, **kwargs)
    kwargs["fine_amount"] = Decimal("200")
    with pytest.raises(ValidationError, match="见证人"):
        actions.decide_on_the_spot(cw.officer, **{**kwargs, "party_signed": False})
    case = actions.decide_on_the_spot(cw.officer, **kwargs)
    assert case.state == State.SERVED and case.procedure == "simple"
    actions.record_payment(
        cw.officer,
        case,
        kind=PaymentKind.FINE,
        amount=Decimal("200"),
        paid_on=cw.clock.today,
        receipt_number="DC-1",
    )
    cw.finalise(case, "on_the_spot_decision")
    actions.file_simple_decision(cw.head, case)
    actions.close_case(cw.head, case, report="当场处罚已备案。")
    assert Case.objects.get(pk=case.pk).state == State.CLOSED


def test_actions_out_of_order_say_what_comes_next(cw):
    case = cw.new_case()
    with pytest.raises(ValidationError) as err:
        actions.decide(cw.head, case)
    assert "已受理" in str(err.value) and "报请立案" in str(err.value)


def test_two_certified_officers_and_recusal(cw):
    with pytest.raises(ValidationError, match="不得少于2人"):
        cw.new_case(officers=[cw.officer])
    with unrecorded_writes():  # test set-up written around the actions layer
        Certificate.objects.filter(person=cw.officer2).update(valid_to=cw.clock.today - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="甲执法二"):
        cw.new_case()
    with unrecorded_writes():  # test set-up written around the actions layer
        Certificate.objects.filter(person=cw.officer2).update(
            valid_to=cw.clock.today + dt.timedelta(days=100)
        )
    actions.declare_connection(cw.officer2, cw.clinic, relation="法定代表人的配偶")
    with pytest.raises(ValidationError, match="应当回避"):
        cw.new_case()


def test_limitation_period_blocks_filing(cw):
    case = cw.new_case(violation_date=dt.date(2024, 5, 31))
    with pytest.raises(ValidationError, match="追责时效"):
        actions.request_filing(cw.officer, case)
    case5 = cw.new_case(violation_date=dt.date(2024, 5, 31), life_health_harm=True)
    actions.request_filing(cw.officer, case5)


def test_decision_needs_notice_and_waits_for_statement(cw):
    case = cw.investigate(cw.new_case())
    with pytest.raises(ValidationError, match="事先告知"):
        actions.decide(cw.head, case)
    cw.notice(case)
    with pytest.raises(ValidationError, match="陈述申辩期限"):
        actions.decide(cw.head, case)
    actions.waive_statement(cw.officer, case, signer="李康宁")
    cw.decide(case)


def test_statement_needs_recheck(cw):
    case = cw.investigate(cw.new_case())
    cw.notice(case)
    with pytest.raises(ValidationError, match="复核"):
        actions.record_statement(cw.officer, case, content="当事人称系初次违法", recheck="")


def test_no_heavier_penalty_after_defence(cw):
    case = cw.investigate(cw.new_case())
    case = _notice_and_wait(cw, case)
    actions.reopen_investigation(cw.officer, case, reason="当事人申辩后补充核查")
    actions.update_draft(cw.officer, case, fine_amount=Decimal("8000"))
    actions.close_investigation(cw.officer, case)
    with pytest.raises(ValidationError, match="事先告知"):
        actions.decide(cw.head, case)  # back in 调查终结: a new notice is needed
    case.refresh_from_db()
    case.state = State.NOTIFIED  # a row forced back to 已告知 without a new notice is still refused
    with unrecorded_writes():  # test set-up written around the actions layer
        Case.objects.filter(pk=case.pk).update(state=State.NOTIFIED)
    with pytest.raises(ValidationError, match="重于事先告知"):
        actions.decide(cw.head, case)


def test_ninety_day_limit_and_extension(cw):
    case = cw.investigate(cw.new_case(), outcome=Outcome.NO_PENALTY_MINOR)
    cw.clock.move_to(dt.date(2026, 9, 1))
    with pytest.raises(ValidationError, match="九十日"):
        actions.decide(cw.head, case)
    reason = rules.EXTENSION_DEFAULTS["reasons"][-1]
    with pytest.raises(ValidationError, match="届满"):  # too late: the period ran out on 2026-08-30
        actions.extend(cw.head, case, days=30, reason=reason)
    cw.clock.move_to(dt.date(2026, 8, 30))
    actions.extend(cw.head, case, days=30, reason=reason)
    cw.clock.move_to(dt.date(2026, 9, 1))
    cw.decide(case)


def test_suspension_stops_the_clock(cw):
    case = cw.investigate(cw.new_case(), outcome=Outcome.NO_PENALTY_MINOR)
    actions.suspend(cw.head, case, reason="等待检验结果")
    with pytest.raises(ValidationError, match="中止"):
        actions.decide(cw.head, case)
    from zhifa.cases import deadlines

    assert deadlines.decision_due(case) == dt.date(2026, 8, 30)  # 90 days from 2026-06-01
    cw.clock.move_to(dt.date(2026, 7, 1))
    actions.resume(cw.head, case)
    assert deadlines.decision_due(case) == dt.date(2026, 9, 29)  # 30 days suspended do not count


def test_payment_surcharge_demand_and_court(cw):
    case = cw.investigate(cw.new_case())
    case = _notice_and_wait(cw, case)
    cw.decide(case)
    cw.finalise(case, "service_receipt")
    actions.serve_decision(
        cw.officer, case, method=ServiceMethod.LEFT, delivered_on=cw.clock.today, witness="王五"
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="缴款期限届满"):
        actions.serve_demand(cw.officer, case, served_on=cw.clock.today)
    late = case.payment_due + dt.timedelta(days=10)
    cw.clock.move_to(late)
    owed = actions.amount_owed(case, late)
    assert owed[PaymentKind.SURCHARGE] == Decimal("1500.00")  # 3 % × 5,000 × 10 days
    with pytest.raises(ValidationError, match="超过应缴金额"):
        actions.record_payment(
            cw.officer, case, kind=PaymentKind.FINE, amount=Decimal("5001"), paid_on=late, receipt_number="X"
        )
    actions.serve_demand(cw.officer, case, served_on=late)
    with pytest.raises(ValidationError, match="申请法院强制执行的期间"):
        actions.apply_court_enforcement(cw.head, case)
    with pytest.raises(ValidationError, match="结案"):
        actions.close_case(cw.head, case, report="……")
    window_open = case.served_on.replace(year=case.served_on.year + 1) - dt.timedelta(days=150)
    cw.clock.move_to(window_open)
    actions.apply_court_enforcement(cw.head, case)
    actions.record_execution(cw.officer, case, executed_on=window_open, note="法院强制执行到位")
    cw.finalise(case, "closing_report", {"result": "经法院强制执行完毕。"})
    actions.close_case(cw.head, case)


def test_onsite_records_need_certificates_and_approvals(cw):
    case = cw.new_case()
    actions.request_filing(cw.officer, case)
    actions.approve_filing(cw.head, case, opinion="同意")
    now = timezone.now()
    with pytest.raises(ValidationError, match="出示的执法证"):
        actions.add_record(
            cw.officer,
            case,
            kind=RecordKind.INQUIRY,
            data={},
            started_at=now,
            officers=[cw.officer, cw.officer2],
            certificates_shown=cw.certs()[:1],
        )
    with pytest.raises(ValidationError, match="负责人批准"):
        actions.add_record(
            cw.officer,
            case,
            kind=RecordKind.PRESERVATION,
            data={},
            started_at=now,
            officers=[cw.officer, cw.officer2],
            certificates_shown=cw.certs(),
        )
    record = actions.add_record(
        cw.officer,
        case,
        kind=RecordKind.PRESERVATION,
        data={"items": ["药品10盒"]},
        started_at=now,
        officers=[cw.officer, cw.officer2],
        certificates_shown=cw.certs(),
        approved_by=cw.head,
    )
    assert record.due_on == dt.date(2026, 6, 10)  # 7 working days
    with pytest.raises(ValidationError, match="三十日"):
        actions.add_record(
            cw.officer,
            case,
            kind=RecordKind.SEIZURE,
            data={},
            started_at=now,
            period_days=31,
            officers=[cw.officer, cw.officer2],
            certificates_shown=cw.certs(),
            approved_by=cw.head,
        )


def test_roles_are_enforced(cw):
    case = cw.new_case()
    with pytest.raises(PermissionDenied):
        actions.request_filing(cw.officer_b, case)
    actions.request_filing(cw.officer, case)
    with pytest.raises(PermissionDenied):
        actions.approve_filing(cw.officer, case, opinion="自己批准")
    with pytest.raises(PermissionDenied):
        actions.approve_filing(cw.sysadmin, case, opinion="管理员批准")
    with pytest.raises(PermissionDenied):
        actions.accept_case(
            cw.sysadmin,
            party=cw.clinic,
            cause="x",
            source="inspection",
            field=cw.medical,
            unit=cw.section,
            officers=[cw.officer, cw.officer2],
            summary="x",
            violation_date=cw.clock.today,
        )


def test_refused_action_writes_nothing(cw):
    case = cw.new_case()
    before = Case.objects.get(pk=case.pk).updated_at
    with pytest.raises(ValidationError):
        actions.refuse_filing(cw.head, case, reason="  ")
    after = Case.objects.get(pk=case.pk)
    assert after.state == State.INTAKE and after.updated_at == before


def test_case_deadlines_are_kept_as_deadline_records(cw):
    from zhifa.cases import deadlines

    case = cw.investigate(cw.new_case())
    cw.notice(case)
    actions.record_statement(cw.officer, case, content="申辩：已整改", recheck="复核：维持")
    rows = {d["deadline"].kind.code: d for d in deadlines.of_case(case)}
    assert rows["decision"]["deadline"].due == dt.date(2026, 8, 30) and rows["decision"]["state"] == "open"
    assert rows["statement_defence"]["deadline"].met_on == dt.date(2026, 6, 1)
    cw.decide(case)
    rows = {d["deadline"].kind.code: d for d in deadlines.of_case(case)}
    assert rows["decision"]["state"] == "met" and rows["service"]["deadline"].due == dt.date(2026, 6, 10)
    cw.clock.move_to(dt.date(2026, 6, 11))
    assert {d["deadline"].kind.code: d["state"] for d in deadlines.of_case(case)}["service"] == "overdue"
