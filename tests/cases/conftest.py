import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from zhifa.cases import actions
from zhifa.cases.choices import IdType, Outcome, PartyKind, PenaltyKind, RecordKind, Source
from zhifa.org.models import EnforcementField

# A confirmed working-day year (2026): Monday 2026-06-01.
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def clock():
    """Freeze 'today' and move it on with clock.move_to(date)."""
    traveller = time_machine.travel(
        dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    )
    frozen = traveller.start()

    class Clock:
        def move_to(self, day: dt.date, hour: int = 10):
            frozen.move_to(
                dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone(dt.timedelta(hours=8)))
            )

        @property
        def today(self):
            return timezone.localdate()

    yield Clock()
    traveller.stop()


@pytest.fixture
def cw(world, clock):
    """The world plus a party, the hearing policy and helpers that walk a case through its life."""
    actions.set_hearing_policy(
        world.sysadmin,
        world.a,
        fine_person=Decimal("10000"),
        fine_organisation=Decimal("100000"),
        confiscation=Decimal("50000"),
        basis="甲省卫生健康行政处罚听证标准",
    )
    world.medical = EnforcementField.objects.get(code="medical")
    world.clinic = actions.register_party(
        world.officer,
        world.a,
        kind=PartyKind.LEGAL,
        name="甲区康宁诊所",
        id_type=IdType.CREDIT_CODE,
        id_number="91350100M000100Y43",
        address="甲区健康路1号",
        legal_representative="李康宁",
    )
    world.person_party = actions.register_party(
        world.officer,
        world.a,
        kind=PartyKind.NATURAL,
        name="张三",
        id_type=IdType.RESIDENT_ID,
        id_number="11010519491231002X",
        address="甲区平安街2号",
    )
    world.clock = clock

    def new_case(party=None, **kw):
        defaults = dict(
            party=party or world.clinic,
            cause="未取得《医疗机构执业许可证》擅自执业",
            source=Source.INSPECTION,
            field=world.medical,
            unit=world.section,
            officers=[world.officer, world.officer2],
            summary="监督检查发现该诊所未取得执业许可证开展诊疗活动。",
            violation_date=clock.today - dt.timedelta(days=10),
        )
        defaults.update(kw)
        return actions.accept_case(world.officer, **defaults)

    def certs():
        return [world.officer.certificates.get(), world.officer2.certificates.get()]

    def investigate(
        case,
        outcome=Outcome.PENALTY,
        kinds=(PenaltyKind.WARNING, PenaltyKind.FINE),
        fine="5000",
        confiscation="0",
    ):
        actions.request_filing(world.officer, case)
        actions.approve_filing(world.head, case, opinion="同意立案")
        actions.add_record(
            world.officer,
            case,
            kind=RecordKind.ONSITE,
            data={"observations": "诊室内有患者正在输液"},
            started_at=timezone.now(),
            place="甲区健康路1号",
            officers=[world.officer, world.officer2],
            certificates_shown=certs(),
        )
        actions.add_record(
            world.officer,
            case,
            kind=RecordKind.DELIBERATION,
            data={"conclusion": "建议给予警告并处罚款"},
            started_at=timezone.now(),
        )
        fields = dict(
            outcome=outcome, facts="未取得执业许可证擅自执业。", evidence_summary="现场笔录、询问笔录、照片。"
        )
        if outcome == Outcome.PENALTY:
            fields.update(
                penalty_kinds=list(kinds),
                fine_amount=Decimal(fine),
                confiscation_amount=Decimal(confiscation),
                violated_provisions="《医疗机构管理条例》第十四条",
                penalty_provisions="《医疗机构管理条例》第四十三条",
                discretion="首次违法，一般情节",
            )
        elif outcome == Outcome.TRANSFER:
            fields.update(transfer_to="甲区公安分局")
        actions.update_draft(world.officer, case, **fields)
        actions.close_investigation(world.officer, case)
        case.refresh_from_db()
        return case

    world.new_case, world.certs, world.investigate = new_case, certs, investigate
    return world
