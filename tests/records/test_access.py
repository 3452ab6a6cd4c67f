"""Access supervision (调阅): who opened what, filters, and the unusual patterns flagged for supervisors."""

import datetime as dt

from django.urls import reverse

from tests.records.test_evidence import add, case  # noqa: F401
from zhifa.org.choices import Role
from zhifa.records import access
from zhifa.records.rules import RECORDS_DEFAULTS


def test_outside_unit_and_bursts_are_flagged(cw, case, tmp_path, client):  # noqa: F811
    from zhifa.org import actions as org_actions

    other_unit = org_actions.add_unit(None, cw.a, name="公共卫生监督科")
    outsider = cw.person(cw.a, "officer_pub", "公卫执法", Role.OFFICER, unit=other_unit)
    client.force_login(outsider)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    item = add(cw, case, tmp_path)
    client.force_login(cw.officer)
    for _i in range(RECORDS_DEFAULTS.access_burst_count):
        client.get(reverse("records:evidence_file", args=[item.pk]) + "?download=1")
    flags = {(f["person"], f["what"]) for f in access.flags({cw.a.pk})}
    assert (str(outsider), "outside_unit") in flags
    assert (str(cw.officer), "burst") in flags
    assert (str(cw.officer), "outside_unit") not in flags


def test_filters(cw, case, client):  # noqa: F811
    client.force_login(cw.reviewer)
    client.get(reverse("cases:detail", args=[case.pk]))
    client.force_login(cw.officer)
    client.get(reverse("cases:detail", args=[case.pk]))
    rows = access.entries({cw.a.pk}, person="reviewer_a")
    assert rows and {str(r["actor"]) for r in rows} == {str(cw.reviewer)}
    assert all(r["case_id"] == case.pk for r in access.entries({cw.a.pk}, case=str(case.pk)))
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    assert access.entries({cw.a.pk}, since=tomorrow) == []
    client.force_login(cw.supervisor)
    page = client.get(reverse("records:access_log"), {"person": "officer_a"}).content.decode()
    assert str(cw.officer) in page
