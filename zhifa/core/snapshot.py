"""The recorded state of an object: what an action writes into its ledger entry as ``payload["state"]``.

The ledger's ``verify --state`` computes the same snapshot from the live row and compares, so an edit
made straight in the database is found. Keep this the one definition of "state".
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

# Never recorded as they are: secrets do not belong in a log that supervisors and courts read. The stored
# credential hashes (``password``, ``key_hash``) are recorded as a keyed digest instead (``DIGESTED``:
# ``ledger.credentials``), so a hash replaced in the database is found; ``last_login`` is bookkeeping;
# ``draw_seed`` is a draw's seed, recorded as its commitment until the draw reveals it (``supervision.rules``).
SECRET_FIELDS = frozenset({"password", "key_hash", "last_login", "draw_seed"})
# The secret fields recorded as a keyed digest, and the name the digest has in a state.
DIGESTED = {"password": "password_digest", "key_hash": "key_hash_digest"}


def _jsonable(value: Any) -> Any:
    from django.db.models.fields.files import FieldFile

    if isinstance(
        value, FieldFile
    ):  # a stored file is recorded by its storage name (its hash goes in `files`)
        return value.name or ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def snapshot(instance: models.Model, *, many_to_many: bool = True) -> dict[str, Any]:
    """Concrete field values (foreign keys as ids, many-to-many as sorted ids), secrets left out (credential
    hashes recorded as their keyed digest, see ``DIGESTED``).

    ``many_to_many=False`` leaves the many-to-many fields out (they cost a query each)."""
    state: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            if field.name in DIGESTED:
                from zhifa.ledger.credentials import digest

                state[DIGESTED[field.name]] = digest(field.name, field.value_from_object(instance))
            continue
        state[field.attname] = _jsonable(field.value_from_object(instance))
    for field in instance._meta.many_to_many if many_to_many else ():
        if instance.pk is not None:
            # sorted here, so without the related model's default ordering (a person's joins two tables)
            state[field.name] = sorted(getattr(instance, field.name).order_by().values_list("pk", flat=True))
    return state


def object_kind(instance: models.Model) -> str:
    """``app_label.model`` — how entries name the kind of object."""
    return instance._meta.label_lower
