"""The password policy against 等保 2.0 level 3 (GB/T 22239-2019 8.1.4.1 身份鉴别): complexity, no common password,
periodic change (ZHIFA_PASSWORD_MAX_AGE_DAYS). Lockout and idle timeout: tests/org/test_accounts.py."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from zhifa.org.choices import AuthEventKind
from zhifa.org.models import AuthEvent, Person

COMMON = "这个密码过于常见"


def _login(client, username, password, ip="10.0.0.9"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _messages(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as e:
        return e.messages
    return []


@pytest.mark.parametrize(
    "password",
    # Django's list (compared lowercased) and ours (zhifa/org/data/common-passwords.txt); all pass the complexity rule.
    [
        "Passw0rd",
        "PASSW0RD",
        "P@ssw0rd",
        "Aa123456",
        "Abc@1234",
        "Admin@123",
        "Huawei@123",
        "Qwe123!@#",
        "1qaz@WSX",
    ],
)
def test_common_passwords_are_refused_in_chinese(password):
    assert any(m.startswith(COMMON) for m in _messages(password)), _messages(password)


def test_weak_chinese_passwords_are_refused_one_way_or_the_other():
    # qq123456 is on the list and also too simple (two kinds of character): both reasons are given.
    messages = _messages("qq123456")
    assert any(m.startswith(COMMON) for m in messages) and any("密码至少8位" in m for m in messages)


@pytest.mark.parametrize("password", [PASSWORD, "Mingshan#2026", "Brand#New2026", "Hz9!kq2Lm"])
def test_strong_passwords_pass(password):
    assert _messages(password) == []


def test_a_common_password_is_refused_on_the_change_page_and_nothing_changes(client, world):
    _login(client, "officer_a", PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password": "Passw0rd", "new_password2": "Passw0rd"},
    )
    assert response.status_code == 200 and COMMON in response.content.decode()
    officer = Person.objects.get(pk=world.officer.pk)
    assert officer.check_password(PASSWORD) and not officer.check_password("Passw0rd")
    assert not AuthEvent.objects.filter(person=officer, kind=AuthEventKind.PASSWORD_CHANGED).exists()


def test_a_security_admin_cannot_reset_to_a_common_password(world):
    from zhifa.core.errors import RuleViolation
    from zhifa.org import actions

    before = Person.objects.get(pk=world.officer.pk).password
    with pytest.raises((ValidationError, RuleViolation)):
        actions.reset_password(world.secadmin, world.officer, new_password="Abc@1234")
    assert Person.objects.get(pk=world.officer.pk).password == before


def _api(client):
    return client.get("/api/v1/people/")


def test_after_the_max_age_a_login_leads_to_the_password_page_until_it_is_changed(client, world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    with time_machine.travel(timezone.now() + dt.timedelta(days=91), tick=True):
        assert _login(client, "officer_a", PASSWORD).status_code == 302
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url == reverse("password_change")
        assert client.get(reverse("cases:list")).url == reverse("password_change")
        api = _api(client)  # the browser session on the API too
        assert api.status_code == 403 and "密码已超过有效期" in api.json()["detail"]
        page = client.get(reverse("password_change")).content.decode()
        assert "您的密码已超过90天未修改" in page
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password": "Brand#New2026", "new_password2": "Brand#New2026"},
        )
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200
        assert _api(client).status_code == 200
        # The next login: the new password is young.
        client.post(reverse("logout"))
        _login(client, "officer_a", "Brand#New2026")
        assert client.get(reverse("home")).status_code == 200
    # 89 days after the change: still fine; 91 days: the page again.
    changed = AuthEvent.objects.get(person=world.officer, kind=AuthEventKind.PASSWORD_CHANGED).at
    for days, expired in ((89, False), (91, True)):
        with time_machine.travel(changed + dt.timedelta(days=days), tick=True):
            client.post(reverse("logout"))
            _login(client, "officer_a", "Brand#New2026")
            response = client.get(reverse("home"))
            assert (response.status_code == 302 and response.url == reverse("password_change")) is expired


def test_a_young_password_and_a_zero_max_age_never_lead_to_the_password_page(client, world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _login(client, "officer_a", PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    settings.PASSWORD_MAX_AGE_DAYS = 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=3650), tick=True):
        _login(client, "officer_a", PASSWORD)
        assert client.get(reverse("home")).status_code == 200


def test_an_expired_password_does_not_stop_a_personal_token(client, world, settings):
    """Tokens have their own expiry and revocation; the password's age is about logins."""
    from zhifa.org import actions

    settings.PASSWORD_MAX_AGE_DAYS = 90
    _token, raw = actions.create_api_token(world.officer, name="脚本", days=365)
    with time_machine.travel(timezone.now() + dt.timedelta(days=91), tick=True):
        response = client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200
