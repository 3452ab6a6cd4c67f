"""The supervision app's background work: each quarter's publicity inspections prepared once the quarter has ended
(periodic, daily; a quarter already prepared is left alone)."""

from zhifa.core.queue import periodic


@periodic(minutes=24 * 60, exclusive=True)
def prepare_inspections() -> None:
    from . import actions

    actions.prepare_due_inspections()
