"""The supervision app's background work: each quarter's publicity inspections prepared once the quarter has ended
(periodic, daily; a quarter already prepared is left alone)."""

from zhifa.core.queue import periodic


@periodic(minutes=24 * 60, exclusive=True)
def prepare_inspections() -> None:
    from . import actions

    actions.prepare_due_inspections()


@periodic(minutes=24 * 60, exclusive=True)
def count_figures() -> None:
    """The summary table of the figures: the last months of every agency counted afresh."""
    from . import figures

    figures.rebuild_recent()
