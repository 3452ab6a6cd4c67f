"""行政确认 on the machinery every case uses (e.g. 农村部分计划生育家庭奖励扶助对象资格确认): the applicant's
application registered, examined by the officers, decided by the head with the finalised 行政确认决定书 (确认 or
不予确认 — the result recorded is the one the document states), served on the applicant, published within 20 working
days. Steps and who takes them: ``lifecycle.CONFIRMATION_STEPS``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.org.models import Person

from .. import access
from ..choices import ActKind, RecordKind, ServiceMethod
from ..models import Case
from .common import DECIDED_HOOKS, _move, _not_future, _record, _save, _today
from .intake import open_act
from .investigation import make_record

# The result as the 行政确认决定书 states it (its ``result`` field), and what it records.
RESULTS = {"确认": True, "不予确认": False}


@transaction.atomic
def open_confirmation(actor: Person, *, basis: str, applied_on: dt.date | None = None, **fields) -> Case:
    """受理确认申请: the applicant (the party), the matter applied for, the legal basis, the officers."""
    case = open_act(
        actor,
        act_kind=ActKind.CONFIRMATION,
        reference_word="确",
        basis=basis,
        basis_message=_("请填写行政确认的法律依据。"),
        found_on=applied_on,
        **fields,
    )
    _record(case, actor, "open_confirmation", officers=[p.pk for p in case.officers.all()])
    return case


@transaction.atomic
def examine_confirmation(actor: Person, case: Case, *, opinion: str) -> Case:
    """审查: the officers' opinion on the application (a record of the act)."""
    case = access.lock(case)
    access.require(actor, case, "examine_confirmation")
    if not opinion.strip():
        raise RuleViolation({"opinion": [_("请填写审查意见。")]})
    record = make_record(
        actor, case, kind=RecordKind.EXAMINATION, data={"content": opinion.strip()}, started_at=timezone.now()
    )
    _move(case, "examine_confirmation")
    case.updated_at = timezone.now()
    return _save(case, actor, "examine_confirmation", record=record.pk)


@transaction.atomic
def decide_confirmation(actor: Person, case: Case, *, opinion: str = "") -> Case:
    """作出确认决定 with the finalised 行政确认决定书: 确认 or 不予确认 as it states."""
    case = access.lock(case)
    access.require(actor, case, "decide_confirmation")
    document = access.final_documents(case, ["confirmation_decision"]).order_by("-dated", "-id").first()
    result = str((document.narrative or {}).get("result", "")).strip()
    if result not in RESULTS:
        raise RuleViolation(_("行政确认决定书须写明“确认”或“不予确认”，请更正该决定书。"))
    _move(case, "decide_confirmation")
    case.confirmed = RESULTS[result]
    case.measure_approved_by, case.measure_approved_at = actor, timezone.now()
    case.measure_opinion = opinion.strip()
    case.decided_on, case.decided_by = document.dated, actor
    case.updated_at = timezone.now()
    _save(case, actor, "decide_confirmation")
    for hook in DECIDED_HOOKS:  # 事后公开 (zhifa.publicity)
        hook(actor, case)
    return case


@transaction.atomic
def serve_confirmation(
    actor: Person,
    case: Case,
    *,
    served_on: dt.date | None = None,
    method: str = ServiceMethod.DIRECT,
    recipient="",
) -> Case:
    """送达 of the 行政确认决定书 on the applicant."""
    case = access.lock(case)
    access.require(actor, case, "serve_confirmation")
    served_on = _not_future(served_on or _today(), _("送达日期"))
    if served_on < case.decided_on:
        raise RuleViolation({"served_on": [_("送达日期不能早于决定日期。")]})
    if method not in ServiceMethod.values:
        raise RuleViolation({"method": [_("请选择送达方式。")]})
    _move(case, "serve_confirmation")
    case.served_on = served_on
    case.ended_on = served_on
    case.updated_at = timezone.now()
    return _save(case, actor, "serve_confirmation", method=method, recipient=str(recipient).strip())
