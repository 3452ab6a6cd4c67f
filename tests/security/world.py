"""The world the authorization matrix requests every URL against: agency A with a case at each stage a view
needs (documents, evidence, a review submission, a discussion, deadlines, service with its proof, a remedy
proceeding), a catalog, a complaint, a certificate, an API token, ledger entries; agency B with a case of its own;
and the principals (symbolic names, as tests/security/readers.py declares them)."""

from __future__ import annotations

import datetime as dt
import hashlib
from types import SimpleNamespace

from tests.conftest import PASSWORD

# Every principal the matrix requests as. "public" is anonymous.
PRINCIPALS = (
    "public",
    "officer_a_on_case",  # an officer of agency A who handles the case
    "officer_a_off_case",  # an officer of agency A not on the case
    "head_a",
    "reviewer_a",
    "sysadmin_a",
    "secadmin_a",
    "auditor_a",
    "supervisor_a",  # the justice bureau's supervisor of agency A
    "officer_b",  # agency B's officer (on agency B's case)
    "platform_admin",  # the platform administrator (superuser)
)


def build(w, tmp_path) -> tuple[dict, SimpleNamespace, SimpleNamespace]:
    """(principals → Person or None, agency A's objects, agency B's objects)."""
    from tests.cases.test_simple_procedure import _kwargs as on_the_spot_kwargs
    from tests.catalog.factories import build_catalog
    from tests.records.conftest import finalised_inquiry, inquiry, signature_png
    from zhifa.cases import actions as case_actions
    from zhifa.cases.choices import IdType, PartyKind, ServiceMethod, ServiceProofKind, Source
    from zhifa.cases.models import Service
    from zhifa.catalog import actions as catalog_actions
    from zhifa.catalog.choices import ListKind
    from zhifa.catalog.models import (
        Article,
        AvRecordingItem,
        EnforcementItem,
        Flowchart,
        ListVersion,
        RandomInspectionItem,
        ServiceGuide,
    )
    from zhifa.ledger import actions as ledger_actions
    from zhifa.ledger.models import Entry
    from zhifa.org import actions as org_actions
    from zhifa.org.choices import Role
    from zhifa.org.models import RoleAssignment
    from zhifa.publicity import actions as publicity_actions
    from zhifa.records import evidence, ingest
    from zhifa.records.models import DocumentSignature
    from zhifa.remedies import actions as remedy_actions
    from zhifa.remedies.choices import RemedyKind
    from zhifa.review import actions as review_actions
    from zhifa.review.models import Submission
    from zhifa.workdays.models import Deadline, DeadlineKind

    off_case = w.person(w.a, "officer_a3", "甲执法三", Role.OFFICER, unit=w.section)
    platform = org_actions.add_platform_admin("platform", PASSWORD, full_name="平台管理员")
    people = {
        "public": None,
        "officer_a_on_case": w.officer,
        "officer_a_off_case": off_case,
        "head_a": w.head,
        "reviewer_a": w.reviewer,
        "sysadmin_a": w.sysadmin,
        "secadmin_a": w.secadmin,
        "auditor_a": w.auditor,
        "supervisor_a": w.supervisor,
        "officer_b": w.officer_b,
        "platform_admin": platform,
    }
    catalog = build_catalog(w)
    sample_pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    material = catalog_actions.add_material(
        None, catalog.guide, name="申请表", sample=("申请表.pdf", sample_pdf)
    )
    catalog_actions.publish_list(
        None, w.a, ListKind.GUIDES, effective_on=w.clock.today, note="增加申请表样表"
    )
    png = signature_png(200, 300)

    def add_evidence(actor, case, name):
        data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + name.encode()
        path = tmp_path / name
        path.write_bytes(data)
        received = ingest.Received(
            path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data), original_name=name
        )
        return evidence.add_evidence(
            actor, case, received=received, kind="documentary", description="现场检查记录"
        )

    # The main case: filed, under investigation, an inquiry record finalised (signed by the officers and the party
    # on the screen), a piece of evidence and an upload under way.
    case = w.new_case()
    case_actions.request_filing(w.officer, case)
    case_actions.approve_filing(w.head, case, opinion="同意立案")
    case.refresh_from_db()
    w.case = case
    inquiry(w, case)
    document = finalised_inquiry(w)
    ev = add_evidence(w.officer, case, "photo.pdf")
    upload = evidence.start_upload(w.officer, case, size=10, original_name="more.pdf")

    # A case in legal review (assigned, opinion pending) with a collective discussion open.
    reviewed = w.investigate(w.new_case())
    w.notice(reviewed)
    case_actions.waive_statement(w.officer, reviewed, signer="李康宁")
    submission = w.submit(reviewed)
    review_actions.assign(w.head, submission, reviewers=[w.reviewer])
    discussion = review_actions.open_discussion(
        w.head, reviewed, held_on=w.clock.today, place="局会议室", participants=[w.reviewer]
    )

    # A case decided and served electronically (the service carries its proof), then contested (复议).
    served = w.investigate(w.new_case())
    w.notice(served)
    served.refresh_from_db()
    w.clock.move_to(dt.date.fromisoformat(served.notice_snapshot["statement_due"]) + dt.timedelta(days=1))
    w.decide(served)
    served.refresh_from_db()
    w.finalise(served, "service_receipt")
    case_actions.serve_decision(
        w.officer,
        served,
        method=ServiceMethod.ELECTRONIC,
        delivered_on=w.clock.today,
        consent="送达地址确认书（电子邮箱）",
        proof=png,
        proof_kind=ServiceProofKind.SCREENSHOT,
    )
    served.refresh_from_db()
    proceeding = remedy_actions.record_proceeding(
        w.officer, served, kind=RemedyKind.RECONSIDERATION, applied_on=w.clock.today
    )
    on_the_spot = case_actions.decide_on_the_spot(w.officer, **on_the_spot_kwargs(w))
    proceeding_document = remedy_actions.add_document(w.officer, proceeding, title="复议申请书", data=png)

    complaint, _code = publicity_actions.submit_complaint(
        w.a,
        kind="report",
        subject="诊所无证行医",
        content="甲区健康路有诊所未取得执业许可证开展诊疗活动，请核查。",
        name="钱七",
        phone="13800000000",
        attachments=[("现场.png", png)],
    )
    token, _secret = org_actions.create_api_token(w.officer, name="matrix")
    certificate = w.officer.certificates.get()
    job = _finished_job(w.officer, case)
    from zhifa.publicity import statistics

    report, _job = statistics.request_report(w.head, w.a, w.clock.today.year - 1)  # 年度统计, a draft
    evaluation, evaluation_file, rectification = _evaluation(w)
    inspection, finding = _inspection(w)
    analysis_report = _analysis_report(w)
    ranking = _ranking(w)
    target, plan, drawn, rechecked = _inspection_plan(w, catalog.random)
    from zhifa.supervision import queries as supervision_queries

    version = ListVersion.objects.filter(agency=w.a).order_by("pk").first()
    guide = ServiceGuide.objects.filter(agency=w.a).order_by("pk").first()
    a = SimpleNamespace(
        agency=w.a,
        case=case,
        reviewed_case=reviewed,
        served_case=served,
        publication=served.publication,  # opened by the decision (事后公开)
        report=report,
        party=w.person_party,  # a natural person: their ID number and address are what must not leak
        person=w.officer,
        assignment=RoleAssignment.objects.filter(person=w.officer).order_by("pk").first(),
        certificate=certificate,
        token=token,
        document=document,
        signature=DocumentSignature.objects.filter(document=document, role="party").get(),
        evidence=ev,
        upload=upload,
        job=job,
        submission=submission,
        opinion=Submission.objects.filter(case=served).order_by("pk").last(),  # its opinion given
        on_the_spot_case=on_the_spot,
        discussion=discussion,
        deadline=Deadline.objects.filter(agency=w.a).order_by("pk").first(),
        service=Service.objects.filter(case=served).exclude(proof_name="").get(),
        proceeding=proceeding,
        proceeding_document=proceeding_document,
        complaint=complaint,
        attachment=complaint.attachments.order_by("pk").first(),
        law=catalog.law,
        article=Article.objects.filter(law=catalog.law).order_by("pk").first(),
        item=EnforcementItem.objects.filter(agency=w.a).order_by("pk").first(),
        random=RandomInspectionItem.objects.filter(agency=w.a).order_by("pk").first(),
        av=AvRecordingItem.objects.filter(agency=w.a).order_by("pk").first(),
        guide=guide,
        material=material,
        flowchart=Flowchart.objects.filter(agency=w.a).order_by("pk").first(),
        version=version,
        kind=DeadlineKind.objects.order_by("position").first(),
        evaluation=evaluation,
        evaluation_file=evaluation_file,
        rectification=rectification,
        inspection=inspection,
        inspection_line=finding,
        analysis_report=analysis_report,
        ranking=ranking,
        standard=supervision_queries.default_standard(),  # the platform's: read by every agency's supervisors
        target=target,
        plan=plan,
        drawn=drawn,
        rechecked=rechecked,
    )

    # Agency B: a unit, a party and a case its officer handles, with a draft document and a piece of evidence.
    unit_b = org_actions.add_unit(None, w.b, name="乙区监督科")
    org_actions.update_person(None, w.officer_b, unit=unit_b)
    w.officer_b.refresh_from_db()
    officer_b2 = w.person(w.b, "officer_b2", "乙执法二", Role.OFFICER, unit=unit_b)
    org_actions.issue_certificate(
        None,
        officer_b2,
        number="CERT-B-0002",
        field_codes=["medical"],
        issuer="乙区人民政府",
        valid_from=w.clock.today - dt.timedelta(days=365),
        valid_to=w.clock.today + dt.timedelta(days=365),
    )
    party_b = case_actions.register_party(
        w.officer_b,
        w.b,
        kind=PartyKind.NATURAL,
        name="王五",
        id_type=IdType.RESIDENT_ID,
        id_number="110105198001011238",
        address="乙区和平路9号",
    )
    case_b = case_actions.accept_case(
        w.officer_b,
        party=party_b,
        cause="超出登记的诊疗科目开展诊疗活动",
        source=Source.INSPECTION,
        field=w.medical,
        unit=unit_b,
        officers=[w.officer_b, officer_b2],
        summary="乙区检查发现超范围执业。",
        violation_date=w.clock.today - dt.timedelta(days=5),
    )
    b = SimpleNamespace(
        agency=w.b,
        case=case_b,
        party=party_b,
        person=w.officer_b,
        assignment=RoleAssignment.objects.filter(person=w.officer_b).order_by("pk").first(),
        certificate=w.officer_b.certificates.get(),
        deadline=Deadline.objects.filter(agency=w.b).order_by("pk").first(),
        evidence=add_evidence(w.officer_b, case_b, "b.pdf"),
        kind=a.kind,
    )
    # Deadline reminders: a year on, every running deadline is overdue (the officers and A's head are reminded).
    from zhifa.workdays import actions as workdays_actions
    from zhifa.workdays.models import Reminder

    workdays_actions.send_reminders(today=w.clock.today + dt.timedelta(days=365))
    a.reminder = Reminder.objects.filter(deadline__agency=w.a, person=w.head).order_by("pk").first()
    b.reminder = Reminder.objects.filter(deadline__agency=w.b).order_by("pk").first()
    ledger_actions.make_checkpoints(force=True)
    # The ledger entry the audit views are opened at: the registration of the natural person (their ID number and
    # address are in it), which the audit administrator must not read.
    a.entry_seq = (
        Entry.objects.filter(log__agency=w.a, action="cases.register_party", object_id=str(w.person_party.pk))
        .values_list("seq", flat=True)
        .get()
    )
    # What must never show to another agency's principals: agency A's natural person and case numbers, and B's.
    a.secrets = ["11010519491231002X", "甲区平安街2号", "钱七", "13800000000"]
    b.secrets = ["110105198001011238", "乙区和平路9号", "王五"]
    return people, a, b


def _finished_job(person, case):
    """An archive-package job ``person`` started for ``case``, done, its file in storage."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from zhifa.core.models import Job

    job = Job.objects.create(
        kind="records.archive_package",
        started_by=person,
        agency=case.agency,
        target_kind="cases.case",
        target_id=str(case.pk),
        state=Job.State.DONE,
        result_name=f"case-{case.pk}.zip",
    )
    job.result_file = default_storage.save(
        f"jobs/{job.pk}/1/case-{case.pk}.zip", ContentFile(b"PK\x05\x06" + bytes(18))
    )
    job.save()
    return job


def _inspection(w):
    """The last ended quarter's 网上巡查 of agency A, signed by its supervisor with a finding of theirs not yet made a
    rectification."""
    from django.utils import timezone

    from zhifa.supervision import actions as supervision_actions
    from zhifa.supervision import inspection as checks

    inspection = supervision_actions.prepare_inspection(
        None, w.a, *checks.last_ended_quarter(timezone.localdate())
    )
    finding = supervision_actions.add_finding(w.supervisor, inspection, area="other", text="未公示监督电话")
    supervision_actions.sign_inspection(w.supervisor, inspection, conclusion="基本符合要求。")
    return inspection, finding


def _analysis_report(w):
    """The last quarter's 执法数据分析报告 of agency A, made (its job run here) and not yet read."""
    from django.utils import timezone

    from zhifa.supervision import actions as supervision_actions
    from zhifa.supervision import analysis

    kind, year, number = analysis.last_ended(timezone.localdate())[0]
    report, _job = supervision_actions.request_analysis_report(
        w.supervisor, w.a, kind=kind, year=year, number=number
    )
    return supervision_actions.fill_analysis_report(report)


def _ranking(w):
    """The last quarter's 考核 ranking of agency A, published by its supervisor."""
    from django.utils import timezone

    from zhifa.supervision import actions as supervision_actions
    from zhifa.supervision import analysis

    kind, year, number = analysis.last_ended(timezone.localdate())[0]
    return supervision_actions.publish_ranking(
        w.supervisor, kind=kind, year=year, number=number, agencies=[w.a]
    )


def _evaluation(w):
    """A 案卷评查 of agency A by its supervisor, drawn: one file closed within the period, given to the supervisor; two
    of its items failed, one made a rectification owned by the officer, its fix reported with a scan."""
    from tests.records.conftest import signature_png
    from tests.supervision.conftest import closed
    from zhifa.supervision import actions as supervision_actions

    today = w.clock.today
    closed(w.new_case(), today - dt.timedelta(days=10))
    evaluation = supervision_actions.create_evaluation(
        w.supervisor,
        title="上半年案卷评查",
        period_start=today - dt.timedelta(days=30),
        period_end=today - dt.timedelta(days=1),
        agencies=[w.a],
        evaluators=[w.supervisor],
        rate=100,
    )
    supervision_actions.draw_sample(w.supervisor, evaluation)
    file = evaluation.files.get()
    for code in ("writing", "cover"):
        supervision_actions.answer_item(
            w.supervisor, file, code=code, verdict="fail", points=0, reason="不规范"
        )
    rectification = supervision_actions.open_rectification(
        w.supervisor, file, item_code="writing", problem="文书不规范", requirement="补正", owner=w.officer
    )
    supervision_actions.submit_fix(w.officer, rectification, note="已补正", data=signature_png(100, 60))
    return evaluation, file, rectification


def _inspection_plan(w, item):
    """Agency A's target pool (two medical clinics), a 双随机 plan of its head with its seed committed, not yet drawn,
    and the targets drawn by an earlier plan: one not yet inspected, one ordered to correct (its 复查 not yet made)."""
    import datetime as dt

    from django.utils import timezone

    from zhifa.inspections import actions as inspection_actions
    from zhifa.org.models import EnforcementField

    medical = EnforcementField.objects.get(code="medical")
    target = inspection_actions.save_target(
        w.sysadmin,
        w.a,
        name="甲区康宁诊所",
        credit_code="91350100M000100Y43",
        address="甲区健康路1号",
        field=medical,
    )
    today = timezone.localdate()

    def plan(rate):
        return inspection_actions.create_plan(
            w.head,
            w.a,
            title="医疗机构双随机抽查",
            field=medical,
            items=[item],
            period_start=today,
            period_end=today + dt.timedelta(days=30),
            rate=rate,
        )

    inspection_actions.save_target(
        w.sysadmin,
        w.a,
        name="甲区仁心诊所",
        credit_code="91350100M000101Y4Q",
        address="甲区健康路2号",
        field=medical,
    )
    # 甲执法 and 甲执法二 (the only two certified) drawn to inspect both; the second ordered to correct, its 复查 due
    first, second = inspection_actions.draw_plan(w.head, plan(100)).drawn.order_by("position")
    inspection_actions.record_result(
        w.officer,
        second,
        inspected_on=today,
        place="甲区健康路2号",
        officers=list(second.inspectors.all()),
        verdicts={0: "fail"},
        outcome="correct",
        opinion="十五日内改正。",
    )
    return target, plan(50), first, second
