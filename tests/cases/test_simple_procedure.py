"""The simple procedure (issue 12, item 12; 行政处罚法 arts. 51–52, 68–71, 85): 告知 and 陈述申辩 recorded before the
on-the-spot decision, the numbered 当场行政处罚决定书, 备案 within the agency's period, 当场收缴 within its limits and
its hand-in within two working days — through the actions, the API and the pages."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.records.conftest import signature_png
from zhifa.cases import actions, rules
from zhifa.cases.actions import simple
from zhifa.cases.choices import PenaltyKind, RecordKind, State
from zhifa.cases.models import Case, CaseRecord, SimpleFiling, SpotCollection
from zhifa.cases.queries import tasks_for
from zhifa.ledger.models import Entry
from zhifa.org.choices import Role
from zhifa.records.models import Document
from zhifa.workdays import actions as wd_actions
from zhifa.workdays.models import DeadlineKind

FRIDAY = dt.date(2026, 6, 5)


def _told(**kw):
    told = dict(
        told_facts="在公共场所吸烟。",
        told_reasons="违反公共场所控制吸烟的规定。",
        told_basis="《公共场所卫生管理条例实施细则》第十八条、第三十八条",
        rights_told=True,
        statement="我不知道这里禁烟。",
        statement_recheck="已复核：场所设有醒目禁烟标识，陈述不成立，维持拟处罚。",
    )
    told.update(kw)
    return told


def _kwargs(cw, **kw):
    out = dict(
        party=cw.person_party,
        cause="在公共场所吸烟",
        field=cw.medical,
        unit=cw.section,
        officers=[cw.officer, cw.officer2],
        certificates_shown=cw.certs(),
        penalty_kinds=[PenaltyKind.FINE],
        fine_amount=Decimal("50"),
        facts="当事人在候诊大厅吸烟。",
        violated_provisions="《公共场所卫生管理条例实施细则》第十八条",
        penalty_provisions="《公共场所卫生管理条例实施细则》第三十八条",
        place="甲区人民医院候诊大厅",
        party_signed=False,
        refusal_witness="保安李四",
        **_told(),
    )
    out.update(kw)
    return out


@pytest.fixture
def unit_head(cw):
    return cw.person(cw.a, "unit_head_a", "甲科长", Role.UNIT_HEAD, unit=cw.section)


def _bearer(person):
    from zhifa.org import actions as org_actions

    return {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(person, name="t")[1]}


# 告知 and 陈述申辩 before the decision (arts. 44, 45) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "missing, message",
    [
        ({"told_facts": ""}, "事实、理由和依据"),
        ({"told_basis": "  "}, "事实、理由和依据"),
        ({"rights_told": False}, "陈述、申辩的权利"),
        ({"statement": "", "statement_waived": False}, "二者选一"),
        ({"statement_waived": True}, "二者选一"),  # both a statement and a waiver
        ({"statement_recheck": ""}, "复核"),
    ],
)
def test_a_decision_without_the_notice_or_the_statement_is_refused(cw, missing, message):
    before = (Case.objects.count(), CaseRecord.objects.count(), Entry.objects.count())
    with pytest.raises(ValidationError, match=message):
        actions.decide_on_the_spot(cw.officer, **_kwargs(cw, **missing))
    assert (Case.objects.count(), CaseRecord.objects.count(), Entry.objects.count()) == before


def test_the_notice_and_statement_are_records_made_before_the_decision(cw):
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw))
    statement = case.records.get(kind=RecordKind.STATEMENT)
    onsite = case.records.get(kind=RecordKind.ONSITE)
    assert statement.data["content"] == "我不知道这里禁烟。" and "已复核" in statement.data["recheck"]
    assert statement.data["notice"]["basis"].startswith("《公共场所卫生管理条例实施细则》")
    assert statement.data["notice"]["rights_told"] is True
    assert statement.started_at <= onsite.started_at and statement.pk < onsite.pk
    assert case.decision_snapshot["notice"]["facts"] == "在公共场所吸烟。"
    waived = actions.decide_on_the_spot(
        cw.officer, **_kwargs(cw, statement="", statement_recheck="", statement_waived=True)
    )
    assert waived.records.filter(kind=RecordKind.STATEMENT_WAIVER).count() == 1
    assert waived.statement_waived


# The numbered 当场行政处罚决定书 (art. 52) ----------------------------------------------------------------------------


def test_the_decision_form_is_numbered_and_keeps_the_refusal_and_its_witness(cw):
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw))
    doc = Document.objects.get(case=case, kind="on_the_spot_decision")
    assert doc.state == "final" and doc.number == "甲卫医当罚〔2026〕1号"
    refusal = doc.signatures.get(role="party")
    assert refusal.method == "refused" and refusal.witness == "保安李四"
    assert doc.signatures.filter(person=cw.officer).exists()
    second = actions.decide_on_the_spot(cw.officer, **_kwargs(cw))
    assert Document.objects.get(case=second, kind="on_the_spot_decision").number == "甲卫医当罚〔2026〕2号"


def test_the_party_signature_is_kept_or_the_signed_draft_waits_for_it(cw):
    signed = actions.decide_on_the_spot(
        cw.officer, **_kwargs(cw, party_signed=True, refusal_witness="", party_signature=signature_png())
    )
    doc = Document.objects.get(case=signed, kind="on_the_spot_decision")
    assert doc.state == "final" and doc.signatures.get(role="party").method == "handwritten"
    waiting = actions.decide_on_the_spot(cw.officer, **_kwargs(cw, party_signed=True, refusal_witness=""))
    draft = Document.objects.get(case=waiting, kind="on_the_spot_decision")
    assert draft.state == "draft" and not draft.number


# 备案 (art. 52; agency period) -------------------------------------------------------------------------------------


def test_filing_is_taken_by_the_unit_head_or_head_within_the_agency_period(cw, unit_head):
    cw.clock.move_to(FRIDAY)
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw))
    deadline = simple.deadlines.current(case, simple.SIMPLE_FILING)
    # default rules.SIMPLE_FILING_DEFAULT_WORKDAYS (5) working days from Friday 2026-06-05
    assert rules.SIMPLE_FILING_DEFAULT_WORKDAYS == 5 and deadline.due == dt.date(2026, 6, 12)
    with pytest.raises(PermissionDenied, match="承办机构负责人"):
        actions.file_simple_decision(cw.officer, case)
    with pytest.raises(PermissionDenied):  # another agency's officer
        actions.file_simple_decision(cw.officer_b, case)
    filing = actions.file_simple_decision(unit_head, case, officer=cw.officer)
    assert filing.acknowledged_by == unit_head and filing.officer == cw.officer
    deadline.refresh_from_db()
    assert deadline.met_on == FRIDAY
    with pytest.raises(ValidationError, match="已经备案"):
        actions.file_simple_decision(cw.head, case)
    assert Entry.objects.filter(action="cases.file_simple_decision", object_id=str(filing.pk)).count() == 1


def test_the_filing_period_is_agency_data(cw):
    kind = DeadlineKind.objects.get(code="simple_filing")
    assert kind.agency_may_change and kind.length == rules.SIMPLE_FILING_DEFAULT_WORKDAYS
    wd_actions.set_agency_deadline(cw.sysadmin, cw.a, kind, length=3, reason="本局规定")
    cw.clock.move_to(FRIDAY)
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw))
    assert simple.deadlines.current(case, simple.SIMPLE_FILING).due == dt.date(2026, 6, 10)
    with pytest.raises(PermissionDenied):
        wd_actions.set_agency_deadline(cw.officer, cw.a, kind, length=30)


def test_filing_needs_the_finalised_form_and_closing_needs_the_filing(cw, unit_head):
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw, party_signed=True, refusal_witness=""))
    with pytest.raises(ValidationError, match="当场行政处罚决定书"):
        actions.file_simple_decision(unit_head, case)
    doc = Document.objects.get(case=case, kind="on_the_spot_decision")
    from zhifa.records import actions as records

    records.capture_party_signature(cw.officer, doc, signer_name="张三", png=signature_png())
    records.finalise_document(cw.officer, doc)
    actions.record_payment(
        cw.officer, case, kind="fine", amount=Decimal("50"), paid_on=cw.clock.today, receipt_number="B-1"
    )
    with pytest.raises(ValidationError, match="尚未备案"):
        actions.close_case(cw.head, case, report="当场处罚已执行。")
    actions.file_simple_decision(unit_head, case)
    actions.close_case(unit_head, case, report="当场处罚已执行并备案。")
    assert Case.objects.get(pk=case.pk).state == State.CLOSED


def test_the_simple_steps_are_refused_on_a_general_case(cw, unit_head):
    case = cw.new_case()
    with pytest.raises(ValidationError, match="只适用于简易程序"):
        actions.file_simple_decision(unit_head, case)
    with pytest.raises(ValidationError, match="只适用于简易程序"):
        actions.collect_on_the_spot(
            cw.officer, case, amount=Decimal("50"), receipt_number="X", ground=rules.COLLECTION_SMALL
        )


# 当场收缴 (arts. 68–70) and its hand-in (art. 71) -------------------------------------------------------------------


def test_collection_only_within_its_limits(cw):
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw, fine_amount=Decimal("150")))
    collect = lambda **kw: actions.collect_on_the_spot(  # noqa: E731
        cw.officer,
        case,
        **{"amount": Decimal("150"), "receipt_number": "闽财0001", "ground": rules.COLLECTION_SMALL, **kw},
    )
    with pytest.raises(ValidationError, match="100元以下罚款"):
        collect()
    with pytest.raises(ValidationError, match="具体情况"):
        collect(ground=rules.COLLECTION_HARD)
    with pytest.raises(ValidationError, match="经当事人提出"):
        collect(ground=rules.COLLECTION_REMOTE, reason="海岛，无银行网点")
    with pytest.raises(ValidationError, match="专用票据"):
        collect(ground=rules.COLLECTION_HARD, reason="外地游客当日离境", receipt_number=" ")
    with pytest.raises(ValidationError, match="不超过尚欠"):
        collect(ground=rules.COLLECTION_HARD, reason="外地游客当日离境", amount=Decimal("151"))
    assert not SpotCollection.objects.exists() and not case.payments.exists()
    with pytest.raises(PermissionDenied):  # not a handling officer
        actions.collect_on_the_spot(
            cw.head,
            case,
            amount=Decimal("150"),
            receipt_number="闽财0001",
            ground=rules.COLLECTION_HARD,
            reason="x",
        )
    with pytest.raises(PermissionDenied):  # another agency
        actions.collect_on_the_spot(
            cw.officer_b,
            case,
            amount=Decimal("150"),
            receipt_number="1",
            ground=rules.COLLECTION_HARD,
            reason="x",
        )
    collection = collect(ground=rules.COLLECTION_HARD, reason="外地游客当日离境")
    assert collection.payment.amount == Decimal("150") and collection.payment.receipt_number == "闽财0001"
    assert Case.objects.get(pk=case.pk).state == State.EXECUTED
    with pytest.raises(ValidationError):
        collect(ground=rules.COLLECTION_HARD, reason="again")


def test_a_fine_of_at_most_100_may_be_collected_for_that_reason(cw):
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw, fine_amount=Decimal("100")))
    collection = actions.collect_on_the_spot(
        cw.officer, case, amount=Decimal("100"), receipt_number="闽财0002", ground=rules.COLLECTION_SMALL
    )
    assert collection.ground == rules.COLLECTION_SMALL


def test_hand_in_within_two_working_days_and_late_hand_ins_alert_the_heads(cw, unit_head):
    cw.clock.move_to(FRIDAY)
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw))
    actions.collect_on_the_spot(
        cw.officer, case, amount=Decimal("50"), receipt_number="闽财0003", ground=rules.COLLECTION_SMALL
    )
    deadline = simple.deadlines.current(case, simple.HAND_IN)
    # art. 71 二日, working days by art. 85: Friday → Tuesday
    assert rules.HAND_IN_WORKDAYS == 2 and deadline.due == dt.date(2026, 6, 9)
    assert deadline.responsible == cw.officer
    assert not [t for t in tasks_for(unit_head) if "逾期未交" in t["label"]]
    cw.clock.move_to(dt.date(2026, 6, 10))
    alerts = [t for t in tasks_for(unit_head) if "逾期未交" in t["label"]]
    assert alerts and alerts[0]["url"] == reverse("cases:detail", args=[case.pk])
    assert [t for t in tasks_for(cw.head) if "逾期未交" in t["label"]]
    assert not [t for t in tasks_for(cw.officer_b) if "逾期未交" in t["label"]]
    with pytest.raises(ValidationError, match="本机关"):
        actions.hand_in_collection(cw.officer, case, received_by=cw.officer_b)
    with pytest.raises(ValidationError, match="自己接收"):
        actions.hand_in_collection(cw.officer, case, received_by=cw.officer)
    with pytest.raises(PermissionDenied):
        actions.hand_in_collection(unit_head, case, received_by=cw.head)
    collection = actions.hand_in_collection(cw.officer, case, received_by=unit_head)
    assert collection.received_by == unit_head and collection.handed_in_on == dt.date(2026, 6, 10)
    entry = Entry.objects.get(action="cases.hand_in_collection")
    assert json.loads(bytes(entry.body))["record"]["payload"]["late"] is True
    assert not [t for t in tasks_for(unit_head) if "逾期未交" in t["label"]]
    deadline.refresh_from_db()
    assert deadline.met_on == dt.date(2026, 6, 10)


def test_overdue_filing_alerts_the_unit_head(cw, unit_head):
    cw.clock.move_to(FRIDAY)
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw))
    cw.clock.move_to(dt.date(2026, 6, 15))
    assert [t for t in tasks_for(unit_head) if "逾期未备案" in t["label"]]
    labels = [t["label"] for t in tasks_for(unit_head) if case.reference in t["label"]]
    assert any("当场处罚决定备案" in label for label in labels)  # the step itself is on the to-do list


@given(
    fine=st.decimals(min_value=1, max_value=3000, places=2),
    ground=st.sampled_from(rules.COLLECTION_GROUNDS),
    reason=st.sampled_from(["", "交通不便"]),
    requested=st.booleans(),
)
def test_collection_rule_property(fine, ground, reason, requested):
    problem = rules.collection_problem(ground, fine, fine, fine, reason, requested, "R-1")
    if ground == rules.COLLECTION_SMALL:
        assert (problem is None) == (fine <= rules.ON_THE_SPOT_COLLECTION_LIMIT)
    elif ground == rules.COLLECTION_HARD:
        assert (problem is None) == bool(reason)
    else:
        assert (problem is None) == (bool(reason) and requested)
    assert rules.collection_problem(ground, fine, fine + 1, fine, reason, requested, "R-1") == "amount"


# API -----------------------------------------------------------------------------------------------------------


def _api_body(cw, **kw):
    body = {
        "party": cw.person_party.pk,
        "cause": "在公共场所吸烟",
        "field": cw.medical.pk,
        "unit": cw.section.pk,
        "officers": [cw.officer.pk, cw.officer2.pk],
        "certificates_shown": [c.pk for c in cw.certs()],
        "place": "甲区人民医院候诊大厅",
        "facts": "当事人在候诊大厅吸烟。",
        "violated_provisions": "《公共场所卫生管理条例实施细则》第十八条",
        "penalty_provisions": "《公共场所卫生管理条例实施细则》第三十八条",
        "penalty_kinds": ["fine"],
        "fine_amount": "50",
        "told_facts": "在公共场所吸烟。",
        "told_reasons": "违反控烟规定。",
        "told_basis": "《公共场所卫生管理条例实施细则》第三十八条",
        "rights_told": True,
        "statement_waived": True,
        "party_signed": False,
        "refusal_witness": "保安李四",
    }
    body.update(kw)
    return body


def test_api_decides_on_the_spot_and_takes_the_simple_steps(cw, client, unit_head):
    url = "/api/v1/cases/on-the-spot/"
    count = Case.objects.count()
    refused = client.post(
        url, _api_body(cw, rights_told=False), content_type="application/json", **_bearer(cw.officer)
    )
    assert refused.status_code == 400 and "陈述、申辩的权利" in refused.content.decode()
    assert Case.objects.count() == count
    other = client.post(url, _api_body(cw), content_type="application/json", **_bearer(cw.officer_b))
    assert other.status_code == 404 and Case.objects.count() == count
    head = client.post(url, _api_body(cw), content_type="application/json", **_bearer(cw.head))
    assert head.status_code == 403 and Case.objects.count() == count
    made = client.post(url, _api_body(cw), content_type="application/json", **_bearer(cw.officer))
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    data = client.get(f"/api/v1/cases/{pk}/simple-procedure/", **_bearer(cw.officer)).json()
    assert data["statement"]["waived"] and data["document"]["number"].startswith("甲卫医当罚")
    assert data["filing"] is None and data["filing_due"]
    assert client.get(f"/api/v1/cases/{pk}/simple-procedure/", **_bearer(cw.officer_b)).status_code == 404

    collect = f"/api/v1/cases/{pk}/collect-on-the-spot/"
    over = {"amount": "50", "receipt_number": "闽财9", "ground": "hard_to_enforce"}
    bad = client.post(collect, over, content_type="application/json", **_bearer(cw.officer))
    assert bad.status_code == 400 and not SpotCollection.objects.exists()
    denied = client.post(
        collect, {**over, "reason": "x"}, content_type="application/json", **_bearer(unit_head)
    )
    assert denied.status_code == 403
    ok = client.post(
        collect, {**over, "ground": "small"}, content_type="application/json", **_bearer(cw.officer)
    )
    assert ok.status_code == 200, ok.content
    hand_in = f"/api/v1/cases/{pk}/hand-in-collection/"
    ok = client.post(
        hand_in, {"received_by": unit_head.pk}, content_type="application/json", **_bearer(cw.officer)
    )
    assert ok.status_code == 200, ok.content
    filing = f"/api/v1/cases/{pk}/file-simple-decision/"
    assert client.post(filing, {}, content_type="application/json", **_bearer(cw.officer)).status_code == 403
    ok = client.post(filing, {}, content_type="application/json", **_bearer(unit_head))
    assert ok.status_code == 200, ok.content
    data = client.get(f"/api/v1/cases/{pk}/simple-procedure/", **_bearer(unit_head)).json()
    assert data["filing"]["acknowledged_by"] == unit_head.pk
    assert data["collection"]["received_by"] == unit_head.pk and data["collection"]["handed_in_on"]
    assert SimpleFiling.objects.get(case_id=pk)


# Pages ---------------------------------------------------------------------------------------------------------


def test_on_the_spot_page_for_officers_only(cw, login, unit_head):
    url = reverse("cases:on_the_spot")
    assert reverse("cases:on_the_spot") in login(cw.officer).get(reverse("cases:list")).content.decode()
    page = login(cw.officer).get(url)
    assert page.status_code == 200 and "告知：拟作出处罚的事实" in page.content.decode()
    assert login(cw.head).get(url).status_code == 403
    assert url not in login(cw.head).get(reverse("cases:list")).content.decode()
    body = _api_body(cw, rights_told="", fine_amount="50")
    body.pop("rights_told")
    body["penalty_kinds"] = ["fine"]
    count = Case.objects.count()
    refused = login(cw.officer).post(url, body)
    assert refused.status_code == 200 and "陈述、申辩的权利" in refused.content.decode()
    assert Case.objects.count() == count
    made = login(cw.officer).post(url, {**body, "rights_told": "on"})
    assert made.status_code == 302
    case = Case.objects.latest("id")
    assert case.procedure == "simple" and made["Location"] == case.get_absolute_url()


def test_case_page_shows_the_simple_steps_to_who_may_take_them(cw, login, unit_head):
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw))
    detail = reverse("cases:detail", args=[case.pk])
    collect = reverse("cases:action", args=[case.pk, "collect_on_the_spot"])
    filing = reverse("cases:action", args=[case.pk, "file_simple_decision"])
    officer_page = login(cw.officer).get(detail).content.decode()
    assert "简易程序" in officer_page and "已告知陈述、申辩的权利" in officer_page
    assert collect in officer_page and filing not in officer_page
    head_page = login(unit_head).get(detail).content.decode()
    assert filing in head_page and collect not in head_page
    assert login(unit_head).get(collect).status_code == 403
    assert login(cw.officer_b).get(detail).status_code == 404
    assert login(unit_head).post(filing, {}).status_code == 302
    assert filing not in login(unit_head).get(detail).content.decode()  # filed: the button is gone
    general = cw.new_case()
    assert (
        "file_simple_decision"
        not in login(unit_head).get(reverse("cases:detail", args=[general.pk])).content.decode()
    )


def test_filing_period_api_and_page(cw, client, login):
    url = "/api/v1/cases/simple-filing-period/"
    data = client.get(url, {"agency": cw.a.pk}, **_bearer(cw.officer)).json()
    assert data["length"] == rules.SIMPLE_FILING_DEFAULT_WORKDAYS and not data["configured"]
    assert client.get(url, {"agency": cw.a.pk}, **_bearer(cw.officer_b)).status_code == 404
    body = {"agency": cw.a.pk, "length": 3, "reason": "本局规定"}
    assert client.put(url, body, content_type="application/json", **_bearer(cw.officer)).status_code == 403
    assert client.put(url, body, content_type="application/json", **_bearer(cw.officer_b)).status_code == 404
    bad = client.put(url, {**body, "length": 0}, content_type="application/json", **_bearer(cw.sysadmin))
    assert bad.status_code == 400
    ok = client.put(url, body, content_type="application/json", **_bearer(cw.sysadmin))
    assert ok.status_code == 200 and ok.json()["length"] == 3 and ok.json()["configured"]
    assert Entry.objects.filter(action="workdays.set_agency_deadline").exists()
    # the page: the workdays kind page of the agency's own setting
    page = reverse("workdays:kind_agency", args=["simple_filing", cw.a.pk])
    assert login(cw.sysadmin).get(page).status_code == 200


def test_the_filing_and_hand_in_deadlines_are_met_only_by_their_steps(cw, client):
    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw))
    deadline = simple.deadlines.current(case, simple.SIMPLE_FILING)
    response = client.post(
        f"/api/v1/deadlines/{deadline.pk}/meet/",
        {"on": cw.clock.today.isoformat()},
        content_type="application/json",
        **_bearer(cw.head),
    )
    assert response.status_code == 400 and "当场处罚决定备案" in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.met_on is None
