import pytest
from django.db import transaction
from django.utils import translation

from zhifa.ledger import actions
from zhifa.ledger.models import Log


@pytest.fixture(autouse=True)
def _chinese():
    """The tests read the Chinese messages, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def append(world):
    """Append a bare entry to agency A's log (its own transaction), as an action would."""

    def _append(action="test.note", *, agency=None, actor=None, obj=None, payload=None, files=()):
        with transaction.atomic():
            return actions.append(
                agency=agency or world.a,
                actor=actor,
                action=action,
                obj=obj,
                payload=payload or {},
                files=files,
            )

    return _append


def log_of(agency) -> Log:
    return Log.objects.get(pk=agency.pk)
