"""The 调阅记录 reads by an indexed query: every filter is applied by the database before any limit, the page is
paginated, and the unusual patterns are found over the whole period however many entries there are."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from tests.records.test_evidence import add, case  # noqa: F401
from zhifa.ledger import actions as ledger_actions
from zhifa.ledger.models import Entry
from zhifa.org.choices import Role
from zhifa.records import access
from zhifa.records.rules import RECORDS_DEFAULTS


def _opened(person, obj, times: int, reason="查看案件"):
    """``person`` opens ``obj`` ``times`` times (the real access action, 200 to a transaction to be quick: in a real
    transaction each chunk commits; PostgreSQL keeps every version of the log's head row an open transaction wrote, and
    5,000 appends in one made each append and each read of the log walk thousands of them — 55 s instead of 8)."""
    for start in range(0, times, 200):
        with transaction.atomic():
            for _i in range(min(200, times - start)):
                ledger_actions.record_access(person, obj, reason)


@pytest.mark.django_db(transaction=True)
def test_a_case_behind_five_thousand_other_openings_keeps_its_history(cw, case, tmp_path, client):  # noqa: F811
    from zhifa.org import actions as org_actions

    other_unit = org_actions.add_unit(None, cw.a, name="公共卫生监督科")
    outsider = cw.person(cw.a, "officer_pub", "公卫执法", Role.OFFICER, unit=other_unit)
    item = add(cw, case, tmp_path)
    _opened(outsider, case, 1, "查看案件（科室以外）")
    _opened(cw.officer2, item, 1, "查看证据（早）")
    busy = cw.new_case()
    _opened(cw.officer, busy, 5001)
    assert Entry.objects.filter(action="ledger.access").count() > 5001

    rows = access.entries({cw.a.pk}, case=str(case.pk))
    reasons = {r["reason"] for r in rows}
    assert {"查看案件（科室以外）", "查看证据（早）"} <= reasons
    assert all(r["case_id"] == case.pk for r in rows)
    # the evidence item's opening is found through the item's case
    assert any(r["kind"] == "records.evidence" and r["object_id"] == str(item.pk) for r in rows)

    client.force_login(cw.supervisor)
    page = client.get(reverse("records:access_log"), {"case": str(case.pk)}).content.decode()
    assert "查看证据（早）" in page and "查看案件（科室以外）" in page
    # the page of everything: 50 rows, the count of all of them
    response = client.get(reverse("records:access_log"))
    assert (
        len(response.context["rows"]) == 50
        and response.context["total"]
        == Entry.objects.filter(action__in=access.ACCESS_ACTIONS, log_id=cw.a.pk).count()
    )
    # the outsider's one opening, older than 5,000 others, is still flagged
    flags = {(f["person"], f["what"]): f["count"] for f in access.flags({cw.a.pk})}
    assert flags[(str(outsider), "outside_unit")] == 1
    assert (str(cw.officer), "outside_unit") not in flags


def test_filters_apply_before_the_page_is_cut(cw, case, client):  # noqa: F811
    _opened(cw.reviewer, case, 1, "审核调阅")
    other = cw.new_case()
    _opened(cw.officer, other, 120)
    client.force_login(cw.supervisor)
    url = reverse("records:access_log")

    response = client.get(url, {"person": "reviewer_a"})
    assert response.context["total"] == 1 and response.context["rows"][0]["reason"] == "审核调阅"
    response = client.get(url, {"person": "甲执法"})  # part of a name
    assert response.context["total"] == 120
    response = client.get(url, {"case": str(case.pk)})
    assert [r["reason"] for r in response.context["rows"]] == ["审核调阅"]
    assert client.get(url, {"case": "abc"}).context["total"] == 0
    # dates are local days, both ends included
    today = dt.date.today()
    assert client.get(url, {"since": today.isoformat(), "until": today.isoformat()}).context["total"] >= 121
    assert client.get(url, {"since": (today + dt.timedelta(days=1)).isoformat()}).context["total"] == 0

    # pages of 50, newest first, and the page links keep the filters
    response = client.get(url, {"person": "officer_a", "page": 3})
    assert response.context["page"].number == 3 and len(response.context["rows"]) == 20
    html = response.content.decode()
    assert "person=officer_a&amp;page=2" in html
    first = client.get(url, {"person": "officer_a"}).context["rows"]
    assert [r["seq"] for r in first] == sorted((r["seq"] for r in first), reverse=True)


def test_bursts_over_the_whole_period(cw, case, tmp_path):  # noqa: F811
    item = add(cw, case, tmp_path)
    _opened(cw.officer2, item, RECORDS_DEFAULTS.access_burst_count - 1, "下载证据")
    assert not [f for f in access.flags({cw.a.pk}) if f["what"] == "burst"]
    _opened(cw.officer2, item, 1, "下载证据")
    assert {(f["person"], f["what"], f["count"]) for f in access.flags({cw.a.pk})} >= {
        (str(cw.officer2), "burst", RECORDS_DEFAULTS.access_burst_count)
    }
