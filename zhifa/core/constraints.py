"""Check constraints (and foreign keys) validated in Python where the answer is at hand, without a query each.

``Model.full_clean()`` validates every ``CheckConstraint`` of the model, and Django does it by asking the database:
one ``SELECT 1 WHERE <condition with the instance's values>`` per constraint, compiled each time. Every action that
saves a case validates three of them (and a document three more): in the legal-review property test, a fifth of the
time went to these queries. The database still enforces each constraint on save; this is the friendly error before it.

A condition made only of AND, OR and NOT over ``field``, ``field__isnull``, ``__exact``, ``__gt``, ``__gte``,
``__lt``, ``__lte`` and ``__in`` on the model's own concrete fields — compared with plain values or ``F("other_field")``
— is evaluated here with SQL's three-valued logic (a comparison with NULL is unknown; Django, like the database,
lets a constraint whose condition is unknown pass). Anything else (a function, a related field, a JSON path, ordering
of text, whose order is the database's collation) goes to Django's query as before. tests/core/test_constraints.py
checks that every check constraint of ours answers as Django's query does, for random values of its fields.
"""

from __future__ import annotations

import datetime as dt
import decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import CheckConstraint, F, Field, ForeignKey, Model, Q, UniqueConstraint
from django.db.models.constants import LOOKUP_SEP

_ORDERED = (int, float, decimal.Decimal, dt.date, dt.datetime, dt.time, dt.timedelta)
_COMPARE = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


class Unsupported(Exception):
    """The condition is not one this module evaluates: ask the database."""


class _Excluded(Exception):
    """The condition names a field left out of the validation: Django skips such a constraint (FieldError)."""


def _value(instance, meta, name: str, exclude, *, null_only=False):
    try:
        field = meta.get_field(name)
    except FieldDoesNotExist as exc:
        raise Unsupported(name) from exc
    if not field.concrete or field.many_to_many:
        raise Unsupported(name)
    if exclude and (field.name in exclude or field.attname in exclude):
        raise _Excluded(name)
    if field.get_internal_type() == "JSONField":
        value = getattr(instance, field.attname)
        # JSON values compare as JSON in the database; whether one is there at all is Python's None (Django saves
        # None in a JSONField as SQL NULL)
        if value is not None and not null_only:
            raise Unsupported(name)
        return value
    return getattr(instance, field.attname)


def _leaf(instance, meta, lookup: str, expected, exclude) -> bool | None:
    parts = lookup.split(LOOKUP_SEP)
    if len(parts) == 1:
        name, op = parts[0], "exact"
    elif len(parts) == 2:
        name, op = parts
    else:
        raise Unsupported(lookup)
    actual = _value(instance, meta, name, exclude, null_only=op == "isnull")
    if isinstance(expected, F):
        if LOOKUP_SEP in expected.name:
            raise Unsupported(lookup)
        expected = _value(instance, meta, expected.name, exclude)
        if expected is None:
            return None
    elif isinstance(expected, Model) or hasattr(expected, "resolve_expression"):
        raise Unsupported(lookup)
    if op == "isnull":
        if not isinstance(expected, bool):
            raise Unsupported(lookup)
        return (actual is None) is expected
    if op == "exact" and expected is None:
        return actual is None  # Django turns field=None into IS NULL
    if op == "in":
        if isinstance(expected, str) or not hasattr(expected, "__iter__"):
            raise Unsupported(lookup)
        values = list(expected)
        if any(v is None or isinstance(v, Model) or hasattr(v, "resolve_expression") for v in values):
            raise Unsupported(lookup)
        if actual is None:
            return None
        _same_kind(actual, values)
        return actual in values
    if actual is None:
        return None
    if op == "exact":
        _same_kind(actual, [expected])
        return actual == expected
    if op in _COMPARE:
        if not (isinstance(actual, _ORDERED) and isinstance(expected, _ORDERED)):
            raise Unsupported(lookup)  # text orders by the database's collation
        if isinstance(actual, bool) or isinstance(expected, bool):
            raise Unsupported(lookup)
        try:
            return _COMPARE[op](actual, expected)
        except TypeError as exc:
            raise Unsupported(lookup) from exc
    raise Unsupported(lookup)


def _same_kind(actual, values) -> None:
    """Only values of one kind are compared here (a number with a number, text with text): else Unsupported."""
    for v in values:
        if isinstance(actual, str) != isinstance(v, str) or isinstance(actual, bool) != isinstance(v, bool):
            raise Unsupported(repr(v))


def evaluate(condition: Q, instance, meta, exclude=None) -> bool | None:
    """True, False or None (unknown) for ``condition`` on ``instance``'s current values; raises Unsupported."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(evaluate(child, instance, meta, exclude))
        elif isinstance(child, tuple) and len(child) == 2:
            results.append(_leaf(instance, meta, child[0], child[1], exclude))
        else:
            raise Unsupported(repr(child))
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        result = True if True in results else (None if None in results else False)
    else:
        raise Unsupported(condition.connector)
    if condition.negated and result is not None:
        result = not result
    return result


_by_database = CheckConstraint.validate


def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
    """``CheckConstraint.validate`` evaluated here when the condition is plain (see above), else Django's own."""
    if model._meta.app_label not in _APPS or not isinstance(self.condition, Q):
        return _by_database(self, model, instance, exclude=exclude, using=using)
    try:
        result = evaluate(self.condition, instance, model._meta, exclude)
    except _Excluded:
        return None
    except Unsupported:
        return _by_database(self, model, instance, exclude=exclude, using=using)
    if result is False:
        raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)
    return None


# Foreign keys -----------------------------------------------------------------------------------------------------
# ``full_clean()`` also asks the database, for every foreign key that is set, whether its row exists
# (``SELECT 1 … WHERE pk = %s LIMIT 1``): on SQLite half a millisecond each, five to fifteen per action. When the
# instance holds the related object itself, read from the database (not one being added) and with the same key, the
# row was there when it was read, and the database's foreign-key constraint refuses the save if it has gone since
# (our rows are never deleted under a running action: they are PROTECTed). Otherwise, or when the key limits its
# choices (``limit_choices_to``, a condition the object may no longer meet), Django's query as before.

_fk_by_database = ForeignKey.validate


def validate_foreign_key(self, value, model_instance):
    if (
        value is not None
        and model_instance is not None
        and model_instance._meta.app_label in _APPS
        and not self.remote_field.parent_link
        and not self.get_limit_choices_to()
    ):
        held = self.get_cached_value(model_instance, default=None)
        if (
            held is not None
            and not held._state.adding
            and getattr(held, self.remote_field.field_name) == value
        ) or _as_read(model_instance, (self.attname,)):
            Field.validate(self, value, model_instance)  # choices, null and blank, as Django's own first step
            return
    _fk_by_database(self, value, model_instance)


# Values as read -----------------------------------------------------------------------------------------------------
# A row read from the database met its unique constraints and its foreign keys pointed at rows that existed. So when
# ``full_clean()`` runs on an instance of one of our models whose key and whose values in a unique constraint (or in a
# foreign key) are still those it was read with, the answer is known: yes, as when it was read — Django would ask
# the database again (``SELECT 1 … WHERE agency_id = %s AND reference = %s AND NOT id = %s``; a case's every save).
# The database's own constraints still refuse the save if another transaction took the value since. Each instance
# read (``from_db``) keeps those few values; a value changed since, a new instance or another key: asked as before.

_READ = "_zhifa_as_read"
_WATCHED: dict[type, tuple[str, ...]] = {}


def _watched(model) -> tuple[str, ...]:
    names = set()
    for field in model._meta.concrete_fields:
        if isinstance(field, ForeignKey) and not field.remote_field.parent_link:
            names.add(field.attname)
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.fields and not constraint.expressions:
            names.update(model._meta.get_field(name).attname for name in constraint.fields)
    return tuple(sorted(names))


def _remember(model):
    """``model.from_db`` that keeps the watched values (those not deferred) and the key of each instance read."""
    names = _WATCHED[model] = _watched(model)
    if not names:
        return  # nothing to keep: the model's own from_db, with no wrapper on every row read
    read = model.from_db.__func__

    def from_db(cls, db, field_names, values):
        instance = read(cls, db, field_names, values)
        if cls is model:
            held = instance.__dict__
            held[_READ] = (instance.pk, {n: held[n] for n in names if n in held})
        return instance

    model.from_db = classmethod(from_db)


def _as_read(instance, attnames) -> bool:
    """Whether ``instance`` was read from the database and still has its key and ``attnames``' values as read."""
    read = instance.__dict__.get(_READ)
    if read is None or instance._state.adding or instance.pk != read[0]:
        return False
    values = read[1]
    held = instance.__dict__
    return all(name in values and name in held and held[name] == values[name] for name in attnames)


_unique_by_database = UniqueConstraint.validate


def validate_unique(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
    """``UniqueConstraint.validate`` without the query when the instance still has the values it was read with."""
    if (
        model._meta.app_label in _APPS
        and self.fields
        and not self.expressions
        and self.condition is None
        and _as_read(instance, [model._meta.get_field(name).attname for name in self.fields])
    ):
        return None
    return _unique_by_database(self, model, instance, exclude=exclude, using=using)


_APPS: set[str] = set()


def install(app_configs) -> None:
    """Validate the check constraints, foreign keys and unique constraints of the models of ``app_configs`` here
    where the answer is at hand (once per process)."""
    for config in app_configs:
        if config.label not in _APPS:
            _APPS.add(config.label)
            for model in config.get_models():
                if not model._meta.abstract and model not in _WATCHED:
                    _remember(model)
    CheckConstraint.validate = validate
    ForeignKey.validate = validate_foreign_key
    UniqueConstraint.validate = validate_unique
