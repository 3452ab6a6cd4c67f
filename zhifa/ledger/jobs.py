"""The ledger's periodic work: a signed checkpoint for each log that grew (every LEDGER_CHECKPOINT_MINUTES)."""

from django.conf import settings

from zhifa.core.periodic import periodic


@periodic(minutes=lambda: settings.LEDGER_CHECKPOINT_MINUTES)
def checkpoints():
    from . import actions

    return actions.make_checkpoints()
