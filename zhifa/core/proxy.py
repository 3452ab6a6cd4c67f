"""The client's address behind a reverse proxy: one rule, in one place.

gunicorn sets ``REMOTE_ADDR`` to the TCP peer — behind nginx, nginx's own address for every visitor — and its
``--forwarded-allow-ips`` does not change that. Everything in the platform that keys on the client reads
``REMOTE_ADDR``: the lockout per address (zhifa.org.forms.LoginForm), the portal's rate limits
(zhifa.publicity.ratelimit) and the login audit (zhifa.org.signals). This middleware, first in ``MIDDLEWARE``,
puts the client's address there before any of them runs.

The rule (the same as nginx's ``real_ip_recursive on``): only when the peer is a proxy the deployment trusts
(``settings.TRUSTED_PROXIES``, from ``ZHIFA_TRUSTED_PROXIES``) is ``X-Forwarded-For`` read. Each proxy appends the
address it received the connection from, so the list is walked from the right, skipping trusted proxies; the first
address that is not one is the client. Entries to its left were written by the client itself (or by proxies
nobody vouches for) and are never read, so a client cannot choose its address by sending the header. An entry
that is not an IP address on the way (a port, a name, garbage) stops the walk: the peer's address is kept. When
every entry is a trusted proxy (a health check from the proxy's own machine), the left-most, farthest one is the
client. When the peer is not trusted, ``X-Forwarded-For`` is ignored and ``REMOTE_ADDR`` is left exactly as it is.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(text: str) -> Address | None:
    """An IP address as a proxy writes it, or None. An IPv4 address carried in IPv6 (``::ffff:192.0.2.1``, what a
    dual-stack socket reports) is the IPv4 address. A zone (``fe80::1%eth0``) means something only on the machine
    that wrote it: not an address here."""
    text = text.strip()
    if "%" in text:
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@functools.cache
def trusted_networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    """``ZHIFA_TRUSTED_PROXIES`` (IP addresses or CIDR blocks) as networks; a wrong entry stops the start-up."""
    networks = []
    for value in (v.strip() for v in values):
        if not value:
            continue
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"ZHIFA_TRUSTED_PROXIES: {value!r} is not an IP address or a CIDR block (e.g. 127.0.0.1,10.0.0.0/8)"
            ) from None
        if isinstance(network, ipaddress.IPv6Network) and network.network_address.ipv4_mapped is not None:
            # ::ffff:10.0.0.0/104 is 10.0.0.0/8; addresses are unwrapped the same way (parse_address).
            network = ipaddress.ip_network(
                f"{network.network_address.ipv4_mapped}/{network.prefixlen - 96}", strict=False
            )
        networks.append(network)
    return tuple(networks)


def is_trusted(address: Address, trusted: Iterable[Network]) -> bool:
    return any(address in network for network in trusted)


def client_address(remote_addr: str, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The client's address, by the rule in the module's docstring. ``remote_addr`` is the TCP peer."""
    peer = parse_address(remote_addr)
    if peer is None or not is_trusted(peer, trusted) or not forwarded_for:
        return remote_addr
    farthest = None
    for entry in reversed(forwarded_for.split(",")):
        address = parse_address(entry)
        if address is None:
            return remote_addr
        if not is_trusted(address, trusted):
            return str(address)
        farthest = address
    return str(farthest)


class TrustedProxyMiddleware:
    """Sets ``request.META["REMOTE_ADDR"]`` to the client's address when the request came through a trusted proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        trusted_networks(tuple(settings.TRUSTED_PROXIES))  # a wrong setting fails when the server starts

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = trusted_networks(tuple(settings.TRUSTED_PROXIES))
        if trusted:
            peer = parse_address(request.META.get("REMOTE_ADDR", ""))
            if peer is None or not is_trusted(peer, trusted):
                # a client that reached the server directly cannot claim HTTPS either (SECURE_PROXY_SSL_HEADER)
                request.META.pop("HTTP_X_FORWARDED_PROTO", None)
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR"), trusted
            )
        return self.get_response(request)
