"""Scheduled jobs of the results cycle: the reporting periods staff may report on."""

from cms.core.scheduler import scheduled_job
from reports.models import ReportingPeriod


@scheduled_job(
    "ensure_reporting_periods",
    "Create last year's and this year's half-year reporting periods when missing.",
)
def ensure_reporting_periods() -> str:
    """On 1 January the new year's halves appear without anyone opening a form."""
    periods = ReportingPeriod.objects.ensure_reportable_years()
    return "periods: " + ", ".join(period.code for period in periods)
