"""Pages: each shows what the role and agency allow, and refuses the rest."""

import pytest
from django.urls import reverse

from zhifa.ledger.tracking import unrecorded_writes
from zhifa.org.choices import Role
from zhifa.org.models import Certificate, RoleAssignment


def test_officer_sees_own_agency_people_not_another(login, world):
    client = login(world.officer)
    assert client.get(reverse("org:person_detail", args=[world.officer2.pk])).status_code == 200
    assert client.get(reverse("org:person_detail", args=[world.officer_b.pk])).status_code == 404
    assert client.get(reverse("org:agency_detail", args=[world.b.pk])).status_code == 404
    listing = client.get(reverse("org:person_list")).content.decode()
    assert "甲执法二" in listing and "乙执法" not in listing


def test_supervisor_sees_supervised_agency(login, world):
    client = login(world.supervisor)
    assert client.get(reverse("org:agency_detail", args=[world.a.pk])).status_code == 200
    assert client.get(reverse("org:agency_detail", args=[world.b.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    for url in (
        reverse("home"),
        reverse("org:person_list"),
        reverse("org:person_detail", args=[world.officer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_audit_records_are_for_the_audit_admin_only(login, world):
    url = reverse("org:auth_events")
    for person in (world.sysadmin, world.secadmin, world.officer, world.head, world.supervisor):
        assert login(person).get(url).status_code == 403
    assert login(world.auditor).get(url).status_code == 200


def test_audit_records_page_by_keyset_and_keep_the_search(login, world):
    """The records only grow: 100 to a page, newest first, 下一页 after the last one shown (zhifa.core.keyset)."""
    import datetime as dt

    from django.utils import timezone

    from zhifa.ledger.tracking import unrecorded_writes
    from zhifa.org.models import AuthEvent

    start = timezone.now() - dt.timedelta(days=1)
    with unrecorded_writes():  # rows to page through (the login action is tested elsewhere)
        for i in range(130):
            AuthEvent.objects.create(
                kind="login", username="officer_a", agency=world.a, at=start + dt.timedelta(seconds=i // 2)
            )
    client = login(world.auditor)
    url = reverse("org:auth_events")
    first = client.get(url, {"q": "officer_a"})
    second = client.get(url, {"q": "officer_a", "after": first.context["page"].next_cursor})
    shown = [e.pk for page in (first, second) for e in page.context["page"]]
    expected = list(
        AuthEvent.objects.filter(username="officer_a", agency=world.a)
        .order_by("-at", "-id")
        .values_list("pk", flat=True)
    )
    assert len(first.context["page"]) == 100 and shown == expected and not second.context["page"].has_next
    assert "q=officer_a&amp;after=" in first.content.decode()
    assert "q=officer_a&amp;before=" in second.content.decode()


def test_audit_admin_does_not_read_master_data(login, world):
    client = login(world.auditor)
    assert client.get(reverse("org:person_detail", args=[world.officer.pk])).status_code == 404
    assert client.get(reverse("org:person_list")).status_code == 403


def test_role_grant_page_flow_and_denials(login, world):
    url = reverse("org:role_grant", args=[world.officer.pk])
    assert login(world.sysadmin).post(url, {"role": Role.UNIT_HEAD}).status_code == 403
    assert login(world.officer2).post(url, {"role": Role.UNIT_HEAD}).status_code == 403
    response = login(world.secadmin).post(url, {"role": Role.UNIT_HEAD}, follow=True)
    assert "角色已授予" in response.content.decode()
    assert RoleAssignment.objects.filter(person=world.officer, role=Role.UNIT_HEAD).exists()
    response = login(world.secadmin).post(url, {"role": Role.AUDIT_ADMIN}, follow=True)
    assert "三员分立" in response.content.decode()


def test_person_create_page(login, world):
    url = reverse("org:person_create", args=[world.a.pk])
    assert login(world.sysadmin).get(url).status_code == 403
    assert login(world.secadmin).get(reverse("org:person_create", args=[world.b.pk])).status_code == 404
    client = login(world.secadmin)
    response = client.post(url, {"username": "newbie", "full_name": "新同事", "password": "weak"})
    assert response.status_code == 200 and "密码至少8位" in response.content.decode()
    response = client.post(url, {"username": "newbie", "full_name": "新同事", "password": "Secure#2026x"})
    assert response.status_code == 302


def test_agency_form_rejects_bad_credit_code_in_chinese(login, world):
    client = login(world.sysadmin)
    response = client.post(
        reverse("org:agency_create_child", args=[world.a.pk]),
        {
            "code": "kid",
            "name": "甲区某所",
            "short_name": "某",
            "credit_code": "91350100M000100Y44",
            "region": "甲区",
        },
    )
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确" in response.content.decode()
    assert login(world.officer).get(reverse("org:agency_create_child", args=[world.a.pk])).status_code == 403


def test_certificate_issue_and_suspend_pages(login, world):
    url = reverse("org:certificate_issue", args=[world.head.pk])
    assert login(world.secadmin).get(url).status_code == 403
    client = login(world.sysadmin)
    response = client.post(
        url,
        {
            "number": "HEAD-1",
            "fields": [world.officer.certificates.get().fields.get().pk],
            "issuer": "甲区人民政府",
            "valid_from": "2026-01-01",
            "valid_to": "2028-01-01",
        },
    )
    assert response.status_code == 302
    cert = Certificate.objects.get(number="HEAD-1")
    response = client.post(reverse("org:certificate_status", args=[cert.pk, "suspend"]), {"reason": "暂扣"})
    cert.refresh_from_db()
    assert cert.status == "suspended"
    assert (
        login(world.officer)
        .post(reverse("org:certificate_status", args=[cert.pk, "revoke"]), {"reason": "x"})
        .status_code
        == 403
    )


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_health_endpoints(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_home_shows_expired_certificate_warning(login, world):
    import datetime as dt

    from django.utils import timezone

    with unrecorded_writes():  # test set-up written around the actions layer
        Certificate.objects.filter(person=world.officer).update(
            valid_to=timezone.localdate() - dt.timedelta(days=1)
        )
    page = login(world.officer).get(reverse("home")).content.decode()
    assert "已过期" in page
