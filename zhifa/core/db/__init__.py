"""The database backends zhifa runs on: Django's own, with the ledger's write tracking (``ledger.tracking``).

``settings.DATABASES`` names ``zhifa.core.db.sqlite3`` or ``zhifa.core.db.postgresql``; each is Django's backend
of the same name with ``RecordedWrites`` mixed in, so the check at the end of every transaction cannot be
left out by any code path that writes through Django.
"""

from zhifa.ledger import tracking


class RecordedWrites:
    """Tells ``ledger.tracking`` where transactions and savepoints begin and end, and guards raw writes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(tracking.guard)

    def commit(self):
        tracking.on_commit(self)
        super().commit()

    def rollback(self):
        tracking.on_rollback(self)
        super().rollback()

    def savepoint(self):
        sid = super().savepoint()
        tracking.on_savepoint(self, sid)
        return sid

    def savepoint_commit(self, sid):
        tracking.on_savepoint_commit(self, sid)
        super().savepoint_commit(sid)

    def savepoint_rollback(self, sid):
        super().savepoint_rollback(sid)
        tracking.on_savepoint_rollback(self, sid)
