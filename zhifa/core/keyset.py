"""Keyset pagination: a long list is cut by where its last row stands, not by an offset.

Page 400 of an agency's 50,000 cases, or of a busy case's 20,000 openings, costs what page 1 costs (an index range,
``LIMIT size + 1``), where ``OFFSET 20,000`` reads and drops 20,000 rows first. A list is ordered by a tuple of fields
(a date or time, then what makes the order total: the id, or a ledger entry's log and sequence number), all
descending or all ascending; a cursor is the tuple's values of one row, as text joined by ``_``.

Used by the case lists (``cases.queries``), the API's cursor pagination (``core.api.KeysetPagination``), the access
log (调阅记录), an object's history, the ledger's audit page and the login records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Q

# How each kind of key reads back from its cursor text.
DATE = dt.date.fromisoformat


def TIME(text: str) -> dt.datetime:
    """A moment with its offset, as the database returns it (a bare date or a local time names no moment)."""
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(text)
    return value


def ID(text: str) -> int:
    if not text.isdigit() or len(text) > 19:
        raise ValueError(text)
    return int(text)


Order = Sequence[
    tuple[str, Callable[[str], Any]]
]  # (field, how its cursor text reads back), most significant first


class KeysetPage:
    """One page of a list in keyset order: its rows and the cursors of the pages around it.

    ``next_cursor``/``previous_cursor`` go in the links as ``?after=``/``?before=``; ``first`` says whether the page
    is the list's first (no cursor asked for, or nothing before it)."""

    def __init__(self, rows: list, *, has_next: bool, has_previous: bool, key: Order, first: bool):
        fields = [name for name, _parse in key]
        self.object_list = rows
        self.has_next = has_next
        self.has_previous = has_previous
        self.next_cursor = cursor_of(rows[-1], fields) if has_next and rows else ""
        self.previous_cursor = cursor_of(rows[0], fields) if has_previous and rows else ""
        self.first = first

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _text(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def cursor_of(row, fields: Sequence[str]) -> str:
    return "_".join(_text(getattr(row, name)) for name in fields)


def parse_cursor(raw: str, order: Order) -> tuple | None:
    """The order's values from ``<value>_<value>…``, or None when the link was tampered with (the first page is
    shown). Dates and times in ISO form never hold ``_``."""
    parts = (raw or "").split("_")
    if len(parts) != len(order):
        return None
    try:
        return tuple(parse(text) for (_name, parse), text in zip(order, parts, strict=True))
    except (TypeError, ValueError):
        return None


def _beyond(fields: Sequence[str], values: tuple, *, down: bool) -> Q:
    """Rows strictly past ``values`` in the order's direction (``down``: toward smaller values), as nested
    comparisons; the redundant bound on the first field alone lets the database start its index scan there."""
    lt, lte = ("lt", "lte") if down else ("gt", "gte")
    q = Q(**{f"{fields[-1]}__{lt}": values[-1]})
    for name, value in reversed(list(zip(fields[:-1], values[:-1], strict=True))):
        q = Q(**{f"{name}__{lt}": value}) | (Q(**{name: value}) & q)
    return Q(**{f"{fields[0]}__{lte}": values[0]}) & q


def page(
    qs,
    order: Order,
    *,
    descending: bool,
    after: str = "",
    before: str = "",
    size: int = 50,
    narrow: bool = True,
) -> KeysetPage:
    """The page of ``qs`` in ``order`` (all fields descending, or all ascending) that starts after the row ``after``
    names, or ends before the row ``before`` names, or the first page. Served from an index on (… filters, the
    order's fields) in the same direction.

    ``narrow``: the page's ids first, from the narrow index-ordered scan (no joins, no wide columns), then its rows
    with their relations — the database never joins or sorts the rows the filters leave before the cut. Needs a
    single-column primary key; otherwise one query."""
    fields = [name for name, _parse in order]
    forward = [f"-{name}" if descending else name for name in fields]
    backward = [name if descending else f"-{name}" for name in fields]
    start = parse_cursor(after, order)
    end = None if start else parse_cursor(before, order)

    def fetch(qs, ordering):
        if not narrow:
            return list(qs.order_by(*ordering)[: size + 1])
        ids = list(qs.order_by(*ordering).values_list("pk", flat=True)[: size + 1])
        rows = {row.pk: row for row in qs.filter(pk__in=ids).order_by()}
        return [rows[pk] for pk in ids if pk in rows]

    if end:
        rows = fetch(qs.filter(_beyond(fields, end, down=not descending)), backward)
        has_previous = len(rows) > size
        rows = rows[:size][::-1]
        if not has_previous:  # the top of the list: show a full first page
            return page(qs, order, descending=descending, size=size, narrow=narrow)
        return KeysetPage(rows, has_next=True, has_previous=True, key=order, first=False)
    if start:
        qs = qs.filter(_beyond(fields, start, down=descending))
    rows = fetch(qs, forward)
    has_next = len(rows) > size
    return KeysetPage(rows[:size], has_next=has_next, has_previous=bool(start), key=order, first=not start)


def page_of(
    request, qs, order: Order, *, descending: bool, size: int = 50, narrow: bool = True
) -> KeysetPage:
    """:func:`page` at the cursor the request's ``?after=`` or ``?before=`` names (a list page's links)."""
    return page(
        qs,
        order,
        descending=descending,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=size,
        narrow=narrow,
    )


def by_id(key: str, parse: Callable[[str], Any] = DATE) -> list[tuple[str, Callable[[str], Any]]]:
    """The order (``key``, id): a date (or ``parse``'s type) made total by the row's id."""
    return [(key, parse), ("pk", ID)]


def capped_count(qs, cap: int = 10_000) -> tuple[int, bool]:
    """How many rows ``qs`` has, counting at most ``cap`` + 1 of them: (the count or ``cap``, whether there are
    more). A list's size in words ("共 N 条" / "超过 N 条") without counting every row of a list that only grows."""
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap
