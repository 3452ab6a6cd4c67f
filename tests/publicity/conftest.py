import pytest
from django.core.cache import cache

from tests.catalog.factories import build_catalog


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):  # the embedded mode's cache is a database table (zhifa.core.cache)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cat(world):
    return build_catalog(world)
