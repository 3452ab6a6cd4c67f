"""The records app's background work: fixity checks of stored evidence and the sweep of abandoned uploads
(periodic), the archive package of a case (on demand, with its progress)."""

from django.utils.translation import gettext_lazy as _l

from zhifa.core.queue import job_handler, periodic, result_path

from . import conf


@periodic(minutes=conf.fixity_minutes, exclusive=True)
def fixity() -> None:
    from . import evidence

    evidence.check_fixity()


@periodic(minutes=60, exclusive=True)
def sweep_uploads() -> None:
    from . import evidence

    evidence.sweep_uploads()


@job_handler("records.archive_package", _l("导出案卷归档包"))
def archive_package(job, progress):
    """The archive package (zip) of a case, kept in storage for the person who asked for it."""
    import tempfile

    from django.conf import settings
    from django.core.files import File
    from django.core.files.storage import default_storage

    from zhifa.cases.models import Case

    from . import archive

    case = Case.objects.select_related("agency").get(pk=job.target_id)
    name = f"case-{case.pk}.zip"
    with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as tmp:
        archive.package(case, tmp, progress=progress)
        tmp.seek(0)
        path = default_storage.save(result_path(job, name), File(tmp, name=name))
    return path, name
