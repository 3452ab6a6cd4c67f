"""Parties, officers, intake (受理) and filing (立案). Recusal is in ``recusal.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import RuleViolation
from zhifa.core.sequences import next_number
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Agency, EnforcementField, Person, Unit

from .. import access, deadlines, rules
from ..choices import PartyKind, Source
from ..models import Case, CaseOfficer, Party, PartyConnection
from .common import _move, _not_future, _record, _require, _save, _today

# Parties ----------------------------------------------------------------------------------------------------------

_PARTY_ID_MESSAGES = {
    "format": gettext_lazy("证件号码格式不正确。"),
    "birth_date": gettext_lazy("居民身份证号码中的出生日期不存在。"),
    "check": gettext_lazy("居民身份证号码校验位不正确，请核对。"),
    "credit_code": gettext_lazy("统一社会信用代码不正确，请核对。"),
    "kind_mismatch": gettext_lazy(
        "证件类型与当事人类型不符：法人和其他组织使用统一社会信用代码，自然人使用身份证件。"
    ),
}


@transaction.atomic
def register_party(
    actor: Person,
    agency: Agency,
    *,
    kind: str,
    name: str,
    id_type: str,
    id_number: str,
    address: str,
    legal_representative: str = "",
    phone: str = "",
) -> Party:
    _require(actor, agency, {Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD})
    id_number = id_number.strip().upper()
    problem = rules.party_id_problem(kind, id_type, id_number)
    if problem:
        raise RuleViolation({"id_number": [str(_PARTY_ID_MESSAGES[problem])]})
    if kind != PartyKind.NATURAL and kind != PartyKind.INDIVIDUAL_BUSINESS and not legal_representative:
        raise RuleViolation({"legal_representative": [_("法人和其他组织须填写法定代表人或负责人。")]})
    if Party.objects.filter(agency=agency, id_type=id_type, id_number=id_number).exists():
        raise RuleViolation({"id_number": [_("该当事人已登记，请直接选用。")]})
    party = Party(
        agency=agency,
        kind=kind,
        name=name.strip(),
        id_type=id_type,
        id_number=id_number,
        address=address,
        legal_representative=legal_representative,
        phone=phone,
    )
    party.full_clean()
    party.save()
    ledger.append(
        agency=agency,
        actor=actor,
        action="cases.register_party",
        obj=party,
        payload={"state": snapshot(party)},
    )
    return party


# Officers ---------------------------------------------------------------------------------------------------------


def _check_officers(
    case_agency: Agency, party: Party, field: EnforcementField, officers: Sequence[Person], on: dt.date
) -> None:
    officers = list(dict.fromkeys(officers))
    foreign = [p.full_name for p in officers if p.agency_id != case_agency.pk]
    if foreign:
        raise RuleViolation(_("承办人员必须是本机关人员：%(names)s。") % {"names": "、".join(foreign)})
    org_queries.check_acting_officers(officers, field.code, on)
    # 行政处罚法 art. 43: an officer with an interest in the case withdraws.
    connected = PartyConnection.objects.filter(party=party, person__in=officers).select_related("person")
    if connected:
        raise RuleViolation(
            _("%(names)s与当事人存在利害关系，应当回避（《行政处罚法》第四十三条）。")
            % {"names": "、".join(c.person.full_name for c in connected)}
        )


def _set_officers(case: Case, officers: Sequence[Person]) -> None:
    case.officer_links.all().delete()
    for index, person in enumerate(dict.fromkeys(officers)):
        CaseOfficer.objects.create(case=case, person=person, lead=index == 0)
    access.forget(case)


# Intake and filing ------------------------------------------------------------------------------------------------


@transaction.atomic
def accept_case(
    actor: Person,
    *,
    party: Party,
    cause: str,
    source: str,
    field: EnforcementField,
    unit: Unit,
    officers: Sequence[Person],
    summary: str,
    violation_date: dt.date,
    violation_ended: dt.date | None = None,
    life_health_harm: bool = False,
    place: str = "",
    source_detail: str = "",
    complaint_receipt: str = "",
    items: Sequence[str] = (),
    accepted_on: dt.date | None = None,
    origin: Case | None = None,
) -> Case:
    """受理: record a suspected violation (案件受理记录) and the officers who will handle it."""
    agency = party.agency
    _require(actor, agency, {Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD})
    accepted_on = _not_future(accepted_on or _today(), _("受理日期"))
    if unit.agency_id != agency.pk:
        raise RuleViolation(_("承办机构必须是本机关的内设机构。"))
    if source not in Source.values:
        raise RuleViolation(_("请选择案件来源。"))
    _check_violation_dates(violation_date, violation_ended, accepted_on)
    _check_officers(agency, party, field, officers, accepted_on)
    _check_items(agency, items)
    if complaint_receipt:
        _check_complaint(agency, complaint_receipt)
    year = accepted_on.year
    number = next_number(agency, "case", year)
    case = Case(
        agency=agency,
        reference=f"{agency.short_name}案〔{year}〕{number}号",
        cause=cause.strip(),
        source=source,
        source_detail=source_detail,
        complaint_receipt=complaint_receipt,
        field=field,
        items=list(items),
        party=party,
        unit=unit,
        summary=summary,
        place=place,
        violation_date=violation_date,
        violation_ended=violation_ended,
        life_health_harm=life_health_harm,
        accepted_on=accepted_on,
        origin=origin,
        created_by=actor or officers[0],
    )
    case.full_clean()
    case.save()
    _set_officers(case, officers)
    _record(case, actor, "accept_case", officers=[p.pk for p in officers])
    return case


def _check_items(agency: Agency, codes: Sequence[str]) -> None:
    """The case's enforcement items must be items of the agency's 执法事项清单."""
    from django.apps import apps

    if not codes or not apps.is_installed("zhifa.catalog"):
        return
    from zhifa.catalog.queries import item_by_code

    unknown = [code for code in codes if item_by_code(agency, code) is None]
    if unknown:
        raise RuleViolation(
            {"items": [_("执法事项清单中没有这些事项：%(codes)s。") % {"codes": "、".join(unknown)}]}
        )


def _check_complaint(agency: Agency, receipt: str) -> None:
    """A case from the portal names the complaint it came from (投诉举报受理编号)."""
    from django.apps import apps

    if not apps.is_installed("zhifa.publicity"):
        return
    Complaint = apps.get_model("publicity", "Complaint")
    if not Complaint.objects.filter(agency=agency, receipt_number=receipt.strip()).exists():
        raise RuleViolation(
            {"complaint_receipt": [_("本机关没有受理编号为“%(n)s”的投诉举报。") % {"n": receipt}]}
        )


def _check_violation_dates(violation_date: dt.date, ended: dt.date | None, accepted_on: dt.date) -> None:
    """The violation dates recorded at intake: the violation began on or before the intake, and a continuing
    violation's end (连续或者继续状态终了) lies between its start and the intake."""
    if violation_date is None:
        raise RuleViolation({"violation_date": [_("请填写违法行为发生日期。")]})
    if violation_date > accepted_on:
        raise RuleViolation({"violation_date": [_("违法行为发生日期不能晚于受理日期。")]})
    if ended is not None and not violation_date <= ended <= accepted_on:
        raise RuleViolation(
            {"violation_ended": [_("连续或继续状态终了日期须在违法行为发生日期与受理日期之间。")]}
        )


def _check_limitation(case: Case, on: dt.date | None = None) -> None:
    """行政处罚法 art. 36: the limitation runs from the violation (or the end of its continuing state) to its
    discovery, which is the intake (受理) date — not the filing date. ``on`` is kept for callers that pass a date;
    the rule always counts to ``case.accepted_on``."""
    found_on = case.accepted_on
    if not rules.within_limitation(
        found_on, case.violation_date, case.violation_ended, case.life_health_harm
    ):
        ends = rules.limitation_ends(case.violation_date, case.violation_ended, case.life_health_harm)
        raise RuleViolation(
            _(
                "违法行为至受理之日（%(found)s）已超过追责时效（%(years)s年，至%(date)s止），不再给予行政处罚（《行政处罚法》第三十六条），应当不予立案。"
            )
            % {
                "found": found_on.isoformat(),
                "years": rules.limitation_years(case.life_health_harm),
                "date": ends.isoformat(),
            }
        )


@transaction.atomic
def request_filing(actor: Person, case: Case) -> Case:
    case = access.lock(case)
    access.require(actor, case, "request_filing")
    _check_limitation(case)
    _move(case, "request_filing")
    return _save(case, actor, "request_filing")


@transaction.atomic
def approve_filing(actor: Person, case: Case, *, opinion: str, filed_on: dt.date | None = None) -> Case:
    """立案 (art. 54), approved by the agency head. The 90-day decision period starts (art. 60)."""
    case = access.lock(case)
    access.require(actor, case, "approve_filing")
    filed_on = _not_future(filed_on or _today(), _("立案日期"))
    if filed_on < case.accepted_on:
        raise RuleViolation(_("立案日期不能早于受理日期。"))
    _check_limitation(case)
    _check_officers(case.agency, case.party, case.field, list(case.officers.all()), filed_on)
    _move(case, "approve_filing")
    case.filed_on = filed_on
    case.filing_opinion = opinion
    _save(case, actor, "approve_filing")
    deadlines.open_(actor, case, deadlines.DECISION, filed_on)
    return case


@transaction.atomic
def refuse_filing(actor: Person, case: Case, *, reason: str) -> Case:
    case = access.lock(case)
    access.require(actor, case, "refuse_filing")
    if not reason.strip():
        raise RuleViolation(_("请填写不予立案的理由。"))
    _move(case, "refuse_filing")
    case.not_filed_reason = reason
    _save(case, actor, "refuse_filing")
    deadlines.end_running(actor, case, _today(), _("不予立案：%(reason)s") % {"reason": reason.strip()})
    return case


@transaction.atomic
def assign_officers(actor: Person, case: Case, *, officers: Sequence[Person]) -> Case:
    case = access.lock(case)
    access.require(actor, case, "assign_officers")
    _check_officers(case.agency, case.party, case.field, officers, _today())
    from .. import recusal

    stand_aside = recusal.conflicts(case, officers)  # art. 43: one whose recusal was granted is not put back
    if stand_aside:
        raise RuleViolation(stand_aside)
    _set_officers(case, officers)
    case.updated_at = timezone.now()
    return _save(case, actor, "assign_officers", officers=[p.pk for p in officers])


def open_act(
    actor: Person,
    *,
    act_kind: str,
    reference_word: str,
    party: Party,
    cause: str,
    field: EnforcementField,
    unit: Unit,
    officers: Sequence[Person],
    summary: str,
    basis: str,
    place: str = "",
    items: Sequence[str] = (),
    emergency: bool = False,
    source: str = Source.INSPECTION,
    source_detail: str = "",
    found_on: dt.date | None = None,
    basis_message: str = "",
) -> Case:
    """A new act of ``act_kind`` (not a penalty case) in its table's first state: the reasons and the legal basis,
    the officers who will carry it out; numbered on its own (``明卫强〔2026〕1号``). The caller is the act's
    ``open_…`` action, inside its transaction; it appends the entry."""
    from .. import lifecycle

    agency = party.agency
    _require(actor, agency, {Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD})
    today = _today()
    found_on = _not_future(found_on or today, _("发现日期"))
    if unit.agency_id != agency.pk:
        raise RuleViolation(_("承办机构必须是本机关的内设机构。"))
    if source not in Source.values:
        raise RuleViolation(_("请选择案件来源。"))
    if not basis.strip():
        raise RuleViolation({"basis": [basis_message or _("请填写法律、法规依据。")]})
    _check_officers(agency, party, field, officers, today)
    _check_items(agency, items)
    number = next_number(agency, act_kind, today.year)
    case = Case(
        agency=agency,
        act_kind=act_kind,
        state=lifecycle.TABLES[act_kind].first,
        reference=f"{agency.short_name}{reference_word}〔{today.year}〕{number}号",
        cause=cause.strip(),
        source=source,
        source_detail=source_detail,
        field=field,
        items=list(items),
        party=party,
        unit=unit,
        summary=summary,
        measure_basis=basis.strip(),
        place=place,
        violation_date=found_on,
        accepted_on=today,
        emergency=emergency,
        created_by=actor or officers[0],
    )
    case.full_clean()
    case.save()
    _set_officers(case, officers)
    return case
