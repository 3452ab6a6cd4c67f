"""行政检查 of a target outside a random-inspection plan (日常检查、专项检查、投诉举报核查) on the machinery every case
uses. Steps and who takes them: ``lifecycle.INSPECTION_STEPS``.

- ``open_inspection``: the target (the party), what is checked and on what basis, two certified officers;
- ``record_inspection``: on site, the officers show their certificates and make the 现场笔录 (检查记录) or a
  采样记录 (产品样品 / 非产品样品, the samples listed);
- the conclusion, each published within 20 working days: ``pass_inspection`` (合格, on the finalised 现场笔录),
  ``order_correction`` (责令改正 with the finalised 卫生监督意见书; the 复查 time limit opens), ``record_correction``
  (复查合格, meeting it), or ``compulsion.open_penalty_case`` (移送立案查处, linked both ways).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.org.models import Certificate, Person

from .. import access, deadlines
from ..choices import ActKind, RecordKind
from ..models import Case, CaseRecord
from .common import DECIDED_HOOKS, _move, _not_future, _record, _save, _today, item_rows
from .intake import open_act
from .investigation import make_record

# The 复查 time limit of a 责令改正 (agency-settable working days; seeded by the inspections app: 15).
RECHECK = "inspection_recheck"
INSPECTION_RECORDS = (RecordKind.ONSITE, RecordKind.SAMPLING)


@transaction.atomic
def open_inspection(actor: Person, *, basis: str, **fields) -> Case:
    """登记行政检查: the target, what is checked (检查事项) and why, the legal basis, the inspecting officers."""
    case = open_act(
        actor,
        act_kind=ActKind.INSPECTION,
        reference_word="检",
        basis=basis,
        basis_message=_("请填写检查依据。"),
        **fields,
    )
    _record(case, actor, "open_inspection", officers=[p.pk for p in case.officers.all()])
    return case


@transaction.atomic
def record_inspection(
    actor: Person,
    case: Case,
    *,
    kind: str,
    started_at: dt.datetime,
    place: str,
    content: str,
    officers: Sequence[Person],
    certificates_shown: Sequence[Certificate],
    samples="",
    av_skip_reason: str = "",
) -> CaseRecord:
    """A 现场笔录 (检查记录) or a 采样记录 made on site by two certified officers who showed their certificates."""
    case = access.lock(case)
    access.require(actor, case, "record_inspection")
    if kind not in INSPECTION_RECORDS:
        raise RuleViolation({"kind": [_("请选择现场笔录或采样记录。")]})
    if not content.strip():
        raise RuleViolation({"content": [_("请填写检查情况。")]})
    data = {"content": content.strip(), "observations": content.strip()}
    rows = item_rows(samples)
    if kind == RecordKind.SAMPLING:
        if not rows:
            raise RuleViolation({"samples": [_("采样记录须列出样品（每行一项）。")]})
        data["items"] = rows
    if av_skip_reason.strip():
        data["av_skip_reason"] = av_skip_reason.strip()
    record = make_record(
        actor,
        case,
        kind=kind,
        data=data,
        started_at=started_at,
        place=place,
        officers=officers,
        certificates_shown=certificates_shown,
    )
    return record


def _conclude(actor: Person, case: Case, step: str, **extra) -> Case:
    _move(case, step)
    case.decided_on, case.decided_by = _today(), actor
    case.updated_at = timezone.now()
    _save(case, actor, step, **extra)
    for hook in DECIDED_HOOKS:  # 事后公开 of the result (zhifa.publicity): 20 working days
        hook(actor, case)
    return case


@transaction.atomic
def pass_inspection(actor: Person, case: Case) -> Case:
    """检查合格 on the finalised 现场笔录."""
    case = access.lock(case)
    access.require(actor, case, "pass_inspection")
    case.ended_on = _today()
    return _conclude(actor, case, "pass_inspection")


@transaction.atomic
def order_correction(actor: Person, case: Case) -> Case:
    """责令改正 with the finalised 卫生监督意见书 handed to the target; the 复查 time limit starts today."""
    case = access.lock(case)
    access.require(actor, case, "order_correction")
    _conclude(actor, case, "order_correction")
    deadlines.open_(actor, case, RECHECK, case.decided_on)
    return case


@transaction.atomic
def record_correction(
    actor: Person, case: Case, *, rechecked_on: dt.date | None = None, note: str = ""
) -> Case:
    """复查合格: the ordered correction was made (an uncorrected one is opened as a penalty case instead)."""
    case = access.lock(case)
    access.require(actor, case, "record_correction")
    rechecked_on = _not_future(rechecked_on or _today(), _("复查日期"))
    if rechecked_on < case.decided_on:
        raise RuleViolation({"rechecked_on": [_("复查日期不能早于责令改正之日。")]})
    if not note.strip():
        raise RuleViolation({"note": [_("请填写复查情况。")]})
    _move(case, "record_correction")
    case.ended_on = rechecked_on
    case.updated_at = timezone.now()
    _save(case, actor, "record_correction", note=note.strip())
    deadlines.meet(actor, case, RECHECK, rechecked_on)
    return case
