import datetime as dt

import pytest
from django.db import transaction

from tests.cases.conftest import clock, cw  # noqa: F401 (fixtures)
from zhifa.cases import deadlines
from zhifa.cases.choices import State
from zhifa.cases.models import Case
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.ledger.tracking import unrecorded_writes


@pytest.fixture
def served(cw):  # noqa: F811 (the cw fixture is imported above)
    """A general-procedure fine (5000 元) decided and served a few days ago. The subject here is what follows the
    decision, not how it is reached (tests/cases and tests/review walk that through the actions), so the decided
    and served state is written as test set-up around the actions layer, with its payment deadline opened."""
    case = cw.investigate(cw.new_case())
    cw.clock.move_to(cw.clock.today + dt.timedelta(days=7))
    decided = cw.clock.today - dt.timedelta(days=3)
    with unrecorded_writes(), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(
            state=State.SERVED, decided_on=decided, decided_by=cw.head, served_on=decided
        )
    case.refresh_from_db()
    with transaction.atomic():  # the payment deadline through its action, recorded as usual
        due = deadlines.open_(cw.officer, case, deadlines.PAYMENT, decided).due
    with unrecorded_writes(), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(payment_due=due)
        case.refresh_from_db()
        # the set-up's state in the ledger too, so `verify --state` holds the remedies' own writes to account
        ledger.append(
            agency=case.agency,
            actor=cw.head,
            action="cases.serve_decision",
            obj=case,
            payload={"state": snapshot(case)},
        )
    return case


def state_ok():
    from zhifa.ledger import checks

    report = checks.verify(state=True, files=False)
    assert report.ok, [str(p) for p in report.problems]
