"""Factories for the results cycle: periods, reports (published by default) and commitments."""

import datetime

import factory
from django.utils import timezone

from programs.tests.factories import MunicipalServiceFactory
from reports.models import BudgetCommitment, CommitmentProgressNote, ReportingPeriod, ResultsReport


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    budget_year = 2026
    half = 1
    starts_on = factory.LazyAttribute(
        lambda period: datetime.date(period.budget_year, 1 if period.half == 1 else 7, 1)
    )
    ends_on = factory.LazyAttribute(
        lambda period: (
            datetime.date(period.budget_year, 6, 30)
            if period.half == 1
            else datetime.date(period.budget_year, 12, 31)
        )
    )
    due_on = factory.LazyAttribute(
        lambda period: ReportingPeriod.default_due_date(period.budget_year, period.half)
    )

    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("budget_year", "half")


class ResultsReportFactory(factory.django.DjangoModelFactory):
    """A published report; pass `figures=...` to freeze given figures, or status=... ."""

    period = factory.SubFactory(ReportingPeriodFactory)
    status = ResultsReport.Status.PUBLISHED
    analysis_ka = "ანალიზი"
    analysis_en = "Analysis"
    sent_on = datetime.date(2026, 7, 20)
    meeting_on = datetime.date(2026, 9, 15)
    minutes = "ოქმი"
    published_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.datetime(2026, 9, 30, 12))
    )

    class Meta:
        model = ResultsReport


class BudgetCommitmentFactory(factory.django.DjangoModelFactory):
    title_ka = factory.Sequence(lambda n: f"ვალდებულება {n}")
    title_en = factory.Sequence(lambda n: f"Commitment {n}")
    description_ka = "აღწერა"
    description_en = "Description"
    service = factory.SubFactory(MunicipalServiceFactory)
    budget_year = 2027
    estimated_cost = 150000
    status = BudgetCommitment.Status.IN_DRAFT_BUDGET

    class Meta:
        model = BudgetCommitment
        skip_postgeneration_save = True

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        if create and extracted:
            self.needs.set(extracted)


class ProgressNoteFactory(factory.django.DjangoModelFactory):
    commitment = factory.SubFactory(BudgetCommitmentFactory)
    noted_on = datetime.date(2026, 11, 1)
    text_ka = "ბიუჯეტის პროექტში შევიდა."
    text_en = "Included in the draft budget."

    class Meta:
        model = CommitmentProgressNote


def publish_page(parent, page):
    """Add a page under `parent` and publish it."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def results_pages(site_content) -> dict:
    """The results and accountability pages, in Georgian and translated into English."""
    from conftest import publish_translation
    from reports.models import AccountabilityPage, ResultsPage

    pages = {
        "results": publish_page(
            site_content["ka"], ResultsPage(title="შედეგები", slug="results", intro="შესავალი")
        ),
        "accountability": publish_page(
            site_content["ka"],
            AccountabilityPage(title="ანგარიშვალდებულება", slug="accountability"),
        ),
    }
    english_titles = {"results": "Results", "accountability": "Accountability"}
    for key, page in list(pages.items()):
        translation = publish_translation(page)
        translation.title = english_titles[key]
        translation.save_revision().publish()
        pages[f"{key}_en"] = translation
    return pages


def evaluate(program, rating: int, period: str = "2026-H1", **extra):
    """A visible evaluation of a (Georgian) program in a period."""
    from feedback_forms.tests.factories import EvaluationFactory

    return EvaluationFactory(
        program=program,
        program_title=program.title,
        category=program.category,
        overall_rating=rating,
        reporting_period=period,
        budget_year=int(period[:4]),
        **extra,
    )
