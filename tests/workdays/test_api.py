"""The REST API: arithmetic with the estimated flag, the calendar, kinds, deadlines scoped by agency."""

import datetime as dt

from rest_framework.test import APIClient

from zhifa.workdays import actions

D = dt.date


def api(person=None) -> APIClient:
    client = APIClient()
    if person is not None:
        client.force_authenticate(person)
    return client


def test_needs_login(db):
    assert api().get("/api/v1/calendar/add/?date=2026-09-30&n=3").status_code in (401, 403)


def test_add_and_between(world):
    client = api(world.officer)
    assert client.get("/api/v1/calendar/add/?date=2026-09-30&n=3").json() == {
        "date": "2026-10-10",
        "estimated": False,
    }
    assert client.get("/api/v1/calendar/add/?date=2026-12-31&n=1").json() == {
        "date": "2027-01-04",
        "estimated": True,
    }
    assert client.get("/api/v1/calendar/between/?start=2026-09-30&end=2026-10-10").json() == {
        "count": 3,
        "estimated": False,
    }
    bad = client.get("/api/v1/calendar/add/?date=2026-02-30&n=3")
    assert bad.status_code == 400
    far = client.get("/api/v1/calendar/add/?date=1990-01-01&n=3")
    assert far.status_code == 400 and "超出工作日历范围" in far.content.decode()


def test_year(world):
    client = api(world.officer)
    y2026 = client.get("/api/v1/calendar/2026/").json()
    assert (y2026["confirmed"], y2026["estimated"], y2026["source"]) == (True, False, "chinesecalendar")
    assert {"date": "2026-10-10", "kind": "workday", "name": "国庆节"} in y2026["days"]
    y2027 = client.get("/api/v1/calendar/2027/").json()
    assert (y2027["estimated"], y2027["source"]) == (True, "estimate")
    assert 2026 in [y["year"] for y in client.get("/api/v1/calendar/").json()]


def test_kinds_and_due(world):
    client = api(world.officer)
    kinds = client.get("/api/v1/deadline-kinds/").json()
    assert {"service", "hearing_notice", "limitation_health"} <= {k["code"] for k in kinds}
    assert client.get("/api/v1/deadline-kinds/service/due/?start=2026-02-12").json() == {
        "date": "2026-02-28",
        "estimated": False,
    }
    from zhifa.workdays.models import DeadlineKind

    actions.set_agency_deadline(
        world.sysadmin, world.a, DeadlineKind.objects.get(code="legal_review"), length=10
    )
    due = client.get(f"/api/v1/deadline-kinds/legal_review/due/?start=2026-09-30&agency={world.a.pk}").json()
    assert due == {"date": "2026-10-20", "estimated": False}


def test_deadlines_scoped_and_changed_through_actions(world):
    d = actions.open_deadline(
        world.officer, agency=world.a, kind="seizure", target=world.section, start=D(2026, 8, 1)
    )
    assert api(world.officer_b).get("/api/v1/deadlines/").json()["count"] == 0
    assert api(world.officer_b).get(f"/api/v1/deadlines/{d.pk}/").status_code == 404
    row = api(world.supervisor).get(f"/api/v1/deadlines/{d.pk}/").json()
    assert row["due"] == "2026-08-31" and row["kind"] == "seizure" and row["state"] in {"open", "overdue"}
    denied = api(world.supervisor).post(
        f"/api/v1/deadlines/{d.pk}/extend/", {"reason": "复杂", "approver": world.head.pk}, format="json"
    )
    assert denied.status_code == 403
    bad = api(world.officer).post(
        f"/api/v1/deadlines/{d.pk}/extend/", {"reason": "复杂", "approver": world.officer2.pk}, format="json"
    )
    assert bad.status_code == 400 and "负责人" in bad.content.decode()
    ok = api(world.officer).post(
        f"/api/v1/deadlines/{d.pk}/extend/", {"reason": "情况复杂", "approver": world.head.pk}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["due"] == "2026-09-30" and ok.json()["extensions"] == 1
