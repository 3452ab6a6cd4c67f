"""Case pages and API: scoped like every other page, every action refused to the wrong person."""

import datetime as dt

from django.urls import reverse

from zhifa.cases.choices import State
from zhifa.cases.models import Case


def test_case_pages_for_handlers_and_denials(cw, login):
    case = cw.new_case()
    client = login(cw.officer)
    assert client.get(reverse("cases:list")).status_code == 200
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.reference in page and "报请立案" in page
    # another agency's officer: not found; administrators: no case pages at all
    assert login(cw.officer_b).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    for admin in (cw.sysadmin, cw.secadmin, cw.auditor):
        assert login(admin).get(reverse("cases:detail", args=[case.pk])).status_code == 404
        assert login(admin).get(reverse("cases:list")).status_code == 403
    # the supervisor reads it
    assert login(cw.supervisor).get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_action_pages_refuse_and_explain(cw, login):
    case = cw.new_case()
    url = reverse("cases:action", args=[case.pk, "approve_filing"])
    assert login(cw.officer).get(url).status_code == 403
    client = login(cw.head)
    response = client.post(url, {"opinion": "同意"})
    # not yet requested: the form is not offered in this state, and the refusal says why and what comes next
    assert response.status_code == 403 and "已受理" in response.content.decode()
    assert "报请立案" in response.content.decode()
    assert client.get(url).status_code == 403
    assert (
        login(cw.officer).post(reverse("cases:action", args=[case.pk, "request_filing"])).status_code == 302
    )
    assert login(cw.head).post(url, {"opinion": "同意立案"}).status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.INVESTIGATING


def test_accept_case_by_page_validates_officers(cw, login):
    client = login(cw.officer)
    data = {
        "party": cw.clinic.pk,
        "cause": "擅自执业",
        "source": "inspection",
        "field": cw.medical.pk,
        "unit": cw.section.pk,
        "officers": [cw.officer.pk],
        "summary": "……",
        "violation_date": (cw.clock.today - dt.timedelta(days=2)).isoformat(),
    }
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 200 and "不得少于2人" in response.content.decode()
    data["officers"] = [cw.officer.pk, cw.officer2.pk]
    assert client.post(reverse("cases:create"), data).status_code == 302


def test_opening_a_case_is_recorded(cw, login):
    from zhifa.ledger.models import Entry

    case = cw.new_case()
    login(cw.supervisor).get(reverse("cases:detail", args=[case.pk]))
    assert Entry.objects.filter(
        action="ledger.access", object_kind="cases.case", object_id=str(case.pk)
    ).exists()


def _bearer(person):
    from zhifa.org import actions as org_actions

    return {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(person, name="t")[1]}


def test_api_lists_only_own_agency_cases_and_runs_actions(cw, client):
    case = cw.new_case()
    officer = _bearer(cw.officer)
    listing = client.get("/api/v1/cases/", **officer).json()
    assert [c["reference"] for c in listing["results"]] == [case.reference]
    assert client.get("/api/v1/cases/", **_bearer(cw.officer_b)).json()["results"] == []
    assert client.get(f"/api/v1/cases/{case.pk}/", **_bearer(cw.officer_b)).status_code == 404
    assert (
        client.post(
            f"/api/v1/cases/{case.pk}/request-filing/",
            {},
            content_type="application/json",
            **_bearer(cw.officer_b),
        ).status_code
        == 404
    )
    response = client.post(
        f"/api/v1/cases/{case.pk}/approve-filing/",
        {"opinion": "x"},
        content_type="application/json",
        **_bearer(cw.head),
    )
    assert response.status_code == 400 and "已受理" in str(response.json())
    response = client.post(
        f"/api/v1/cases/{case.pk}/request-filing/", {}, content_type="application/json", **officer
    )
    assert response.status_code == 200 and response.json()["state"] == "filing_requested"
    response = client.post(
        f"/api/v1/cases/{case.pk}/approve-filing/",
        {"opinion": "同意"},
        content_type="application/json",
        **officer,
    )
    assert response.status_code == 403


def test_api_refuses_objects_of_another_agency(cw, client):
    case = cw.new_case()
    cw.investigate  # noqa: B018 — the helper exists; this test stays in intake
    response = client.post(
        f"/api/v1/cases/{case.pk}/assign-officers/",
        {"officers": [cw.officer_b.pk, cw.officer.pk]},
        content_type="application/json",
        **_bearer(cw.head),
    )
    assert response.status_code == 400


def test_api_schema_documents_case_actions(client, db):
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/cases/{id}/decide/" in schema and "作出决定" in schema


def test_case_list_filters(cw, login):
    first = cw.new_case(cause="甲案")
    cw.new_case(cause="乙案", officers=[cw.officer2, cw.officer])
    actions_ = __import__("zhifa.cases.actions", fromlist=["x"])
    actions_.request_filing(cw.officer, first)
    actions_.approve_filing(cw.head, first, opinion="同意")
    client = login(cw.head)
    assert "乙案" in client.get(reverse("cases:list"), {"officer": cw.officer2.pk}).content.decode()
    page = client.get(reverse("cases:list"), {"state": "investigating"}).content.decode()
    assert "甲案" in page and "乙案" not in page
    cw.clock.move_to(dt.date(2026, 8, 25))
    client = login(cw.head)  # a new session: the old one timed out while the clock moved
    page = client.get(reverse("cases:list"), {"due": "soon"}).content.decode()
    assert "甲案" in page and "乙案" not in page  # due 2026-08-30
    assert "甲案" not in client.get(reverse("cases:list"), {"due": "overdue"}).content.decode()


def test_unknown_items_and_complaints_are_refused(cw):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="执法事项清单中没有"):
        cw.new_case(items=["NO-SUCH-ITEM"])
    with pytest.raises(ValidationError, match="受理编号"):
        cw.new_case(source="complaint", complaint_receipt="X-404")
