"""Django's PostgreSQL backend with the ledger's write tracking (see ``zhifa.core.db``)."""

from django.db.backends.postgresql import base

from zhifa.core.db import RecordedWrites


class DatabaseWrapper(RecordedWrites, base.DatabaseWrapper):
    pass
