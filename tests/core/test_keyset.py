"""Keyset pagination (zhifa.core.keyset), which every list that only grows is cut by: walking the 下一页 links from
the first page shows every row once, in the list's order, whatever the ties; walking the 上一页 links back shows
the same pages; a cursor edited by hand shows the first page."""

import datetime as dt
import os

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.core import keyset
from zhifa.ledger.tracking import unrecorded_writes
from zhifa.org.models import AuthEvent

EXAMPLES = int(os.environ.get("ZHIFA_KEYSET_EXAMPLES", "60"))
T0 = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0, 0, 123456))

ORDERS = {
    "time, id": keyset.by_id("at", keyset.TIME),
    "time, agency, id": [("at", keyset.TIME), ("agency_id", keyset.ID), ("pk", keyset.ID)],
}


def _walk(qs, order, descending, size, narrow):
    pages, after = [], ""
    while True:
        page = keyset.page(qs, order, descending=descending, after=after, size=size, narrow=narrow)
        pages.append(page)
        if not page.has_next:
            return pages
        after = page.next_cursor


@pytest.mark.django_db
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1)), max_size=24),
    size=st.integers(1, 6),
    descending=st.booleans(),
    name=st.sampled_from(sorted(ORDERS)),
    narrow=st.booleans(),
)
def test_the_links_walk_every_row_once_in_order(world, rows, size, descending, name, narrow):
    order = ORDERS[name]
    agencies = [world.a.pk, world.b.pk]
    with transaction.atomic():
        with unrecorded_writes():  # rows to page through, not an action under test
            for minute, agency in rows:
                AuthEvent.objects.create(
                    kind="login",
                    username="u",
                    agency_id=agencies[agency],
                    at=T0 + dt.timedelta(minutes=minute),
                )
        qs = AuthEvent.objects.filter(username="u")
        fields = [f for f, _parse in order]
        expected = list(
            qs.order_by(*[f"-{f}" if descending else f for f in fields]).values_list("pk", flat=True)
        )

        pages = _walk(qs, order, descending, size, narrow)
        assert [row.pk for page in pages for row in page] == expected
        assert all(len(page) == size for page in pages[:-1])
        assert pages[0].first and not pages[0].has_previous
        assert all(page.has_previous and not page.first for page in pages[1:])
        # back from the last page by 上一页: the same pages
        for earlier, later in zip(pages[-2::-1], pages[:0:-1], strict=True):
            back = keyset.page(qs, order, descending=descending, before=later.previous_cursor, size=size)
            assert [row.pk for row in back] == [row.pk for row in earlier]
        transaction.set_rollback(True)


def _events(n: int):
    with unrecorded_writes():  # rows to page through, not an action under test
        for minute in range(n):
            AuthEvent.objects.create(kind="login", username="u", at=T0 + dt.timedelta(minutes=minute))
    return AuthEvent.objects.filter(username="u")


@pytest.mark.django_db
def test_an_edited_cursor_shows_the_first_page(world):
    qs = _events(5)
    order = keyset.by_id("at", keyset.TIME)
    first = [row.pk for row in keyset.page(qs, order, descending=True, size=2)]
    for bad in (
        "",
        "x",
        "2026-03-02_1",
        "2026-13-02T00:00:00_1",
        "2026-03-02T09:00:00_-1",
        "_".join(["1"] * 3),
        "9" * 30,
    ):
        for direction in ("after", "before"):
            page = keyset.page(qs, order, descending=True, size=2, **{direction: bad})
            assert [row.pk for row in page] == first and page.first


@pytest.mark.django_db
def test_the_count_is_capped(world):
    qs = _events(7)
    assert keyset.capped_count(qs, 10) == (7, False)
    assert keyset.capped_count(qs, 7) == (7, False)
    assert keyset.capped_count(qs, 6) == (6, True)
