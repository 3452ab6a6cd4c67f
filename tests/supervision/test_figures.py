"""执法统计: the summary table counts each measure by month, unit, item and officer; the rates; every number's
drill-down lists exactly the cases it counts; the page, its exports and who may see what."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.supervision import figures
from zhifa.supervision.models import Tally


def test_each_measure_is_counted_by_month_and_the_rates_follow(counted):
    w = counted
    total = figures.totals([w.a.pk], w.start, w.end)[(w.a.pk, "")]
    assert total["decided"] == 2 and total["penalties"] == 1 and total["corrected"] == 1
    assert total["fines"] == 1200050  # in fen
    assert total["pub_due"] == 3 and total["pub_on_time"] == 1  # the withheld one is not due to be published
    assert (
        total["complaints"] == 3 and total["complaints_on_time"] == 1
    )  # (the late one came the quarter before)
    assert total["remedies"] == 1 and total["remedies_changed"] == 1  # the 复议 annulled it
    shown = figures.shown(total)
    assert shown["fines"] == Decimal("12000.50")
    assert shown["correction_rate"] == 50.0 and shown["pub_on_time_rate"] == pytest.approx(33.3)
    by_month = figures.monthly([w.a.pk], w.start, w.end, ["decided"])
    assert by_month == {w.start: {"decided": 2}}
    # by unit, item and officer
    units = figures.totals([w.a.pk], w.start, w.end, figures.UNIT)
    assert units[(w.a.pk, str(w.section.pk))]["decided"] == 2
    officers = figures.totals([w.a.pk], w.start, w.end, figures.OFFICER)
    assert officers[(w.a.pk, str(w.officer.pk))]["decided"] == 2
    # counted again, the same rows (nothing doubled)
    before = Tally.objects.count()
    figures.build(w.a, w.start, w.end)
    assert Tally.objects.count() == before


def test_every_number_drills_down_to_exactly_the_cases_it_counts(counted):
    w = counted
    for dimension in (figures.ALL, figures.UNIT, figures.ITEM, figures.OFFICER):
        for (agency, member), values in figures.totals([w.a.pk], w.start, w.end, dimension).items():
            for key, value in values.items():
                measure = figures.MEASURES[key]
                if not measure.drill or dimension not in measure.dims:
                    continue
                cases = figures.cases_for([agency], key, w.start, w.end, dimension, member)
                expected = 1 if measure.money else value  # the fined case, for the amount
                assert len(list(cases)) == expected, (dimension, member, key)


# Queries of one GET (session, user, roles included), whatever the number of cases: the figures come from the summary.
BUDGET = 12  # the page of rows, their sums, the most overdue, names, the monthly series, the count time


def test_the_page_its_exports_and_who_sees_what(counted, client, login):
    w = counted
    url = reverse("supervision:figures")
    login(w.officer)
    assert client.get(url).status_code == 403
    login(w.supervisor)
    query = {"first": f"{w.start:%Y-%m}", "last": f"{w.end:%Y-%m}", "dimension": "unit"}
    client.get(url, query)  # (the first request after logging in also saves the session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query)
    assert response.status_code == 200 and len(ctx.captured_queries) <= BUDGET, [
        q["sql"][:90] for q in ctx.captured_queries
    ]
    page = response.content.decode()
    assert w.section.name in page and 'id="stat-data"' in page
    drill = reverse("supervision:figure_cases")
    link = next(
        part.split('"')[0].replace("&amp;", "&")
        for part in page.split('href="')[1:]
        if part.startswith(drill)
    )
    listed = client.get(link)
    assert listed.status_code == 200 and w.decided[0].reference in listed.content.decode()
    # bad input: an error on the form, the default period shown
    response = client.get(url, {"first": "2026-13", "last": "x", "dimension": "unit"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.get(url, {**query, "first": f"{w.end:%Y-%m}", "last": f"{w.start:%Y-%m}"})
    assert "结束月份不能早于开始月份" in response.content.decode()
    # exports: the same table
    data = client.get(url, {**query, "dimension": "all", "format": "csv"})
    rows = list(csv.reader(io.StringIO(data.content.decode("utf-8-sig"))))
    assert rows[0][0] == "名称" and rows[1][0] == w.a.name and rows[1][rows[0].index("作出决定")] == "2"
    book = load_workbook(io.BytesIO(client.get(url, {**query, "format": "xlsx"}).content))
    sheet = book.active
    assert sheet.cell(1, 1).value == "名称" and sheet.max_row == 2
    # a supervisor of another agency sees none of A: asking for A changes nothing, its drill-down is not found
    from zhifa.org import actions as org
    from zhifa.org.choices import Role

    other = w.person(w.justice, "sup_other", "乙监督")
    org.grant_role(None, other, Role.SUPERVISOR, w.b)
    login(other)
    page = client.get(url, {**query, "agencies": [w.a.pk]}).content.decode()
    assert w.section.name not in page
    assert client.get(link).status_code == 404
    # a head sees their own agency
    login(w.head)
    assert w.section.name in client.get(url, query).content.decode()


def test_the_table_comes_a_page_at_a_time_and_the_exports_have_every_row(counted, client, login, monkeypatch):
    from zhifa.supervision import views

    w = counted
    monkeypatch.setattr(views, "FIGURE_PAGE_ROWS", 1)
    login(w.supervisor)
    url = reverse("supervision:figures")
    query = {"first": f"{w.start:%Y-%m}", "last": f"{w.end:%Y-%m}", "dimension": "officer"}
    officers = figures.totals([w.a.pk], w.start, w.end, figures.OFFICER)
    assert len(officers) >= 2
    first = client.get(url, query)
    cursor = first.context["page"].next_cursor
    second = client.get(url, {**query, "after": cursor})
    table = lambda page: page.content.decode().split("统计表")[1].split("<tbody>")[1].split("</tbody>")[0]  # noqa: E731
    assert table(first).count("<tr>") == 1 and table(second).count("<tr>") == 1
    assert table(first) != table(second) and f"after={cursor.replace(':', '%3A')}" in first.content.decode()
    # the pages in turn hold every row once, in (agency, member) order; back from the second is the first
    seen, page = [], first
    while True:
        seen += [(r["agency"], r["member"]) for r in page.context["rows"]]
        if not page.context["page"].has_next:
            break
        page = client.get(url, {**query, "after": page.context["page"].next_cursor})
    assert seen == sorted(officers)
    back = client.get(url, {**query, "before": second.context["page"].previous_cursor})
    assert table(back) == table(first)
    assert client.get(url, {**query, "after": "x:y"}).status_code == 200  # a tampered link: the first page
    rows = list(
        csv.reader(io.StringIO(client.get(url, {**query, "format": "csv"}).content.decode("utf-8-sig")))
    )
    assert len(rows) == len(officers) + 1
