"""行政征用 — the worked example of 行政征收征用 (传染病防治法's emergency requisition of premises, vehicles,
facilities and equipment: 2013 text art. 45 — 临时征用房屋、交通工具以及相关设施、设备的，应当依法给予补偿；能返还的，
应当及时返还), on the machinery every case uses. Steps and who takes them: ``lifecycle.REQUISITION_STEPS``.

- ``open_requisition``: the officers register what is to be requisitioned (the 征用清单, a record of the act), why and
  on what basis;
- ``decide_requisition`` / ``refuse_requisition``: the head decides with the finalised 行政征用决定书 (the decision is
  published within 20 working days);
- ``return_requisition``: what can be returned is returned, with the 征用财物返还清单 the owner signs;
- ``compensate_requisition``: the head decides the compensation with the 征用补偿决定书 (amount recorded).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.org.models import Person

from .. import access
from ..choices import ActKind, RecordKind
from ..models import Case
from .common import DECIDED_HOOKS, _move, _not_future, _record, _save, _today, item_rows
from .intake import open_act
from .investigation import make_record


@transaction.atomic
def open_requisition(actor: Person, *, basis: str, requisitioned, **fields) -> Case:
    """登记征用: why (the epidemic situation), the basis, and the list of what is requisitioned (名称｜规格｜数量…)."""
    rows = item_rows(requisitioned)
    case = open_act(
        actor,
        act_kind=ActKind.REQUISITION,
        reference_word="征",
        basis=basis,
        basis_message=_("请填写征用的法律依据，如《中华人民共和国传染病防治法》关于临时征用的规定。"),
        **fields,
    )
    if not rows:
        raise RuleViolation({"requisitioned": [_("请填写征用清单（每行一项）。")]})
    record = make_record(
        actor,
        case,
        kind=RecordKind.REQUISITION,
        data={"content": case.summary, "items": rows},
        started_at=timezone.now(),
        place=case.place,
    )
    _record(case, actor, "open_requisition", officers=[p.pk for p in case.officers.all()], record=record.pk)
    return case


@transaction.atomic
def decide_requisition(actor: Person, case: Case, *, opinion: str) -> Case:
    """作出征用决定 with the finalised 行政征用决定书: the decision date starts the 20 working days of publication."""
    case = access.lock(case)
    access.require(actor, case, "decide_requisition")
    if not opinion.strip():
        raise RuleViolation({"opinion": [_("请填写审批意见。")]})
    _move(case, "decide_requisition")
    case.measure_approved_by, case.measure_approved_at = actor, timezone.now()
    case.measure_opinion = opinion.strip()
    case.decided_on, case.decided_by = _today(), actor
    case.updated_at = timezone.now()
    _save(case, actor, "decide_requisition")
    for hook in DECIDED_HOOKS:  # 事后公开 (zhifa.publicity)
        hook(actor, case)
    return case


@transaction.atomic
def refuse_requisition(actor: Person, case: Case, *, reason: str) -> Case:
    case = access.lock(case)
    access.require(actor, case, "refuse_requisition")
    if not reason.strip():
        raise RuleViolation({"reason": [_("请填写不予征用的理由。")]})
    _move(case, "refuse_requisition")
    case.measure_opinion, case.ended_on = reason.strip(), _today()
    case.updated_at = timezone.now()
    return _save(case, actor, "refuse_requisition")


@transaction.atomic
def return_requisition(
    actor: Person, case: Case, *, returned_on: dt.date | None = None, note: str = ""
) -> Case:
    """返还: what can be returned, returned with the 征用财物返还清单 the owner signed (its condition noted)."""
    case = access.lock(case)
    access.require(actor, case, "return_requisition")
    returned_on = _not_future(returned_on or _today(), _("返还日期"))
    if returned_on < case.decided_on:
        raise RuleViolation({"returned_on": [_("返还日期不能早于征用决定日期。")]})
    _move(case, "return_requisition")
    case.ended_on = returned_on
    case.updated_at = timezone.now()
    return _save(case, actor, "return_requisition", note=note.strip())


@transaction.atomic
def compensate_requisition(actor: Person, case: Case, *, compensated_on: dt.date | None = None) -> Case:
    """征用补偿 (依法给予补偿): the head decides with the finalised 征用补偿决定书; the amount recorded is the one the
    decision states, so the record and the document the owner holds cannot differ."""
    case = access.lock(case)
    access.require(actor, case, "compensate_requisition")
    document = access.final_documents(case, ["requisition_compensation"]).order_by("-dated", "-id").first()
    text = str((document.narrative or {}).get("amount", "")).replace(",", "").replace("，", "").strip()
    try:
        amount = Decimal(text).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or amount < 0:
        raise RuleViolation(
            _("征用补偿决定书中的补偿金额“%(text)s”不是有效的金额，请更正该决定书。") % {"text": text}
        )
    compensated_on = _not_future(compensated_on or _today(), _("补偿决定日期"))
    _move(case, "compensate_requisition")
    case.compensation_amount = amount
    case.ended_on = case.ended_on or compensated_on
    case.updated_at = timezone.now()
    return _save(case, actor, "compensate_requisition")
