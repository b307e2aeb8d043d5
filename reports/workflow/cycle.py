"""The results cycle's steps (Art. 4.4-4.7), each by the right role and each in the audit log.

draft -> sent to the mayor (figures frozen) -> reviewed (meeting, services present, minutes)
-> published. A report covers its whole half-year: it is sent only once the period has ended,
unless it is explicitly an interim report. Sending marks every submission it counts
(`reported_in`), so a submission that arrives later for an already reported period is counted by
the next report as "received after the previous report", and none falls outside every report.
"""

import datetime
from collections.abc import Collection

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from feedback_forms.models import Evaluation, Need
from programs.models import MunicipalService
from reports.aggregation import compute_figures
from reports.figures_schema import figures_json
from reports.models import ReportingPeriod, ResultsReport
from reports.workflow.access import (
    COMPILE_PERMISSION,
    LOG_COMPILE,
    LOG_PUBLISH,
    LOG_REVIEW,
    LOG_SEND,
    PUBLISH_PERMISSION,
    REVIEW_PERMISSION,
    SEND_PERMISSION,
    require,
)

#: Counting rounds when sending: submissions that arrive while the figures are being computed
#: are counted in another round, so the frozen figures count exactly the marked submissions.
MAX_COUNTING_ROUNDS = 5


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


def compile_report(period: ReportingPeriod, *, by: User) -> ResultsReport:
    """Start (or return) the period's draft report; its figures stay live until it is sent."""
    require(by, COMPILE_PERMISSION)
    report, created = ResultsReport.objects.get_or_create(
        period=period, defaults={"created_by": by}
    )
    if created:
        log(instance=report, action=LOG_COMPILE, user=by, data={"period": period.code})
    return report


# --- Sending: the whole half-year, or an explicit interim report ------------------------------


def period_has_ended(period: ReportingPeriod, today: datetime.date | None = None) -> bool:
    return (today or timezone.localdate()) > period.ends_on


def validate_sending(
    period: ReportingPeriod, *, sent_on: datetime.date, interim: bool, today: datetime.date
) -> None:
    """A report covers its whole half-year; an interim report is one by choice, never by
    accident, and no date on a report lies about when it was sent."""
    dates = {
        "start": period.starts_on.strftime("%d.%m.%Y"),
        "end": period.ends_on.strftime("%d.%m.%Y"),
    }
    if sent_on > today:
        raise ValidationError(_("A report cannot be sent on a future date."), code="future")
    if not period_has_ended(period, today):
        if not interim:
            raise ValidationError(
                _(
                    "The half-year ends on %(end)s: a report sent before then does not cover "
                    "all of it. Send it after that day, or send it as an interim report."
                )
                % dates,
                code="period_not_ended",
            )
        if sent_on < period.starts_on:
            raise ValidationError(
                _("A report cannot be sent before its half-year started (%(start)s).") % dates,
                code="before_period",
            )
        return
    if interim:
        raise ValidationError(
            _("The half-year ended on %(end)s: send the full report, not an interim one.") % dates,
            code="not_interim",
        )
    if sent_on <= period.ends_on:
        raise ValidationError(
            _(
                "The half-year ended on %(end)s: a report sent on or before that day would be an "
                "interim report. Give the day it is really sent."
            )
            % dates,
            code="sent_before_end",
        )


def count_submissions(code: str) -> int:
    """Mark what the report of `code` counts: its period's submissions and the late arrivals
    (earlier periods whose report was already sent) that no report has counted yet."""
    frozen = ResultsReport.objects.frozen_period_codes_before(code)
    scope = Q(reporting_period=code) | Q(reporting_period__in=frozen)
    return sum(
        model.objects.unreported().filter(scope).update(reported_in=code)
        for model in (Evaluation, Need)
    )


def freeze_figures(
    report: ResultsReport, *, interim: bool, at: datetime.datetime | None = None
) -> int:
    """Freeze the report's figures on exactly the submissions marked as counted by it.

    Marking comes first; a submission committed while the figures are computed is marked in
    the next round and the figures computed again, so a submission is either counted and
    marked, or neither (and then the next report counts it). Returns how many were marked."""
    at = at or timezone.now()
    code = report.period.code
    counted = count_submissions(code)
    for _round in range(MAX_COUNTING_ROUNDS):
        figures = compute_figures(code, today=timezone.localdate(at))
        arrived = count_submissions(code)
        if not arrived:
            break
        counted += arrived
    else:
        raise ValidationError(
            _("Submissions are arriving while the figures are counted. Try again in a minute."),
            code="busy",
        )
    report.figures = figures_json(figures)
    report.frozen_at = at
    report.is_interim = interim
    return counted


@transaction.atomic
def send_to_mayor(
    report: ResultsReport,
    *,
    by: User,
    sent_on: datetime.date | None = None,
    interim: bool = False,
) -> ResultsReport:
    """Freeze the figures: nothing residents or staff change later alters a sent report.

    Before the half-year has ended only an explicit interim report can be sent; it is
    labelled as such wherever it appears, and what arrives after it is in the next report."""
    require(by, SEND_PERMISSION)
    require_status(report, ResultsReport.Status.DRAFT)
    if not (report.analysis_ka or "").strip():
        raise ValidationError(
            _("Write the division's analysis before sending the report."), code="no_analysis"
        )
    today = timezone.localdate()
    sent_on = sent_on or today
    validate_sending(report.period, sent_on=sent_on, interim=interim, today=today)
    counted = freeze_figures(report, interim=interim)
    report.sent_on = sent_on
    report.status = ResultsReport.Status.SENT
    report.save()
    log(
        instance=report,
        action=LOG_SEND,
        user=by,
        data={
            "sent_on": report.sent_on.isoformat(),
            "interim": interim,
            "frozen_at": report.frozen_at.isoformat() if report.frozen_at else None,
            "counted": counted,
        },
    )
    from reports.tasks import (
        request_workbook,
    )  # the workbook the mayor receives, built after commit

    request_workbook(report, by)
    return report


@transaction.atomic
def record_review(
    report: ResultsReport,
    *,
    by: User,
    meeting_on: datetime.date,
    services: Collection[MunicipalService],
    minutes: str,
) -> ResultsReport:
    """The mayor reviewed the results with the services' representatives (Art. 4.6)."""
    require(by, REVIEW_PERMISSION)
    require_status(report, ResultsReport.Status.SENT)
    if not minutes.strip():
        raise ValidationError(_("Write the minutes of the review meeting."), code="no_minutes")
    if report.sent_on and meeting_on < report.sent_on:  # a sent report has its date
        raise ValidationError(
            _("The meeting cannot be before the report was sent."), code="meeting_date"
        )
    if meeting_on > timezone.localdate():
        raise ValidationError(
            _("Record the review once the meeting has taken place."), code="meeting_future"
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
def publish(report: ResultsReport, *, by: User) -> ResultsReport:
    require(by, PUBLISH_PERMISSION)
    require_status(report, ResultsReport.Status.REVIEWED)
    report.status = ResultsReport.Status.PUBLISHED
    report.published_at = timezone.now()
    report.save()
    log(instance=report, action=LOG_PUBLISH, user=by)
    return report
