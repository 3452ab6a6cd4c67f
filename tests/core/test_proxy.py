"""The client's address behind a reverse proxy (zhifa.core.proxy).

Behind nginx, gunicorn's REMOTE_ADDR is nginx's address for every visitor: five failed logins by anyone locked
everyone out, the portal's rate limits were shared by the whole province and the login audit recorded only the
proxy. The rule: X-Forwarded-For is read only from a trusted proxy, from the right, up to the first address that is
not a trusted proxy; from anyone else it is ignored.
"""

from __future__ import annotations

import ipaddress

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.urls import reverse
from hypothesis import assume, example, given
from hypothesis import strategies as st

from tests.conftest import PASSWORD
from zhifa.core.proxy import TrustedProxyMiddleware, client_address, trusted_networks
from zhifa.org.choices import AuthEventKind
from zhifa.org.models import AuthEvent

NGINX = "127.0.0.1"
TRUSTED = trusted_networks(("127.0.0.1", "10.0.0.0/8", "::1", "2001:db8:ff::/48"))


def client(remote_addr: str, forwarded_for: str | None) -> str:
    return client_address(remote_addr, forwarded_for, TRUSTED)


# The rule


def test_through_a_trusted_proxy_the_client_is_the_address_it_appended():
    assert client(NGINX, "203.0.113.9") == "203.0.113.9"
    assert client("10.1.2.3", "203.0.113.9") == "203.0.113.9"  # a CIDR block


def test_from_an_untrusted_peer_the_header_is_ignored():
    assert client("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    assert client("11.0.0.1", "198.51.100.1") == "11.0.0.1"  # just outside 10.0.0.0/8
    # no proxy configured (the default): the peer is the client, whatever it sends
    assert client_address(NGINX, "198.51.100.1", trusted_networks(())) == NGINX


def test_spoofed_left_most_entries_are_never_read():
    # The client sent "X-Forwarded-For: 198.51.100.1, 10.0.0.5"; nginx appended the real peer.
    assert client(NGINX, "198.51.100.1, 10.0.0.5, 203.0.113.9") == "203.0.113.9"
    assert client(NGINX, "127.0.0.1, 203.0.113.9") == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_client():
    # client → load balancer 10.0.0.7 → nginx → gunicorn
    assert client(NGINX, "203.0.113.9, 10.0.0.7") == "203.0.113.9"
    assert client(NGINX, "6.6.6.6,203.0.113.9 ,10.0.0.7,  10.9.9.9") == "203.0.113.9"


def test_an_untrusted_hop_is_as_far_as_the_rule_goes():
    # 192.0.2.50 is a proxy nobody vouches for: what it claims about its own client is not believed.
    assert client(NGINX, "203.0.113.9, 192.0.2.50") == "192.0.2.50"


def test_every_hop_trusted_gives_the_farthest():
    # A health check from the load balancer's own machine.
    assert client(NGINX, "10.0.0.7") == "10.0.0.7"
    assert client(NGINX, "10.0.0.8, 10.0.0.7") == "10.0.0.8"


def test_no_header_or_an_empty_one_keeps_the_peer():
    assert client(NGINX, None) == NGINX
    assert client(NGINX, "") == NGINX


def test_ipv6():
    assert client("::1", "2001:DB8::1") == "2001:db8::1"  # written the one way, so it counts as one address
    assert client("2001:db8:ff::2", "2001:db8:1::1, 2001:db8:ff:1::3") == "2001:db8:1::1"
    assert client("2001:db8:1::1", "203.0.113.9") == "2001:db8:1::1"  # outside the /48
    assert client(NGINX, "::ffff:203.0.113.9") == "203.0.113.9"
    # a dual-stack socket reports IPv4 peers as IPv4-mapped IPv6
    assert client("::ffff:127.0.0.1", "203.0.113.9") == "203.0.113.9"
    assert client("::ffff:203.0.113.9", "198.51.100.1") == "::ffff:203.0.113.9"


@pytest.mark.parametrize(
    "garbage",
    [
        "unknown",
        "203.0.113.9:51234",
        "[2001:db8::1]",
        "[2001:db8::1]:443",
        "fe80::1%eth0",
        "999.1.1.1",
        "203.0.113",
        "zhifa.example.gov.cn",
        "",
        " ",
        "203.0.113.9; 198.51.100.1",
        "203.0.113.9\x00",
        "２０３.０.１１３.９",  # full-width digits
    ],
)
def test_a_malformed_entry_on_the_way_keeps_the_peer(garbage):
    assert client(NGINX, garbage) == NGINX
    assert client(NGINX, f"203.0.113.9, {garbage}") == NGINX
    assert client(NGINX, f"{garbage}, 10.0.0.7") == NGINX
    # left of the client, it is never read
    assert client(NGINX, f"{garbage}, 203.0.113.9") == "203.0.113.9"


def test_the_setting_is_checked():
    assert trusted_networks(("10.0.0.1/8", " 127.0.0.1 ", "")) == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("127.0.0.1/32"),
    )
    assert trusted_networks(("::ffff:10.0.0.0/104",)) == (ipaddress.ip_network("10.0.0.0/8"),)
    for wrong in ["nginx", "10.0.0.0/33", "127.0.0.1:8000", "*"]:
        with pytest.raises(ImproperlyConfigured, match="ZHIFA_TRUSTED_PROXIES"):
            trusted_networks((wrong,))
    with override_settings(TRUSTED_PROXIES=["localhost"]), pytest.raises(ImproperlyConfigured):
        TrustedProxyMiddleware(lambda request: None)  # the server does not start with a wrong setting


untrusted_ips = st.ip_addresses().filter(
    lambda a: (
        not any(a in n for n in TRUSTED)
        and not (a.version == 6 and a.ipv4_mapped is not None and any(a.ipv4_mapped in n for n in TRUSTED))
    )
)
forwarded_text = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.one_of(st.ip_addresses().map(str), st.sampled_from(["127.0.0.1", "10.0.0.7", "::1"])), max_size=6
    ).map(", ".join),
)


def _names_a_trusted_proxy(text: str) -> bool:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in n for n in TRUSTED if n.version == address.version)


@given(peer=st.one_of(untrusted_ips.map(str), st.text(max_size=40)), forwarded=st.none() | forwarded_text)
@example(peer="203.0.113.9", forwarded="127.0.0.1")
@example(peer="", forwarded="203.0.113.9")
@example(peer="unknown", forwarded="10.0.0.7")
@example(peer="11.0.0.1", forwarded="203.0.113.9, 10.0.0.7")
def test_an_untrusted_sender_never_changes_the_address(peer, forwarded):
    assume(not _names_a_trusted_proxy(peer))  # st.text() can spell one; that is the other case
    assert client(peer, forwarded) == peer
    extra = {"REMOTE_ADDR": peer} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    request = RequestFactory().get("/", **extra)
    with override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8", "::1", "2001:db8:ff::/48"]):
        TrustedProxyMiddleware(lambda r: None)(request)
    assert request.META["REMOTE_ADDR"] == peer


@given(spoofed=forwarded_text, real=untrusted_ips)
def test_whatever_a_client_writes_itself_it_gets_its_own_address(spoofed, real):
    # nginx appends the peer: "<what the client sent>, <the client>"
    expected = str(real.ipv4_mapped or real) if real.version == 6 else str(real)
    assert client(NGINX, f"{spoofed}, {real}") == expected
    assert client(NGINX, f"{spoofed}, {real}, 10.0.0.7") == expected


# End to end: Django's test client as nginx (REMOTE_ADDR 127.0.0.1, X-Forwarded-For appended)


def _via_nginx(http, client_ip, **extra):
    return {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": client_ip} | extra


def _login(http, username, password, client_ip):
    return http.post(
        reverse("login"), {"username": username, "password": password}, **_via_nginx(http, client_ip)
    )


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = [NGINX]


X, Y = "203.0.113.9", "198.51.100.20"
ATTEMPTS = [AuthEventKind.FAILURE, AuthEventKind.LOCKED, AuthEventKind.LOGIN]


def test_failures_from_one_client_do_not_lock_out_another_behind_the_proxy(client, world, behind_nginx):
    for i in range(5):
        _login(client, f"nobody{i}", "wrong", X)
    # Y, behind the same nginx, logs in with its correct password
    assert _login(client, "officer_a", PASSWORD, Y).status_code == 302
    client.post(reverse("logout"), **_via_nginx(client, Y))
    # X's address is locked, and X cannot get out by claiming to be Y
    assert "已锁定" in _login(client, "officer_a2", PASSWORD, X).content.decode()
    assert "已锁定" in _login(client, "officer_a2", PASSWORD, f"{Y}, {X}").content.decode()
    # the login audit records the clients, not the proxy
    assert set(AuthEvent.objects.filter(kind=AuthEventKind.FAILURE).values_list("ip", flat=True)) == {X}
    assert AuthEvent.objects.get(kind=AuthEventKind.LOGIN).ip == Y
    assert set(AuthEvent.objects.filter(kind=AuthEventKind.LOCKED).values_list("ip", flat=True)) == {X}
    assert not AuthEvent.objects.filter(ip=NGINX).exists()


def test_without_the_setting_the_proxy_is_everyones_address(client, world, settings):
    # What the setting fixes (and what a deployment that forgets it gets): all visitors share nginx's address.
    settings.TRUSTED_PROXIES = []
    for i in range(5):
        _login(client, f"nobody{i}", "wrong", X)
    assert "已锁定" in _login(client, "officer_a", PASSWORD, Y).content.decode()
    assert set(AuthEvent.objects.filter(kind__in=ATTEMPTS).values_list("ip", flat=True)) == {NGINX}


def test_a_client_reaching_the_server_directly_cannot_claim_an_address(client, world, behind_nginx):
    for i in range(5):
        http_extra = {"REMOTE_ADDR": X, "HTTP_X_FORWARDED_FOR": f"192.0.2.{i}"}
        client.post(reverse("login"), {"username": f"nobody{i}", "password": "wrong"}, **http_extra)
    response = client.post(
        reverse("login"),
        {"username": "officer_a", "password": PASSWORD},
        REMOTE_ADDR=X,
        HTTP_X_FORWARDED_FOR=Y,
    )
    assert "已锁定" in response.content.decode()
    assert set(AuthEvent.objects.filter(kind__in=ATTEMPTS).values_list("ip", flat=True)) == {X}


@pytest.fixture
def fresh_rate_limits(db):  # the embedded mode's cache is a database table (zhifa.core.cache)
    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("within_one_minute")
def test_the_portal_rate_limit_counts_per_client_behind_the_proxy(
    client, world, settings, behind_nginx, fresh_rate_limits
):
    settings.PORTAL_VERIFY_PER_MINUTE = 3
    verify = reverse("publicity:verify")
    for _ in range(3):
        assert client.get(verify, {"number": "NOPE"}, **_via_nginx(client, X)).status_code == 200
    assert client.get(verify, {"number": "NOPE"}, **_via_nginx(client, X)).status_code == 429
    # X cannot reset its count by writing another address in front of its own
    assert client.get(verify, {"number": "NOPE"}, **_via_nginx(client, f"{Y}, {X}")).status_code == 429
    # Y, behind the same nginx, has its own count
    for _ in range(3):
        assert client.get(verify, {"number": "CERT-0000"}, **_via_nginx(client, Y)).status_code == 200


@override_settings(TRUSTED_PROXIES=["127.0.0.1"], SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_only_the_proxy_may_say_the_request_came_over_https():
    """With ZHIFA_HTTPS the scheme comes from X-Forwarded-Proto: a client reaching gunicorn directly cannot claim it."""
    from django.http import HttpResponse

    middleware = TrustedProxyMiddleware(lambda request: HttpResponse(str(request.is_secure())))
    factory = RequestFactory()
    via_proxy = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    direct = factory.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https")
    assert middleware(via_proxy).content == b"True"
    assert middleware(direct).content == b"False"
