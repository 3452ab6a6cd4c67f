"""Values computed once while one page is read.

A page such as the case page asks the same question from several places — the review panel, the decision
blockers and the gate all want the review reasons and the case digest. ``@memo.page`` on the view opens a scope
for that one request; inside it ``memo.once(key, compute)`` computes a value the first time it is asked for and
returns the same value afterwards. Outside a scope (actions, the API, background tasks) ``once`` simply computes:
an action always sees the data as it is now.

The scope lives in a context variable, so it is per thread and per request and nothing outlives the response (no
module-level cache of business data). Only read-only pages use it: a view that changes a value it has memoised
would read the old one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_scope: ContextVar[dict | None] = ContextVar("zhifa_page_memo", default=None)


def page(view: Callable) -> Callable:
    """Decorate a read-only view: values passed through ``once`` are computed once while it runs."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        token = _scope.set({})
        try:
            return view(*args, **kwargs)
        finally:
            _scope.reset(token)

    return wrapper


def in_page() -> bool:
    """Whether a page scope is open (values passed through ``once`` are shared for the rest of the page)."""
    return _scope.get() is not None


def once(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, remembered under ``key`` for the rest of the page (computed every time outside a page)."""
    store = _scope.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]
