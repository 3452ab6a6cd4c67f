"""GET /api/v1/cases/ by cursor (issue 14, "a million cases"): newest accepted first, then the higher id; no COUNT and
no OFFSET, so a page costs the same few queries however many cases there are and however deep it is; the cursor is
opaque, a tampered one is refused; the web list's filters work through the same function."""

from __future__ import annotations

import base64
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.cases import actions
from zhifa.cases.api import CasePagination
from zhifa.cases.choices import IdType, PartyKind, Source
from zhifa.cases.models import Case
from zhifa.core import api as core_api
from zhifa.org import actions as org_actions
from zhifa.org.choices import Role

URL = "/api/v1/cases/"
# Queries of one page: the session, the user, the user's roles, the page's ids, its rows, their officers, and the
# session's save (three statements); the same with 1 case and with many, on the first page and on a deep one.
PAGE_BUDGET = 9


def _signed(text: bytes) -> str:
    """A cursor carrying ``text`` with the site's true mark: what is refused then is the position itself."""
    plain = text.decode()
    return base64.urlsafe_b64encode(f"{plain}.{CasePagination._mark(plain)}".encode()).decode().rstrip("=")


def _dates(cw, n: int, start: int = 0) -> list[dt.date]:
    """Acceptance dates for n cases, three to a day (ties the id must break), going back from today."""
    return [cw.clock.today - dt.timedelta(days=(start + i) // 3) for i in range(n)]


def _cases(cw, n: int, *, start: int = 0, **kw) -> list[Case]:
    return [cw.new_case(accepted_on=day, **kw) for day in _dates(cw, n, start)]


def _agency_b_cases(cw, n: int) -> list[Case]:
    """Cases of the other agency (乙), accepted by its own officers."""
    unit = org_actions.add_unit(None, cw.b, name="乙区监督科")
    second = cw.person(cw.b, "officer_b2", "乙执法二", Role.OFFICER, unit=unit)
    org_actions.issue_certificate(
        None,
        second,
        number="CERT-B002",
        field_codes=["medical"],
        issuer="乙区人民政府",
        valid_from=cw.clock.today - dt.timedelta(days=365),
        valid_to=cw.clock.today + dt.timedelta(days=365),
    )
    party = actions.register_party(
        cw.officer_b,
        cw.b,
        kind=PartyKind.NATURAL,
        name="王五",
        id_type=IdType.RESIDENT_ID,
        id_number="110105194912310038",
        address="乙区平安街3号",
    )
    return [
        actions.accept_case(
            cw.officer_b,
            party=party,
            cause="未取得《医疗机构执业许可证》擅自执业",
            source=Source.INSPECTION,
            field=cw.medical,
            unit=unit,
            officers=[cw.officer_b, second],
            summary="监督检查发现。",
            violation_date=cw.clock.today - dt.timedelta(days=30),
            accepted_on=day,
        )
        for day in _dates(cw, n)
    ]


def _path(link: str | None) -> str | None:
    """A next/previous link as the test client's path (the links are absolute)."""
    if link is None:
        return None
    parts = urlsplit(link)
    assert parts.netloc == "testserver"
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _walk(client, url: str) -> list[tuple[str, list[int], str | None]]:
    """Every page from ``url`` on, following ``next``: (its path, its case ids, its previous link)."""
    pages, path = [], url
    while path is not None:
        response = client.get(path)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        assert set(body) == {"next", "previous", "results"}  # no count
        pages.append((path, [c["id"] for c in body["results"]], _path(body["previous"])))
        path = _path(body["next"])
    return pages


def _expected(**filters) -> list[int]:
    return list(Case.objects.filter(**filters).order_by("-accepted_on", "-id").values_list("pk", flat=True))


def test_every_readable_case_once_in_order_forward_and_back(cw, login):
    _cases(cw, 10)
    other_party = cw.new_case(party=cw.person_party, accepted_on=cw.clock.today - dt.timedelta(days=1))
    b_cases = _agency_b_cases(cw, 4)
    client = login(cw.officer)
    expected = _expected(agency=cw.a)
    assert len(expected) == 11 and other_party.pk in expected

    pages = _walk(client, f"{URL}?limit=4")
    assert [ids for _p, ids, _prev in pages] == [expected[0:4], expected[4:8], expected[8:11]]
    assert pages[0][2] is None  # the first page has no previous
    for path, _ids, _prev in pages[1:]:
        assert parse_qs(urlsplit(path).query)["limit"] == ["4"]  # the links keep the other parameters

    # back from the last page by ``previous``: the same pages in reverse, down to a first page without one
    path = pages[-1][2]
    for _p, ids, _prev in reversed(pages[:-1]):
        body = client.get(path).json()
        assert [c["id"] for c in body["results"]] == ids
        path = _path(body["previous"])
    assert path is None
    # forward again from a page reached going back: the next link leads on without a gap or a repeat
    body = client.get(pages[1][2]).json()  # page 1, reached by page 2's previous link
    assert _path(body["next"]) is not None
    assert [c["id"] for c in client.get(_path(body["next"])).json()["results"]] == pages[1][1]

    # the other agency's officer sees only its cases, and never these
    login(cw.officer_b)
    b_pages = _walk(client, f"{URL}?limit=3")
    assert [i for _p, ids, _prev in b_pages for i in ids] == _expected(agency=cw.b)
    assert sorted(_expected(agency=cw.b)) == sorted(c.pk for c in b_cases)
    assert not {i for _p, ids, _prev in b_pages for i in ids} & set(expected)


def test_filters_work_through_the_cursor(cw, login):
    cases = _cases(cw, 7)
    clinic = [c.pk for c in cases]
    cw.new_case(party=cw.person_party)
    actions.request_filing(cw.officer, cases[0])
    client = login(cw.officer)

    # q (the party's name) kept in every link; 张三's case never appears
    pages = _walk(client, f"{URL}?limit=3&q=%E5%BA%B7%E5%AE%81")  # 康宁
    ids = [i for _p, page, _prev in pages for i in page]
    assert sorted(ids) == sorted(clinic) and len(pages) == 3
    assert ids == [pk for pk in _expected(agency=cw.a) if pk in ids]
    assert all("q=" in path for path, _ids, _prev in pages)

    # state
    body = client.get(URL, {"state": "filing_requested"}).json()
    assert [c["id"] for c in body["results"]] == [cases[0].pk] and body["next"] is None
    # officer: every case here has officer2, none officer_b
    assert len(client.get(URL, {"officer": cw.officer2.pk}).json()["results"]) == 8
    assert client.get(URL, {"officer": cw.officer_b.pk}).json()["results"] == []
    # mine: true filters (the head handles none), false does not
    assert len(client.get(URL, {"mine": "true"}).json()["results"]) == 8
    login(cw.head)
    assert client.get(URL, {"mine": "true"}).json()["results"] == []
    assert len(client.get(URL, {"mine": "false"}).json()["results"]) == 8

    # a filter value that is not one is refused, not ignored
    for bad in ({"state": "no_such_state"}, {"due": "later"}, {"officer": str(2**70)}, {"officer": "x"}):
        response = client.get(URL, bad)
        assert response.status_code == 400, bad
        assert set(response.json()) == set(bad)


def _captured(client, path: str, **headers) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def test_a_page_costs_the_same_queries_whatever_the_cases_and_counts_nothing(cw, login):
    cw.new_case()
    client = login(cw.officer)
    client.get(URL)  # caches warm
    measured = {"first page, 1 case": _captured(client, f"{URL}?limit=5")}
    _cases(cw, 32, start=1)
    first = client.get(f"{URL}?limit=5").json()
    second = _path(first["next"])
    deep = _path(client.get(second).json()["next"])  # the third page
    back = _path(client.get(deep).json()["previous"])
    measured.update(
        {
            "first page, 33 cases": _captured(client, f"{URL}?limit=5"),
            "third page": _captured(client, deep),
            "back to the second": _captured(client, back),
            "a filter and a page": _captured(client, f"{URL}?limit=5&state=intake&q=%E8%AF%8A%E6%89%80"),
            "500 to a page": _captured(client, f"{URL}?limit=500"),
        }
    )
    # back to the top from a page that does not start on a multiple of the limit: the few rows before it are read,
    # then the full first page (a fixed cost too)
    odd = _path(client.get(f"{URL}?limit=3").json()["next"])
    odd = _path(client.get(odd.replace("limit=3", "limit=5")).json()["previous"])
    top = _captured(client, odd)
    assert [c["id"] for c in client.get(odd).json()["results"]] == _expected(agency=cw.a)[:5]
    for name, (count, sql) in {**measured, "back to the top": top}.items():
        assert count <= PAGE_BUDGET + (3 if name == "back to the top" else 0), (name, count, "\n".join(sql))
        assert not [q for q in sql if "COUNT(" in q.upper()], name
        assert not [q for q in sql if " OFFSET " in q.upper()], name
    counts = {count for count, _sql in measured.values()}
    assert len(counts) == 1, {name: count for name, (count, _sql) in measured.items()}

    # the same through a personal token (the way scripts call it)
    client.logout()
    token = {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(cw.officer, name="t")[1]}
    client.get(URL, **token)
    count, sql = _captured(client, deep, **token)
    assert count <= PAGE_BUDGET, "\n".join(sql)


@pytest.mark.parametrize(
    "cursor",
    [
        "x",  # not base64 of a position
        "!!!!",  # not base64 at all
        base64.urlsafe_b64encode(b"n2026-06-01_5").decode().rstrip("="),  # a real position without its mark
        base64.urlsafe_b64encode(b"n2026-06-01_5.00000000").decode().rstrip("="),  # with a made-up mark
        _signed(b"n2026-13-01_5"),  # no such date
        _signed(b"n2026-06-01_abc"),  # no id
        _signed(b"x2026-06-01_5"),  # no direction
        _signed(b"n2026-06-01_0"),  # id out of range
        _signed(f"n2026-06-01_{2**63}".encode()),
        _signed(b"n20260601_5"),  # another spelling of the date
        _signed(b"n2026-06-01_05"),  # another spelling of the id
        "A" * 201,
    ],
)
def test_a_tampered_cursor_is_refused_in_chinese(cw, login, cursor):
    _cases(cw, 3)
    client = login(cw.officer)
    response = client.get(URL, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json() == {"cursor": ["分页游标（cursor）无效：请去掉 cursor，从第一页重新开始。"]}


def test_a_cut_or_edited_real_cursor_is_refused_and_an_empty_one_is_the_first_page(cw, login):
    _cases(cw, 5)
    client = login(cw.officer)
    first = client.get(URL, {"limit": 2}).json()
    cursor = parse_qs(urlsplit(first["next"]).query)["cursor"][0]
    assert client.get(URL, {"limit": 2, "cursor": cursor}).status_code == 200
    for bad in (cursor[:-1], cursor[:-2], cursor + "A", cursor[1:]):
        assert client.get(URL, {"limit": 2, "cursor": bad}).status_code == 400, bad
    assert client.get(URL, {"limit": 2, "cursor": ""}).json() == first
    # a well-formed position past the end (its rows deleted meanwhile): an empty page that leads back to the first
    past = _signed(b"n1900-01-01_1")
    body = client.get(URL, {"limit": 2, "cursor": past}).json()
    assert body["results"] == [] and body["next"] is None
    assert client.get(_path(body["previous"])).json() == first


def test_limit_is_capped_and_bad_values_fall_back(cw, login, monkeypatch):
    _cases(cw, 6)
    client = login(cw.officer)
    monkeypatch.setattr(CasePagination, "max_limit", 4)  # the cap itself, without 501 cases
    body = client.get(URL, {"limit": 10**9}).json()
    assert len(body["results"]) == 4 and body["next"] is not None
    monkeypatch.undo()
    for limit in ("abc", "-1", "0", str(2**70)):
        assert len(client.get(URL, {"limit": limit}).json()["results"]) == 6, limit

    def page(query):
        from django.test import RequestFactory
        from rest_framework.request import Request

        return Request(RequestFactory().get(f"{URL}?{query}"))

    pagination = CasePagination()
    assert pagination.get_limit(page(f"limit={10**9}")) == core_api.MAX_LIMIT == 500
    assert pagination.get_limit(page("limit=20")) == 20
    assert pagination.get_limit(page("")) == pagination.default_limit == 50


def test_the_schema_describes_the_cursor_page(cw, login):
    schema = login(cw.officer).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/cases/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"cursor", "limit", "q", "state", "mine", "officer", "item", "due"} <= names
    assert "offset" not in names
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    page = schema["components"]["schemas"][ref]
    assert set(page["properties"]) == {"next", "previous", "results"}
