"""Exports too large to build during a request are prepared in the background.

The job stores only who asked, what and with which filters; the task rebuilds the rows for
that user through `submissions_for`, so a background export can never contain more than the
same person could download directly. The file goes to private storage and is served only to
its owner by a checked view. Every export and download is written to Wagtail's audit log.
"""

import logging
import tempfile
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from feedback_forms.exports import FILE_FORMATS, filename_stem, write_csv, write_xlsx
from feedback_forms.filters import MODELS, filtered_submissions
from feedback_forms.models import ExportJob
from feedback_forms.permissions import submissions_for

logger = logging.getLogger(__name__)

#: Default of the FEEDBACK_EXPORT_INLINE_MAX_ROWS setting: above it, an export becomes a job.
INLINE_EXPORT_MAX_ROWS = 20000
EXPORT_ACTION = "feedback_forms.export"
DOWNLOAD_ACTION = "feedback_forms.export_download"
ERROR_MAX_LENGTH = 300

Query = dict[str, list[str]]


def inline_export_max_rows() -> int:
    """Read at call time, so the setting can change without a restart (and in tests)."""
    return int(getattr(settings, "FEEDBACK_EXPORT_INLINE_MAX_ROWS", INLINE_EXPORT_MAX_ROWS))


def clean_query(query: dict[str, Any]) -> Query:
    """A listing's query string as JSON-ready lists of strings, without the format switch."""
    cleaned: Query = {}
    for key, values in query.items():
        if key == "format":
            continue
        items = values if isinstance(values, (list, tuple)) else [values]
        cleaned[str(key)] = [str(item) for item in items]
    return cleaned


def validate(kind: str, file_format: str) -> None:
    if kind not in MODELS:
        raise ValueError(f"Unknown kind of submission: {kind!r}")
    if file_format not in FILE_FORMATS:
        raise ValueError(f"Unknown export format: {file_format!r}")


def audit_data(job: ExportJob) -> dict[str, Any]:
    """What the audit log keeps: never row contents, only what was asked and how much."""
    return {
        "kind": job.kind,
        "format": job.file_format,
        "rows": job.row_count,
        "filters": job.query,
        "job": job.pk,
    }


def record_inline_export(
    user: User, kind: str, file_format: str, query: dict[str, Any], rows: int
) -> ExportJob:
    """Audit a direct download: a READY job without a file, logged like a background one.

    One kind of record for every export keeps the audit trail and the user's export history
    in one place; the job has no file, so nothing more can be downloaded from it.
    """
    validate(kind, file_format)
    job = ExportJob.objects.create(
        requested_by=user,
        kind=kind,
        file_format=file_format,
        query=clean_query(query),
        status=ExportJob.Status.READY,
        row_count=rows,
        finished_at=timezone.now(),
    )
    log(instance=job, action=EXPORT_ACTION, user=user, data={**audit_data(job), "inline": True})
    return job


def start_export(user: User, kind: str, file_format: str, query: dict[str, Any]) -> ExportJob:
    """Create a queued job and enqueue its task once the job is committed.

    On commit, because a database-backed worker must be able to read the job it is given.
    """
    validate(kind, file_format)
    job = ExportJob.objects.create(
        requested_by=user, kind=kind, file_format=file_format, query=clean_query(query)
    )

    def enqueue() -> None:
        try:
            build_export.enqueue(job.pk)
        except Exception:  # noqa: BLE001 -- the job shows it failed; the request still succeeds
            logger.exception("Could not queue export job %s", job.pk)
            ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.QUEUED).update(
                status=ExportJob.Status.FAILED,
                error="The export could not be queued.",
                finished_at=timezone.now(),
            )

    transaction.on_commit(enqueue)
    return job


@task()
def build_export(job_id: int) -> str:
    """Build a queued job's file; a failure marks the job FAILED and is logged, never raised."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING
    )
    if not claimed:
        return "skipped"
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        run_export(job)
    except Exception as exc:  # noqa: BLE001 -- the job records the failure for its owner
        logger.exception("Export job %s failed", job_id)
        if job.file:
            job.file.delete(save=False)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH],
            finished_at=timezone.now(),
            file="",
        )
        return ExportJob.Status.FAILED.value
    return ExportJob.Status.READY.value


def run_export(job: ExportJob) -> None:
    """Rebuild the rows for the job's owner, write the file to private storage, audit it."""
    from django.utils import translation

    from feedback_forms.notifications import admin_language

    user = job.requested_by
    validate(job.kind, job.file_format)
    queryset = filtered_submissions(
        submissions_for(user, MODELS[job.kind], "export"), job.kind, job.query
    )
    writer = write_xlsx if job.file_format == "xlsx" else write_csv
    # Headers in the language the owner reads the admin in, as if they had downloaded it.
    language = admin_language(user)
    with translation.override(language), tempfile.TemporaryFile() as tmp:
        rows = writer(queryset, job.kind, tmp)
        tmp.seek(0)
        name = f"{filename_stem(job.kind, job.created_at)}-{job.pk}.{job.file_format}"
        job.file.save(name, File(tmp, name=name), save=False)
    job.row_count = rows
    job.status = ExportJob.Status.READY
    job.finished_at = timezone.now()
    job.error = ""
    job.save(update_fields=["file", "row_count", "status", "finished_at", "error"])
    log(instance=job, action=EXPORT_ACTION, user=user, data={**audit_data(job), "inline": False})


def log_download(job: ExportJob, user: User) -> None:
    log(instance=job, action=DOWNLOAD_ACTION, user=user, data=audit_data(job))
