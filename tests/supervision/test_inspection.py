"""每季度网上巡查: the platform's lines for a quarter (lists, officers, publications due, complaints answered), the
supervisor's findings and judgements, the signed, numbered and sealed report, and rectification from a finding."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.ledger.models import Entry
from zhifa.org import actions as org
from zhifa.org.choices import Role
from zhifa.records import seal, storage
from zhifa.supervision import actions
from zhifa.supervision import inspection as checks
from zhifa.supervision.choices import InspectionState
from zhifa.supervision.models import Inspection, InspectionLine, Rectification


def test_quarters():
    assert checks.quarter_bounds(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert checks.quarter_bounds(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert checks.last_ended_quarter(dt.date(2026, 12, 4)) == (2026, 3)
    assert checks.last_ended_quarter(dt.date(2026, 1, 1)) == (2025, 4)
    assert checks.last_ended_quarter(dt.date(2026, 3, 31)) == (2025, 4)
    assert checks.last_ended_quarter(dt.date(2026, 4, 1)) == (2026, 1)


def _record(entry) -> dict:
    return json.loads(bytes(entry.body))["record"]


def _lines(inspection) -> dict[str, list[InspectionLine]]:
    out: dict[str, list[InspectionLine]] = {}
    for line in inspection.lines.order_by("position"):
        out.setdefault(line.check_code, []).append(line)
    return out


def test_the_platform_prepares_every_line_with_its_evidence(quarter, client, login):
    w = quarter
    inspection = actions.prepare_inspection(None, w.a, w.year, w.quarter)
    lines = _lines(inspection)
    assert inspection.state == InspectionState.PREPARED and inspection.period_end == w.end
    # 事前: three lists in force, two not published; the repealed law after the items and random lists were published
    assert len(lines["list-current"]) == 3
    assert {ln.subject for ln in lines["list-missing"]} == {"执法服务指南", "执法流程图"}
    outdated = lines["list-outdated"]
    assert len(outdated) == 2 and all("医疗机构管理条例" in ln.text and "废止" in ln.text for ln in outdated)
    assert {ln.subject.split("·")[1] for ln in outdated} == {"执法事项清单", "随机抽查事项清单"}
    assert len(lines["item-basis-changed"]) == 2  # A-001 and RI-001 cite it
    # officers: the uncertified officer is a finding; the listed count is the certified ones
    (nc,) = lines["officer-no-certificate"]
    assert nc.subject == "甲无证"
    # 事后公开
    by_case = {ln.case_id: ln.check_code for ln in inspection.lines.exclude(case=None)}
    assert by_case[w.pubs["on_time"].case_id] == "pub-on-time"
    assert by_case[w.pubs["late"].case_id] == "pub-late"
    assert by_case[w.pubs["missing"].case_id] == "pub-missing"
    assert by_case[w.pubs["withheld"].case_id] == "pub-not-published"
    assert by_case[w.pubs["not_withdrawn"].case_id] == "withdraw-missing"
    assert "超过期限" in lines["pub-late"][0].text and "5 日" in lines["pub-late"][0].text
    # complaints: 60 days by default
    subjects = {
        code: {ln.subject for ln in lines.get(code, [])}
        for code in ("complaint-on-time", "complaint-late", "complaint-overdue")
    }
    assert subjects["complaint-on-time"] == {w.complaints["on_time"].receipt_number}
    assert subjects["complaint-late"] == {w.complaints["late"].receipt_number}
    assert subjects["complaint-overdue"] == {w.complaints["open"].receipt_number}
    assert "张三" not in "".join(
        ln.text for ln in inspection.lines.all()
    )  # no complainant's data in the report
    # every line's evidence opens for the supervisor
    login(w.supervisor)
    for line in inspection.lines.exclude(link=""):
        assert client.get(line.link).status_code == 200, line.link
    # the ledger holds the problems and the digest of every line, in the agency's log
    entries = Entry.objects.filter(action="supervision.prepare_inspection")
    entry = entries.get(object_kind="supervision.inspection")
    assert entry.log.agency_id == w.a.pk and entry.actor_id is None
    payload = _record(entry)["payload"]
    assert len(payload["problems"]) == inspection.lines.filter(result="problem").count()
    assert len(payload["lines_sha256"]) == 64
    # and each line's own state, in an entry of the same action pointing at it
    recorded = {e.object_id for e in entries.filter(object_kind="supervision.inspectionline")}
    assert recorded == {str(pk) for pk in inspection.lines.values_list("pk", flat=True)}


def test_an_agency_sets_its_own_time_limit_for_complaints(quarter):
    from zhifa.workdays import actions as wd_actions
    from zhifa.workdays.models import DeadlineKind

    w = quarter
    kind = DeadlineKind.objects.get(code="complaint_answer")
    wd_actions.set_agency_deadline(w.sysadmin, w.a, kind, length=15)
    inspection = actions.prepare_inspection(None, w.a, w.year, w.quarter)
    lines = _lines(inspection)
    # answered 17 days after it came: late under 15 days
    assert w.complaints["on_time"].receipt_number in {ln.subject for ln in lines["complaint-late"]}


def test_the_supervisor_adds_findings_judges_lines_and_prepares_again_without_losing_them(quarter):
    w = quarter
    inspection = actions.prepare_inspection(None, w.a, w.year, w.quarter)
    nc = inspection.lines.get(check_code="officer-no-certificate")
    for person in (w.officer, w.head):
        with pytest.raises(PermissionDenied):
            actions.add_finding(person, inspection, area="lists", text="x")
    with pytest.raises(ValidationError):
        actions.add_finding(w.supervisor, inspection, area="lists", text=" ")
    with pytest.raises(ValidationError):
        actions.add_finding(w.supervisor, inspection, area="lists", text="x", link="https://evil.example/")
    with pytest.raises(ValidationError):
        actions.judge_line(w.supervisor, nc, reason="")  # nothing to restore
    own = actions.add_finding(
        w.supervisor, inspection, area="other", text="门户首页未公示投诉举报电话。", link="/portal/agency/"
    )
    actions.judge_line(w.supervisor, nc, reason="该人员已调岗，角色待注销。")
    ok = inspection.lines.filter(result="ok").first()
    with pytest.raises(ValidationError):
        actions.judge_line(w.supervisor, ok, reason="x")
    count = inspection.lines.count()
    # the uncertified officer gets a certificate: prepared again, the line is gone, the supervisor's finding stays
    org.issue_certificate(
        None,
        w.uncertified,
        number="CERT-NC",
        field_codes=["medical"],
        issuer="甲区人民政府",
        valid_from=w.start,
        valid_to=w.end + dt.timedelta(days=700),
    )
    again = actions.prepare_inspection(w.supervisor, w.a, w.year, w.quarter)
    assert again.pk == inspection.pk
    assert not again.lines.filter(check_code="officer-no-certificate").exists()
    own.refresh_from_db()
    assert own.position == again.lines.count() and again.lines.count() == count - 1
    assert list(again.lines.order_by("position").values_list("position", flat=True)) == list(range(1, count))
    # a judgement stays while its line is still found
    late = again.lines.get(check_code="pub-late")
    actions.judge_line(w.supervisor, late, reason="系统故障，已说明。")
    again = actions.prepare_inspection(w.supervisor, w.a, w.year, w.quarter)
    assert again.lines.get(check_code="pub-late").dismissed == "系统故障，已说明。"
    with pytest.raises(ValidationError):  # not ended yet
        actions.prepare_inspection(
            w.supervisor, w.a, *checks.last_ended_quarter(w.end + dt.timedelta(days=200))
        )


def test_signing_numbers_and_seals_the_report_and_a_finding_becomes_a_rectification(quarter, tmp_path):
    w = quarter
    inspection = actions.prepare_inspection(None, w.a, w.year, w.quarter)
    with pytest.raises(ValidationError):
        actions.sign_inspection(w.supervisor, inspection, conclusion=" ")
    with pytest.raises(PermissionDenied):
        actions.sign_inspection(w.head, inspection, conclusion="同意")
    line = inspection.lines.get(check_code="pub-missing")
    with pytest.raises(ValidationError, match="签发后"):
        actions.open_finding_rectification(w.supervisor, line, problem="x", requirement="y", owner=w.officer)
    signed = actions.sign_inspection(w.supervisor, inspection, conclusion="公开总体及时，个别决定逾期。")
    assert signed.state == InspectionState.SIGNED and signed.body == w.justice
    assert (
        signed.number == f"{w.justice.short_name or w.justice.name}网上巡查〔{timezone.localdate().year}〕1号"
    )
    data = storage.read(signed.pdf_name, signed.pdf_sha256)
    check = seal.verify_pdf(data)
    assert check.intact and w.justice.name in check.signatures[0].signer
    pdf = tmp_path / "i.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert signed.number in text and "公开总体及时" in text and w.pubs["missing"].case.reference in text
    entry = Entry.objects.filter(action="supervision.sign_inspection").get()
    assert signed.pdf_sha256 in json.dumps(_record(entry)["files"])
    # nothing changes after signing
    with pytest.raises(ValidationError):
        actions.add_finding(w.supervisor, signed, area="other", text="再加一个")
    with pytest.raises(ValidationError):
        actions.prepare_inspection(w.supervisor, w.a, w.year, w.quarter)
    # a finding becomes the agency's rectification, once; an ok line cannot
    rect = actions.open_finding_rectification(
        w.supervisor, line, problem=line.text, requirement="补充公开并说明逾期原因。", owner=w.officer
    )
    assert rect.agency == w.a and rect.inspection_line == line and rect.case_id == line.case_id
    assert rect.item_code == "pub-missing" and rect.deadline.kind.code == "rectification"
    with pytest.raises(ValidationError):
        actions.open_finding_rectification(w.supervisor, line, problem="x", requirement="y", owner=w.officer)
    ok = signed.lines.filter(result="ok").first()
    with pytest.raises(ValidationError):
        actions.open_finding_rectification(w.supervisor, ok, problem="x", requirement="y", owner=w.officer)
    # the next one signed by the same body takes the next number
    b_sup = w.person(w.justice, "sup_b2", "乙监督二")
    org.grant_role(None, b_sup, Role.SUPERVISOR, w.b)
    second = actions.sign_inspection(
        b_sup, actions.prepare_inspection(None, w.b, w.year, w.quarter), conclusion="未发现问题。"
    )
    assert second.sequence == 2 and second.number.endswith("2号")
    assert Rectification.objects.count() == 1


def test_the_daily_task_prepares_the_last_quarter_for_each_supervised_agency_once(quarter):
    w = quarter
    assert actions.prepare_due_inspections() == 1  # A has a supervisor, B none
    assert actions.prepare_due_inspections() == 0
    (only,) = Inspection.objects.all()
    assert (only.agency, only.year, only.quarter) == (w.a, w.year, w.quarter)


# Queries of one GET (session, user, roles included; the list with its form for preparing one).
BUDGETS = {"inspections": 10, "inspection": 7}


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response.content.decode()


def test_the_pages_who_sees_and_presses_what(quarter, client, login):
    w = quarter
    inspection = actions.prepare_inspection(None, w.a, w.year, w.quarter)
    url = inspection.get_absolute_url()
    login(w.officer)
    assert client.get(reverse("supervision:inspections")).status_code == 403
    assert client.get(url).status_code == 404
    login(w.head)  # a head sees their agency's signed inspections only
    n, page = _count(client, reverse("supervision:inspections"))
    assert "第" not in page.split("<tbody>")[1].split("</tbody>")[0] or "暂无" in page
    assert client.get(url).status_code == 404
    login(w.supervisor)
    n, page = _count(client, reverse("supervision:inspections"))
    assert n <= BUDGETS["inspections"] and f"{w.year}年第{w.quarter}季度" in page
    n, page = _count(client, url)
    assert n <= BUDGETS["inspection"], n
    sign = reverse("supervision:sign_inspection", args=[inspection.pk])
    assert "不作为问题" in page and sign in page and "/rectify/" not in page
    # a finding with an error in the form: shown, nothing written
    before = InspectionLine.objects.count()
    response = client.post(
        reverse("supervision:add_finding", args=[inspection.pk]), {"area": "other", "text": ""}
    )
    assert response.status_code == 400 and InspectionLine.objects.count() == before
    response = client.post(
        reverse("supervision:add_finding", args=[inspection.pk]),
        {"area": "other", "text": "门户首页未公示投诉举报电话。", "link": ""},
    )
    assert response.status_code == 302
    line = inspection.lines.get(check_code="officer-no-certificate")
    client.post(reverse("supervision:judge_line", args=[line.pk]), {"reason": "已调岗"})
    line.refresh_from_db()
    assert line.dismissed == "已调岗"
    response = client.post(
        reverse("supervision:sign_inspection", args=[inspection.pk]), {"conclusion": "基本符合要求。"}
    )
    assert response.status_code == 302
    n, page = _count(client, url)
    assert n <= BUDGETS["inspection"] + 1, n  # (its rectifications' links)
    assert "/rectify/" in page and "重新生成" not in page and "report.pdf" in page and sign not in page
    pdf = client.get(reverse("supervision:inspection_pdf", args=[inspection.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    finding = inspection.lines.get(check_code="finding")
    form = client.get(reverse("supervision:new_finding_rectification", args=[finding.pk]))
    assert "门户首页未公示投诉举报电话" in form.content.decode()
    response = client.post(
        reverse("supervision:new_finding_rectification", args=[finding.pk]),
        {"problem": finding.text, "requirement": "在门户首页公示投诉举报电话。", "owner": w.head.pk},
    )
    assert response.status_code == 302
    rect = Rectification.objects.get(inspection_line=finding)
    assert "网上巡查" in client.get(rect.get_absolute_url()).content.decode()
    # the head now sees the signed inspection, without a button
    login(w.head)
    page = client.get(url).content.decode()
    assert sign not in page and "/rectify/" not in page and "/judge/" not in page
    assert client.get(reverse("supervision:inspection_pdf", args=[inspection.pk])).status_code == 200
    assert (
        client.post(
            reverse("supervision:add_finding", args=[inspection.pk]), {"area": "other", "text": "x"}
        ).status_code
        == 403
    )
