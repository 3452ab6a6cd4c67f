"""Portal pages come from the cache once rendered (issue 14 item 3), and never stale: a change to what a page shows
— a new list version, an officer leaving, a revoked certificate, a renamed unit or agency — is on the next page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.catalog import actions as catalog_actions
from zhifa.catalog.choices import ListKind
from zhifa.org import actions as org_actions


@pytest.fixture(autouse=True)
def _shared_cache(settings):
    """A cache outside the database, as Redis is in production (kept across the requests of a test)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}
    }


def _html(client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def test_a_cached_page_is_served_again_without_rendering(client, world, cat, monkeypatch):
    import django.template.loader as loader

    first = _html(client, "publicity:items")
    rendered = []
    real = loader.render_to_string
    monkeypatch.setattr(loader, "render_to_string", lambda *a, **k: rendered.append(a) or real(*a, **k))
    assert _html(client, "publicity:items") == first
    assert rendered == []


def test_changes_show_on_the_next_page(client, world, cat):
    people = _html(client, "publicity:people")
    posts = _html(client, "publicity:posts")
    assert "甲执法二" in people and "甲执法二" in posts
    org_actions.set_person_active(world.secadmin, world.officer2, active=False, reason="调离")
    assert "甲执法二" not in _html(client, "publicity:people")
    assert "甲执法二" not in _html(client, "publicity:posts")

    cert = world.officer.certificates.get()
    assert cert.number in _html(client, "publicity:people")
    org_actions.revoke_certificate(world.sysadmin, cert, reason="离职")
    assert cert.number not in _html(client, "publicity:people")

    assert "改名后的事项" not in _html(client, "publicity:items")
    catalog_actions.update_item(world.sysadmin, cat.item, name="改名后的事项")
    catalog_actions.publish_list(world.sysadmin, world.a, ListKind.ITEMS, effective_on=timezone.localdate())
    assert "改名后的事项" in _html(client, "publicity:items")

    assert "新名称卫生健康局" not in _html(client, "publicity:agency")
    org_actions.update_agency(world.sysadmin, world.a, name="新名称卫生健康局")
    assert "新名称卫生健康局" in _html(client, "publicity:agency")
    assert "新名称卫生健康局" in _html(client, "publicity:home")
