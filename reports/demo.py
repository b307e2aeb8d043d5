"""Demo results cycle: last half-year's report published with two budget commitments, this
half-year's report as a draft (the public results and accountability pages are part of every
site: `reports.site_pages`).

Idempotent: nothing is added when a report for the period already exists.
"""

import datetime

from django.utils import timezone
from wagtail.models import Page

from feedback_forms.models import Need, Status
from feedback_forms.periods import current_period, previous_period
from programs.models import MunicipalService
from reports.aggregation import compute_figures
from reports.models import (
    BudgetCommitment,
    CommitmentProgressNote,
    ReportingPeriod,
    ResultsReport,
)
from reports.site_pages import ensure_results_pages
from reports.workflow import commitment_answer

ANALYSIS_KA = (
    "ნახევარწლის განმავლობაში მოსახლეობამ ყველაზე ხშირად დააფიქსირა გზებისა და წყალმომარაგების "
    "საჭიროებები. სოციალური პროგრამების შეფასება მაღალია, ინფრასტრუქტურული პროგრამების — დაბალი."
)
ANALYSIS_EN = (
    "In this half-year residents most often recorded needs about roads and the water supply. "
    "Social programs are rated highly, infrastructure programs lower."
)
COMMITMENTS = [
    (
        "water",
        "infrastructure",
        "სასმელი წყლის ახალი სათავე ნაგებობა",
        "A new drinking water intake",
        180_000,
    ),
    (
        "infrastructure",
        "infrastructure",
        "სოფლის გზების ორმოული შეკეთება",
        "Pothole repair on village roads",
        95_000,
    ),
]


def publish_previous_report() -> ResultsReport | None:
    code = previous_period(current_period())
    period = ReportingPeriod.objects.for_code(code)
    if ResultsReport.objects.filter(period=period).exists():
        return None
    today = timezone.localdate()
    sent_on = min(period.ends_on + datetime.timedelta(days=20), today)
    report = ResultsReport.objects.create(
        period=period,
        analysis_ka=ANALYSIS_KA,
        analysis_en=ANALYSIS_EN,
        figures=compute_figures(code),
        status=ResultsReport.Status.PUBLISHED,
        sent_on=sent_on,
        meeting_on=min(sent_on + datetime.timedelta(days=7), today),
        minutes="მერმა სამსახურების წარმომადგენლებთან ერთად განიხილა შედეგები და ორი საკითხი ბიუჯეტის პროექტში შეიტანა.",
        published_at=timezone.now(),
    )
    report.services_present.set(
        MunicipalService.objects.filter(slug__in=["infrastructure", "social", "culture"])
    )
    for category, service, title_ka, title_en, cost in COMMITMENTS:
        commitment = BudgetCommitment.objects.create(
            title_ka=title_ka,
            title_en=title_en,
            report=report,
            service=MunicipalService.objects.get(slug=service),
            budget_year=period.budget_year + 1,
            estimated_cost=cost,
            status=BudgetCommitment.Status.IN_DRAFT_BUDGET,
        )
        needs = list(
            Need.objects.filter(
                category__slug=category, status__in=[Status.NEW, Status.ASSIGNED, Status.IN_REVIEW]
            )[:3]
        )
        commitment.needs.set(needs)
        Need.objects.filter(pk__in=[n.pk for n in needs]).update(
            status=Status.PLANNED,
            public_answer=commitment_answer(commitment),
            answered_at=timezone.now(),
        )
        CommitmentProgressNote.objects.create(
            commitment=commitment,
            noted_on=today,
            text_ka="საპროექტო დოკუმენტაცია მზადდება.",
            text_en="The design documents are being prepared.",
        )
    return report


def ensure_current_draft() -> None:
    period = ReportingPeriod.objects.for_code(current_period())
    ResultsReport.objects.get_or_create(period=period)


def ensure_results_demo(homes: dict[str, Page]) -> None:
    ReportingPeriod.objects.ensure_year(timezone.localdate().year)
    ensure_results_pages(homes)
    publish_previous_report()
    ensure_current_draft()
