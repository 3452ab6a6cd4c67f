"""Gapless numbering: the next number of a (agency, key, year) counter, taken inside the caller's transaction.

The counter row is locked (SELECT … FOR UPDATE) until the caller's transaction ends, so two concurrent
issuers never get the same number, and a rolled-back issue gives its number back (no gap).
"""

from django.db import transaction

from .models import Sequence


def next_number(agency, key: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must be called inside the action's transaction")
    # Create the row if missing without failing on a concurrent creator (ON CONFLICT DO NOTHING).
    Sequence.objects.bulk_create([Sequence(agency=agency, key=key, year=year)], ignore_conflicts=True)
    seq = Sequence.objects.select_for_update().get(agency=agency, key=key, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last
