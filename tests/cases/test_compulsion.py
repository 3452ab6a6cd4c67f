"""行政强制措施 — 查封、扣押 as an act of its own (《行政强制法》 arts. 18–28): prior approval or approval within 24
hours after an emergency, two certified officers on site, the whole filmed, the decision with its 清单, the 30-day
period extended once by the head, the end by release or by the decision on the items, a penalty case opened from
it; every refusal writes nothing; the pages offer each role exactly its steps."""

import datetime as dt
import json
import shutil

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.records.test_evidence import mp4, received
from zhifa.cases import access, actions, deadlines, lifecycle
from zhifa.cases.choices import ActKind, RecordKind, State
from zhifa.core.errors import RuleViolation
from zhifa.ledger.models import Entry
from zhifa.records import evidence

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="Debian ffmpeg not installed")
ITEMS = "一次性注射器｜5ml｜200支｜某医疗器械公司｜2026-01-01｜B2601\n医疗废物包装袋｜黄色｜3袋｜｜｜"


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")


def open_(cw, **kw):
    return actions.open_measure(
        cw.officer,
        **{
            "party": cw.clinic,
            "cause": "涉嫌违反《医疗废物管理条例》处置医疗废物",
            "field": cw.medical,
            "unit": cw.section,
            "officers": [cw.officer, cw.officer2],
            "summary": "监督检查发现该诊所将使用后的一次性注射器混入生活垃圾。",
            "basis": "《医疗废物管理条例》第三十九条第（四）项",
            "place": "甲区健康路1号",
            **kw,
        },
    )


def film(cw, case, tmp_path):
    return evidence.add_evidence(
        cw.officer,
        case,
        received=received(tmp_path, mp4(tmp_path), "seizure.mp4"),
        kind="audiovisual",
        description="实施查封扣押执法记录仪视频",
        act_code="seizure",
        device_id="DSJ-001",
    )


def carry_out(cw, case, **kw):
    return actions.carry_out_measure(
        cw.officer,
        case,
        **{
            "started_at": timezone.now(),
            "place": "甲区健康路1号",
            "officers": [cw.officer, cw.officer2],
            "certificates_shown": cw.certs(),
            "measure": "扣押",
            "observations": "执法人员出示执法证件，通知当事人到场，告知扣押的理由、依据和当事人依法享有的权利。",
            "items": ITEMS,
            "keep_place": "甲区卫生健康局证物室",
            **kw,
        },
    )


def entries(case):
    return list(Entry.objects.filter(object_kind="cases.case", object_id=str(case.pk)).order_by("seq"))


def payload(entry) -> dict:
    return json.loads(bytes(entry.body))["record"]["payload"]


@needs_ffmpeg
def test_a_seizure_from_approval_to_release(cw, tmp_path):
    case = open_(cw)
    assert case.act_kind == ActKind.COMPULSION and case.state == State.MEASURE_REQUESTED
    assert case.reference.startswith("甲卫强〔2026〕")
    assert access.waiting_on(cw.head, case) == ["approve_measure", "refuse_measure"]
    # the officers cannot approve their own measure, nor carry it out before the head has
    with pytest.raises(PermissionDenied, match="机关负责人"):
        actions.approve_measure(cw.officer, case, opinion="同意")
    with pytest.raises(RuleViolation, match="第十八条"):
        carry_out(cw, case)
    actions.approve_measure(cw.head, case, opinion="同意扣押")
    case.refresh_from_db()
    assert case.state == State.MEASURE_APPROVED and case.measure_approved_by == cw.head

    # without the recording of the whole, nothing is written
    before = Entry.objects.count()
    with pytest.raises(RuleViolation, match="全程音像记录"):
        carry_out(cw, case)
    case.refresh_from_db()
    assert case.state == State.MEASURE_APPROVED and not case.records.exists()
    assert Entry.objects.count() == before
    video = film(cw, case, tmp_path)
    carry_out(cw, case)
    case.refresh_from_db()
    video.refresh_from_db()
    seizure = case.records.get(kind=RecordKind.SEIZURE)
    assert case.state == State.MEASURE_IN_FORCE and video.record_id == seizure.pk
    assert case.records.filter(kind=RecordKind.ONSITE).exists()  # the 现场笔录
    assert [i["name"] for i in seizure.data["items"]] == ["一次性注射器", "医疗废物包装袋"]
    period = deadlines.current(seizure, deadlines.SEIZURE)
    assert period.due == cw.clock.today + dt.timedelta(days=30)  # 30 days (art. 25)

    # the decision and its list handed over before anything else is done with the measure
    with pytest.raises(RuleViolation, match="现场笔录、查封扣押决定书"):
        actions.extend_measure(cw.head, case, reason="需检验")
    cw.finalise(case, "onsite_record")
    decision = cw.finalise(case, "seizure_decision")
    assert decision.number and decision.record_id == seizure.pk
    with pytest.raises(PermissionDenied):
        actions.extend_measure(cw.officer, case, reason="需检验")
    with pytest.raises(RuleViolation, match="三十日"):
        actions.extend_measure(cw.head, case, reason="需检验", days=31)
    actions.extend_measure(cw.head, case, reason="物品需送检，情况复杂")
    period.refresh_from_db()
    assert period.due == cw.clock.today + dt.timedelta(days=60) and period.extensions == 1
    with pytest.raises(RuleViolation, match="只能延长一次"):
        actions.extend_measure(cw.head, case, reason="再延长")
    notice = cw.finalise(case, "seizure_extension_notice")
    assert notice.record.kind == RecordKind.SEIZURE_EXTENSION

    # release needs its decision document; then the period is met and the measure ends
    cw.clock.move_to(cw.clock.today + dt.timedelta(days=10))
    with pytest.raises(RuleViolation, match="解除查封扣押决定书"):
        actions.release_measure(cw.officer, case)
    cw.finalise(case, "seizure_release")
    actions.release_measure(cw.officer, case, note="物品已当场清点退还当事人。")
    case.refresh_from_db()
    period.refresh_from_db()
    assert case.state == State.MEASURE_RELEASED and case.ended_on == cw.clock.today
    assert period.met_on == cw.clock.today
    assert case.records.filter(kind=RecordKind.SEIZURE_RELEASE).exists()
    actions.archive_case(cw.head, case)
    case.refresh_from_db()
    assert case.state == State.ARCHIVED

    actions_in_ledger = [e.action for e in entries(case)]
    for step in ("open_measure", "approve_measure", "carry_out_measure", "extend_measure", "release_measure"):
        assert f"cases.{step}" in actions_in_ledger
    from zhifa.ledger.actions import run_verification

    assert run_verification(agency=cw.a, state=True).ok


@needs_ffmpeg
def test_an_emergency_measure_is_approved_within_24_hours(cw, tmp_path):
    case = open_(cw, emergency=True)
    # an emergency measure may be carried out before the head approves (art. 19)
    assert access.may(cw.officer, case, "carry_out_measure")
    film(cw, case, tmp_path)
    carry_out(cw, case)
    case.refresh_from_db()
    assert case.state == State.MEASURE_IN_FORCE and case.measure_approved_by is None
    assert access.waiting_on(cw.head, case)[0] == "ratify_measure"
    cw.clock.move_to(cw.clock.today + dt.timedelta(days=1), hour=11)  # 25 hours later
    actions.ratify_measure(cw.head, case, opinion="同意，补办批准")
    case.refresh_from_db()
    assert case.measure_approved_by == cw.head
    assert payload(entries(case)[-1])["late"] is True  # recorded as late, never hidden
    assert not access.may(cw.head, case, "ratify_measure")
    with pytest.raises(RuleViolation, match="已经负责人批准"):
        actions.ratify_measure(cw.head, case, opinion="再批")


@needs_ffmpeg
def test_on_time_ratification_is_not_late(cw, tmp_path):
    case = open_(cw, emergency=True)
    film(cw, case, tmp_path)
    carry_out(cw, case)
    cw.clock.move_to(cw.clock.today, hour=20)
    actions.ratify_measure(cw.head, case, opinion="同意")
    assert payload(entries(case)[-1])["late"] is False


def test_refusals_write_nothing(cw):
    with pytest.raises(RuleViolation, match="法律、法规依据"):
        open_(cw, basis=" ")
    with pytest.raises(RuleViolation, match="不得少于2人"):
        open_(cw, officers=[cw.officer])
    with pytest.raises(PermissionDenied):  # the system administrator handles no case
        actions.open_measure(
            cw.sysadmin,
            party=cw.clinic,
            cause="x",
            field=cw.medical,
            unit=cw.section,
            officers=[cw.officer, cw.officer2],
            summary="x",
            basis="x",
        )
    from zhifa.cases.models import Case

    assert not Case.objects.filter(act_kind=ActKind.COMPULSION).exists()
    case = open_(cw)
    actions.refuse_measure(cw.head, case, reason="不符合实施条件")
    case.refresh_from_db()
    assert case.state == State.MEASURE_REFUSED and case.measure_opinion == "不符合实施条件"
    with pytest.raises(RuleViolation, match="不能进行"):
        actions.approve_measure(cw.head, case, opinion="同意")
    # a penalty step on a measure, and a measure step on a penalty case, are refused by the tables
    with pytest.raises(RuleViolation, match="“报请立案”不是行政强制措施的步骤"):
        actions.request_filing(cw.officer, case)
    penalty = cw.new_case()
    with pytest.raises(RuleViolation, match="不是行政处罚的步骤"):
        actions.approve_measure(cw.head, penalty, opinion="同意")


@needs_ffmpeg
def test_period_and_officers_are_checked_on_site(cw, tmp_path):
    case = open_(cw)
    actions.approve_measure(cw.head, case, opinion="同意")
    film(cw, case, tmp_path)
    with pytest.raises(RuleViolation, match="三十日"):
        carry_out(cw, case, period_days=31)
    with pytest.raises(RuleViolation, match="不得少于2人"):
        carry_out(cw, case, officers=[cw.officer], certificates_shown=cw.certs()[:1])
    with pytest.raises(RuleViolation, match="执法证"):
        carry_out(cw, case, certificates_shown=cw.certs()[:1])
    with pytest.raises(RuleViolation, match="物品清单"):
        carry_out(cw, case, items="")
    case.refresh_from_db()
    assert case.state == State.MEASURE_APPROVED and not case.records.exists()
    carry_out(cw, case, period_days=15)
    seizure = case.records.get(kind=RecordKind.SEIZURE)
    assert seizure.due_on == cw.clock.today + dt.timedelta(days=15)


@needs_ffmpeg
def test_disposal_and_a_penalty_case_opened_from_the_measure(cw, tmp_path):
    case = open_(cw)
    actions.approve_measure(cw.head, case, opinion="同意")
    film(cw, case, tmp_path)
    carry_out(cw, case)
    penalty = actions.open_penalty_case(
        cw.officer, case, cause="未按规定处置医疗废物", summary="扣押物品系违规处置的医疗废物。"
    )
    assert penalty.act_kind == ActKind.PENALTY and penalty.origin_id == case.pk
    assert penalty.party_id == case.party_id and set(penalty.officers.all()) == {cw.officer, cw.officer2}
    assert case.reference in penalty.source_detail
    with pytest.raises(RuleViolation, match="已由本强制措施移送立案查处"):
        actions.open_penalty_case(cw.officer, case, cause="x", summary="x")
    cw.finalise(case, "onsite_record")
    cw.finalise(case, "seizure_decision")
    with pytest.raises(PermissionDenied):
        actions.dispose_measure(cw.officer, case)
    with pytest.raises(RuleViolation, match="查封扣押处理决定书"):
        actions.dispose_measure(cw.head, case)
    cw.finalise(
        case,
        "seizure_disposal",
        narrative={
            "basis": "《医疗废物管理条例》第四十六条",
            "disposal": "扣押的医疗废物交医疗废物集中处置单位处置。",
        },
    )
    actions.dispose_measure(cw.head, case)
    case.refresh_from_db()
    assert case.state == State.MEASURE_DISPOSED
    seizure = case.records.get(kind=RecordKind.SEIZURE)
    assert deadlines.current(seizure, deadlines.SEIZURE).met_on == cw.clock.today


@needs_ffmpeg
def test_pages_offer_each_role_its_steps(cw, client, login, tmp_path, django_assert_max_num_queries):
    create = reverse("cases:measure_create")
    login(cw.sysadmin)
    assert client.get(create).status_code == 403
    login(cw.officer)
    page = client.get(create)
    assert page.status_code == 200 and "法律、法规依据" in page.content.decode()
    response = client.post(
        create,
        {
            "party": cw.clinic.pk,
            "cause": "涉嫌违规处置医疗废物",
            "source": "inspection",
            "field": cw.medical.pk,
            "unit": cw.section.pk,
            "officers": [cw.officer.pk, cw.officer2.pk],
            "summary": "现场发现医疗废物混入生活垃圾。",
            "basis": "《医疗废物管理条例》第三十九条",
        },
    )
    from zhifa.cases.models import Case

    case = Case.objects.get(act_kind=ActKind.COMPULSION)
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    detail = reverse("cases:detail", args=[case.pk])
    html = client.get(detail).content.decode()
    assert "行政强制措施" in html and "强制措施审批中" in html
    assert reverse("cases:action", args=[case.pk, "approve_measure"]) not in html  # not the officer's
    assert client.get(reverse("cases:action", args=[case.pk, "carry_out_measure"])).status_code == 403
    login(cw.head)
    with django_assert_max_num_queries(60):
        html = client.get(detail).content.decode()
    assert reverse("cases:action", args=[case.pk, "approve_measure"]) in html
    assert "法制审核与集体讨论" not in html  # the penalty's panels are not the measure's
    response = client.post(reverse("cases:action", args=[case.pk, "approve_measure"]), {"opinion": "同意"})
    assert response.status_code == 302
    login(cw.officer)
    html = client.get(detail).content.decode()
    assert reverse("cases:action", args=[case.pk, "carry_out_measure"]) in html
    # the list filters by act kind
    listed = client.get(reverse("cases:list"), {"kind": "compulsion"}).content.decode()
    assert case.reference in listed
    penalty = cw.new_case()
    assert penalty.reference not in listed
    # another agency's officer does not see it
    login(cw.officer_b)
    assert client.get(detail).status_code == 404
    assert lifecycle.table(case).publish_within == 20


@needs_ffmpeg
def test_the_measure_is_published_and_found_by_its_act_kind(cw, client, tmp_path):
    """The 查封扣押决定 opens its publication (其他行政执法决定, 20 working days); once released the portal finds it
    under 执法行为 = 行政强制措施 and not under 行政处罚, and shows the measure and its basis."""
    from zhifa.publicity import publication
    from zhifa.publicity.choices import PublicationKind
    from zhifa.workdays.queries import current_calendar
    from zhifa.workdays.rules import add_working_days

    case = open_(cw)
    actions.approve_measure(cw.head, case, opinion="同意")
    film(cw, case, tmp_path)
    carry_out(cw, case)
    case.refresh_from_db()
    pub = case.publication
    assert pub.kind == PublicationKind.OTHER and pub.decided_on == cw.clock.today
    assert pub.due_on == add_working_days(current_calendar(), cw.clock.today, 20).date
    with pytest.raises(RuleViolation, match="决定书尚未定稿"):
        publication.submit(cw.officer, pub)
    decision = cw.finalise(case, "seizure_decision")
    publication.submit(cw.officer, pub)
    publication.release(cw.head, pub)
    pub.refresh_from_db()
    assert pub.summary["act"] == "compulsion" and pub.summary["measure"] == "扣押"
    assert pub.summary["number"] == decision.number and "第三十九条" in pub.summary["basis"]
    listed = client.get(reverse("publicity:decisions"), {"act": "compulsion"}).content.decode()
    assert decision.number in listed and "行政强制措施（扣押）" in listed
    assert (
        decision.number not in client.get(reverse("publicity:decisions"), {"act": "penalty"}).content.decode()
    )
    page = client.get(reverse("publicity:decision", args=[pub.pk])).content.decode()
    assert "强制措施" in page and "扣押" in page and "《医疗废物管理条例》第三十九条" in page
    api = client.get("/api/v1/decisions/", {"act": "compulsion"}).json()
    assert [r["act"] for r in api["results"]] == ["compulsion"]
