"""回避 (《行政处罚法》第四十三条): declared connections and granted recusals keep a person off the case — as acting
officer, hearing chair and deciding head — through the actions, the API and the pages; the recusal row is written
only after every rule passed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.cases import actions
from zhifa.cases.models import PartyConnection, Recusal
from zhifa.cases.recusal import conflicts, connected
from zhifa.ledger.models import Entry
from zhifa.org import actions as org_actions
from zhifa.org.choices import Role


def _bearer(person):
    return {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(person, name="t")[1]}


def _post(client, url, data, who):
    return client.post(url, data, content_type="application/json", **_bearer(who))


@pytest.fixture
def rw(cw):
    """The case world with a third certified officer and a second agency head."""
    cw.officer3 = cw.person(cw.a, "officer_a3", "甲执法三", Role.OFFICER, unit=cw.section)
    org_actions.issue_certificate(
        None,
        cw.officer3,
        number="CERT-0099",
        field_codes=["medical"],
        issuer="甲区人民政府",
        valid_from=cw.clock.today - dt.timedelta(days=365),
        valid_to=cw.clock.today + dt.timedelta(days=365),
    )
    cw.head2 = cw.person(cw.a, "head_a2", "甲副局长", Role.AGENCY_HEAD)
    return cw


def _three(rw):
    return rw.new_case(officers=[rw.officer, rw.officer2, rw.officer3])


def _hearing_requested(cw):
    from zhifa.cases.choices import PenaltyKind

    case = cw.investigate(cw.new_case(), kinds=(PenaltyKind.FINE,), fine="150000")
    cw.notice(case)
    cw.clock.move_to(dt.date(2026, 6, 6))
    actions.request_hearing(cw.officer, case, requested_on=dt.date(2026, 6, 5))
    cw.clock.move_to(dt.date(2026, 6, 8))
    case.refresh_from_db()
    return case


# The query ------------------------------------------------------------------------------------------------------


def test_conflicts_name_the_person_and_the_article(rw):
    case = _three(rw)
    assert conflicts(case, [rw.officer, rw.head, None]) == []
    actions.declare_connection(rw.head, rw.clinic, relation="法定代表人的配偶")
    actions.decide_recusal(rw.head2, case, person=rw.officer3, reason="曾为当事人提供咨询", granted=True)
    messages = conflicts(case, [rw.head, rw.officer3, rw.officer, rw.head])
    assert len(messages) == 2
    assert "甲局长" in messages[0] and "法定代表人的配偶" in messages[0] and "第四十三条" in messages[0]
    assert "甲执法三" in messages[1] and "已被决定在本案回避" in messages[1] and "第四十三条" in messages[1]
    # a recusal is of one case; a connection is with the party, on all its cases
    other = rw.new_case()
    assert conflicts(other, [rw.officer3]) == [] and len(conflicts(other, [rw.head])) == 1
    assert connected(rw.person_party, [rw.head]) == []


# declare_connection ---------------------------------------------------------------------------------------------


def test_declare_connection_rules_through_the_action(rw):
    with pytest.raises(ValidationError, match="请说明与当事人的关系"):
        actions.declare_connection(rw.officer, rw.clinic, relation="  ")
    with pytest.raises(PermissionDenied, match="本机关人员"):
        actions.declare_connection(rw.officer_b, rw.clinic, relation="亲属")
    with pytest.raises(ValidationError, match="不能超过200个字"):
        actions.declare_connection(rw.officer, rw.clinic, relation="亲" * 201)
    assert not PartyConnection.objects.exists()
    first = actions.declare_connection(rw.officer, rw.clinic, relation="亲属")
    again = actions.declare_connection(rw.officer, rw.clinic, relation="法定代表人的表弟")
    assert first.pk == again.pk and PartyConnection.objects.get().relation == "法定代表人的表弟"
    assert Entry.objects.filter(action="cases.declare_connection").count() == 2


def test_declare_connection_through_the_api(rw, client):
    url = f"/api/v1/parties/{rw.clinic.pk}/declare-connection/"
    assert _post(client, url, {"relation": "亲属"}, rw.officer_b).status_code == 404  # another agency's party
    assert _post(client, url, {"relation": "亲属"}, rw.supervisor).status_code == 403  # reads, is not of it
    response = _post(client, url, {"relation": " "}, rw.officer)
    assert response.status_code == 400 and "relation" in response.json()
    assert not PartyConnection.objects.exists()
    response = _post(client, url, {"relation": "亲属"}, rw.officer)
    assert response.status_code == 200 and response.json()["relation"] == "亲属"
    assert response.json()["person"] == rw.officer.pk
    # and the officer is now kept off the party's new cases
    with pytest.raises(ValidationError, match="应当回避"):
        rw.new_case()


def test_declare_connection_page(rw, login):
    case = rw.new_case()
    url = reverse("cases:party_connection", args=[rw.clinic.pk])
    assert login(rw.officer_b).get(url).status_code == 404
    assert login(rw.supervisor).get(url).status_code == 403
    # the party's page offers it to the agency's people only
    party_page = reverse("cases:party", args=[rw.clinic.pk])
    assert url in login(rw.officer).get(party_page).content.decode()
    assert url not in login(rw.supervisor).get(party_page).content.decode()
    client = login(rw.head)
    assert client.get(url).status_code == 200
    response = client.post(url, {"relation": ""})
    assert response.status_code == 200 and not PartyConnection.objects.exists()
    response = client.post(f"{url}?case={case.pk}", {"relation": "法定代表人的配偶"})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert PartyConnection.objects.get().person == rw.head
    page = client.get(url).content.decode()
    assert "法定代表人的配偶" in page


# decide_recusal -------------------------------------------------------------------------------------------------


def test_decide_recusal_rules_pass_before_the_row_is_written(rw):
    case = _three(rw)
    with pytest.raises(PermissionDenied):  # an officer does not decide a recusal, not even their own
        actions.decide_recusal(rw.officer, case, person=rw.officer, reason="亲属", granted=True)
    with pytest.raises(PermissionDenied, match="不能决定本人的回避"):
        actions.decide_recusal(rw.head, case, person=rw.head, reason="亲属", granted=True)
    with pytest.raises(ValidationError, match="不是本案的承办人员"):
        actions.decide_recusal(rw.head, case, person=rw.reviewer, reason="亲属", granted=True)
    with pytest.raises(ValidationError, match="请填写回避理由"):
        actions.decide_recusal(rw.head, case, person=rw.officer3, reason=" ", granted=True)
    actions.declare_connection(rw.head, rw.clinic, relation="同学")
    with pytest.raises(PermissionDenied, match="甲局长.*同学.*第四十三条"):
        actions.decide_recusal(rw.head, case, person=rw.officer3, reason="亲属", granted=True)
    assert not Recusal.objects.exists()
    # a granted recusal of the lead officer: off the case, the next officer leads, recorded in the ledger
    actions.decide_recusal(
        rw.head2, case, person=rw.officer, reason="当事人申请：亲属", granted=True, applied_by_party=True
    )
    links = list(case.officer_links.order_by("pk"))
    assert [(link.person, link.lead) for link in links] == [(rw.officer2, True), (rw.officer3, False)]
    recusal = Recusal.objects.get()
    assert recusal.granted and recusal.applied_by_party and recusal.decided_by == rw.head2
    entries = Entry.objects.filter(action="cases.decide_recusal", object_kind="cases.recusal")
    assert list(entries.values_list("object_id", flat=True)) == [str(recusal.pk)]
    # two officers left: a second granted recusal is refused and writes nothing; a refusal (不予回避) is kept
    with pytest.raises(ValidationError, match="不足2人"):
        actions.decide_recusal(rw.head2, case, person=rw.officer2, reason="亲属", granted=True)
    actions.decide_recusal(rw.head2, case, person=rw.officer2, reason="当事人申请，理由不成立", granted=False)
    assert list(Recusal.objects.values_list("granted", flat=True).order_by("pk")) == [True, False]
    assert case.officer_links.count() == 2
    # one whose recusal was granted is not put back on the case
    with pytest.raises(ValidationError, match="已被决定在本案回避"):
        actions.assign_officers(rw.head2, case, officers=[rw.officer2, rw.officer3, rw.officer])
    assert case.officer_links.count() == 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    who=st.sampled_from(["officer", "officer2", "officer3", "reviewer", "head"]),
    decider=st.sampled_from(["head", "head2", "officer"]),
    reason=st.sampled_from(["", " ", "亲属"]),
    granted=st.booleans(),
    connected_decider=st.booleans(),
)
def test_a_recusal_row_exists_only_when_every_rule_passed(
    rw, who, decider, reason, granted, connected_decider
):
    from django.db import transaction

    case = _three(rw)
    person, actor = getattr(rw, who), getattr(rw, decider)
    sid = transaction.savepoint()
    try:
        if connected_decider:
            actions.declare_connection(actor, rw.clinic, relation="亲属")
        before = Recusal.objects.count()
        allowed = (
            decider != "officer"
            and who != decider
            and who in ("officer", "officer2", "officer3")
            and not connected_decider
            and reason.strip()
        )
        try:
            actions.decide_recusal(actor, case, person=person, reason=reason, granted=granted)
        except (ValidationError, PermissionDenied):
            assert not allowed and Recusal.objects.count() == before
        else:
            assert allowed and Recusal.objects.count() == before + 1
            assert (person.pk in set(case.officer_links.values_list("person_id", flat=True))) is not granted
    finally:
        transaction.savepoint_rollback(sid)


def test_decide_recusal_through_the_api(rw, client):
    case = _three(rw)
    url = f"/api/v1/cases/{case.pk}/decide-recusal/"
    body = {"person": rw.officer3.pk, "reason": "亲属", "granted": True}
    assert _post(client, url, body, rw.officer_b).status_code == 404  # another agency's user
    assert _post(client, url, body, rw.officer3).status_code == 403  # an officer deciding their own recusal
    assert _post(client, url, {**body, "person": rw.officer_b.pk}, rw.head).status_code == 400
    response = _post(client, url, {**body, "reason": "  "}, rw.head)
    assert response.status_code == 400 and "reason" in response.json()
    actions.declare_connection(rw.head, rw.clinic, relation="同学")
    response = _post(client, url, body, rw.head)  # a head with a declared connection
    assert response.status_code == 403 and "第四十三条" in str(response.json())
    assert not Recusal.objects.exists()
    response = _post(client, url, body, rw.head2)
    assert response.status_code == 200 and response.json()["officers"] == [rw.officer.pk, rw.officer2.pk]
    listing = client.get(f"/api/v1/cases/{case.pk}/recusals/", **_bearer(rw.officer)).json()
    assert [(r["person_name"], r["granted"], r["decided_by_name"]) for r in listing] == [
        ("甲执法三", True, "甲副局长")
    ]
    assert client.get(f"/api/v1/cases/{case.pk}/recusals/", **_bearer(rw.officer_b)).status_code == 404


def test_recusal_on_the_case_page_and_its_step_page(rw, login):
    case = _three(rw)
    detail = reverse("cases:detail", args=[case.pk])
    decide_url = reverse("cases:action", args=[case.pk, "decide_recusal"])
    declare_url = reverse("cases:party_connection", args=[rw.clinic.pk])
    page = login(rw.officer).get(detail).content.decode()
    assert "回避" in page and declare_url in page and decide_url not in page
    assert declare_url not in login(rw.supervisor).get(detail).content.decode()
    assert login(rw.officer).get(decide_url).status_code == 403
    client = login(rw.head)
    assert decide_url in client.get(detail).content.decode()
    response = client.post(decide_url, {"person": rw.officer3.pk, "reason": ""})
    assert response.status_code == 200 and not Recusal.objects.exists()
    response = client.post(decide_url, {"person": rw.head.pk, "reason": "亲属", "granted": "on"})
    assert response.status_code == 403 and "不能决定本人的回避" in response.content.decode()
    response = client.post(
        decide_url, {"person": rw.officer3.pk, "reason": "曾为当事人提供咨询", "granted": "on"}
    )
    assert response.status_code == 302
    page = login(rw.officer).get(detail).content.decode()
    assert "甲执法三" in page and "曾为当事人提供咨询" in page and "决定回避" in page and "甲局长" in page
    # the declared connections show too, and the person concerned is told on the page
    actions.declare_connection(rw.officer, rw.clinic, relation="法定代表人的表弟")
    page = login(rw.officer).get(detail).content.decode()
    assert "法定代表人的表弟" in page and "应当回避" in page
    # a head with a declared connection is told so on the panel, and refused on the step page
    actions.declare_connection(rw.head2, rw.clinic, relation="同学")
    offered = login(rw.head).get(detail).content.decode().count(decide_url)
    client = login(rw.head2)
    page = client.get(detail).content.decode()
    assert "甲副局长已申报与当事人存在利害关系（同学）" in page and page.count(decide_url) == offered - 1
    response = client.post(decide_url, {"person": rw.officer2.pk, "reason": "亲属", "granted": "on"})
    assert response.status_code == 403 and "第四十三条" in response.content.decode()


# Everywhere it matters ------------------------------------------------------------------------------------------


def test_a_connected_hearing_chair_is_refused(cw):
    case = _hearing_requested(cw)
    actions.declare_connection(cw.reviewer, cw.clinic, relation="曾任该诊所顾问")
    with pytest.raises(ValidationError, match="甲审核.*曾任该诊所顾问.*第四十三条"):
        actions.schedule_hearing(
            cw.officer, case, hearing_on=dt.date(2026, 6, 17), place="听证室", chair=cw.reviewer
        )
    case.refresh_from_db()
    assert case.hearing_chair is None
    chair = cw.person(cw.a, "chair_a", "甲主持", Role.OFFICER, unit=cw.legal_unit)
    actions.schedule_hearing(cw.officer, case, hearing_on=dt.date(2026, 6, 17), place="听证室", chair=chair)


def test_a_connected_hearing_chair_is_refused_through_the_api_and_page(cw, client, login):
    case = _hearing_requested(cw)
    actions.declare_connection(cw.reviewer, cw.clinic, relation="曾任该诊所顾问")
    body = {"hearing_on": "2026-06-17", "place": "听证室", "chair": cw.reviewer.pk}
    response = _post(client, f"/api/v1/cases/{case.pk}/schedule-hearing/", body, cw.officer)
    assert response.status_code == 400 and "第四十三条" in str(response.json())
    url = reverse("cases:action", args=[case.pk, "schedule_hearing"])
    response = login(cw.officer).post(url, body)
    assert response.status_code == 200 and "曾任该诊所顾问" in response.content.decode()
    case.refresh_from_db()
    assert case.hearing_chair is None


def test_a_connected_head_does_not_decide(rw, client):
    case = rw.investigate(rw.new_case())
    actions.declare_connection(rw.head, rw.clinic, relation="法定代表人的配偶")
    with pytest.raises(ValidationError, match="甲局长.*法定代表人的配偶.*第四十三条"):
        actions.decide(rw.head, case)
    response = _post(client, f"/api/v1/cases/{case.pk}/decide/", {}, rw.head)
    assert response.status_code == 400 and "法定代表人的配偶" in str(response.json())
    case.refresh_from_db()
    assert case.decided_on is None


def test_officers_with_a_connection_are_still_refused(rw):
    case = _three(rw)
    actions.declare_connection(rw.officer3, rw.clinic, relation="亲属")
    with pytest.raises(ValidationError, match="应当回避"):
        actions.assign_officers(rw.head, case, officers=[rw.officer, rw.officer3])
