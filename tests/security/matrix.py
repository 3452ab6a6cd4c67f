"""Request every route as every principal and classify what happened (used by test_access_matrix.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.test import Client
from django.urls import reverse

from tests.fingerprint import fingerprint

from .params import fill
from .urlwalk import UNSAFE, Route

ALLOWED, DENIED, NO_METHOD, ERROR = "allowed", "denied", "no such method", "error"
# A refusal of an unsafe request: what a client that may not act gets.
# A redirect that is not to the login page (a form view sending the user back with its error message) counts as a
# refusal too: what makes it one is that nothing changed, which the fingerprint checks.
REFUSED = {400, 401, 403, 404, 405}
# The query string a GET needs to be a meaningful request (the view answers 400 without it).
QUERY = {
    "calendar-between": "?start=2026-06-01&end=2026-06-30",
    "calendar-add": "?date=2026-06-01&n=5",
    "case-simple_filing_period": lambda o: f"?agency={o.agency.pk}",
    "ledger-entry-list": lambda o: f"?agency={o.agency.code}",
    "deadline-kind-due": "?start=2026-06-01",
    "ledger-log-inclusion-proof": "?index=0&size=1",
    "ledger-log-consistency-proof": "?first=1&second=1",
    "ledger-log-leaves": "?start=0&end=1",
    "supervision-case-file-list": lambda o: f"?agency={o.agency.code}&since=2024-01-01&until=2030-12-31",
    "supervision:figure_cases": lambda o: f"?agency={o.agency.pk}&key=decided&first=2024-01&last=2030-12",
}


def url_of(route: Route, o) -> str | None:
    if route.key == route.route:  # unnamed (the Django admin's): its path with the parameters filled in
        kwargs = fill(route, o)
        if kwargs is None:
            return None
        path = route.route.replace("(?P<url>.*)$", "nothing/").lstrip("^").rstrip("$")
        for name, value in kwargs.items():
            path = re.sub(rf"<(\w+:)?{name}>", str(value), path)
        return "/" + path
    try:
        kwargs = fill(route, o)
    except (AttributeError, KeyError):
        return None  # this agency has no such object
    if kwargs is None:
        return None
    query = QUERY.get(route.key, "")
    return reverse(route.key, kwargs=kwargs) + (query(o) if callable(query) else query)


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return ERROR
    if status == 405:
        return NO_METHOD
    if 300 <= status < 400:
        location = response.get("Location", "")
        return DENIED if "/login/" in location else ALLOWED
    if 200 <= status < 300:
        return ALLOWED
    return DENIED


@dataclass
class Result:
    readers: dict[str, set[str]] = field(default_factory=dict)  # route key → principals a GET was allowed to
    urls: dict[str, str] = field(default_factory=dict)  # route key → the URL requested
    errors: list[str] = field(default_factory=list)  # 5xx
    leaks: list[str] = field(default_factory=list)  # another agency's (or the public's) secrets shown
    unsafe: list[str] = field(default_factory=list)  # an unsafe request not refused, or one that changed data
    requested: int = 0


def clients(people: dict) -> dict[str, Client]:
    out = {}
    for name, person in people.items():
        c = Client()
        if person is not None:
            c.force_login(person)
        out[name] = c
    return out


def get_all(routes, cs, o, result: Result, *, secrets_for: dict[str, list[str]], skip_urls=None):
    """GET every route (filled from ``o``) as every principal; record who was let in. ``skip_urls``: route key
    → a URL already requested (the same URL is not requested again)."""
    for route in routes:
        if "get" not in route.methods:
            continue
        url = url_of(route, o)
        if url is None or (skip_urls and skip_urls.get(route.key) == url):
            continue
        seen = result.readers.setdefault(route.key, set())
        result.urls[route.key] = url
        for name, c in cs.items():
            response = c.get(url)
            result.requested += 1
            got = outcome(response)
            if got == ERROR:
                result.errors.append(f"GET {url} as {name}: {response.status_code}")
            elif got == ALLOWED:
                seen.add(name)
                if response.status_code == 200 and not getattr(response, "streaming", False):
                    body = response.content.decode("utf-8", "replace")
                    shown = [s for s in secrets_for.get(name, ()) if s in body]
                    if shown:
                        result.leaks.append(f"GET {url} as {name} shows {shown}")


def unsafe_all(routes, cs, o, result: Result, actors: dict[str, set[str]]):
    """Each unsafe method of every route, with an empty body, as every principal who may not act: refused, and
    nothing changed."""
    for route in routes:
        methods = [m for m in route.methods if m in UNSAFE]
        if not methods:
            continue
        url = url_of(route, o)
        if url is None:
            continue
        before = fingerprint()
        for method in methods:
            for name, c in cs.items():
                if name in actors.get(route.key, set()):
                    continue
                response = getattr(c, method)(url)
                result.requested += 1
                status = response.status_code
                if status >= 500:
                    result.errors.append(f"{method.upper()} {url} as {name}: {status}")
                elif not (status in REFUSED or 300 <= status < 400):
                    result.unsafe.append(f"{method.upper()} {url} as {name}: {status} (not refused)")
        after = fingerprint()
        if after != before:
            changed = {k: (before[k], after[k]) for k in after if before.get(k) != after[k]}
            result.unsafe.append(f"refused requests to {url} changed {changed}")
