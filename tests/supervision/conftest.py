import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.catalog.factories import build_catalog
from zhifa.cases import actions as cases
from zhifa.cases.choices import IdType, PartyKind, Source, State
from zhifa.cases.models import Case
from zhifa.catalog import actions as catalog
from zhifa.catalog.choices import ListKind
from zhifa.ledger.tracking import unrecorded_writes
from zhifa.org import actions as org
from zhifa.org.choices import Role
from zhifa.org.models import EnforcementField
from zhifa.publicity import actions as publicity
from zhifa.publicity.models import Complaint, ComplaintEvent, Publication
from zhifa.remedies.models import Proceeding
from zhifa.supervision import figures
from zhifa.supervision import inspection as checks


def closed(case, on):
    """Mark a filed case closed on ``on`` straight in the table (as an imported file would stand): the subject of
    these tests is the draw and the scorecard, not the procedure that closes a case (tests/cases walk that)."""
    with unrecorded_writes():
        Case.objects.filter(pk=case.pk).update(state=State.CLOSED, closed_on=on)
    case.refresh_from_db()
    return case


@pytest.fixture
def sv(world):
    """The world, a second unit in agency A, and closed files: 7 of the 医疗卫生监督科 and 3 of the 公共卫生监督科
    closed within the period (the last 200 to 10 days), one closed before it, one still open; one in agency B."""
    w = world
    today = timezone.localdate()
    w.period = (today - dt.timedelta(days=200), today - dt.timedelta(days=10))
    w.unit2 = org.add_unit(None, w.a, name="公共卫生监督科")
    w.officer3 = w.person(w.a, "officer_a3", "甲执法三", Role.OFFICER, unit=w.unit2)
    w.officer4 = w.person(w.a, "officer_a4", "甲执法四", Role.OFFICER, unit=w.unit2)
    w.officer_b2 = w.person(w.b, "officer_b2", "乙执法二", Role.OFFICER)
    for i, p in enumerate((w.officer3, w.officer4, w.officer_b2)):
        org.issue_certificate(
            None,
            p,
            number=f"CERT-01{i:02d}",
            field_codes=["medical"],
            issuer="甲区人民政府",
            valid_from=today - dt.timedelta(days=365),
            valid_to=today + dt.timedelta(days=365),
        )
    unit_b = org.add_unit(None, w.b, name="监督科")
    medical = EnforcementField.objects.get(code="medical")
    party = cases.register_party(
        w.officer,
        w.a,
        kind=PartyKind.LEGAL,
        name="甲区康宁诊所",
        id_type=IdType.CREDIT_CODE,
        id_number="91350100M000100Y43",
        address="甲区健康路1号",
        legal_representative="李康宁",
    )

    def new(unit, officers, agency_officer=None):
        return cases.accept_case(
            agency_officer or officers[0],
            party=party,
            cause="未取得《医疗机构执业许可证》擅自执业",
            source=Source.INSPECTION,
            field=medical,
            unit=unit,
            officers=officers,
            summary="监督检查发现。",
            violation_date=today - dt.timedelta(days=300),
        )

    w.frame_cases = []
    for i in range(7):
        w.frame_cases.append(
            closed(new(w.section, [w.officer, w.officer2]), w.period[0] + dt.timedelta(days=i))
        )
    for i in range(3):
        w.frame_cases.append(
            closed(new(w.unit2, [w.officer3, w.officer4]), w.period[1] - dt.timedelta(days=i))
        )
    w.too_early = closed(new(w.section, [w.officer, w.officer2]), w.period[0] - dt.timedelta(days=1))
    w.still_open = new(w.section, [w.officer, w.officer2])
    party_b = cases.register_party(
        w.officer_b,
        w.b,
        kind=PartyKind.LEGAL,
        name="乙区诊所",
        id_type=IdType.CREDIT_CODE,
        id_number="91350100M000100Y43",
        address="乙区",
        legal_representative="王某",
    )
    w.case_b = closed(
        cases.accept_case(
            w.officer_b,
            party=party_b,
            cause="超范围执业",
            source=Source.INSPECTION,
            field=medical,
            unit=unit_b,
            officers=[w.officer_b, w.officer_b2],
            summary="检查发现。",
            violation_date=today - dt.timedelta(days=300),
        ),
        w.period[0] + dt.timedelta(days=3),
    )
    # a second supervisor of A, in A's own 医疗卫生监督科 (an internal supervisor): recused from that unit's files
    w.inside = w.person(w.a, "inside_sup", "甲内部监督", unit=w.section)
    org.grant_role(None, w.inside, Role.SUPERVISOR, w.a)
    # a supervisor of B only
    w.supervisor_b = w.person(w.justice, "supervisor_b", "乙监督")
    org.grant_role(None, w.supervisor_b, Role.SUPERVISOR, w.b)
    return w


@pytest.fixture
def evaluation(sv):
    from zhifa.supervision import actions

    return actions.create_evaluation(
        sv.supervisor,
        title="2026年上半年行政处罚案卷评查",
        period_start=sv.period[0],
        period_end=sv.period[1],
        agencies=[sv.a],
        evaluators=[sv.supervisor, sv.inside],
        rate=30,
        minimum=1,
    )


# 网上巡查, 执法统计 and 分析报告: a quarter's worth of an agency's publicity and decisions.


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def quarter(world):
    """The last ended quarter, and in agency A: published lists, a law repealed in the quarter after them (its items
    flagged), an officer without a certificate, decisions due in the quarter (on time, late, missing, not published),
    a withdrawal missed, and complaints answered on time, late and not at all."""
    w = world
    w.year, w.quarter = checks.last_ended_quarter(timezone.localdate())
    w.start, w.end = checks.quarter_bounds(w.year, w.quarter)
    c = build_catalog(w, publish=False)
    for kind in (ListKind.ITEMS, ListKind.RANDOM, ListKind.AV):
        catalog.publish_list(None, w.a, kind, effective_on=w.start - dt.timedelta(days=30))
    catalog.set_law_status(None, c.law, status="repealed", on=w.start + dt.timedelta(days=10))
    w.catalog = c
    w.uncertified = w.person(w.a, "officer_nc", "甲无证", Role.OFFICER, unit=w.section)

    medical = EnforcementField.objects.get(code="medical")
    party = cases.register_party(
        w.officer,
        w.a,
        kind=PartyKind.LEGAL,
        name="甲区康宁诊所",
        id_type=IdType.CREDIT_CODE,
        id_number="91350100M000100Y43",
        address="甲区健康路1号",
        legal_representative="李康宁",
    )

    def case():
        return cases.accept_case(
            w.officer,
            party=party,
            cause="超范围执业",
            source=Source.INSPECTION,
            field=medical,
            unit=w.section,
            officers=[w.officer, w.officer2],
            summary="检查发现。",
            violation_date=w.start - dt.timedelta(days=60),
        )

    due = w.start + dt.timedelta(days=20)
    w.pubs = {}
    # Publications are opened by decisions (tests/publicity walk that); here the rows stand as they would.
    with unrecorded_writes():
        for name, state, released in (
            ("on_time", "published", due - dt.timedelta(days=2)),
            ("late", "published", due + dt.timedelta(days=5)),
            ("missing", "pending", None),
            ("withheld", "not_published", None),
        ):
            w.pubs[name] = Publication.objects.create(
                agency=w.a,
                case=case(),
                kind="penalty",
                state=state,
                decided_on=due - dt.timedelta(days=9),
                due_on=due,
                released_at=_at(released) if released else None,
                not_published_ground="privacy" if state == "not_published" else "",
            )
        w.pubs["not_withdrawn"] = Publication.objects.create(
            agency=w.a,
            case=case(),
            kind="penalty",
            state="published",
            decided_on=w.start - dt.timedelta(days=40),
            due_on=w.start - dt.timedelta(days=30),
            released_at=_at(w.start - dt.timedelta(days=31)),
            withdrawal_due_on=w.start + dt.timedelta(days=40),
        )
    w.complaints = {}
    for name, submitted, answered in (
        ("on_time", w.start + dt.timedelta(days=3), w.start + dt.timedelta(days=20)),
        ("late", w.start - dt.timedelta(days=30), w.start + dt.timedelta(days=50)),
        ("open", w.start + dt.timedelta(days=1), None),
        ("too_new", w.end - dt.timedelta(days=5), None),
    ):
        complaint, _code = publicity.submit_complaint(
            w.a,
            kind="complaint",
            subject=f"投诉{name}",
            content="诊所超范围开展医疗美容项目。",
            name="张三",
            phone="13800000000",
        )
        with unrecorded_writes():
            Complaint.objects.filter(pk=complaint.pk).update(submitted_at=_at(submitted))
        if answered:
            publicity.handle_complaint(w.officer, complaint, status="answered", note="经查属实，已立案查处。")
            with unrecorded_writes():
                ComplaintEvent.objects.filter(complaint=complaint, status="answered").update(at=_at(answered))
        w.complaints[name] = complaint
    return w


@pytest.fixture
def counted(quarter):
    """The quarter's world with two cases decided in its first month (one fined, later annulled in 复议), counted."""
    w = quarter
    cases = list(Case.objects.filter(agency=w.a).order_by("pk")[:2])
    day = w.start + dt.timedelta(days=5)
    with (
        unrecorded_writes()
    ):  # (tests/cases and tests/remedies walk the procedure; here the rows stand as it leaves them)
        Case.objects.filter(pk=cases[0].pk).update(
            decided_on=day, outcome="penalty", fine_amount=Decimal("12000.50"), filed_on=w.start
        )
        Case.objects.filter(pk=cases[1].pk).update(decided_on=day, outcome="no_penalty", filed_on=w.start)
        Proceeding.objects.create(
            agency=w.a,
            case=cases[0],
            kind="reconsideration",
            body="甲区人民政府",
            applied_on=day + dt.timedelta(days=10),
            decided_on=day + dt.timedelta(days=40),
            outcome="annulled",
            recorded_by=w.officer,
        )
    w.decided = cases
    figures.build(w.a, w.start, w.end)
    return w
