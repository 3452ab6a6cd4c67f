"""行政征用 — the worked example of 行政征收征用 (传染病防治法's temporary requisition of premises, vehicles and
equipment): registered with its list, decided by the head on the finalised 行政征用决定书 (published within 20 working
days), returned with the list the owner signs, compensated by the amount the 征用补偿决定书 states; refusals write
nothing; the pages offer each role its steps."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhifa.cases import access, actions
from zhifa.cases.choices import ActKind, RecordKind, State
from zhifa.core.errors import RuleViolation
from zhifa.ledger.models import Entry

LIST = "甲区宾馆客房｜标准间｜40间｜｜｜\n救护转运车辆｜负压型｜1辆｜｜｜甲A12345"


def open_(cw, **kw):
    return actions.open_requisition(
        cw.officer,
        **{
            "party": cw.clinic,
            "cause": "传染病疫情防控临时隔离场所",
            "field": cw.medical,
            "unit": cw.section,
            "officers": [cw.officer, cw.officer2],
            "summary": "本区发生聚集性疫情，需临时征用场所作为集中隔离点。",
            "basis": "《中华人民共和国传染病防治法》关于临时征用房屋、交通工具以及相关设施、设备的规定",
            "requisitioned": LIST,
            **kw,
        },
    )


def test_a_requisition_decided_returned_and_compensated(cw):
    case = open_(cw)
    assert case.act_kind == ActKind.REQUISITION and case.state == State.REQUISITION_REQUESTED
    assert case.reference.startswith("甲卫征〔2026〕")
    listed = case.records.get(kind=RecordKind.REQUISITION)
    assert [i["name"] for i in listed.data["items"]] == ["甲区宾馆客房", "救护转运车辆"]
    assert access.waiting_on(cw.head, case) == ["decide_requisition", "refuse_requisition"]
    with pytest.raises(PermissionDenied):
        actions.decide_requisition(cw.officer, case, opinion="同意")
    with pytest.raises(RuleViolation, match="行政征用决定书"):
        actions.decide_requisition(cw.head, case, opinion="同意")
    decision = cw.finalise(case, "requisition_decision", narrative={"period": "自决定之日起至疫情解除"})
    assert decision.number and decision.record_id == listed.pk
    actions.decide_requisition(cw.head, case, opinion="同意征用")
    case.refresh_from_db()
    assert case.state == State.REQUISITION_IN_FORCE and case.decided_on == cw.clock.today
    assert case.publication.kind == "other"  # published within 20 working days (zhifa.publicity)

    with pytest.raises(RuleViolation, match="征用财物返还清单"):
        actions.return_requisition(cw.officer, case)
    cw.finalise(case, "requisition_return", narrative={"condition": "客房完好，车辆已消毒"})
    actions.return_requisition(cw.officer, case, note="已返还并签收")
    case.refresh_from_db()
    assert case.state == State.REQUISITION_RETURNED

    # the amount recorded is the one the decision states; an amount that is not one is refused
    cw.finalise(
        case,
        "requisition_compensation",
        narrative={"loss": "客房使用30日", "amount": "约十万", "basis": "按市场租金计算"},
    )
    with pytest.raises(RuleViolation, match="不是有效的金额"):
        actions.compensate_requisition(cw.head, case)
    case.refresh_from_db()
    assert case.state == State.REQUISITION_RETURNED and case.compensation_amount is None
    cw.finalise(  # a new decision stating the amount (the newest finalised one counts)
        case,
        "requisition_compensation",
        narrative={"loss": "客房使用30日", "amount": "96,000.00", "basis": "按市场租金计算"},
    )
    with pytest.raises(PermissionDenied):
        actions.compensate_requisition(cw.officer, case)
    actions.compensate_requisition(cw.head, case)
    case.refresh_from_db()
    assert case.state == State.REQUISITION_COMPENSATED and case.compensation_amount == Decimal("96000.00")
    actions.archive_case(cw.head, case)
    case.refresh_from_db()
    assert case.state == State.ARCHIVED
    done = set(
        Entry.objects.filter(object_kind="cases.case", object_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "cases.open_requisition",
        "cases.decide_requisition",
        "cases.return_requisition",
        "cases.compensate_requisition",
        "cases.archive_case",
    } <= done
    from zhifa.ledger.actions import run_verification

    assert run_verification(agency=cw.a, state=True).ok


def test_refusals_write_nothing(cw):
    from zhifa.cases.models import Case

    with pytest.raises(RuleViolation, match="征用清单"):
        open_(cw, requisitioned="")
    with pytest.raises(RuleViolation, match="法律依据"):
        open_(cw, basis="")
    assert not Case.objects.filter(act_kind=ActKind.REQUISITION).exists()
    case = open_(cw)
    actions.refuse_requisition(cw.head, case, reason="已另行安排隔离场所")
    case.refresh_from_db()
    assert case.state == State.REQUISITION_REFUSED
    with pytest.raises(RuleViolation, match="不能进行"):
        actions.decide_requisition(cw.head, case, opinion="同意")
    with pytest.raises(RuleViolation, match="不是行政征用的步骤"):
        actions.approve_measure(cw.head, case, opinion="同意")
    actions.archive_case(cw.head, case)  # a refused one holds the report and the refusal, on the act itself


def test_pages(cw, client, login):
    create = reverse("cases:requisition_create")
    login(cw.sysadmin)
    assert client.get(create).status_code == 403
    login(cw.officer)
    response = client.post(
        create,
        {
            "party": cw.clinic.pk,
            "cause": "疫情防控临时隔离场所",
            "source": "assigned",
            "field": cw.medical.pk,
            "unit": cw.section.pk,
            "officers": [cw.officer.pk, cw.officer2.pk],
            "summary": "聚集性疫情。",
            "basis": "《中华人民共和国传染病防治法》",
            "requisitioned": LIST,
        },
    )
    from zhifa.cases.models import Case

    case = Case.objects.get(act_kind=ActKind.REQUISITION)
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    html = client.get(case.get_absolute_url()).content.decode()
    assert "行政征用" in html and "征用审批中" in html
    assert reverse("cases:action", args=[case.pk, "decide_requisition"]) not in html
    login(cw.head)
    html = client.get(case.get_absolute_url()).content.decode()
    assert reverse("cases:action", args=[case.pk, "decide_requisition"]) in html
    listed = client.get(reverse("cases:list"), {"kind": "requisition"}).content.decode()
    assert case.reference in listed
    login(cw.officer_b)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_the_decision_is_published_under_its_act_kind(cw, client):
    from zhifa.publicity import publication

    case = open_(cw)
    decision = cw.finalise(case, "requisition_decision", narrative={"period": "至疫情解除"})
    actions.decide_requisition(cw.head, case, opinion="同意")
    case.refresh_from_db()
    pub = publication.release(cw.head, publication.submit(cw.officer, case.publication))
    assert pub.summary["act"] == "requisition" and pub.summary["number"] == decision.number
    listed = client.get(reverse("publicity:decisions"), {"act": "requisition"}).content.decode()
    assert decision.number in listed and "行政征用" in listed
    assert (
        decision.number
        not in client.get(reverse("publicity:decisions"), {"act": "compulsion"}).content.decode()
    )
    page = client.get(reverse("publicity:decision", args=[pub.pk])).content.decode()
    assert "实施依据" in page and "传染病防治法" in page and "执法结论" not in page
