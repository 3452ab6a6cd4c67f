"""The records app's periodic work: fixity checks of stored evidence and the sweep of abandoned uploads."""

from zhifa.core.periodic import periodic

from . import conf


@periodic(minutes=conf.fixity_minutes)
def fixity() -> None:
    from . import evidence

    evidence.check_fixity()


@periodic(minutes=60)
def sweep_uploads() -> None:
    from . import evidence

    evidence.sweep_uploads()
