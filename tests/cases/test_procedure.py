"""The procedure as a bureau runs it (issue 11): who may take each step, the documents steps need, the party's
choices as facts, the head's decision page, forms that open with the case's values and to-do lists that hold
exactly what waits on each role."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.records.conftest import signature_png
from zhifa.cases import access, actions, lifecycle, rules
from zhifa.cases.choices import PenaltyKind, ServiceMethod, State
from zhifa.cases.forms import SPECS
from zhifa.cases.queries import tasks_for
from zhifa.records import storage
from zhifa.records.choices import DocumentKind
from zhifa.records.models import Document


def _wait_statement(cw, case):
    case.refresh_from_db()
    cw.clock.move_to(dt.date.fromisoformat(case.notice_snapshot["statement_due"]) + dt.timedelta(days=1))


def test_the_table_names_who_and_every_step_has_a_form_or_a_page():
    from zhifa.cases.choices import ActKind
    from zhifa.cases.views import STEP_PAGES

    assert set(lifecycle.TABLES) == set(ActKind.values)  # every act kind declares its table
    for table in lifecycle.TABLES.values():
        for name, step in table.steps.items():
            assert step.who, name
            assert step.who <= set(lifecycle.WHO_LABELS), name
            if name not in lifecycle.FILE_STEPS:
                assert name in SPECS, f"{name} has no form"
        assert table.first in table.next_step, table.kind
        for state, steps in table.next_step.items():
            for name in steps:
                assert state in table.steps[name].leaves, (table.kind, state, name)
                assert name in SPECS or name in STEP_PAGES, name
    # a kind's states are its own: no state is in two tables' live states
    penalty, measure = lifecycle.TABLES[ActKind.PENALTY], lifecycle.TABLES[ActKind.COMPULSION]
    assert not penalty.live & measure.live


def test_a_notice_needs_its_finalised_document(cw):
    """Seen: issue_notice with only a date recorded 事先告知 on a case with no 事先告知书, and the clocks started."""
    case = cw.investigate(cw.new_case())
    with pytest.raises(ValidationError, match="行政处罚事先告知书") as refused:
        actions.issue_notice(cw.officer, case, served_on=cw.clock.today)
    assert refused.value.kinds == ("prior_notice",)
    case.refresh_from_db()
    assert case.state == State.INVESTIGATED and case.notice_on is None
    from zhifa.cases import deadlines

    assert deadlines.current(case, deadlines.STATEMENT) is None  # no clock started
    draft = cw.finalise(case, "prior_notice")
    actions.issue_notice(cw.officer, case)
    case.refresh_from_db()
    assert case.state == State.NOTIFIED and case.notice_snapshot["document"]["number"] == draft.number


def test_a_hearing_case_is_told_by_the_hearing_rights_notice(cw):
    case = cw.investigate(cw.new_case(), kinds=(PenaltyKind.FINE,), fine="150000")
    cw.finalise(case, "prior_notice")
    with pytest.raises(ValidationError, match="听证告知书"):
        actions.issue_notice(cw.officer, case)
    cw.finalise(case, "hearing_rights")
    actions.issue_notice(cw.officer, case)
    assert Case_state(case) == State.NOTIFIED


def Case_state(case):
    case.refresh_from_db()
    return case.state


def test_the_page_refuses_and_offers_to_make_the_document(cw, login):
    case = cw.investigate(cw.new_case())
    client = login(cw.officer)
    url = reverse("cases:action", args=[case.pk, "issue_notice"])
    page = client.get(url).content.decode()
    assert "行政处罚事先告知书" in page and "尚未定稿" in page
    assert reverse("records:generate", args=[case.pk]) in page and 'value="prior_notice"' in page
    # the offer works: it makes the draft the step needs
    made = client.post(reverse("records:generate", args=[case.pk]), {"kind": "prior_notice"})
    assert made.status_code == 302 and Document.objects.filter(case=case, kind="prior_notice").exists()
    response = client.post(url, {"served_on": cw.clock.today.isoformat()})
    assert response.status_code == 200 and "须先制作并定稿" in response.content.decode()
    assert Case_state(case) == State.INVESTIGATED


def test_hearing_waiver_alone_keeps_the_statement_and_the_decision_says_so(cw):
    """Seen: the only way past the hearing period was ticking '放弃陈述申辩', and the decision then said the party
    waived statement and defence although a statement and a 复核 were on file."""
    case = cw.investigate(cw.new_case(), kinds=(PenaltyKind.FINE,), fine="150000")
    cw.notice(case)
    actions.record_statement(cw.officer, case, content="当事人称已整改", recheck="经复核，维持拟处罚意见。")
    with pytest.raises(ValidationError, match="听证申请期限"):
        actions.decide(cw.head, case)
    with pytest.raises(ValidationError, match="签名"):
        actions.waive_hearing(cw.officer, case)  # neither the party's signature nor a refusal noted
    actions.waive_hearing(cw.officer, case, signer="李康宁")
    case.refresh_from_db()
    assert case.hearing_waived and not case.statement_waived
    _approve(cw, case)
    cw.decide(case)
    doc = cw.finalise(case, "penalty_decision")
    text = _pdf_text(doc)
    assert "当事人称已整改" in text and "经复核" in text
    assert "明确表示放弃听证的权利" in text
    assert "放弃陈述和申辩" not in text


def _approve(cw, case):
    from zhifa.review.queries import review_reasons

    if review_reasons(case):
        cw.pass_review(case)


def _pdf_text(doc):
    from tests.records.conftest import pdftotext

    return pdftotext(storage.read(doc.pdf_name, doc.pdf_sha256)).replace("\n", "")


@pytest.mark.parametrize("choice", ["waived_statement", "silent", "late_hearing"])
def test_the_decision_paragraph_is_written_from_the_facts(cw, choice):
    hearing = choice == "late_hearing"
    case = cw.investigate(cw.new_case(), kinds=(PenaltyKind.FINE,), fine="150000" if hearing else "5000")
    cw.notice(case)
    case.refresh_from_db()
    if choice == "waived_statement":
        actions.waive_statement(cw.officer, case, refusal_note="当事人口头表示放弃，拒绝签名，见证人王五。")
    else:
        cw.clock.move_to(
            dt.date.fromisoformat(case.notice_snapshot["hearing_request_due" if hearing else "statement_due"])
            + dt.timedelta(days=1)
        )
    if hearing:
        with pytest.raises(ValidationError, match="逾期听证申请"):
            actions.request_hearing(cw.officer, case, signer="李康宁")
        actions.late_hearing_request(cw.officer, case, requested_on=cw.clock.today, signer="李康宁")
    _approve(cw, case)
    cw.decide(case)
    text = _pdf_text(cw.finalise(case, "penalty_decision"))
    expected = {
        "waived_statement": ["明确表示放弃陈述和申辩的权利"],
        "silent": ["在规定期限内未提出陈述和申辩"],
        "late_hearing": ["已超过法定期限，视为放弃听证权利", "在规定期限内未提出陈述和申辩"],
    }[choice]
    for words in expected:
        assert words in text, (choice, words)
    if choice != "waived_statement":
        assert "放弃陈述和申辩" not in text


def test_service_closing_and_hearing_need_their_documents(cw):
    case = cw.investigate(cw.new_case(), kinds=(PenaltyKind.FINE,), fine="150000")
    cw.notice(case)
    actions.request_hearing(cw.officer, case, requested_on=cw.clock.today, signer="李康宁")
    actions.schedule_hearing(
        cw.officer, case, hearing_on=dt.date(2026, 6, 17), place="听证室", chair=cw.reviewer
    )
    cw.clock.move_to(dt.date(2026, 6, 17))
    with pytest.raises(ValidationError, match="行政处罚听证通知书"):
        actions.record_hearing(cw.reviewer, case, record="……", opinion="……")
    # a notice made too late (less than seven working days before the hearing) does not count
    cw.finalise(case, "hearing_notice")
    with pytest.raises(ValidationError, match="不足七个工作日"):
        actions.record_hearing(cw.reviewer, case, record="……", opinion="……")


def test_service_and_closing_refused_without_their_documents(cw):
    case = cw.investigate(cw.new_case())
    cw.notice(case)
    _wait_statement(cw, case)
    cw.decide(case)
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="送达回执"):
        actions.serve_decision(
            cw.officer, case, method=ServiceMethod.DIRECT, delivered_on=cw.clock.today, recipient="李康宁"
        )
    # electronic service carries its own proof
    actions.serve_decision(
        cw.officer,
        case,
        method=ServiceMethod.ELECTRONIC,
        delivered_on=cw.clock.today,
        consent="送达地址确认书",
        proof=signature_png(),  # the screenshot of the delivery (13号令 art. 57)
        proof_kind="screenshot",
    )
    from decimal import Decimal

    from zhifa.cases.choices import PaymentKind

    actions.record_payment(
        cw.officer,
        case,
        kind=PaymentKind.FINE,
        amount=Decimal("5000"),
        paid_on=cw.clock.today,
        receipt_number="1",
    )
    with pytest.raises(ValidationError, match="结案报告"):
        actions.close_case(cw.head, case, report="已履行")
    with pytest.raises(PermissionDenied):  # the officer makes the report; the head approves the closing
        actions.close_case(cw.officer, case, report="已履行")
    cw.finalise(case, "closing_report", {"result": "罚款已缴清，予以结案。"})
    actions.close_case(cw.head, case)
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.close_report == "罚款已缴清，予以结案。"


def test_each_role_is_offered_exactly_its_steps(cw, login):
    """Seen: an officer's 工作台 listed 作出决定 and the case page offered 结案; the head's list held only 待批准立案."""
    case = cw.investigate(cw.new_case(), outcome="no_penalty_minor")
    cw.draft_decision(case)
    officer_tasks = " ".join(t["label"] for t in tasks_for(cw.officer))
    head_tasks = " ".join(t["label"] for t in tasks_for(cw.head))
    assert case.reference not in officer_tasks or "作出决定" not in officer_tasks
    assert case.reference in head_tasks and "作出决定" in head_tasks
    page = login(cw.officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:action", args=[case.pk, "decide"]) not in page
    assert login(cw.officer).get(reverse("cases:action", args=[case.pk, "decide"])).status_code == 403
    head_page = login(cw.head).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:action", args=[case.pk, "decide"]) in head_page
    # the extension: the officers ask, the head's list holds it, the head approves from a form opened with it
    reason = rules.EXTENSION_DEFAULTS["reasons"][-1]
    actions.request_extension(cw.officer, case, days=30, reason=reason)
    assert "批准延长办案期限" in " ".join(t["label"] for t in tasks_for(cw.head))
    assert "批准延长办案期限" not in " ".join(t["label"] for t in tasks_for(cw.officer))
    form = login(cw.head).get(reverse("cases:action", args=[case.pk, "extend"])).content.decode()
    assert reason in form and 'value="30"' in form
    actions.extend(cw.head, case, days=30, reason=reason)
    assert "批准延长办案期限" not in " ".join(t["label"] for t in tasks_for(cw.head))
    cw.decide(case)
    cw.finalise(case, "service_receipt")
    actions.serve_decision(
        cw.officer, case, method=ServiceMethod.DIRECT, delivered_on=cw.clock.today, recipient="李康宁"
    )
    assert "制作结案报告" in " ".join(t["label"] for t in tasks_for(cw.officer))
    assert case.reference not in " ".join(
        t["label"] for t in tasks_for(cw.head)
    )  # the report is not made yet
    cw.finalise(case, "closing_report", {"result": "不予处罚决定已送达。"})
    assert "结案" in " ".join(t["label"] for t in tasks_for(cw.head))
    case.refresh_from_db()
    assert not access.may(cw.officer, case, "close_case") and access.may(cw.head, case, "close_case")


def test_forms_open_with_the_current_values_and_only_in_their_state(cw, login):
    """Seen: update_draft showed empty fields although a draft existed; in 已事先告知 it was offered, then refused."""
    case = cw.investigate(cw.new_case())
    client = login(cw.officer)
    form = client.get(reverse("cases:action", args=[case.pk, "update_draft"])).content.decode()
    assert "未取得执业许可证擅自执业。" in form and "5000" in form and "首次违法，一般情节" in form
    cw.notice(case)
    assert client.get(reverse("cases:action", args=[case.pk, "update_draft"])).status_code == 403
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:action", args=[case.pk, "update_draft"]) not in page


def test_the_head_decides_from_a_page_that_shows_what_is_decided(cw, login):
    case = cw.investigate(cw.new_case())
    cw.notice(case)
    actions.record_statement(cw.officer, case, content="当事人称已整改", recheck="经复核，维持。")
    client = login(cw.head)
    url = reverse("cases:action", args=[case.pk, "decide"])
    page = client.get(url).content.decode()
    for words in (
        "警告，罚款人民币5000",
        "未取得执业许可证擅自执业。",
        "当事人称已整改",
        "经复核，维持。",
        "法制审核",
    ):
        assert words.replace("人民币5000", "") in page, words
    digest = actions.brief_digest(case)
    assert digest in page
    # the draft changed after the head opened the page: the signature on the stale page is refused
    from zhifa.cases.models import Case
    from zhifa.ledger.tracking import unrecorded_writes

    with unrecorded_writes():
        Case.objects.filter(pk=case.pk).update(discretion="改过的裁量说明")
    response = client.post(url, {"seen": digest})
    assert response.status_code == 200 and "已被修改" in response.content.decode()
    assert Case_state(case) == State.NOTIFIED
    # the API returns the same digest the page carries
    api = client.post(f"/api/v1/cases/{case.pk}/decide/", {"seen": "0" * 64}, content_type="application/json")
    assert api.status_code == 400


def test_no_actor_is_refused(cw):
    case = cw.new_case()
    with pytest.raises(PermissionDenied):
        actions.request_filing(None, case)
    assert Document.objects.filter(case=case).count() == 0 and DocumentKind.PRIOR_NOTICE


def test_readers_are_not_offered_review_steps(cw, login):
    """Found walking the demo: the review panel offered 提交法制审核 and 启动集体讨论 to reviewers and supervisors,
    whose pages then answered 200 (submit) or 403 (discussion)."""
    case = cw.investigate(cw.new_case())
    submit = reverse("review:submit", args=[case.pk])
    discussion = reverse("review:discussion_new", args=[case.pk])
    for reader in (cw.reviewer, cw.supervisor):
        client = login(reader)
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert submit not in page and discussion not in page
        assert client.get(submit).status_code == 403
        assert client.get(discussion).status_code == 403
    assert submit in login(cw.officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert login(cw.officer).get(submit).status_code == 200
    assert login(cw.officer).get(discussion).status_code == 403
    assert login(cw.head).get(discussion).status_code == 200


def test_an_intake_case_waits_on_the_officers_not_the_head(cw):
    """Found walking the demo: every case still in 受理 sat on the head's list as 不予立案."""
    case = cw.new_case()
    assert case.reference not in " ".join(t["label"] for t in tasks_for(cw.head))
    assert "报请立案" in " ".join(t["label"] for t in tasks_for(cw.officer))
    assert access.may(cw.head, case, "refuse_filing")  # still offered on the case page, under 其他操作
    actions.request_filing(cw.officer, case)
    assert "批准立案" in " ".join(t["label"] for t in tasks_for(cw.head))


def test_the_decide_page_offers_no_signature_while_something_blocks(cw, login):
    case = cw.investigate(cw.new_case())  # a penalty not yet notified
    page = login(cw.head).get(reverse("cases:action", args=[case.pk, "decide"])).content.decode()
    assert (
        "须先事先告知当事人" in page
        and ">签发决定</button>" not in page
        and "上述事项解决后方可签发决定" in page
    )


def test_preservation_needs_its_item_list_and_its_decision_document(cw):
    from django.utils import timezone

    from zhifa.cases.choices import RecordKind

    case = cw.new_case()
    actions.request_filing(cw.officer, case)
    actions.approve_filing(cw.head, case, opinion="同意立案")
    preserve = dict(
        kind=RecordKind.PRESERVATION,
        started_at=timezone.now(),
        place="甲区健康路1号",
        officers=[cw.officer, cw.officer2],
        certificates_shown=cw.certs(),
        approved_by=cw.head,
    )
    with pytest.raises(ValidationError, match="物品清单"):
        actions.add_record(cw.officer, case, data={}, **preserve)
    record = actions.add_record(
        cw.officer, case, data={"items": [{"name": "输液器", "quantity": "10盒"}]}, **preserve
    )
    actions.add_record(
        cw.officer,
        case,
        kind=RecordKind.PRESERVATION_DECISION,
        data={"content": "解除先行登记保存，退还当事人"},
        started_at=timezone.now(),
    )
    actions.add_record(
        cw.officer,
        case,
        kind=RecordKind.DELIBERATION,
        data={"conclusion": "不予处罚"},
        started_at=timezone.now(),
    )
    actions.update_draft(
        cw.officer,
        case,
        outcome="no_penalty_unproven",
        facts="违法事实不能成立。",
        evidence_summary="现场笔录。",
    )
    with pytest.raises(ValidationError, match="证据先行登记保存决定书"):
        actions.close_investigation(cw.officer, case)  # the decision document is not made
    assert Case_state(case) == State.INVESTIGATING
    cw.finalise(case, "preservation_decision")
    assert Document.objects.get(case=case, kind="preservation_decision").record_id == record.pk
    actions.close_investigation(cw.officer, case)
    assert Case_state(case) == State.INVESTIGATED


def test_the_api_decides_on_the_same_brief(cw, login):
    case = cw.investigate(cw.new_case())
    cw.notice(case)
    actions.record_statement(cw.officer, case, content="当事人称已整改", recheck="经复核，维持。")
    cw.pass_review(case)
    client = login(cw.head)
    brief = client.get(f"/api/v1/cases/{case.pk}/decision-brief/").json()
    assert brief["digest"] == actions.brief_digest(case) and brief["blockers"] == []
    assert (
        brief["statements"][0]["data"]["recheck"] == "经复核，维持。"
        and brief["penalty"]["fine"] == "5000.00"
    )
    assert login(cw.officer_b).get(f"/api/v1/cases/{case.pk}/decision-brief/").status_code == 404
    decided = login(cw.head).post(
        f"/api/v1/cases/{case.pk}/decide/", {"seen": brief["digest"]}, content_type="application/json"
    )
    assert decided.status_code == 200 and Case_state(case) == State.DECIDED


def test_refusals_kept_in_tables_speak_the_readers_language(cw):
    """The messages the actions keep in tables (penalty, service, review opinion) were made once, in Chinese, when
    the module was imported; they are now translated when raised."""
    from django.utils import translation

    case = cw.investigate(cw.new_case())
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        actions.update_draft(cw.officer, case, penalty_kinds=[], fine_amount=0)
    text = " ".join(refused.value.messages)
    assert text and not any("\u4e00" <= ch <= "\u9fff" for ch in text), text
