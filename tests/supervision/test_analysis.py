"""执法数据分析报告: the declared weak-point rules (hypothesis), the report composed from the figures with the previous
period and the units, its PDF and DOCX with charts, the job, delivery to the heads and their reading in the ledger."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.core.models import Job
from zhifa.ledger.models import Entry
from zhifa.records import storage
from zhifa.supervision import actions, analysis, rules
from zhifa.supervision.models import AnalysisReport, ReportReading, WeakPointRule

MEASURES = (
    "deadlines_due",
    "overdue",
    "decided",
    "corrected",
    "reviews",
    "review_problems",
    "pub_due",
    "pub_on_time",
    "complaints",
    "complaints_on_time",
)


@st.composite
def figures_of(draw):
    """A consistent set of figures: each part no larger than its whole."""
    values = {}
    for whole, part in (
        ("deadlines_due", "overdue"),
        ("decided", "corrected"),
        ("reviews", "review_problems"),
        ("pub_due", "pub_on_time"),
        ("complaints", "complaints_on_time"),
        ("av_due", "av_complete"),
    ):
        n = draw(st.integers(0, 40))
        values[whole], values[part] = n, draw(st.integers(0, n))
    return values


def _sum(rows):
    total = {}
    for values in rows:
        for k, v in values.items():
            total[k] = total.get(k, 0) + v
    return total


SETTINGS = {
    "unit_overdue": (1.5, 5),
    "unit_correction": (1.5, 5),
    "item_review_problems": (30.0, 3),
    "late_publication": (90.0, 3),
    "late_complaints": (90.0, 3),
    "overdue_rising": (10.0, 5),
    "av_incomplete": (95.0, 5),
    "access_anomalies": (1.0, 1),
}
LOWER_IS_STRICTER = ("late_publication", "late_complaints", "av_incomplete")
flags_of = st.lists(
    st.fixed_dictionaries(
        {
            "person": st.sampled_from(["张三", "李四", "王五"]),
            "what": st.sampled_from(["outside_unit", "burst"]),
            "count": st.integers(1, 30),
        }
    ),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(
    units=st.lists(figures_of(), min_size=1, max_size=4),
    previous=figures_of(),
    raise_by=st.floats(0, 50),
    minimum_by=st.integers(0, 10),
    access=flags_of,
)
def test_a_stricter_rule_never_finds_more_and_nothing_is_found_below_its_minimum(
    units, previous, raise_by, minimum_by, access
):
    current = _sum(units)
    members = {str(i): v for i, v in enumerate(units)}
    found = rules.weak_points(current, previous, members, members, SETTINGS, access)
    # stricter: the "at least" thresholds up, the "less than" thresholds down, every minimum up
    stricter = {
        code: ((t - raise_by) if code in LOWER_IS_STRICTER else (t + raise_by), m + minimum_by)
        for code, (t, m) in SETTINGS.items()
    }
    fewer = rules.weak_points(current, previous, members, members, stricter, access)
    key = lambda p: (p["rule"], p["dimension"], p["member"])  # noqa: E731
    assert {key(p) for p in fewer} <= {key(p) for p in found}
    for p in found:
        threshold, minimum = SETTINGS[p["rule"]]
        if p["rule"] == "access_anomalies":  # each person named opened at least ``minimum`` times
            assert (
                all(f["count"] >= minimum for f in p["values"]["flags"])
                and p["values"]["people"] >= threshold
            )
            continue
        values = members.get(p["member"], current) if p["dimension"] != "all" else current
        base = {
            "unit_overdue": "deadlines_due",
            "unit_correction": "decided",
            "item_review_problems": "reviews",
            "late_publication": "pub_due",
            "late_complaints": "complaints",
            "overdue_rising": "deadlines_due",
            "av_incomplete": "av_due",
        }
        assert values[base[p["rule"]]] >= minimum
    # a rule switched off finds nothing
    assert rules.weak_points(current, previous, members, members, {}, access) == []


def test_each_rule_on_a_plain_example():
    agency = {
        "deadlines_due": 20,
        "overdue": 4,
        "decided": 20,
        "corrected": 2,
        "pub_due": 10,
        "pub_on_time": 8,
        "complaints": 5,
        "complaints_on_time": 5,
        "av_due": 10,
        "av_complete": 9,
    }
    units = {
        "1": {"deadlines_due": 10, "overdue": 4, "decided": 10, "corrected": 2},
        "2": {"deadlines_due": 10},
    }
    items = {"A-1": {"reviews": 4, "review_problems": 2}, "A-2": {"reviews": 2, "review_problems": 2}}
    previous = {"deadlines_due": 10, "overdue": 0}
    access = [{"person": "甲执法", "what": "outside_unit", "count": 12}]
    points = rules.weak_points(agency, previous, units, items, SETTINGS, access)
    found = {(p["rule"], p["member"]) for p in points}
    # unit 1: 40 % overdue against 20 %; corrected 20 % against 10 %; A-1: 50 % problems (A-2 below its minimum);
    # 80 % published on time; complaints all on time; overdue up 20 points; 90 % of the acts on the AV list recorded
    # completely; one person opened cases outside their unit
    assert found == {
        ("av_incomplete", ""),
        ("access_anomalies", ""),
        ("unit_overdue", "1"),
        ("unit_correction", "1"),
        ("item_review_problems", "A-1"),
        ("late_publication", ""),
        ("overdue_rising", ""),
    }
    words = {p["rule"]: analysis.describe(p, "甲区卫生健康局") for p in points}
    assert words["av_incomplete"] == "音像记录事项清单列明的执法环节 10 个，音像记录完整 9 个，完整率 90.0%。"
    assert words["access_anomalies"] == "1 人调阅异常：甲执法（调阅本承办机构以外的案件 12 次）。"
    assert not rules.weak_points(agency, previous, units, items, {"access_anomalies": (1.0, 13)}, access)


def test_periods():
    assert analysis.bounds("quarter", 2026, 3) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert analysis.bounds("half", 2026, 2) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert analysis.previous("quarter", 2026, 1) == (2025, 4) and analysis.previous("half", 2026, 1) == (
        2025,
        2,
    )
    assert analysis.last_ended(dt.date(2026, 12, 4)) == [("quarter", 2026, 3)]
    assert analysis.last_ended(dt.date(2027, 1, 2)) == [
        ("quarter", 2026, 4),
        ("half", 2026, 2),
        ("year", 2026, 1),
    ]


def _request(w, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.request_analysis_report(actor, w.a, kind="quarter", year=w.year, number=w.quarter)


def test_the_report_its_files_and_the_heads_reading(counted, django_capture_on_commit_callbacks, tmp_path):
    w = counted
    for person in (w.officer, w.reviewer):
        with pytest.raises(PermissionDenied):
            actions.request_analysis_report(person, w.a, kind="quarter", year=w.year, number=w.quarter)
    with pytest.raises(ValidationError):
        actions.request_analysis_report(
            w.supervisor, w.a, kind="quarter", year=w.year + 1, number=4
        )  # not ended
    with pytest.raises(ValidationError):
        actions.request_analysis_report(w.supervisor, w.a, kind="quarter", year=w.year, number=5)
    report, job = _request(w, w.supervisor, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    report.refresh_from_db()
    assert job.state == "done" and report.state == "ready"
    data = report.data
    assert data["current"]["decided"] == 2 and data["current"]["corrected"] == 1
    rules_found = {p["rule"] for p in data["weak_points"]}
    # 1 of 3 published on time, 1 of 3 complaints answered on time: both below 90 %
    assert {"late_publication", "late_complaints"} <= rules_found
    late = next(p for p in data["weak_points"] if p["rule"] == "late_publication")
    assert (
        "按期公开率 33.3%" in late["evidence"]
        and late["proposal"]
        and late["link"].startswith("/supervision/")
    )
    # a threshold is data: switched off, the next report does not find it
    from zhifa.org import actions as org

    admin = org.add_platform_admin("platform", "Pl@tform-2026-x", full_name="平台管理员")
    rule = WeakPointRule.objects.get(code="late_publication")
    with pytest.raises(PermissionDenied):
        actions.set_weak_point_rule(w.supervisor, rule, threshold=90, minimum=3, active=False)
    with pytest.raises(ValidationError):
        actions.set_weak_point_rule(admin, rule, threshold="x", minimum=3, active=False)
    actions.set_weak_point_rule(admin, rule, threshold=90, minimum=3, active=False)
    report, _job = _request(w, w.head, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert "late_publication" not in {p["rule"] for p in report.data["weak_points"]}
    # the PDF (with its charts) and the DOCX, their hashes in the ledger
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(storage.read(report.pdf_name, report.pdf_sha256))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "执法数据分析报告" in text and "薄弱环节与改进建议" in text and "投诉举报未按期答复" in text
    images = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.strip().splitlines()) >= 3  # the header lines and at least one chart
    from docx import Document

    doc = Document(io.BytesIO(storage.read(report.docx_name, report.docx_sha256)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "薄弱环节与改进建议" in body and doc.inline_shapes
    entry = Entry.objects.filter(action="supervision.fill_analysis_report").order_by("-at").first()
    files = json.dumps(json.loads(bytes(entry.body))["record"]["files"])
    assert report.pdf_sha256 in files and report.docx_sha256 in files
    # the head reads it, once; others cannot record a reading
    with pytest.raises(PermissionDenied):
        actions.read_analysis_report(w.supervisor, report)
    actions.read_analysis_report(w.head, report)
    with pytest.raises(ValidationError):
        actions.read_analysis_report(w.head, report)
    assert ReportReading.objects.get().person == w.head
    assert Entry.objects.filter(action="supervision.read_analysis_report").count() == 1


def test_the_daily_task_makes_each_report_once(counted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.prepare_due_reports() >= 1
    assert actions.prepare_due_reports() == 0
    assert Job.objects.filter(kind="supervision.analysis_report", state="done").exists()


def test_the_pages_the_workbench_and_who_presses_what(
    counted, client, login, django_capture_on_commit_callbacks
):
    w = counted
    url = reverse("supervision:analysis_reports")
    login(w.officer)
    assert client.get(url).status_code == 403
    login(w.supervisor)
    assert client.get(url).status_code == 200
    data = {"agency": w.a.pk, "kind": "quarter", "year": w.year, "number": w.quarter}
    assert client.post(url, {**data, "number": 9}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    report = AnalysisReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = client.get(report.get_absolute_url()).content.decode()
    read = reverse("supervision:read_analysis_report", args=[report.pk])
    assert "薄弱环节与改进建议" in page and 'id="stat-data"' in page and read not in page  # not a head
    assert client.post(read).status_code == 403
    for fmt in ("pdf", "docx"):
        assert (
            client.get(reverse("supervision:analysis_report_file", args=[report.pk, fmt])).status_code == 200
        )
    # the head finds it on the 工作台 until they record reading it
    login(w.head)
    assert report.get_absolute_url() in client.get(reverse("home")).content.decode()
    page = client.get(report.get_absolute_url()).content.decode()
    assert read in page
    client.post(read)
    assert report.get_absolute_url() not in client.get(reverse("home")).content.decode()
    page = client.get(report.get_absolute_url()).content.decode()
    assert read not in page and w.head.full_name in page
