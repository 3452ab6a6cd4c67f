"""Reads of the supervision app, scoped to what the asking user may see: a supervisor (监督人员) sees the
evaluations of the agencies they supervise, and an evaluator the files given to them."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zhifa.org import queries as org_queries
from zhifa.org.choices import Role
from zhifa.org.models import Person

from .models import (
    Accountability,
    Evaluation,
    EvaluationFile,
    Inspection,
    InspectionLine,
    Rectification,
    Standard,
)

SUPERVISION_ROLES = frozenset({Role.SUPERVISOR})


def supervised_agency_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return org_queries.agency_ids_with(user, SUPERVISION_ROLES)


def is_supervisor(user) -> bool:
    return bool(supervised_agency_ids(user))


def visible_evaluations(user) -> QuerySet[Evaluation]:
    """Evaluations of an agency the user supervises, or that they organise or evaluate in."""
    if not getattr(user, "is_authenticated", False):
        return Evaluation.objects.none()
    ids = supervised_agency_ids(user)
    matches = Evaluation.objects.filter(Q(agencies__in=ids) | Q(created_by=user) | Q(evaluators=user))
    return Evaluation.objects.filter(pk__in=matches.values("pk"))


def _get(qs: QuerySet, pk):
    if not str(pk).isdigit():
        raise Http404
    obj = qs.filter(pk=int(pk)).first()
    if obj is None:
        raise Http404
    return obj


def access_evaluation(user, pk) -> Evaluation:
    return _get(visible_evaluations(user).select_related("standard", "created_by", "agency"), pk)


def visible_files(user) -> QuerySet[EvaluationFile]:
    """Files given to the user to evaluate, and the files of the agencies they supervise."""
    if not getattr(user, "is_authenticated", False):
        return EvaluationFile.objects.none()
    ids = supervised_agency_ids(user)
    return EvaluationFile.objects.filter(Q(evaluator=user) | Q(case__agency_id__in=ids))


def access_file(user, pk) -> EvaluationFile:
    return _get(
        visible_files(user).select_related(
            "evaluation__standard", "case__agency", "case__unit", "case__party", "evaluator"
        ),
        pk,
    )


def default_standard() -> Standard | None:
    """The newest version of the platform's default 评查标准."""
    return Standard.objects.filter(agency=None).order_by("-version", "-id").first()


def visible_standards(user) -> QuerySet[Standard]:
    """评查标准 are not secret (the provinces publish theirs): supervisors, heads and the platform administrator see
    every version."""
    if not getattr(user, "is_authenticated", False):
        return Standard.objects.none()
    if user.is_superuser or report_agency_ids(user):
        return Standard.objects.all()
    return Standard.objects.none()


def access_standard(user, pk) -> Standard:
    return _get(visible_standards(user).select_related("agency", "created_by"), pk)


def current_standards(user) -> list[Standard]:
    """The newest version of each standard a new evaluation by ``user`` may use: the platform's, and their body's."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine = Q(agency=None) | Q(agency_id=user.agency_id) if is_supervisor(user) else Q(agency=None)
    newest: dict[tuple, Standard] = {}
    for standard in Standard.objects.filter(mine).select_related("agency").order_by("version"):
        newest[(standard.agency_id, standard.name)] = standard
    return sorted(newest.values(), key=lambda s: (s.agency_id is not None, s.name))


def may_make_standard(user, base: Standard) -> bool:
    """A supervisor makes or revises their body's standard from any standard they can see; the platform
    administrator revises the platform's."""
    if not getattr(user, "is_authenticated", False):
        return False
    if base.agency_id is None and user.is_superuser:
        return True
    return is_supervisor(user) and user.agency_id is not None


def possible_evaluators(agency_ids) -> QuerySet[Person]:
    """Active people who supervise every one of ``agency_ids``."""
    qs = Person.objects.filter(is_active=True, roles__role=Role.SUPERVISOR, roles__agency_id__in=agency_ids)
    return (
        qs.annotate(n=Count("roles", filter=Q(roles__role=Role.SUPERVISOR, roles__agency_id__in=agency_ids)))
        .filter(n=len(set(agency_ids)))
        .order_by("pk")
    )


def sample(evaluation: Evaluation) -> list[EvaluationFile]:
    return list(
        evaluation.files.select_related("case__agency", "case__unit", "evaluator").order_by("position")
    )


def results(files: list[EvaluationFile]) -> list[dict]:
    """Per agency evaluated: files drawn, finished, each grade, the average score of the finished ones."""
    rows: dict[int, dict] = {}
    for f in files:
        row = rows.setdefault(
            f.case.agency_id,
            {
                "agency": f.case.agency,
                "drawn": 0,
                "finished": 0,
                "excellent": 0,
                "pass": 0,
                "fail": 0,
                "total": 0,
            },
        )
        row["drawn"] += 1
        if f.finished_at:
            row["finished"] += 1
            row[f.grade] += 1
            row["total"] += f.score or 0
    for row in rows.values():
        row["average"] = round(row["total"] / row["finished"], 1) if row["finished"] else None
    return sorted(rows.values(), key=lambda r: r["agency"].code)


def files_to_evaluate(user) -> QuerySet[EvaluationFile]:
    """The user's files not yet finished (their 工作台)."""
    return EvaluationFile.objects.filter(evaluator=user, finished_at__isnull=True).select_related(
        "case", "evaluation"
    )


def possible_evaluators_any(agency_ids) -> QuerySet[Person]:
    """Active people who supervise any of ``agency_ids`` (the choices of the new evaluation form)."""
    return (
        Person.objects.filter(is_active=True, roles__role=Role.SUPERVISOR, roles__agency_id__in=agency_ids)
        .distinct()
        .order_by("pk")
    )


def visible_rectifications(user) -> QuerySet[Rectification]:
    """整改 of the agencies the user supervises or heads, and those they own."""
    if not getattr(user, "is_authenticated", False):
        return Rectification.objects.none()
    ids = supervised_agency_ids(user) | org_queries.agency_ids_with(user, {Role.AGENCY_HEAD})
    return Rectification.objects.filter(Q(agency_id__in=ids) | Q(owner=user))


def access_rectification(user, pk) -> Rectification:
    return _get(
        visible_rectifications(user).select_related(
            "agency",
            "owner",
            "raised_by",
            "case",
            "deadline",
            "evaluation_file__evaluation",
            "inspection_line__inspection",
            "submitted_by",
            "verified_by",
        ),
        pk,
    )


def repeated_findings(rows) -> dict[tuple[int, str], int]:
    """{(agency id, item code): how many rectifications of that kind the agency has had} for the rows shown (同类问题
    反复出现)."""
    keys = {(r.agency_id, r.item_code) for r in rows if r.item_code}
    if not keys:
        return {}
    counts = (
        Rectification.objects.filter(agency_id__in={a for a, _c in keys}, item_code__in={c for _a, c in keys})
        .values_list("agency_id", "item_code")
        .annotate(n=Count("pk"))
    )
    return {(a, c): n for a, c, n in counts}


def access_accountability(user, pk) -> Accountability:
    """An accountability record: seen by who sees its rectification."""
    if not str(pk).isdigit():
        raise Http404
    record = Accountability.objects.filter(pk=int(pk)).first()
    if record is None or not visible_rectifications(user).filter(pk=record.rectification_id).exists():
        raise Http404
    return record


def item_failures(evaluation: Evaluation, files: list[EvaluationFile]) -> list[tuple[object, int]]:
    """(item, how many of the finished files failed it), the items failed at least once, most failed first."""
    items = list(evaluation.standard.items.all())
    counts = {item.code: 0 for item in items}
    for f in files:
        if f.finished_at is None:
            continue
        for code, answer in f.answers.items():
            if code in counts and (answer or {}).get("verdict") == "fail":
                counts[code] += 1
    rows = [(item, counts[item.code]) for item in items if counts[item.code]]
    return sorted(rows, key=lambda row: -row[1])


def report_context(evaluation: Evaluation, files: list[EvaluationFile]) -> dict:
    """What the evaluation page and its PDF report show beside the sample: results, grades and failed items, with
    their charts."""
    from django.utils.translation import gettext as _

    from . import charts
    from .choices import Grade

    finished = [f for f in files if f.finished_at]
    grades = [(str(label), sum(1 for f in finished if f.grade == value)) for value, label in Grade.choices]
    failures = item_failures(evaluation, files)
    return {
        "results": results(files),
        "grades": grades,
        "failures": failures,
        "finished_count": len(finished),
        "grade_chart": charts.bar_chart(_("评定等次分布"), grades) if finished else "",
        "failure_chart": charts.bar_chart(
            _("不符合项目分布"), [(item.text, n) for item, n in failures[:10]], colour="#b3261e"
        )
        if failures
        else "",
    }


def tasks_for(user, limit: int = 20) -> list[dict]:
    """工作台 tasks: the files given to the user to evaluate (a supervisor), the rectifications to report (their owner
    or a head of the agency) and to verify (the agency's supervisors). One query for the rectifications, one more for
    a supervisor's files."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    if not getattr(user, "is_authenticated", False):
        return []
    supervised = supervised_agency_ids(user)
    headed = org_queries.agency_ids_with(user, {Role.AGENCY_HEAD})
    tasks = []
    if supervised:
        for f in files_to_evaluate(user).order_by("evaluation_id", "position")[:limit]:
            tasks.append(
                {
                    "label": _("待评查：%(ref)s（%(title)s）")
                    % {"ref": f.case.reference, "title": f.evaluation.title},
                    "url": reverse("supervision:file", args=[f.pk]),
                }
            )
    waiting = Q(state="open") & (Q(owner=user) | Q(agency_id__in=headed))
    if supervised:
        waiting |= Q(state="submitted", agency_id__in=supervised)
    for r in (
        Rectification.objects.filter(waiting)
        .select_related("deadline")
        .order_by("deadline__due", "pk")[:limit]
    ):
        if r.state == "submitted":
            label = _("待核验整改：%(problem)s") % {"problem": r.problem[:40]}
        else:
            label = _("待整改：%(problem)s（期限 %(due)s）") % {
                "problem": r.problem[:40],
                "due": r.deadline.due if r.deadline else "—",
            }
        tasks.append({"label": label, "url": r.get_absolute_url()})
    if headed:  # the analysis reports delivered to a head, until they record reading them (one query more)
        from .models import AnalysisReport

        for report in (
            AnalysisReport.objects.filter(agency_id__in=headed, state="ready")
            .exclude(readings__person=user)
            .order_by("-period_end", "pk")[:limit]
        ):
            tasks.append(
                {
                    "label": _("待阅：%(title)s") % {"title": report.data.get("title") or report},
                    "url": report.get_absolute_url(),
                }
            )
    return tasks


# 每季度网上巡查 -------------------------------------------------------------------------------------------------------


def visible_inspections(user) -> QuerySet[Inspection]:
    """Inspections of the agencies the user supervises; an agency's heads see its signed ones."""
    if not getattr(user, "is_authenticated", False):
        return Inspection.objects.none()
    supervised = supervised_agency_ids(user)
    headed = org_queries.agency_ids_with(user, {Role.AGENCY_HEAD})
    return Inspection.objects.filter(Q(agency_id__in=supervised) | Q(agency_id__in=headed, state="signed"))


def access_inspection(user, pk) -> Inspection:
    return _get(visible_inspections(user).select_related("agency", "body", "signed_by"), pk)


def access_line(user, pk) -> InspectionLine:
    """A line of an inspection the user may see."""
    if not str(pk).isdigit():
        raise Http404
    line = InspectionLine.objects.select_related("inspection__agency").filter(pk=int(pk)).first()
    if line is None or not visible_inspections(user).filter(pk=line.inspection_id).exists():
        raise Http404
    return line


def inspection_context(inspection: Inspection) -> dict:
    """What the inspection's page and its report show: the lines by area with their counts, and the findings."""
    from zhifa.records import conf as records_conf

    from .choices import InspectionArea
    from .inspection import CHECK_LABELS

    lines = list(
        inspection.lines.select_related("added_by").prefetch_related("rectifications").order_by("position")
    )
    for line in lines:
        line.check_label = CHECK_LABELS.get(line.check_code, line.check_code)
    areas = []
    for value, label in InspectionArea.choices:
        rows = [ln for ln in lines if ln.area == value]
        if rows:
            areas.append(
                {
                    "label": label,
                    "rows": rows,
                    "checked": sum(1 for ln in rows if ln.added_by_id is None),
                    "problems": sum(1 for ln in rows if ln.is_finding),
                }
            )
    return {
        "i": inspection,
        "areas": areas,
        "findings": [ln for ln in lines if ln.is_finding],
        "font_family": records_conf.css_font_family(),
    }


# 执法数据分析报告 -----------------------------------------------------------------------------------------------------


def report_agency_ids(user) -> set[int]:
    """The agencies whose analysis reports the user may read: those they supervise, and their own as a head."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return supervised_agency_ids(user) | org_queries.agency_ids_with(user, {Role.AGENCY_HEAD})


def visible_reports(user):
    from .models import AnalysisReport

    return AnalysisReport.objects.filter(agency_id__in=report_agency_ids(user))


def access_report(user, pk):
    return _get(visible_reports(user).select_related("agency", "requested_by"), pk)


def access_reading(user, pk):
    """A reading of a report: seen by who sees the report."""
    from .models import ReportReading

    if not str(pk).isdigit():
        raise Http404
    reading = ReportReading.objects.filter(pk=int(pk)).first()
    if reading is None or not visible_reports(user).filter(pk=reading.report_id).exists():
        raise Http404
    return reading


def analysis_context(report, *, charts: bool = False) -> dict:
    """What the report's page and its PDF/DOCX show (from the content kept with the report)."""
    from zhifa.records import conf as records_conf

    from . import analysis, figures

    data = report.data or {}
    context = {"r": report, "data": data, "font_family": records_conf.css_font_family()}
    if not data:
        return context
    labels = {k: m.label for k, m in figures.MEASURES.items()} | {k: lab for k, _n, _d, lab in figures.RATES}
    unit_columns = [*analysis.UNIT_COLUMNS, "overdue_rate", "correction_rate"]
    context |= {
        "comparison": analysis.comparison(data),
        "unit_columns": [(k, labels[k]) for k in unit_columns],
        "units": [
            {"name": row["name"], "cells": [row["values"][k] for k in unit_columns]}
            for row in analysis.unit_table(data)
        ],
        "item_columns": [
            (k, labels[k]) for k in ("decided", "reviews", "review_problems", "review_problem_rate")
        ],
        "items": [
            {
                "name": row["name"],
                "cells": [
                    row["values"][k] for k in ("decided", "reviews", "review_problems", "review_problem_rate")
                ],
            }
            for row in analysis.item_table(data)
        ],
        "weak_points": data.get("weak_points", []),
    }
    if charts:
        context["charts"] = analysis.charts(data)
    return context


# 考核 ---------------------------------------------------------------------------------------------------------------


def visible_rankings(user):
    """Rankings of agencies the user supervises, and those that rank an agency they head (内部公布)."""
    from .models import Ranking

    if not getattr(user, "is_authenticated", False):
        return Ranking.objects.none()
    ids = supervised_agency_ids(user) | org_queries.agency_ids_with(user, {Role.AGENCY_HEAD})
    return Ranking.objects.filter(pk__in=Ranking.objects.filter(agencies__in=ids).values("pk"))


def access_ranking(user, pk):
    return _get(visible_rankings(user).select_related("body", "published_by"), pk)
