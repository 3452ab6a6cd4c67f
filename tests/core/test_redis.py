"""Production caching on a real Redis: the portal's rate limits hold across web workers because they live there."""

import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": f"zhifa-test-{uuid.uuid4().hex}",
    }
}


@pytest.fixture
def redis_cache():
    with override_settings(CACHES=REDIS):
        cache = caches["default"]
        cache.set("ping", "pong", 5)  # fails loudly if Redis is not running (CI starts it)
        yield cache
        # only this run's keys: the SQLite and PostgreSQL runs of `make test` share the Redis database
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(f"{REDIS['default']['KEY_PREFIX']}*"):
            client.delete(key)


def test_rate_limit_counts_in_redis_across_workers(redis_cache, settings):
    from zhifa.publicity import ratelimit

    settings.PORTAL_VERIFY_PER_MINUTE = 3
    request = RequestFactory().get("/portal/certificates/verify/", REMOTE_ADDR="203.0.113.9")
    assert [ratelimit.hit(request, "verify", now=60_000.0)[0] for _ in range(3)] == [True, True, True]
    # Another worker process shares nothing with this one but Redis: a fresh client sees the same count.
    from django.core.cache.backends.redis import RedisCache

    other = RedisCache(REDIS["default"]["LOCATION"], {"KEY_PREFIX": REDIS["default"]["KEY_PREFIX"]})
    key = redis_cache.make_key("zhifa:rl:verify:203.0.113.9:1000")
    assert other.get("zhifa:rl:verify:203.0.113.9:1000") == 3
    assert key.startswith(REDIS["default"]["KEY_PREFIX"])
    assert ratelimit.hit(request, "verify", now=60_000.0)[0] is False
    assert ratelimit.hit(request, "verify", now=60_060.0)[0] is True  # the next minute starts afresh


def test_settings_choose_redis_from_the_environment(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "ZHIFA_VAR_DIR": str(tmp_path), "ZHIFA_REDIS_URL": "redis://127.0.0.1:6379/14"}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='zhifa.settings'; django.setup(); "
        "from django.core.cache import caches; c = caches['default']; c.set('k', 'v'); print(type(c).__name__, c.get('k'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["RedisCache", "v"]
