"""The ledger's periodic work (a Huey periodic task, zhifa.core.queue): sign the unsigned tail of every log that grew.

A transaction that appends signs its log after it commits when the last checkpoint is older than
``ZHIFA_LEDGER_CHECKPOINT_SECONDS`` (``actions.checkpoint_after_commit``). The entries of a burst that came within
that time of the last signing wait for this job, which runs as often and signs every log whose last checkpoint is
at least that old: a burst is signed within about twice ``ZHIFA_LEDGER_CHECKPOINT_SECONDS`` after it ends. With
``ZHIFA_LEDGER_CHECKPOINT_SECONDS=0`` the job signs every ``ZHIFA_LEDGER_CHECKPOINT_MINUTES`` instead.
"""

import datetime as dt

from django.conf import settings

from zhifa.core.queue import periodic


def interval_minutes() -> float:
    from . import actions

    seconds = actions.checkpoint_seconds()
    return max(1.0, seconds / 60) if seconds else settings.LEDGER_CHECKPOINT_MINUTES


@periodic(minutes=interval_minutes)
def checkpoints():
    from . import actions

    seconds = actions.checkpoint_seconds()
    return actions.make_checkpoints(min_age=dt.timedelta(seconds=seconds) if seconds else None)
