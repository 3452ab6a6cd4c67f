"""The supervision app's background work: each quarter's publicity inspections prepared once the quarter has ended
(periodic, daily; a quarter already prepared is left alone)."""

from django.utils.translation import gettext_lazy as _l

from zhifa.core.queue import job_handler, periodic


@periodic(minutes=24 * 60, exclusive=True)
def prepare_inspections() -> None:
    from . import actions

    actions.prepare_due_inspections()


@periodic(minutes=24 * 60, exclusive=True)
def count_figures() -> None:
    """The summary table of the figures: the last months of every agency counted afresh."""
    from . import figures

    figures.rebuild_recent()


@periodic(minutes=24 * 60, exclusive=True)
def prepare_analysis_reports() -> None:
    """After each quarter (half-year, year), the 执法数据分析报告 of every agency, delivered to its heads."""
    from . import actions

    actions.prepare_due_reports()


@job_handler("supervision.analysis_report", _l("生成执法数据分析报告"))
def analysis_report(job, progress):
    from . import actions
    from .models import AnalysisReport

    actions.fill_analysis_report(AnalysisReport.objects.get(pk=job.target_id), progress)
    return None
