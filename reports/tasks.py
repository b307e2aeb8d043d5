"""The report's workbook is built in the background: a big period takes longer than a request.

`request_workbook` audits who asked and queues the task once the caller's transaction commits
(a database-backed worker must see what the caller just saved, e.g. figures frozen on sending).
The task writes the file to private storage under one name per period and never raises: a
failure is logged and the previous workbook, if any, stays downloadable.
"""

import logging
import tempfile
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks import task
from wagtail.log_actions import log

if TYPE_CHECKING:
    from reports.models import ResultsReport

logger = logging.getLogger(__name__)

WORKBOOK_ACTION = "reports.workbook"
DOWNLOAD_ACTION = "reports.workbook_download"


def discard(storage: Any, name: str) -> None:
    """Remove a stale file; a storage hiccup leaves a file behind, never a failed task."""
    try:
        storage.delete(name)
    except Exception:  # noqa: BLE001
        logger.exception("Could not delete the old workbook file %s", name)


@task()
def generate_report_workbook(report_id: int) -> bool:
    """Build the workbook into `report.workbook` and stamp `workbook_generated_at`."""
    from reports.models import ResultsReport
    from reports.workbook import build_workbook, workbook_filename

    report = ResultsReport.objects.select_related("period").filter(pk=report_id).first()
    if report is None:
        logger.warning("Results report %s no longer exists: no workbook built", report_id)
        return False
    previous = report.workbook.name
    stored = ""
    try:
        with tempfile.TemporaryFile(suffix=".xlsx") as tmp:
            build_workbook(report, tmp)
            tmp.seek(0)
            name = workbook_filename(report)
            report.workbook.save(name, File(tmp, name=name), save=False)
            stored = report.workbook.name or ""
        report.workbook_generated_at = timezone.now()
        report.save(update_fields=["workbook", "workbook_generated_at"])
    except Exception:  # noqa: BLE001 -- logged for the operators; the request already returned
        logger.exception("The workbook of results report %s could not be built", report_id)
        if stored and stored != previous:
            discard(report.workbook.storage, stored)
        return False
    # Only now that the new file is recorded: a download meanwhile still gets the old one.
    # (The storage gives the new file another name while the old one exists.)
    if previous and previous != stored:
        discard(report.workbook.storage, previous)
    return True


def request_workbook(report: "ResultsReport", user: User | None) -> None:
    """Audit the request and queue the build after the current transaction commits."""
    log(
        instance=report,
        action=WORKBOOK_ACTION,
        user=user,
        data={"period": report.period.code},
    )
    report_id = report.pk

    def enqueue() -> None:
        try:
            generate_report_workbook.enqueue(report_id)
        except Exception:  # noqa: BLE001 -- a queue that is down must not fail the request
            logger.exception("Could not queue the workbook of results report %s", report_id)

    transaction.on_commit(enqueue)


def log_workbook_download(report: "ResultsReport", user: User) -> None:
    log(
        instance=report,
        action=DOWNLOAD_ACTION,
        user=user,
        data={"period": report.period.code},
    )


def register_workbook_log_actions(actions: Any) -> None:
    """For the `register_log_actions` hook: how the audit log names workbook requests."""
    from cms.core.audit_log import TemplatedLogFormatter

    class WorkbookFormatter(TemplatedLogFormatter):
        def values(self, data: dict[str, Any]) -> dict[str, Any]:
            return {"period": data.get("period", "")}

    @actions.register_action(WORKBOOK_ACTION)
    class WorkbookRequested(WorkbookFormatter):
        label = gettext_lazy("Generate report workbook")
        message = gettext_lazy("Report workbook requested")
        template = gettext_lazy("Requested the workbook of the report for %(period)s")

    @actions.register_action(DOWNLOAD_ACTION)
    class WorkbookDownloaded(WorkbookFormatter):
        label = gettext_lazy("Download report workbook")
        message = gettext_lazy("Report workbook downloaded")
        template = gettext_lazy("Downloaded the workbook of the report for %(period)s")
