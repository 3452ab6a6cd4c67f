"""行政确认 on the shared machinery: an application registered, examined, decided by the head with the finalised
行政确认决定书 (the result recorded is the one it states), served, published within 20 working days, archived."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhifa.cases import access, actions
from zhifa.cases.choices import ActKind, RecordKind, State
from zhifa.core.errors import RuleViolation


def open_(cw, **kw):
    return actions.open_confirmation(
        cw.officer,
        **{
            "party": cw.person_party,
            "cause": "农村部分计划生育家庭奖励扶助对象资格确认",
            "field": cw.medical,
            "unit": cw.section,
            "officers": [cw.officer, cw.officer2],
            "summary": "申请人年满60周岁，农业户口，只生育一个子女，申请确认奖励扶助对象资格。",
            "basis": "《全国农村部分计划生育家庭奖励扶助制度管理规范》",
            **kw,
        },
    )


def test_an_application_examined_decided_served_and_archived(cw, client):
    case = open_(cw)
    assert case.act_kind == ActKind.CONFIRMATION and case.state == State.CONFIRMATION_APPLIED
    assert case.reference.startswith("甲卫确〔2026〕")
    assert access.waiting_on(cw.officer, case) == ["examine_confirmation"]
    actions.examine_confirmation(cw.officer, case, opinion="材料齐全，符合条件。")
    case.refresh_from_db()
    assert case.state == State.CONFIRMATION_EXAMINED
    assert case.records.get(kind=RecordKind.EXAMINATION).data["content"] == "材料齐全，符合条件。"
    with pytest.raises(PermissionDenied):
        actions.decide_confirmation(cw.officer, case)
    with pytest.raises(RuleViolation, match="行政确认决定书"):
        actions.decide_confirmation(cw.head, case)
    cw.finalise(case, "confirmation_decision", narrative={"result": "不予确认"})
    actions.decide_confirmation(cw.head, case, opinion="不符合条件")
    case.refresh_from_db()
    assert case.state == State.CONFIRMATION_DECIDED and case.confirmed is False  # as the document states
    assert case.publication.kind == "other"
    with pytest.raises(RuleViolation, match="送达日期不能早于决定日期"):
        actions.serve_confirmation(
            cw.officer, case, served_on=case.decided_on.replace(year=case.decided_on.year - 1)
        )
    actions.serve_confirmation(cw.officer, case, recipient="张三")
    case.refresh_from_db()
    assert case.state == State.CONFIRMATION_SERVED and case.served_on == cw.clock.today
    actions.archive_case(cw.head, case)
    from zhifa.publicity import publication

    pub = publication.release(cw.head, publication.submit(cw.officer, case.publication))
    assert pub.summary["act"] == "confirmation" and pub.summary["measure"] == "不予确认"
    listed = client.get(reverse("publicity:decisions"), {"act": "confirmation"}).content.decode()
    assert pub.summary["number"] in listed and "行政确认（不予确认）" in listed
    from zhifa.ledger.actions import run_verification

    assert run_verification(agency=cw.a, state=True).ok


def test_a_decision_must_state_its_result(cw):
    case = open_(cw)
    actions.examine_confirmation(cw.officer, case, opinion="符合条件。")
    with pytest.raises(RuleViolation, match="确认结果"):
        cw.finalise(case, "confirmation_decision", narrative={"result": "同意"})


def test_pages(cw, client, login):
    login(cw.officer)
    create = reverse("cases:confirmation_create")
    response = client.post(
        create,
        {
            "party": cw.person_party.pk,
            "cause": "奖励扶助对象资格确认",
            "source": "other",
            "field": cw.medical.pk,
            "unit": cw.section.pk,
            "officers": [cw.officer.pk, cw.officer2.pk],
            "summary": "申请确认。",
            "basis": "《全国农村部分计划生育家庭奖励扶助制度管理规范》",
        },
    )
    from zhifa.cases.models import Case

    case = Case.objects.get(act_kind=ActKind.CONFIRMATION)
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    html = client.get(case.get_absolute_url()).content.decode()
    assert reverse("cases:action", args=[case.pk, "examine_confirmation"]) in html
    login(cw.sysadmin)
    assert client.get(create).status_code == 403
    login(cw.officer_b)
    assert client.get(case.get_absolute_url()).status_code == 404
