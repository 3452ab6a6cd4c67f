"""Check constraints evaluated in Python (zhifa.core.constraints) answer exactly as Django's query does: for every
check constraint of every model of ours, random values of the fields it names (NULL included) give the same
verdict both ways; and full_clean() of a case no longer asks the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CheckConstraint, F, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.core import constraints

OURS = [
    (model, constraint)
    for config in apps.get_app_configs()
    if config.name.startswith("zhifa.")
    for model in config.get_models()
    for constraint in model._meta.constraints
    if isinstance(constraint, CheckConstraint)
]


def _names(condition: Q) -> set[str]:
    out = set()
    for child in condition.children:
        if isinstance(child, Q):
            out |= _names(child)
        else:
            out.add(child[0].split("__")[0])
            if isinstance(child[1], F):
                out.add(child[1].name)
    return out


def _values(field):
    kind = field.get_internal_type()
    if kind == "DecimalField":
        base = st.decimals(min_value=-3, max_value=3, places=2)
    elif kind in (
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
    ):
        base = st.integers(min_value=-2, max_value=3000)
    elif kind == "BooleanField":
        base = st.booleans()
    elif kind == "DateField":
        base = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2025, 1, 5))
    elif kind == "DateTimeField":
        base = st.sampled_from([timezone.now(), timezone.now() - dt.timedelta(days=1)])
    elif kind == "JSONField":
        base = st.sampled_from([{"a": 1}, {}])
    elif kind in ("ForeignKey", "OneToOneField"):
        base = st.integers(min_value=1, max_value=3)
    elif kind in ("CharField", "TextField", "SlugField"):
        choices = [value for value, _label in (field.flatchoices or [])]
        base = st.sampled_from([*choices, "", "x", "final", "penalty", "account", "refused", "open"])
    else:
        pytest.fail(f"no values for {field.model.__name__}.{field.name} ({kind}): add them here")
    return st.one_of(st.none(), base) if field.null else base


def _database_says_violated(model, constraint, instance) -> bool:
    try:
        constraints._by_database(constraint, model, instance)
    except ValidationError:
        return True
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("model,constraint", OURS, ids=[f"{m.__name__}.{c.name}" for m, c in OURS])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_each_check_constraint_answers_as_the_database(model, constraint, data):
    instance = model()
    for name in sorted(_names(constraint.condition)):
        field = model._meta.get_field(name)
        setattr(instance, field.attname, data.draw(_values(field), label=name))
    try:
        ours = constraints.evaluate(constraint.condition, instance, model._meta)
    except constraints.Unsupported:
        return  # Django's query answers (validate falls back to it)
    assert (ours is False) == _database_says_violated(model, constraint, instance)


def test_the_plain_constraints_are_evaluated_here():
    """The optimisation applies where it matters: the case's, the document's, the deadline's constraints are plain
    (if one becomes unsupported, this names it)."""
    from zhifa.cases.models import Case
    from zhifa.records.models import Document
    from zhifa.workdays.models import Deadline

    for model in (Case, Document, Deadline):
        blank, filled = model(), model()
        for (
            field
        ) in model._meta.concrete_fields:  # a JSON field holding a value: only whether it is NULL is asked
            if field.get_internal_type() == "JSONField":
                setattr(filled, field.attname, {"a": 1})
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                for instance in (blank, filled):  # each raises Unsupported if not plain
                    constraints.evaluate(constraint.condition, instance, model._meta)


def test_a_violation_is_refused_with_the_constraints_message_and_no_query(db):
    from zhifa.cases.models import Case

    case = Case(fine_amount=Decimal("-1"), confiscation_amount=Decimal("0"))
    (amounts,) = [c for c in Case._meta.constraints if c.name == "case_amounts_not_negative"]
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refused:
        amounts.validate(Case, case)
    assert len(queries) == 0 and refused.value.messages == [amounts.get_violation_error_message()]
    case.fine_amount = Decimal("5")
    with CaptureQueriesContext(connection) as queries:
        amounts.validate(Case, case)
    assert len(queries) == 0
    # a field left out of the validation skips the constraint, as Django does
    case.fine_amount = Decimal("-1")
    amounts.validate(Case, case, exclude={"fine_amount"})


def test_a_foreign_key_held_as_a_row_read_is_not_asked_again(world):
    """full_clean() asks the database whether a foreign key's row exists unless the instance holds that row, read
    from the database; a bare id, an unsaved object or another id is still asked — and refused when missing."""
    from zhifa.cases.models import Party
    from zhifa.org.models import Agency

    field = Party._meta.get_field("agency")
    agency = Agency.objects.get(pk=world.a.pk)
    held = Party(agency=agency)
    with CaptureQueriesContext(connection) as queries:
        field.validate(agency.pk, held)
    assert len(queries) == 0
    bare = Party(agency_id=agency.pk)  # an id alone: asked, and there
    with CaptureQueriesContext(connection) as queries:
        field.validate(agency.pk, bare)
    assert len(queries) == 1
    missing = Agency.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    for party in (Party(agency_id=missing), Party(agency=Agency(pk=missing, code="nowhere")), held):
        with pytest.raises(ValidationError):
            field.validate(missing, party)
