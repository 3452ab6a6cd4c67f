"""The authorization matrix (issue 13): every URL pattern of the project — pages, the API router's routes with their
@action extra routes, the Django admin — walked from the URL conf, filled with real objects of two agencies,
requested as every principal (tests/security/world.py) and anonymously, compared with the readers declared per URL
name in tests/security/readers.py.

- GET: exactly the declared readers are let in (2xx, or a redirect that is not to the login page); everyone else is
  refused (403/404, or sent to the login page).
- Unsafe methods (POST/PUT/PATCH/DELETE) with an empty body, as every principal who may not act: refused
  (400/401/403/404/405, or a redirect — to the login page, or back with the form's error), and no row or ledger
  entry changed.
- Agency B's objects: none of agency A's principals reads them, and B's officer reads none of A's (the same routes
  filled with B's objects); no page or API answer shows one agency's personal data to another agency's principals
  or to the public.
- No request answers 5xx.

A URL name without a declaration, or a declaration for a name that no longer exists, fails
(test_every_route_is_declared) — so a new view is covered the day it is added. See docs (授权矩阵).
"""

from __future__ import annotations

import json
import os

import pytest
from django.core.cache import cache

from tests.review.conftest import clock, cw, rw  # noqa: F401 (fixtures)

from . import matrix, world
from .readers import ACTORS, ADMIN, READERS, actors_of, readers_of, unknown_principals
from .urlwalk import UNSAFE, routes


def test_every_route_is_declared():
    keys = {r.key for r in routes()}
    missing = sorted(k for k in keys if readers_of(k) is None)
    assert not missing, (
        "these URL names have no declared readers: add each to READERS in tests/security/readers.py "
        f"(who may open it; and to ACTORS who may POST/PUT/DELETE to it if that differs): {missing}"
    )
    gone = sorted((set(READERS) | set(ACTORS) | set(ADMIN)) - keys)
    assert not gone, (
        f"declared in tests/security/readers.py but no longer in the URL conf: remove them: {gone}"
    )
    post_only = sorted(
        r.key
        for r in routes()
        if not readers_of(r.key)
        and set(r.methods) & set(UNSAFE)
        and r.key not in ACTORS
        and not r.key.startswith(("admin:", "django-admin/"))
    )
    assert not post_only, (
        "these routes take unsafe methods and nobody may GET them: declare in ACTORS who may act on them "
        f"(the matrix posts an empty body as everyone else): {post_only}"
    )
    assert not unknown_principals(), f"unknown principals in readers.py: {unknown_principals()}"


@pytest.fixture
def _files(settings, tmp_path):
    settings.RECORDS_SEAL_DIR = tmp_path / "seal"
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")
    cache.clear()  # the portal's rate limits
    yield
    cache.clear()


@pytest.mark.slow(seconds=50)
def test_access_matrix(rw, tmp_path, _files, settings):  # noqa: F811
    people, a, b = world.build(rw, tmp_path)
    # The portal's rate limits are not the subject here.
    settings.PORTAL_VERIFY_PER_MINUTE = settings.PORTAL_COMPLAINT_PER_MINUTE = (
        settings.PORTAL_STATUS_PER_MINUTE
    ) = 10**6
    all_routes = routes()
    cs = matrix.clients(people)
    # Whose personal data each principal must never see: the public and the 三员 and the platform administrator
    # (who read no case, party or complaint), nobody's; B's officer, none of A's; A's business principals, none
    # of B's.
    blind = ("public", "sysadmin_a", "secadmin_a", "auditor_a", "platform_admin")
    secrets = {p: a.secrets + b.secrets for p in blind} | {"officer_b": a.secrets}
    secrets |= {p: b.secrets for p in world.PRINCIPALS if p not in secrets}

    # Agency A's objects, as every principal.
    result = matrix.Result()
    matrix.get_all(all_routes, cs, a, result, secrets_for=secrets)
    dump = os.environ.get("ZHIFA_MATRIX_DUMP")
    if dump:
        with open(dump, "w") as f:
            json.dump(
                {k: sorted(v) for k, v in sorted(result.readers.items())}, f, ensure_ascii=False, indent=0
            )
    wrong = []
    for key, seen in sorted(result.readers.items()):
        expected = readers_of(key) or set()
        if seen != expected:
            extra, lacking = sorted(seen - expected), sorted(expected - seen)
            wrong.append(f"{key}: let in {extra} beyond the declaration; refused declared {lacking}")
    matrix.unsafe_all(all_routes, cs, a, result, actors=_actors())

    # Agency B's objects: B's officer and the platform administrator at most; never agency A's principals.
    result_b = matrix.Result()
    with_objects = [r for r in all_routes if r.params or r.key in matrix.QUERY]
    matrix.get_all(with_objects, cs, b, result_b, secrets_for=secrets, skip_urls=result.urls)
    crossing = []
    for key, seen in sorted(result_b.readers.items()):
        declared = readers_of(key) or set()
        if "public" in declared:
            continue  # public data
        intruders = seen - {"officer_b"} - (declared & {"platform_admin"})
        if intruders:
            crossing.append(f"{key} (agency B's object): let in {sorted(set(intruders))}")
    print(f"\n{result.requested + result_b.requested} requests, {len(all_routes)} routes")
    problems = (
        [f"5xx: {e}" for e in result.errors + result_b.errors]
        + [f"readers differ from tests/security/readers.py: {w}" for w in wrong]
        + [f"unsafe: {u}" for u in result.unsafe]
        + [f"cross-agency: {c}" for c in crossing]
        + [f"personal data shown: {x}" for x in result.leaks + result_b.leaks]
    )
    assert not problems, "\n".join(problems)


def _actors() -> dict[str, set[str]]:
    return {r.key: actors_of(r.key) for r in routes()}
