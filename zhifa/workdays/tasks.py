"""The workdays app's background work: deadline reminders (periodic)."""

from zhifa.core.queue import periodic


@periodic(minutes=60, exclusive=True)
def remind() -> None:
    """Every hour: the deadlines that became due soon, overdue or (a party's period) elapsed are reminded of, once
    each (actions.send_reminders; docs/workdays.md)."""
    from . import actions

    actions.send_reminders()
