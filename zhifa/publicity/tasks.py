"""The publicity app's background work: published decisions taken offline when their period ends (periodic)."""

from zhifa.core.queue import periodic


@periodic(minutes=60, exclusive=True)
def take_offline() -> None:
    from . import publication

    publication.take_offline_due()
