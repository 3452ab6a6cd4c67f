"""The publicity app's background work: published decisions taken offline when their period ends (periodic)."""

from django.utils.translation import gettext_lazy as _l

from zhifa.core.queue import job_handler, periodic


@periodic(minutes=60, exclusive=True)
def take_offline() -> None:
    from . import publication

    publication.take_offline_due()


@periodic(minutes=24 * 60, exclusive=True)
def annual_reports() -> None:
    """In January, last year's 年度统计 drafted for every agency (published by 31 January)."""
    from . import statistics

    statistics.prepare_previous_year()


@job_handler("publicity.annual_report", _l("生成年度统计"))
def annual_report(job, progress):
    from . import statistics
    from .models import AnnualReport

    statistics.fill_report(AnnualReport.objects.get(pk=job.target_id), progress)
    return None
