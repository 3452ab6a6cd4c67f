"""行政检查 outside a random-inspection plan (日常检查、专项检查): registered, recorded on site by two certified
officers who showed their certificates (现场笔录, 采样记录 with its samples), concluded 合格 / 责令改正 with the
卫生监督意见书 and a 复查 time limit / 移送立案查处, each result published within 20 working days; archived."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from zhifa.cases import actions, deadlines
from zhifa.cases.choices import ActKind, RecordKind, State
from zhifa.core.errors import RuleViolation
from zhifa.workdays.queries import current_calendar
from zhifa.workdays.rules import add_working_days


def open_(cw, **kw):
    return actions.open_inspection(
        cw.officer,
        **{
            "party": cw.clinic,
            "cause": "医疗机构依法执业专项检查",
            "field": cw.medical,
            "unit": cw.section,
            "officers": [cw.officer, cw.officer2],
            "summary": "执业许可、人员资质、医疗废物处置。",
            "basis": "《医疗机构管理条例》第四十条",
            **kw,
        },
    )


def record(cw, case, kind=RecordKind.ONSITE, **kw):
    return actions.record_inspection(
        cw.officer,
        case,
        **{
            "kind": kind,
            "started_at": timezone.now(),
            "place": "甲区健康路1号",
            "content": "检查执业许可证、医师执业证书和医疗废物暂存点。",
            "officers": [cw.officer, cw.officer2],
            "certificates_shown": cw.certs(),
            "av_skip_reason": "日常检查，未发现争议",
            **kw,
        },
    )


def test_an_inspection_ordered_to_correct_then_rechecked(cw, client):
    case = open_(cw)
    assert case.act_kind == ActKind.INSPECTION and case.state == State.INSPECTION_OPEN
    assert case.reference.startswith("甲卫检〔2026〕")
    with pytest.raises(RuleViolation, match="执法证"):
        record(cw, case, certificates_shown=cw.certs()[:1])
    with pytest.raises(RuleViolation, match="样品"):
        record(cw, case, kind=RecordKind.SAMPLING)
    record(cw, case)
    record(cw, case, kind=RecordKind.SAMPLING, samples="消毒液｜500ml｜2瓶｜某公司｜2026-03-01｜L01")
    with pytest.raises(RuleViolation, match="现场笔录"):
        actions.order_correction(cw.officer, case)
    cw.finalise(case, "onsite_record")
    with pytest.raises(RuleViolation, match="卫生监督意见书"):
        actions.order_correction(cw.officer, case)
    cw.finalise(case, "sampling_record")
    told = cw.finalise(
        case,
        "test_result_notice",
        narrative={
            "lab": "甲区疾病预防控制中心 2026-J-018",
            "result": "有效氯含量符合标示值。",
            "conclusion": "合格",
        },
    )
    assert told.number and told.record.kind == RecordKind.SAMPLING  # numbered, from the sampling record
    opinion = cw.finalise(
        case, "supervision_opinion", narrative={"opinion": "医疗废物暂存点应于十五个工作日内整改。"}
    )
    actions.order_correction(cw.officer, case)
    case.refresh_from_db()
    assert case.state == State.INSPECTION_ORDERED and case.decided_on == cw.clock.today
    recheck = deadlines.current(case, "inspection_recheck")
    assert recheck.due == add_working_days(current_calendar(), cw.clock.today, 15).date
    assert case.publication.kind == "other"
    with pytest.raises(RuleViolation, match="复查情况"):
        actions.record_correction(cw.officer, case, note="")
    actions.record_correction(cw.officer, case, note="已设置防渗漏暂存桶，整改到位。")
    case.refresh_from_db()
    recheck.refresh_from_db()
    assert case.state == State.INSPECTION_CORRECTED and recheck.met_on == cw.clock.today
    actions.archive_case(cw.head, case)

    from zhifa.publicity import publication

    pub = publication.release(cw.head, publication.submit(cw.officer, case.publication))
    assert pub.summary["number"] == opinion.number and pub.summary["measure"] == "责令改正，复查合格"
    listed = client.get(reverse("publicity:decisions"), {"act": "inspection"}).content.decode()
    assert opinion.number in listed and "行政检查（责令改正，复查合格）" in listed
    from zhifa.ledger.actions import run_verification

    assert run_verification(agency=cw.a, state=True).ok


def test_passed_and_a_case_opened_from_an_inspection(cw):
    passed = open_(cw)
    record(cw, passed)
    cw.finalise(passed, "onsite_record")
    with pytest.raises(PermissionDenied):
        actions.pass_inspection(cw.officer_b, passed)
    actions.pass_inspection(cw.officer, passed)
    passed.refresh_from_db()
    assert passed.state == State.INSPECTION_PASSED and passed.publication.kind == "other"

    found = open_(cw)
    record(cw, found)
    cw.finalise(found, "onsite_record")
    penalty = actions.open_penalty_case(cw.officer, found, cause="未取得许可擅自执业", summary="检查发现。")
    found.refresh_from_db()
    assert found.state == State.INSPECTION_CASE and penalty.origin_id == found.pk
    assert "行政检查" in penalty.source_detail and found.reference in penalty.source_detail
    with pytest.raises(RuleViolation, match="不能进行"):
        actions.open_penalty_case(cw.officer, found, cause="x", summary="x")


def test_pages(cw, client, login):
    login(cw.officer)
    response = client.post(
        reverse("cases:inspection_create"),
        {
            "party": cw.clinic.pk,
            "cause": "日常监督检查",
            "source": "inspection",
            "field": cw.medical.pk,
            "unit": cw.section.pk,
            "officers": [cw.officer.pk, cw.officer2.pk],
            "summary": "依法执业情况。",
            "basis": "《医疗机构管理条例》",
        },
    )
    from zhifa.cases.models import Case

    case = Case.objects.get(act_kind=ActKind.INSPECTION)
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    html = client.get(case.get_absolute_url()).content.decode()
    assert reverse("cases:action", args=[case.pk, "record_inspection"]) in html
    assert client.get(reverse("cases:action", args=[case.pk, "record_inspection"])).status_code == 200
    login(cw.officer_b)
    assert client.get(case.get_absolute_url()).status_code == 404
