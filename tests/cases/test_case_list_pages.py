"""The case list's pages (issue 14 item 3): cut by keyset (?after=/?before=), newest first, with the filters kept
in the links, every case on exactly one page, the same pages forward and back."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from zhifa.cases import views
from zhifa.cases.models import Case


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "CASE_PAGE_SIZE", 4)


def references(html: str) -> list[str]:
    return re.findall(r'<td><a href="/cases/\d+/">([^<]+)</a></td>', html)


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a href="\?([^"]*)" rel="{rel}">', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_pages_forward_and_back_keep_the_filters(cw, login, small_pages):
    url = reverse("cases:list")
    # ten cases of one party, some on the same day (the id breaks the tie), and one of another party
    for i in range(10):
        cw.new_case()
        if i % 3 == 2:
            cw.clock.move_to(cw.clock.today + dt.timedelta(days=1))
    other = cw.new_case(party=cw.person_party)
    client = login(cw.officer)  # after the clock has moved (an idle session would have expired)
    expected = list(
        Case.objects.filter(agency=cw.a)
        .exclude(pk=other.pk)
        .order_by("-accepted_on", "-id")
        .values_list("reference", flat=True)
    )

    seen, pages = [], []
    query = "q=%E5%BA%B7%E5%AE%81"  # 康宁 (the clinic's name): the filter every link must keep
    while query is not None:
        html = client.get(f"{url}?{query}").content.decode()
        pages.append((query, references(html)))
        seen += references(html)
        query = link(html, "next")
        if query is not None:
            assert "q=%E5%BA%B7%E5%AE%81" in query and "after=" in query
    assert seen == expected  # each case once, newest first, the other party's never
    assert [len(refs) for _q, refs in pages] == [4, 4, 2]

    # back from the last page: the same pages in reverse order, the first one has no 上一页
    html = client.get(f"{url}?{pages[-1][0]}").content.decode()
    for _query, refs in reversed(pages[:-1]):
        back = link(html, "prev")
        assert back is not None and "q=%E5%BA%B7%E5%AE%81" in back and "before=" in back
        html = client.get(f"{url}?{back}").content.decode()
        assert references(html) == refs
    assert link(html, "prev") is None


def test_a_tampered_cursor_shows_the_first_page(cw, login, small_pages):
    client = login(cw.officer)
    for _i in range(5):
        cw.new_case()
    first = references(client.get(reverse("cases:list")).content.decode())
    for bad in ("x", "2026-13-01_5", "_", "2026-06-01_x"):
        response = client.get(reverse("cases:list"), {"after": bad})
        assert response.status_code == 200
        assert references(response.content.decode()) == first


def test_too_many_officers_to_list_makes_the_filter_a_name(cw, login, monkeypatch):
    from zhifa.cases import queries

    case = cw.new_case()
    client = login(cw.supervisor)
    html = client.get(reverse("cases:list")).content.decode()
    assert '<select name="officer"' in html and 'name="officer_name"' not in html
    monkeypatch.setattr(queries, "OFFICER_CHOICES_MAX", 1)  # the agency has two officers
    html = client.get(reverse("cases:list")).content.decode()
    assert '<select name="officer"' not in html and 'name="officer_name"' in html
    found = references(client.get(reverse("cases:list"), {"officer_name": "甲执法二"}).content.decode())
    assert found == [case.reference]
    assert references(client.get(reverse("cases:list"), {"officer_name": "乙执法"}).content.decode()) == []


def _file(cw, case):
    from zhifa.cases import actions

    actions.request_filing(cw.officer, case)
    actions.approve_filing(cw.head, case, opinion="同意")


def _overdue_order(cw):
    """The open decision deadlines already past, earliest first, as the references of their cases."""
    from django.contrib.contenttypes.models import ContentType

    from zhifa.workdays.models import Deadline

    found = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        kind__code="decision",
        met_on__isnull=True,
        ended_on__isnull=True,
        due__lt=cw.clock.today,
    ).order_by("due", "id")
    refs = dict(Case.objects.values_list("pk", "reference"))
    return [refs[d.object_id] for d in found]


@pytest.mark.parametrize("size", [1, 2, 4])
def test_due_filters_list_the_earliest_due_first_on_pages_from_the_deadlines(cw, login, monkeypatch, size):
    """已超期 / 15日内到期: read from the open decision deadlines in due order; each case once, forward and back;
    with a filter that keeps few of them (one party's, or none) the pages come from the database's join instead."""
    monkeypatch.setattr(views, "CASE_PAGE_SIZE", size)
    zhang = []
    for i in range(9):
        case = cw.new_case() if i % 3 else cw.new_case(party=cw.person_party)
        _file(cw, case)
        if not i % 3:
            zhang.append(case.reference)
        cw.clock.move_to(cw.clock.today + dt.timedelta(days=1 + i % 2))
    unfiled = cw.new_case()  # accepted, not filed: no decision deadline
    cw.clock.move_to(cw.clock.today + dt.timedelta(days=200))
    expected = _overdue_order(cw)
    assert len(expected) == 9 and unfiled.reference not in expected

    client = login(cw.head)
    url = reverse("cases:list")
    for query, want in (("due=overdue", expected), ("due=overdue&mine=1", [])):
        seen, pages, q = [], [], query
        while q is not None:
            html = client.get(f"{url}?{q}").content.decode()
            pages.append((q, references(html)))
            seen += references(html)
            q = link(html, "next")
        assert seen == want
        html = client.get(f"{url}?{pages[-1][0]}").content.decode()
        for _q, refs in reversed(pages[:-1]):
            html = client.get(f"{url}?{link(html, 'prev')}").content.decode()
            assert references(html) == refs
    # one party's cases: a third of the overdue ones, so the page is found by the database's join
    seen, q = [], "due=overdue&q=%E5%BC%A0%E4%B8%89"  # 张三
    while q is not None:
        html = client.get(f"{url}?{q}").content.decode()
        seen += references(html)
        q = link(html, "next")
    assert seen == [ref for ref in expected if ref in zhang]
    assert references(client.get(url, {"due": "soon"}).content.decode()) == expected[:size]
