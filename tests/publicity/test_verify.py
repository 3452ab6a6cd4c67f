"""执法证查询: active, expired, revoked, suspended and unknown numbers; rate-limited; a QR code per certificate."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.org import actions as org_actions

VERIFY = reverse("publicity:verify")


def _check(client, number, **extra):
    return client.get(VERIFY, {"number": number}, **extra).content.decode()


def test_active_certificate(client, world):
    html = _check(client, "CERT-0000")
    assert "该执法证有效" in html and "甲执法" in html and "甲区卫生健康局" in html and "医疗卫生" in html
    assert reverse("publicity:certificate_qr", args=["CERT-0000"]) in html
    assert "officer_a" not in html  # no account data


def test_expired_certificate(client, world):
    today = timezone.localdate()
    p = world.person(world.a, "old", "老执法", "officer")
    org_actions.issue_certificate(
        None,
        p,
        number="OLD-1",
        field_codes=["medical"],
        issuer="甲区",
        valid_from=today - dt.timedelta(days=400),
        valid_to=today - dt.timedelta(days=1),
    )
    html = _check(client, "OLD-1")
    assert "该执法证已过期" in html and "老执法" in html and "不能从事执法活动" in html


def test_revoked_and_suspended_certificates(client, world):
    cert = world.officer.certificates.get()
    org_actions.suspend_certificate(world.sysadmin, cert, reason="调查中")
    assert "该执法证已暂扣" in _check(client, "CERT-0000")
    org_actions.revoke_certificate(world.sysadmin, cert, reason="离职")
    html = _check(client, "CERT-0000")
    assert "该执法证已注销" in html and "调查中" not in html and "离职" not in html


def test_holder_no_longer_active(client, world):
    org_actions.set_person_active(world.secadmin, world.officer2, active=False, reason="调离")
    assert "该执法证当前无效" in _check(client, "CERT-0001")


@pytest.mark.parametrize("number", ["NOPE-404", "x" * 60, "' OR 1=1 --"])
def test_unknown_number(client, world, number):
    html = _check(client, number)
    assert "未查询到该执法证" in html and "该执法证有效" not in html


@pytest.mark.usefixtures("within_one_minute")
def test_rate_limit_by_client_address(client, world, settings):
    settings.PORTAL_VERIFY_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(VERIFY, {"number": "NOPE"}).status_code == 200
    blocked = client.get(VERIFY, {"number": "CERT-0000"})
    assert blocked.status_code == 429 and "请求过于频繁" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    # Another address is not affected; the empty form is not counted.
    assert client.get(VERIFY, {"number": "CERT-0000"}, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get(VERIFY).status_code == 200


def test_rate_limit_window_resets(rf, world, settings):
    from zhifa.publicity import ratelimit

    settings.PORTAL_VERIFY_PER_MINUTE = 1
    request = rf.get("/")
    assert ratelimit.hit(request, "verify", now=1000.0)[0]
    assert not ratelimit.hit(request, "verify", now=1001.0)[0]
    assert ratelimit.hit(request, "verify", now=1000.0 + 60)[0]


def test_qr_code_opens_the_verify_page(client, world):
    response = client.get(reverse("publicity:certificate_qr", args=["CERT-0000"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in response.content and "执法证CERT-0000查询二维码".encode() in response.content
    assert client.get("/portal/certificates/bad%20number!/qr.svg").status_code == 404
