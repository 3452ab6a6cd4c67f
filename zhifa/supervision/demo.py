"""Demo data: the district 司法局's 案卷评查 of the demo bureau for the last half-year that has ended — drawn, its
first file scored, the others waiting for the supervisor (``jiandu``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.cases.models import CaseOfficer
from zhifa.org.models import Agency, Person

from . import actions
from .models import Evaluation

FAILED = {
    "writing": "询问笔录个别处涂改未按规定捺印。",
    "cover": "卷内目录未填写页码，备考表未填写立卷人。",
}


def last_half_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last half-year (1 January–30 June or 1 July–31 December) that ended before ``today``."""
    if today.month > 6:
        return dt.date(today.year, 1, 1), dt.date(today.year, 6, 30)
    return dt.date(today.year - 1, 7, 1), dt.date(today.year - 1, 12, 31)


def load() -> None:
    if Evaluation.objects.exists():
        return
    agency = Agency.objects.filter(code="mingshan-wjj").first()
    supervisor = Person.objects.filter(username="jiandu").first()
    if agency is None or supervisor is None:
        return
    start, end = last_half_year(timezone.localdate())
    half = "上" if start.month == 1 else "下"
    evaluation = actions.create_evaluation(
        supervisor,
        title=f"{start.year}年{half}半年行政处罚案卷评查（{agency.short_name}）",
        period_start=start,
        period_end=end,
        agencies=[agency],
        evaluators=[supervisor],
        rate=100,
        minimum=1,
    )
    if not actions.frame_of(evaluation):
        return  # nothing was closed in that half-year (the demo's cases are dated back from today)
    actions.draw_sample(supervisor, evaluation)
    first = evaluation.files.order_by("position").first()
    if first.answers:
        actions.confirm_prefilled(supervisor, first)
        first.refresh_from_db()
    for item in evaluation.standard.items.all():
        if (first.answers.get(item.code) or {}).get("verdict"):
            continue
        if item.code in FAILED:
            actions.answer_item(
                supervisor, first, code=item.code, verdict="fail", points=2, reason=FAILED[item.code]
            )
        else:
            actions.answer_item(supervisor, first, code=item.code, verdict="pass")
        first.refresh_from_db()
    actions.finish_file(supervisor, first)
    # two rectifications of the file's failed items, owned by its lead officer: one running, one overdue (its notice
    # given 45 days ago: its head has been told)
    lead = CaseOfficer.objects.filter(case=first.case).order_by("-lead", "pk").first().person
    today = timezone.localdate()
    for code, ago in (("writing", 0), ("cover", 45)):
        actions.open_rectification(
            supervisor,
            first,
            item_code=code,
            problem=FAILED[code],
            requirement="对照评查标准补正，组织承办机构学习文书制作规范，报送整改情况及佐证材料。",
            owner=lead,
            opened_on=today - dt.timedelta(days=ago),
        )


def load_inspections() -> None:
    """The quarter before last inspected and signed by ``jiandu`` (with a finding of their own, which became a
    rectification), and the last quarter prepared by the platform, waiting for them to confirm and sign."""
    from . import inspection as checks
    from .models import Inspection

    if Inspection.objects.exists():
        return
    agency = Agency.objects.filter(code="mingshan-wjj").first()
    supervisor = Person.objects.filter(username="jiandu").first()
    if agency is None or supervisor is None:
        return
    year, quarter = checks.last_ended_quarter(timezone.localdate())
    before = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    earlier = actions.prepare_inspection(None, agency, *before)
    finding = actions.add_finding(
        supervisor,
        earlier,
        area="other",
        text="门户“执法主体”页面未公示本机关的投诉举报电话和监督电话。",
        link=f"/portal/agency/?agency={agency.code}",
    )
    actions.sign_inspection(
        supervisor,
        earlier,
        conclusion="本季度事前公开清单现行有效，处罚决定基本按期公开；发现的问题请按整改通知限期整改。",
    )
    head = Person.objects.filter(username="juzhang").first() or supervisor
    actions.open_finding_rectification(
        supervisor,
        finding,
        problem=finding.text,
        requirement="在门户“执法主体”页面公示投诉举报电话和监督电话，报送整改情况及页面截图。",
        owner=head,
    )
    actions.prepare_inspection(None, agency, year, quarter)


def load_analysis_report() -> None:
    """The last quarter's 执法数据分析报告 of the demo bureau, made and waiting for its heads to read it."""
    from . import analysis
    from .models import AnalysisReport

    agency = Agency.objects.filter(code="mingshan-wjj").first()
    if agency is None or AnalysisReport.objects.exists():
        return
    kind, year, number = analysis.last_ended(timezone.localdate())[0]
    report, _job = actions.request_analysis_report(
        None, agency, kind=kind, year=year, number=number, start_job=False
    )
    actions.fill_analysis_report(report)


def load_ranking() -> None:
    """The last quarter's 考核 ranking of the agencies ``jiandu`` supervises, published."""
    from . import analysis, queries
    from .models import Ranking

    supervisor = Person.objects.filter(username="jiandu").first()
    if supervisor is None or Ranking.objects.exists():
        return
    kind, year, number = analysis.last_ended(timezone.localdate())[0]
    agencies = Agency.objects.filter(pk__in=queries.supervised_agency_ids(supervisor)).order_by("code")
    actions.publish_ranking(supervisor, kind=kind, year=year, number=number, agencies=agencies)
