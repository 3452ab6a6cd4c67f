"""Django's SQLite backend with the ledger's write tracking (see ``zhifa.core.db``)."""

from django.db.backends.sqlite3 import base

from zhifa.core.db import RecordedWrites


class DatabaseWrapper(RecordedWrites, base.DatabaseWrapper):
    pass
