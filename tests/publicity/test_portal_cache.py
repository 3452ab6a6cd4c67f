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


# The portal version (zhifa.org.portal_version): the pages that list people, certificates and units are keyed by a
# token every write to those rows changes, so a hit reads no officer.


def _token(agency):
    from zhifa.org.models import PortalVersion

    return PortalVersion.objects.get(agency=agency).token


def _people_page(client, agency) -> str:
    response = client.get(reverse("publicity:people"), {"agency": agency.code})
    assert response.status_code == 200
    return response.content.decode()


def _org_action_calls(world):
    """Each org action that writes what the portal shows of agency A, once, as its administrators do it."""
    from zhifa.org.choices import Role

    today = timezone.localdate()
    cert = world.officer.certificates.get()
    return {
        "update_agency": lambda: org_actions.update_agency(world.sysadmin, world.a, phone="0755-1234567"),
        "add_unit": lambda: org_actions.add_unit(world.sysadmin, world.a, name="食品安全科"),
        "add_person": lambda: org_actions.add_person(
            world.secadmin, world.a, username="new_a", password="Mingshan#2026x", full_name="新来的"
        ),
        "update_person": lambda: org_actions.update_person(world.secadmin, world.officer, title="科长"),
        "set_person_active": lambda: org_actions.set_person_active(
            world.secadmin, world.officer2, active=False, reason="调离"
        ),
        "grant_role": lambda: org_actions.grant_role(world.secadmin, world.reviewer, Role.OFFICER),
        "remove_role": lambda: org_actions.remove_role(
            world.secadmin, world.officer, Role.OFFICER, reason="调岗"
        ),
        "issue_certificate": lambda: org_actions.issue_certificate(
            world.sysadmin,
            world.reviewer,
            number="CERT-NEW",
            field_codes=["medical"],
            issuer="甲区人民政府",
            valid_from=today,
            valid_to=today,
        ),
        "suspend_certificate": lambda: org_actions.suspend_certificate(world.sysadmin, cert, reason="暂扣"),
        "reinstate_certificate": lambda: org_actions.reinstate_certificate(
            world.sysadmin, cert, reason="恢复"
        ),
        "revoke_certificate": lambda: org_actions.revoke_certificate(world.sysadmin, cert, reason="离职"),
    }


# Org actions that write nothing the portal shows (and must not empty its cache: a login is not a change).
KEEPS_THE_VERSION = {
    "create_agency",  # another agency: it gets its own version (test_a_new_agency_has_its_version)
    "add_field",  # a new 执法领域 is on no certificate yet
    "add_platform_admin",  # of no agency
    "reset_password",
    "change_password",
    "rehash_password",
    "record_auth_event",
    "create_api_token",
    "revoke_api_token",
}


def _org_actions() -> set[str]:
    """Every action of zhifa.org.actions: its public functions that run in a transaction of their own."""
    import inspect

    return {
        name
        for name, f in inspect.getmembers(org_actions, inspect.isfunction)
        if not name.startswith("_") and f.__module__ == org_actions.__name__ and hasattr(f, "__wrapped__")
    }


def test_every_org_action_that_writes_what_the_portal_shows_changes_the_version(world):
    calls = _org_action_calls(world)
    # A new org action must be put in one list or the other, and so is run here or in the test below.
    assert _org_actions() == set(calls) | KEEPS_THE_VERSION
    # in an order where each can run: the certificate is suspended, reinstated, then revoked
    for name in [
        "update_agency",
        "add_unit",
        "add_person",
        "update_person",
        "set_person_active",
        "grant_role",
        "issue_certificate",
        "suspend_certificate",
        "reinstate_certificate",
        "revoke_certificate",
        "remove_role",
    ]:
        before = _token(world.a)
        calls.pop(name)()
        assert _token(world.a) != before, name
    assert not calls


def test_org_actions_that_change_nothing_shown_keep_the_version(world, client):
    before = {a.pk: _token(a) for a in (world.a, world.b)}
    org_actions.add_field(None, code="food", name="食品安全")
    org_actions.add_platform_admin("platform", "Mingshan#2026x", full_name="平台管理员")
    org_actions.reset_password(world.secadmin, world.officer, new_password="Mingshan#2027y")
    org_actions.change_password(world.officer, old_password="Mingshan#2027y", new_password="Mingshan#2028z")
    world.officer.refresh_from_db()
    org_actions.rehash_password(world.officer, "Mingshan#2028z")
    token, _raw = org_actions.create_api_token(world.officer, name="脚本")
    org_actions.revoke_api_token(world.officer, token)
    org_actions.record_auth_event("login", username="x", person=world.officer, ip="127.0.0.1")
    client.force_login(world.officer)  # Django's update_last_login saves the person
    org_actions.create_agency(
        None,
        code="agency-c",
        name="丙区卫生健康局",
        short_name="丙卫",
        credit_code=_credit_c(),
        region="丙区",
    )
    assert {a.pk: _token(a) for a in (world.a, world.b)} == before


def _credit_c() -> str:
    from zhifa.org.rules import credit_code_check_char

    return "11440300MB2D0000D" + credit_code_check_char("11440300MB2D0000D")


def test_a_new_agency_has_its_version_and_a_renamed_parent_is_on_its_childrens_page(world, cat, client):
    child = org_actions.create_agency(
        None,
        parent=world.b,
        code="agency-a-1",
        name="甲区卫生健康局第一分局",
        short_name="甲卫一",
        credit_code=_credit_c(),
        region="甲区",
    )
    before = _token(child)
    url = reverse("publicity:agency") + f"?agency={child.code}"
    assert "乙区卫生健康局" in client.get(url).content.decode()  # 上级机关
    org_actions.update_agency(None, world.b, name="乙区卫生健康委员会")
    assert _token(child) != before
    assert "乙区卫生健康委员会" in client.get(url).content.decode()


def test_each_kind_of_change_is_on_the_next_page(client, world, cat):
    """Officer given and removed the role, certificate suspended and revoked, person renamed and disabled, unit
    renamed, agency renamed: each on the next people, posts and agency page, never an older cached one."""
    from zhifa.ledger.tracking import unrecorded_writes
    from zhifa.org.choices import Role

    def pages():
        return {
            name: _html(client, name) for name in ("publicity:people", "publicity:posts", "publicity:agency")
        }

    cert = world.officer.certificates.get()
    org_actions.issue_certificate(
        world.sysadmin,
        world.reviewer,
        number="CERT-R",
        field_codes=["medical"],
        issuer="甲区人民政府",
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate(),
    )
    assert "CERT-R" not in pages()["publicity:people"]  # certified, but not an officer
    assert pages() == pages()  # cached
    org_actions.grant_role(world.secadmin, world.reviewer, Role.OFFICER)
    assert "CERT-R" in pages()["publicity:posts"]
    org_actions.remove_role(world.secadmin, world.reviewer, Role.OFFICER, reason="回法规科")
    assert "CERT-R" not in pages()["publicity:people"]

    org_actions.suspend_certificate(world.sysadmin, cert, reason="暂扣")
    assert cert.number not in pages()["publicity:people"]
    org_actions.reinstate_certificate(world.sysadmin, cert, reason="恢复")
    assert cert.number in pages()["publicity:people"]

    org_actions.update_person(world.secadmin, world.officer, full_name="甲执法改名")
    shown = pages()
    assert "甲执法改名" in shown["publicity:people"] and "甲执法改名" in shown["publicity:posts"]

    # No action renames a unit today; the version follows the model's own writes, whatever makes them.
    world.section.name = "医疗卫生监督一科"
    with unrecorded_writes():
        world.section.save()
    shown = pages()
    assert all("医疗卫生监督一科" in html for html in shown.values())

    org_actions.set_person_active(world.secadmin, world.officer, active=False, reason="退休")
    shown = pages()
    assert "甲执法改名" not in shown["publicity:people"] and "甲执法改名" not in shown["publicity:posts"]

    org_actions.update_agency(world.sysadmin, world.a, duties="负责本区医疗卫生监督执法")
    assert "负责本区医疗卫生监督执法" in pages()["publicity:agency"]


def test_a_hit_reads_no_officer_and_renders_nothing(client, world, cat, monkeypatch):
    import django.template.loader as loader
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = {
        name: _html(client, name) for name in ("publicity:people", "publicity:posts", "publicity:agency")
    }
    rendered = []
    real = loader.render_to_string
    monkeypatch.setattr(loader, "render_to_string", lambda *a, **k: rendered.append(a) or real(*a, **k))
    for name, html in first.items():
        with CaptureQueriesContext(connection) as ctx:
            assert _html(client, name) == html
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        for table in ("org_person", "org_certificate", "org_unit", "org_roleassignment"):
            assert table not in sql, (name, sql)
        # the agency with its portal version, the portal's agencies; the posts page + the guides version in force (2)
        assert len(ctx.captured_queries) <= (4 if name == "publicity:posts" else 2), (name, sql)
    assert rendered == []


def test_an_agency_without_a_version_is_keyed_by_its_rows(client, world, cat):
    """Nothing may be assumed of an agency with no version row (the actions always make one): its pages are keyed
    by the rows they show, as before, and are still never stale."""
    from zhifa.ledger.tracking import unrecorded_writes
    from zhifa.org.models import PortalVersion

    with unrecorded_writes():
        PortalVersion.objects.filter(agency=world.a).delete()
    assert "甲执法二" in _html(client, "publicity:people")
    assert _html(client, "publicity:people") == _html(client, "publicity:people")
    org_actions.set_person_active(world.secadmin, world.officer2, active=False, reason="调离")
    assert not PortalVersion.objects.filter(agency=world.a).exists()
    assert "甲执法二" not in _html(client, "publicity:people")
    assert "甲执法二" not in _html(client, "publicity:posts")


# The public ledger page (/portal/ledger/): read-only views of signed checkpoints, cached by the latest of each log.


def test_the_ledger_page_is_cached_until_a_new_checkpoint(client, world, monkeypatch):
    import django.template.loader as loader
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifa.ledger import actions as ledger_actions

    url = reverse("portal_ledger") + f"?agency={world.a.code}"
    first = ledger_actions.make_checkpoint(world.a, force=True)
    html = client.get(url).content.decode()
    assert first.note in html
    rendered = []
    real = loader.render_to_string
    monkeypatch.setattr(loader, "render_to_string", lambda *a, **k: rendered.append(a) or real(*a, **k))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).content.decode() == html
    assert rendered == [] and len(ctx.captured_queries) <= 3, [q["sql"] for q in ctx.captured_queries]

    # New entries alone do not change the page (it shows checkpoints); the next checkpoint does, at once.
    org_actions.update_agency(None, world.b, phone="0755-7654321")
    assert client.get(url).content.decode() == html and rendered == []
    second = ledger_actions.make_checkpoint(world.b, force=True)
    html = client.get(url).content.decode()
    assert second.note in html and first.note in html and len(rendered) == 1
