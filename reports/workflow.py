"""The results cycle's steps (Art. 4.4-4.7), each by the right role and each in the audit log.

draft -> sent to the mayor (figures frozen) -> reviewed (meeting, services present, minutes)
-> published. Budget commitments link residents' needs, which become "planned" with a public
answer their authors read on the tracking page.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from feedback_forms import workflow as needs_workflow
from feedback_forms.models import Need, Status
from reports.aggregation import compute_figures
from reports.models import BudgetCommitment, CommitmentProgressNote, ReportingPeriod, ResultsReport

LOG_COMPILE = "reports.compile"
LOG_SEND = "reports.send"
LOG_REVIEW = "reports.review"
LOG_PUBLISH = "reports.publish"
LOG_COMMITMENT = "reports.commitment"

SEND_PERMISSION = "reports.send_resultsreport"
REVIEW_PERMISSION = "reports.review_resultsreport"
PUBLISH_PERMISSION = "reports.publish_resultsreport"
COMPILE_PERMISSION = "reports.add_resultsreport"


def require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def require_status(report: ResultsReport, status: str) -> None:
    if report.status != status:
        raise ValidationError(
            _("This step needs a report that is “%(expected)s”; this one is “%(actual)s”.")
            % {
                "expected": ResultsReport.Status(status).label,
                "actual": report.get_status_display(),
            },
            code="wrong_step",
        )


def compile_report(period: ReportingPeriod, *, by) -> ResultsReport:
    """Start (or return) the period's draft report; its figures stay live until it is sent."""
    require(by, COMPILE_PERMISSION)
    report, created = ResultsReport.objects.get_or_create(
        period=period, defaults={"created_by": by}
    )
    if created:
        log(instance=report, action=LOG_COMPILE, user=by, data={"period": period.code})
    return report


@transaction.atomic
def send_to_mayor(
    report: ResultsReport, *, by, sent_on: datetime.date | None = None
) -> ResultsReport:
    """Freeze the figures: nothing residents or staff change later alters a sent report."""
    require(by, SEND_PERMISSION)
    require_status(report, ResultsReport.Status.DRAFT)
    if not (report.analysis_ka or "").strip():
        raise ValidationError(
            _("Write the division's analysis before sending the report."), code="no_analysis"
        )
    report.figures = compute_figures(report.period.code)
    report.sent_on = sent_on or timezone.localdate()
    report.status = ResultsReport.Status.SENT
    report.save()
    log(instance=report, action=LOG_SEND, user=by, data={"sent_on": report.sent_on.isoformat()})
    from reports.tasks import (
        request_workbook,
    )  # the workbook the mayor receives, built after commit

    request_workbook(report, by)
    return report


@transaction.atomic
def record_review(
    report: ResultsReport, *, by, meeting_on: datetime.date, services, minutes: str
) -> ResultsReport:
    """The mayor reviewed the results with the services' representatives (Art. 4.6)."""
    require(by, REVIEW_PERMISSION)
    require_status(report, ResultsReport.Status.SENT)
    if not minutes.strip():
        raise ValidationError(_("Write the minutes of the review meeting."), code="no_minutes")
    if meeting_on < report.sent_on:
        raise ValidationError(
            _("The meeting cannot be before the report was sent."), code="meeting_date"
        )
    report.meeting_on = meeting_on
    report.minutes = minutes.strip()
    report.status = ResultsReport.Status.REVIEWED
    report.save()
    report.services_present.set(services)
    log(
        instance=report,
        action=LOG_REVIEW,
        user=by,
        data={"meeting_on": meeting_on.isoformat(), "services": [s.pk for s in services]},
    )
    return report


@transaction.atomic
def publish(report: ResultsReport, *, by) -> ResultsReport:
    require(by, PUBLISH_PERMISSION)
    require_status(report, ResultsReport.Status.REVIEWED)
    report.status = ResultsReport.Status.PUBLISHED
    report.published_at = timezone.now()
    report.save()
    log(instance=report, action=LOG_PUBLISH, user=by)
    return report


def commitment_answer(commitment: BudgetCommitment) -> str:
    return str(
        _("The mayor included this in the draft budget for %(year)s: %(title)s")
        % {"year": commitment.budget_year, "title": commitment.title_ka}
    )


@transaction.atomic
def link_needs(commitment: BudgetCommitment, needs: list[Need], *, by) -> list[Need]:
    """Linked needs become "planned" with a public answer; answered ones keep their answer."""
    commitment.needs.add(*needs)
    planned = []
    for need in needs:
        if Status.PLANNED in needs_workflow.allowed_statuses(need):
            needs_workflow.change_status(
                need, Status.PLANNED, by=by, public_answer=commitment_answer(commitment)
            )
            planned.append(need)
    log(
        instance=commitment,
        action=LOG_COMMITMENT,
        user=by,
        data={
            "linked": [need.reference for need in needs],
            "planned": [n.reference for n in planned],
        },
    )
    return planned


def add_progress_note(
    commitment: BudgetCommitment, *, by, text_ka: str, text_en: str = "", noted_on=None
) -> CommitmentProgressNote:
    return CommitmentProgressNote.objects.create(
        commitment=commitment,
        author=by,
        text_ka=text_ka.strip(),
        text_en=text_en.strip(),
        noted_on=noted_on or timezone.localdate(),
    )
