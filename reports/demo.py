"""Demo results cycle: last half-year's report sent after the half-year ended, reviewed and
published, with the mayor's budget commitments (two in the draft budget, one proposed, one
dropped); this half-year's report as a draft (the public results and accountability pages are
part of every site: `reports.site_pages`).

Everything is derived from "now", so the demo may load on any date: the report is sent after
its period ended and before now, its figures are frozen as they were then, and the commitments
go through the same workflow functions as in the admin (so the linked needs' public timeline
is true). Idempotent: nothing is added when a report for the period already exists.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from wagtail.models import Page

from feedback_forms.models import Need, Status
from feedback_forms.periods import period_bounds, period_for_date, previous_period
from programs.models import MunicipalService
from reports.models import (
    BudgetCommitment,
    CommitmentProgressNote,
    ReportingPeriod,
    ResultsReport,
)
from reports.site_pages import ensure_results_pages
from reports.workflow import apply_commitment_status, freeze_figures, link_needs

ANALYSIS_KA = (
    "ნახევარწლის განმავლობაში მოსახლეობამ ყველაზე ხშირად დააფიქსირა გზებისა და წყალმომარაგების "
    "საჭიროებები. სოციალური პროგრამების შეფასება მაღალია, ინფრასტრუქტურული პროგრამების — დაბალი."
)
ANALYSIS_EN = (
    "In this half-year residents most often recorded needs about roads and the water supply. "
    "Social programs are rated highly, infrastructure programs lower."
)
Commitment = BudgetCommitment.Status
#: (needs' category, service, Georgian title, English title, cost, status it reaches, reason)
COMMITMENTS = [
    (
        "water",
        "infrastructure",
        "სასმელი წყლის ახალი სათავე ნაგებობა",
        "A new drinking water intake",
        180_000,
        Commitment.IN_DRAFT_BUDGET,
        None,
    ),
    (
        "infrastructure",
        "infrastructure",
        "სოფლის გზების ორმოული შეკეთება",
        "Pothole repair on village roads",
        95_000,
        Commitment.IN_DRAFT_BUDGET,
        None,
    ),
    (
        "preschool",
        "culture",
        "საბავშვო ბაღების სახურავების შეკეთება",
        "Roof repairs at kindergartens",
        60_000,
        Commitment.PROPOSED,
        None,
    ),
    (
        "culture",
        "culture",
        "სოფლის კლუბის შენობის რეაბილიტაცია",
        "Renovation of the village club",
        120_000,
        Commitment.DROPPED,
        (
            "შენობის რეაბილიტაციას რეგიონული განვითარების პროგრამა აფინანსებს, ამიტომ "
            "მუნიციპალური ბიუჯეტიდან თანხა საჭირო აღარ არის.",
            "The regional development program pays for the renovation, so no money from the "
            "municipal budget is needed.",
        ),
    ),
]
NEEDS_PER_COMMITMENT = 3
PROGRESS = {
    Commitment.IN_DRAFT_BUDGET: (
        "საპროექტო დოკუმენტაცია მზადდება.",
        "The design documents are being prepared.",
    ),
    Commitment.PROPOSED: (
        "სამსახური ხარჯთაღრიცხვას ამზადებს; გადაწყვეტილება ჯერ არ არის მიღებული.",
        "The service is preparing a cost estimate; nothing has been decided yet.",
    ),
}


@dataclass(frozen=True)
class DemoCycle:
    """When the previous half-year's report was sent, reviewed and published: after the
    half-year ended and before now, however little time has passed since."""

    period: str
    sent_at: datetime.datetime
    reviewed_at: datetime.datetime
    published_at: datetime.datetime


def demo_cycle(now: datetime.datetime) -> DemoCycle:
    code = previous_period(period_for_date(timezone.localdate(now)))
    first_day_after = period_bounds(code)[1] + datetime.timedelta(days=1)
    ended = timezone.make_aware(datetime.datetime.combine(first_day_after, datetime.time.min))
    since = max(now - ended, datetime.timedelta(0))
    sent_at = ended + min(datetime.timedelta(days=19, hours=11), since * 0.4)
    reviewed_at = sent_at + min(datetime.timedelta(days=7), (now - sent_at) * 0.5)
    published_at = reviewed_at + min(datetime.timedelta(days=3), (now - reviewed_at) * 0.5)
    return DemoCycle(code, sent_at, reviewed_at, published_at)


def open_needs(category: str, code: str) -> list[Need]:
    """Needs of the reviewed half-year still waiting for an answer, oldest first."""
    return list(
        Need.objects.filter(
            category__slug=category,
            reporting_period=code,
            status__in=[Status.NEW, Status.ASSIGNED, Status.IN_REVIEW],
        ).order_by("created_at", "pk")[:NEEDS_PER_COMMITMENT]
    )


def record_commitments(report: ResultsReport, cycle: DemoCycle) -> None:
    """The mayor's decisions at the review, through the workflow the admin uses."""
    today = timezone.localdate()
    budget_year = timezone.localdate(cycle.reviewed_at).year + 1
    for category, service_slug, title_ka, title_en, cost, status, reason in COMMITMENTS:
        service = MunicipalService.objects.filter(slug=service_slug).first()
        if service is None:
            continue  # a smaller municipality's data set has no such service
        commitment = BudgetCommitment.objects.create(
            title_ka=title_ka,
            title_en=title_en,
            report=report,
            service=service,
            budget_year=budget_year,
            estimated_cost=cost,
            status=Commitment.PROPOSED,
        )
        link_needs(commitment, open_needs(category, cycle.period), by=None)
        if status == Commitment.DROPPED and reason is not None:
            apply_commitment_status(
                commitment, status, by=None, reason_ka=reason[0], reason_en=reason[1]
            )
        elif status != Commitment.PROPOSED:
            apply_commitment_status(commitment, status, by=None)
        if status in PROGRESS:
            text_ka, text_en = PROGRESS[status]
            CommitmentProgressNote.objects.create(
                commitment=commitment, noted_on=today, text_ka=text_ka, text_en=text_en
            )


def publish_previous_report(now: datetime.datetime | None = None) -> ResultsReport | None:
    """Last half-year's report, frozen when it was sent (after the half-year ended)."""
    now = now or timezone.now()
    cycle = demo_cycle(now)
    period = ReportingPeriod.objects.for_code(cycle.period)
    if ResultsReport.objects.filter(period=period).exists():
        return None
    report = ResultsReport.objects.create(
        period=period, analysis_ka=ANALYSIS_KA, analysis_en=ANALYSIS_EN
    )
    freeze_figures(report, interim=False, at=cycle.sent_at)
    report.sent_on = timezone.localdate(cycle.sent_at)
    report.meeting_on = timezone.localdate(cycle.reviewed_at)
    report.minutes = (
        "მერმა სამსახურების წარმომადგენლებთან ერთად განიხილა შედეგები: ორი საკითხი ბიუჯეტის "
        "პროექტში შევიდა, ერთი განხილვის ეტაპზეა, ერთზე უარი ითქვა."
    )
    report.status = ResultsReport.Status.PUBLISHED
    report.published_at = cycle.published_at
    report.save()
    report.services_present.set(
        MunicipalService.objects.filter(slug__in=["infrastructure", "social", "culture"])
    )
    record_commitments(report, cycle)
    return report


def ensure_current_draft(now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    period = ReportingPeriod.objects.for_code(period_for_date(timezone.localdate(now)))
    ResultsReport.objects.get_or_create(period=period)


def ensure_results_demo(homes: dict[str, Page], now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    ReportingPeriod.objects.ensure_year(timezone.localdate(now).year)
    ensure_results_pages(homes)
    publish_previous_report(now)
    ensure_current_draft(now)
