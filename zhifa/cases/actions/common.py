"""What every case action shares: the clock, the ledger entry, the state move, and the gates other apps add."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Agency, Person

from .. import lifecycle
from ..choices import RecordKind
from ..models import Case

# Records made on site with the party: two certified officers, certificates shown (arts. 42, 55).
ONSITE_RECORDS = frozenset(
    {RecordKind.INQUIRY, RecordKind.ONSITE, RecordKind.PRESERVATION, RecordKind.SEIZURE, RecordKind.SAMPLING}
)
# Records that need the agency head's approval before they are made (art. 56; 行政强制法 art. 18).
APPROVED_RECORDS = frozenset({RecordKind.PRESERVATION, RecordKind.SEIZURE, RecordKind.SEIZURE_EXTENSION})


def _today() -> dt.date:
    return timezone.localdate()


def _calendar():
    from zhifa.workdays.queries import current_calendar

    return current_calendar()


def _add_workdays(start: dt.date, n: int) -> dt.date:
    from zhifa.workdays.rules import add_working_days

    return add_working_days(_calendar(), start, n).date


def _not_future(day: dt.date, what: str) -> dt.date:
    if day > _today():
        raise RuleViolation(_("%(what)s不能晚于今天。") % {"what": what})
    return day


def _require(actor: Person, agency: Agency, roles: Iterable[str], message: str | None = None) -> None:
    if actor is None:  # the platform itself setting an agency's data (the demo loader, the CLI)
        return
    if not getattr(actor, "is_authenticated", False):
        raise ActionDenied(_("请先登录。"))
    if not org_queries.agency_ids_with(actor, set(roles)) & {agency.pk}:
        labels = "、".join(str(Role(r).label) for r in roles)
        raise ActionDenied(message or _("只有本机关的%(roles)s可以进行此操作。") % {"roles": labels})


def _record(case: Case, actor, action: str, obj=None, **extra) -> None:
    obj = obj or case
    payload = {"state": snapshot(obj), **extra}
    if obj is not case:
        payload["case"] = case.pk
    ledger.append(agency=case.agency, actor=actor, action=f"cases.{action}", obj=obj, payload=payload)


def _move(case: Case, action: str) -> None:
    lifecycle.check(case, action)
    case.state = lifecycle.target(case.state, action, case.act_kind)
    case.updated_at = timezone.now()


def _save(case: Case, actor, action: str, **extra) -> Case:
    case.full_clean()
    case.save()
    _record(case, actor, action, **extra)
    return case


# Gates other apps add before a notice or a decision (the legal review issue adds its own). Each raises
# RuleViolation when the case may not go on.
NOTICE_GATES: list = []
DECISION_GATES: list = []
# Parts other apps add to the decision snapshot when the head decides: part(case) -> dict (the records app binds
# the decision document's reviewed draft).
DECIDE_PARTS: list = []
# What other apps do when a decision is made, called as hook(actor, case) at the end of decide's transaction (the
# publicity app opens the decision's publication and its deadline: 事后公开).
DECIDED_HOOKS: list = []
# Checks other apps add on a new investigation record, called as check(actor, case, record) inside add_record's
# transaction after the record is made: raising RuleViolation refuses (and undoes) it.
RECORD_CHECKS: list = []


def item_rows(text_or_rows) -> list:
    """An item list as rows: typed text (one item a line, 名称｜规格｜数量…) or rows already."""
    if isinstance(text_or_rows, str):
        from ..forms import record_data

        return record_data({"content": "", "kind": "", "items": text_or_rows}).get("items", [])
    return list(text_or_rows or [])
