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

    def finalise(case, kind, narrative=None, by=None):
        """Make, sign (the officers, and the party where the kind needs it) and finalise a document."""
        return make_document(world, case, kind, narrative=narrative, by=by)

    def notice(case, served_on=None):
        """事先告知 as the law has it: the notice (the 听证告知书 where a hearing may be asked for) finalised,
        then served."""
        from zhifa.records.contexts import hearing_reasons_for_draft

        case.refresh_from_db()
        kind = "hearing_rights" if hearing_reasons_for_draft(case) else "prior_notice"
        finalise(case, kind)
        return actions.issue_notice(world.officer, case, served_on=served_on)

    def draft_decision(case):
        """The decision document's 代拟稿 (the text the reviewer reviews and the decision binds)."""
        return draft_decision_document(world, case)

    def pass_review(case):
        """Draft the decision document and pass legal review of the case as it stands (every general-procedure
        penalty decision is reviewed)."""
        return review_case(world, case)

    def decide(case, **kw):
        """Pass review when the case needs it, then the head decides."""
        from zhifa.review import digest
        from zhifa.review import queries as review_queries

        case.refresh_from_db()
        draft_decision(case)
        current, _items = digest.case_digest(case)
        if review_queries.review_reasons(case) and review_queries.passing_submission(case, current) is None:
            review_case(world, case)
        return actions.decide(world.head, case, **kw)

    world.new_case, world.certs, world.investigate = new_case, certs, investigate
    world.finalise, world.notice = finalise, notice
    world.draft_decision, world.pass_review, world.decide = draft_decision, pass_review, decide
    return world


def document_on_file(case, kind, by):
    """A finalised document row written straight to the table, for tests whose subject is not the documents
    (property tests that issue hundreds of notices): no PDF is rendered. Never used where the document itself
    is checked."""
    from django.utils import timezone

    from zhifa.ledger.tracking import unrecorded_writes
    from zhifa.records.models import Document

    with unrecorded_writes():
        return Document.objects.create(
            agency=case.agency,
            case=case,
            kind=kind,
            state="final",
            dated=timezone.localdate(),
            number=f"TEST-{kind}-{case.pk}",
            number_key=f"test-{kind}",
            year=timezone.localdate().year,
            serial=Document.objects.filter(number_key=f"test-{kind}").count() + 1,
            pdf_sha256="0" * 64,
            content_sha256="0" * 64,
            created_by=by,
        )


def notice_fast(w, case):
    """事先告知 with the notice put on file by ``document_on_file`` (see there)."""
    from zhifa.records.contexts import hearing_reasons_for_draft

    case.refresh_from_db()
    kind = "hearing_rights" if hearing_reasons_for_draft(case) else "prior_notice"
    document_on_file(case, kind, w.officer)
    return actions.issue_notice(w.officer, case)


def make_document(w, case, kind, narrative=None, by=None):
    """Generate ``kind`` for ``case`` with its required narrative filled, collect the signatures its spec needs
    (officers; the party on the screen) and finalise it."""
    from zhifa.records import actions as record_actions
    from zhifa.records import kinds

    spec = kinds.spec(kind)
    by = by or w.officer
    from zhifa.records import decision_draft

    existing = decision_draft.current_draft(case) if kind in decision_draft.DECISION_KINDS else None
    if existing is not None and existing.state == "draft":
        doc = existing  # the 代拟稿 the decision bound: finalised as it is
    else:
        doc = record_actions.generate_document(by, case, kind=kind, narrative=narrative or {})
    doc.refresh_from_db()
    blanks = {n.name: "（测试填写）" for n in spec.narrative if n.required and not doc.narrative.get(n.name)}
    if blanks:
        doc = record_actions.edit_draft(by, doc, narrative={**doc.narrative, **blanks})
    need = spec.requirement(doc.record)
    for person in [w.officer, w.officer2][: need.officers]:
        record_actions.sign_document(person, doc)
    if need.party:
        from tests.records.conftest import signature_png

        record_actions.capture_party_signature(by, doc, signer_name="李康宁", png=signature_png())
    return record_actions.finalise_document(by, doc)


def draft_decision_document(w, case):
    """The decision document's 代拟稿 for the case's proposed handling, its required text filled; the existing one
    when there is one; None when the handling needs none."""
    from zhifa.records import actions as record_actions
    from zhifa.records import decision_draft, kinds

    case.refresh_from_db()
    kind = decision_draft.kind_for(case)
    if kind is None:
        return None
    doc = decision_draft.current_draft(case)
    if doc is not None:
        return doc
    spec = kinds.spec(kind)
    doc = record_actions.generate_document(w.officer, case, kind=kind)
    blanks = {n.name: "（测试填写）" for n in spec.narrative if n.required and not doc.narrative.get(n.name)}
    if blanks:
        doc = record_actions.edit_draft(w.officer, doc, narrative=blanks)
    return doc


def review_case(w, case, reviewer=None):
    """送审, 指派 and an all-pass 同意 opinion for the case as it stands (its decision draft made first)."""
    from zhifa.review import actions as review_actions
    from zhifa.review.rules import POINT_CODES

    draft_decision_document(w, case)
    s = review_actions.submit(
        w.officer,
        case,
        explanation="拟给予警告并处罚款。",
        discretion_reason="一般情节。",
        qualifications="两名承办人均持证。",
    )
    review_actions.assign(w.head, s, reviewers=[reviewer or w.reviewer])
    review_actions.give_opinion(
        reviewer or w.reviewer,
        s,
        points={c: {"result": "pass", "comment": ""} for c in POINT_CODES},
        outcome="agree",
        summary="同意。",
    )
    s.refresh_from_db()
    return s
