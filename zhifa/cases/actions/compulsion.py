"""行政强制措施 — 查封、扣押 as an act of its own (《行政强制法》 arts. 18–28), on the machinery every case uses.

The steps and who takes them are declared in ``lifecycle.COMPULSION_STEPS``; each action here checks them through
``access.require``, writes in one transaction and appends its ledger entry there:

- ``open_measure``: the officers report the measure for approval (art. 18(1)), or register one they carried out in
  an emergency (art. 19);
- ``approve_measure`` / ``refuse_measure``: the agency head decides beforehand; ``ratify_measure``: within 24 hours
  after an emergency measure (art. 19; a late approval is recorded as late);
- ``carry_out_measure``: two certified officers on site, certificates shown, the 现场笔录 and the 查封扣押 record with
  its 清单 (art. 18, 24), the whole filmed (音像记录全程: refused without the recording); the 30-day period starts
  as a deadline (art. 25); the 查封扣押决定 is the measure's decision, published within 20 working days (事后公开);
- ``extend_measure``: once, up to 30 days, by the head (art. 25), with the 查封扣押延期通知书;
- ``release_measure`` (解除查封扣押决定书, art. 28) or ``dispose_measure`` (查封扣押处理决定书): the end, each
  meeting the period's deadline;
- ``open_penalty_case``: 移送立案查处 — a penalty case of the same party opened from the measure, linked both ways.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.org.models import Certificate, Person

from .. import access, deadlines, rules
from ..choices import ActKind, RecordKind, State
from ..models import Case, CaseRecord
from .common import DECIDED_HOOKS, _move, _not_future, _record, _save, _today, item_rows
from .intake import accept_case, open_act
from .investigation import make_record

# Functions other apps add (records): check(actor, case, record) — the measure's record has its recording.
RECORDING_CHECKS: list = []

MEASURES = ("查封", "扣押", "查封、扣押")


@transaction.atomic
def open_measure(actor: Person, *, basis: str, **fields) -> Case:
    """报请实施强制措施: the reasons and the legal basis (art. 18(1); a measure is provided by a law or a regulation,
    art. 10), the officers who will carry it out; ``emergency`` when it is carried out first (art. 19)."""
    case = open_act(
        actor,
        act_kind=ActKind.COMPULSION,
        reference_word="强",
        basis=basis,
        basis_message=_("请填写实施强制措施的法律、法规依据（《行政强制法》第十条）。"),
        **fields,
    )
    _record(case, actor, "open_measure", officers=[p.pk for p in case.officers.all()])
    return case


def _approve(case: Case, actor: Person, opinion: str) -> None:
    case.measure_approved_by = actor
    case.measure_approved_at = timezone.now()
    case.measure_opinion = opinion.strip()


@transaction.atomic
def approve_measure(actor: Person, case: Case, *, opinion: str) -> Case:
    """The head approves the measure before it is carried out (art. 18(1))."""
    case = access.lock(case)
    access.require(actor, case, "approve_measure")
    if not opinion.strip():
        raise RuleViolation({"opinion": [_("请填写审批意见。")]})
    _move(case, "approve_measure")
    _approve(case, actor, opinion)
    return _save(case, actor, "approve_measure")


@transaction.atomic
def refuse_measure(actor: Person, case: Case, *, reason: str) -> Case:
    case = access.lock(case)
    access.require(actor, case, "refuse_measure")
    if not reason.strip():
        raise RuleViolation({"reason": [_("请填写不予批准的理由。")]})
    _move(case, "refuse_measure")
    case.measure_opinion = reason.strip()
    case.ended_on = _today()
    _save(case, actor, "refuse_measure")
    deadlines.end_running(actor, case, case.ended_on, _("不予批准强制措施"))
    return case


@transaction.atomic
def carry_out_measure(
    actor: Person,
    case: Case,
    *,
    started_at: dt.datetime,
    place: str,
    officers: Sequence[Person],
    certificates_shown: Sequence[Certificate],
    measure: str,
    observations: str,
    items,
    keep_place: str = "",
    period_days: int | None = None,
) -> Case:
    """实施查封扣押 on site: the 查封扣押 record with its 清单 and the 现场笔录, made by two certified officers who
    showed their certificates; the recording of the whole (uploaded first) is attached; the period starts."""
    case = access.lock(case)
    access.require(actor, case, "carry_out_measure")
    if measure not in MEASURES:
        raise RuleViolation({"measure": [_("请选择查封、扣押或者查封、扣押。")]})
    if not observations.strip():
        raise RuleViolation({"observations": [_("请填写现场情况（现场笔录）。")]})
    if timezone.localdate(started_at) < case.accepted_on:
        raise RuleViolation({"started_at": [_("实施时间不能早于报请日期。")]})
    officers = list(dict.fromkeys(officers))
    if set(officers) - set(case.officers.all()):
        raise RuleViolation({"officers": [_("实施强制措施的须是本案的承办人员。")]})
    data = {
        "content": observations.strip(),
        "measure": measure,
        "basis": case.measure_basis,
        "keep_place": keep_place.strip(),
        "items": item_rows(items),
    }
    if case.emergency and case.measure_approved_by_id is None:
        data["emergency"] = True
    seizure = make_record(
        actor,
        case,
        kind=RecordKind.SEIZURE,
        data=data,
        started_at=started_at,
        place=place,
        officers=officers,
        certificates_shown=certificates_shown,
        approved_by=case.measure_approved_by,
        period_days=period_days,
    )
    for check in RECORDING_CHECKS:  # 音像记录全程 (the records app: raises RuleViolation without it)
        check(actor, case, seizure)
    onsite = make_record(
        actor,
        case,
        kind=RecordKind.ONSITE,
        data={
            "content": observations.strip(),
            "observations": observations.strip(),
            "av_skip_reason": _("与查封扣押同一现场，全程音像记录附于查封扣押记录"),
        },
        started_at=started_at,
        place=place,
        officers=officers,
        certificates_shown=certificates_shown,
    )
    _move(case, "carry_out_measure")
    case.carried_out_at = started_at
    # the 查封扣押决定 is the measure's decision: made on the spot (art. 24), published within 20 working days
    case.decided_on = timezone.localdate(started_at)
    case.decided_by = case.measure_approved_by
    case.updated_at = timezone.now()
    _save(case, actor, "carry_out_measure", records=[seizure.pk, onsite.pk])
    for hook in DECIDED_HOOKS:  # 事后公开 (zhifa.publicity): the publication and its deadline
        hook(actor, case)
    return case


@transaction.atomic
def ratify_measure(actor: Person, case: Case, *, opinion: str) -> Case:
    """补办批准 of a measure carried out in an emergency: due within 24 hours (art. 19); a late one is recorded as
    late. A head who does not approve has the measure released at once."""
    case = access.lock(case)
    access.require(actor, case, "ratify_measure")
    if not opinion.strip():
        raise RuleViolation({"opinion": [_("请填写审批意见。")]})
    _approve(case, actor, opinion)
    late = rules.ratification_late(case.carried_out_at, case.measure_approved_at, timezone.now())
    case.updated_at = timezone.now()
    return _save(case, actor, "ratify_measure", late=late)


def _seizure(case: Case) -> CaseRecord:
    return case.records.filter(kind=RecordKind.SEIZURE).order_by("-id").first()


@transaction.atomic
def extend_measure(actor: Person, case: Case, *, reason: str, days: int | None = None) -> Case:
    """延长查封扣押期限: once, by no more than 30 days, approved by the head (art. 25); the 延期通知书 follows."""
    case = access.lock(case)
    access.require(actor, case, "extend_measure")
    if not reason.strip():
        raise RuleViolation({"reason": [_("请填写延长的理由（《行政强制法》第二十五条）。")]})
    record = make_record(
        actor,
        case,
        kind=RecordKind.SEIZURE_EXTENSION,
        data={"content": reason.strip(), **({"days": days} if days else {})},
        started_at=timezone.now(),
        officers=[],
        approved_by=actor,
    )
    case.updated_at = timezone.now()
    return _save(case, actor, "extend_measure", record=record.pk)


def _end(actor: Person, case: Case, step: str, on: dt.date | None, **extra) -> Case:
    on = _not_future(on or _today(), _("日期"))
    seizure = _seizure(case)
    if on < timezone.localdate(seizure.started_at):
        raise RuleViolation(_("日期不能早于实施查封扣押之日。"))
    deadlines.meet(actor, seizure, deadlines.SEIZURE, on)
    _move(case, step)
    case.ended_on = on
    case.updated_at = timezone.now()
    return _save(case, actor, step, **extra)


@transaction.atomic
def release_measure(actor: Person, case: Case, *, released_on: dt.date | None = None, note: str = "") -> Case:
    """解除查封扣押 (art. 28) with the finalised 解除查封扣押决定书: the items returned, recorded as such."""
    case = access.lock(case)
    access.require(actor, case, "release_measure")
    released_on = _not_future(released_on or _today(), _("解除日期"))
    seizure = _seizure(case)
    record = make_record(
        actor,
        case,
        kind=RecordKind.SEIZURE_RELEASE,
        data={
            "content": note.strip() or _("解除查封扣押，物品退还当事人。"),
            "items": seizure.data.get("items", []),
        },
        started_at=timezone.now(),
        place=seizure.place,
    )
    return _end(actor, case, "release_measure", released_on, record=record.pk)


@transaction.atomic
def dispose_measure(actor: Person, case: Case, *, disposed_on: dt.date | None = None) -> Case:
    """作出查封扣押处理决定: the head's decision on the items, in the finalised 查封扣押处理决定书."""
    case = access.lock(case)
    access.require(actor, case, "dispose_measure")
    return _end(actor, case, "dispose_measure", disposed_on)


@transaction.atomic
def open_penalty_case(actor: Person, case: Case, *, cause: str, summary: str) -> Case:
    """移送立案查处: a penalty case of the same party, field, unit and officers, opened from the measure or the
    inspection (its records, documents and evidence are read from that file, linked both ways)."""
    from django.conf import settings
    from django.utils import translation

    case = access.lock(case)
    access.require(actor, case, "open_penalty_case")
    with translation.override(
        settings.LANGUAGE_CODE
    ):  # the case's words are data, in the platform's language
        source_detail = _("由%(kind)s%(ref)s移送立案查处") % {
            "kind": case.get_act_kind_display(),
            "ref": case.reference,
        }
    penalty = accept_case(
        actor,
        party=case.party,
        cause=cause,
        source=case.source,
        source_detail=source_detail,
        field=case.field,
        unit=case.unit,
        officers=list(case.officers.all()),
        summary=summary,
        violation_date=case.violation_date,
        items=case.items,
        place=case.place,
        origin=case,
    )
    _move(case, "open_penalty_case")  # the measure stays in force; an inspection ends in 已移送立案查处
    case.updated_at = timezone.now()
    _save(case, actor, "open_penalty_case", penalty_case=penalty.pk)
    return penalty


# What the table's state allows but the measure has already done ------------------------------------------------


def closed_reason(case: Case, step: str) -> str:
    """Why ``step`` has nothing left to do on ``case`` ("" when it has)."""
    if step == "carry_out_measure" and case.state == State.MEASURE_REQUESTED and not case.emergency:
        return _("强制措施须经负责人批准后实施（《行政强制法》第十八条）；情况紧急的，登记时应注明。")
    if step == "ratify_measure" and (not case.emergency or case.measure_approved_by_id is not None):
        return _("该强制措施已经负责人批准。")
    if step == "extend_measure" and case.records.filter(kind=RecordKind.SEIZURE_EXTENSION).exists():
        return _("查封扣押期限只能延长一次，且不得超过三十日（《行政强制法》第二十五条）。")
    if step == "open_penalty_case" and case.derived.exists():
        return _("已由本强制措施移送立案查处：%(ref)s。") % {"ref": case.derived.first().reference}
    return ""


def step_open(case: Case, step: str) -> bool:
    return not closed_reason(case, step)


def ratification(case: Case) -> dict | None:
    """The emergency approval's standing for the case page: due, done, late."""
    if not case.emergency or case.carried_out_at is None:
        return None
    return {
        "due": rules.ratification_due(case.carried_out_at),
        "approved_at": case.measure_approved_at,
        "late": rules.ratification_late(case.carried_out_at, case.measure_approved_at, timezone.now()),
    }
