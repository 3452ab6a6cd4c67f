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


@job_handler("supervision.export", _l("导出案卷数据（监督）"))
def export_package(job, progress):
    """The export package of an agency's cases of a period (zip), kept for the supervisor who asked for it."""
    import datetime as dt
    import tempfile

    from django.conf import settings
    from django.core.files import File
    from django.core.files.storage import default_storage

    from zhifa.core.queue import result_path

    from . import export

    start, end = dt.date.fromisoformat(job.params["start"]), dt.date.fromisoformat(job.params["end"])
    name = f"cases-{job.agency.code}-{start:%Y%m%d}-{end:%Y%m%d}.zip"
    with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as tmp:
        export.package(job.started_by, job.agency, start, end, tmp, progress=progress)
        tmp.seek(0)
        path = default_storage.save(result_path(job, name), File(tmp, name=name))
    return path, name
