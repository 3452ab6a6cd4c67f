"""The embedded mode's cache: Django's database cache, shared by every process of a deployment.

``zhifa run`` starts several web workers; a per-process (local memory) cache would give each worker its own rate-limit
counters, so a client spreading requests over the workers gets several times the limit. A file cache is shared
but has no atomic increment either: two workers read the same count and both write count + 1. Django's database
cache has the same weakness — its ``incr`` is a ``get`` followed by a ``set`` — so this subclass makes ``incr`` one
transaction that holds the row: ``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the transaction begins
``IMMEDIATE`` (settings), which takes the database's write lock before reading. ``add`` is already atomic (the key
is the table's primary key).

Production deployments set ``ZHIFA_REDIS_URL`` and use Redis instead (atomic ``INCR``).

The table (``createcachetable``) is created after every ``migrate`` (``ensure_table``, connected in
``zhifa.core.apps``), so ``zhifa migrate`` and ``zhifa run`` both make it; Django's test database creation makes it
too.
"""

from __future__ import annotations

from django.core.cache.backends.db import DatabaseCache as _DatabaseCache
from django.db import connections, router, transaction


class DatabaseCache(_DatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {quote_name('cache_key')} FROM {quote_name(self._table)} "
                        f"WHERE {quote_name('cache_key')} = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            self.set(key, value, version=version)
        return value


def ensure_table(sender, using="default", **kwargs) -> None:
    """post_migrate: create the cache table of every database cache (idempotent)."""
    if sender.label != "core":
        return
    from django.conf import settings
    from django.core.management import call_command

    if any(c.get("BACKEND", "").endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
