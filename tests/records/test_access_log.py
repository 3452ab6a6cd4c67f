"""The 调阅记录 reads by an indexed query: every filter is applied by the database before any limit, the page is
paginated, and the unusual patterns are found over the whole period however many entries there are."""

import datetime as dt
from urllib.parse import quote

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

    # pages of 50, newest first, cut by keyset: 下一页 twice reaches the last 20, 上一页 comes back; the links keep
    # the filters
    first = client.get(url, {"person": "officer_a"})
    assert [r["seq"] for r in first.context["rows"]] == sorted(
        (r["seq"] for r in first.context["rows"]), reverse=True
    )
    assert len(first.context["rows"]) == 50 and 'rel="prev"' not in first.content.decode()
    second = client.get(url, {"person": "officer_a", "after": first.context["page"].next_cursor})
    third = client.get(url, {"person": "officer_a", "after": second.context["page"].next_cursor})
    shown = [r["seq"] for page in (first, second, third) for r in page.context["rows"]]
    assert len(third.context["rows"]) == 20 and not third.context["page"].has_next
    assert shown == sorted(set(shown), reverse=True) and len(shown) == 120
    html = third.content.decode()
    assert f"person=officer_a&amp;before={quote(third.context['page'].previous_cursor)}" in html
    back = client.get(url, {"person": "officer_a", "before": third.context["page"].previous_cursor})
    assert [r["seq"] for r in back.context["rows"]] == [r["seq"] for r in second.context["rows"]]
    # a cursor edited by hand shows the first page; nothing fails
    assert client.get(url, {"person": "officer_a", "after": "x_1_2"}).context["rows"] == first.context["rows"]


def test_bursts_over_the_whole_period(cw, case, tmp_path):  # noqa: F811
    item = add(cw, case, tmp_path)
    _opened(cw.officer2, item, RECORDS_DEFAULTS.access_burst_count - 1, "下载证据")
    assert not [f for f in access.flags({cw.a.pk}) if f["what"] == "burst"]
    _opened(cw.officer2, item, 1, "下载证据")
    assert {(f["person"], f["what"], f["count"]) for f in access.flags({cw.a.pk})} >= {
        (str(cw.officer2), "burst", RECORDS_DEFAULTS.access_burst_count)
    }


def test_the_count_stops_at_its_cap(cw, case, client, monkeypatch):  # noqa: F811
    """A list that only grows is counted up to a cap ("超过 N 条"), never row by row to its end."""
    from zhifa.records import evidence_views

    _opened(cw.officer, case, 12)
    client.force_login(cw.supervisor)
    url = reverse("records:access_log")
    assert "共 12 条" in client.get(url).content.decode()
    monkeypatch.setattr(evidence_views, "COUNT_CAP", 10)
    response = client.get(url)
    assert response.context["total"] == 10 and response.context["more"]
    assert "超过 10 条" in response.content.decode()
