"""Per-address request limits through Django's cache — a table in the platform's database in the embedded mode
(zhifa.core.cache, with an atomic increment), Redis in production — so they hold across any number of web
workers and servers. Fixed one-minute windows: simple, and enough against enumeration of certificate numbers
and floods of the complaint form.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

# scope → (setting name, default requests per minute per client address)
LIMITS = {
    "verify": ("PORTAL_VERIFY_PER_MINUTE", 20),
    "complaint": ("PORTAL_COMPLAINT_PER_MINUTE", 5),
    "status": ("PORTAL_STATUS_PER_MINUTE", 10),
}
WINDOW = 60


def limit_for(scope: str) -> int:
    name, default = LIMITS[scope]
    return int(getattr(settings, name, default))


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, which zhifa.core.proxy sets from a trusted proxy's X-Forwarded-For
    (ZHIFA_TRUSTED_PROXIES). Nothing here reads a header: the one rule lives there."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(request, scope: str, now: float | None = None) -> tuple[bool, int]:
    """Count one request; (allowed, seconds until the window resets)."""
    now = time.time() if now is None else now
    window = int(now // WINDOW)
    key = f"zhifa:rl:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW + 5)
        count = 1
    retry_after = int((window + 1) * WINDOW - now) + 1
    return count <= limit_for(scope), retry_after
