"""Factories for form pages and a helper that fills a form the way a resident would."""

import datetime

import factory
import wagtail_factories

from feedback_forms.models import (
    Evaluation,
    EvaluationFormField,
    EvaluationFormPage,
    Need,
    NeedsFormField,
    NeedsFormPage,
)
from programs.models import ProgramCategory, Settlement


class EvaluationFormPageFactory(wagtail_factories.PageFactory):
    title = "პროგრამის შეფასება"
    slug = "evaluation"

    class Meta:
        model = EvaluationFormPage


class NeedsFormPageFactory(wagtail_factories.PageFactory):
    title = "საჭიროების დაფიქსირება"
    slug = "report-a-need"

    class Meta:
        model = NeedsFormPage


class EvaluationFormFieldFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"დამატებითი კითხვა {n}")
    field_type = "singleline"
    required = False

    class Meta:
        model = EvaluationFormField


class NeedsFormFieldFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"დამატებითი კითხვა {n}")
    field_type = "singleline"
    required = False

    class Meta:
        model = NeedsFormField


def adult_birth_date(years: int = 30) -> datetime.date:
    today = datetime.date.today()
    return datetime.date(today.year - years, 1, 15)


def person_data(
    personal_number: str = "01001012345", birth_date: datetime.date | None = None
) -> dict:
    birth_date = birth_date or adult_birth_date()
    return {
        "citizen": "on",
        "birth_date_day": str(birth_date.day),
        "birth_date_month": str(birth_date.month),
        "birth_date_year": str(birth_date.year),
        "personal_number": personal_number,
        "consent": "on",
    }


def evaluation_data(**overrides) -> dict:
    today = datetime.date.today()
    data = {
        **person_data(
            overrides.pop("personal_number", "01001012345"), overrides.pop("birth_date", None)
        ),
        "used_program": "on",
        "used_on_month": str(today.month),
        "used_on_year": str(today.year),
        "overall_rating": "4",
    }
    data.update(overrides)
    return data


def need_data(settlement, category, **overrides) -> dict:
    data = {
        **person_data(
            overrides.pop("personal_number", "01001012345"), overrides.pop("birth_date", None)
        ),
        "registered_resident": "on",
        "administrative_unit": settlement.unit.code,
        "settlement": str(settlement.pk),
        "category": category.slug,
        "title": "ქუჩის განათება",
        "description": "რუსთაველის ქუჩაზე საღამოს ბნელა.",
    }
    data.update(overrides)
    return data


def sequence_reference(letter: str, n: int) -> str:
    """A unique reference in the stored form ('N000-0042'), so the tracking page finds it
    however many a worker made before (the former 'N1000-TES' past the thousandth was not)."""
    raw = f"{letter}{n:07d}"
    return f"{raw[:4]}-{raw[4:]}"


class NeedFactory(factory.django.DjangoModelFactory):
    """A need as the intake stores it (digest, period), without going through the forms."""

    reference = factory.Sequence(lambda n: sequence_reference("N", n))
    title = "ქუჩის განათება"
    description = "საღამოს ბნელა."
    category = factory.LazyFunction(
        lambda: ProgramCategory.objects.get_or_create(
            slug="infrastructure",
            defaults={"name_ka": "ინფრასტრუქტურა", "name_en": "Infrastructure"},
        )[0]
    )
    settlement = factory.LazyFunction(lambda: Settlement.objects.select_related("unit").first())
    administrative_unit = factory.LazyAttribute(lambda need: need.settlement.unit)
    reporting_period = "2026-H2"
    budget_year = 2026
    person_digest = factory.Sequence(lambda n: f"{n:064x}")
    key_version = 1
    birth_year = 1980
    is_adult = True

    class Meta:
        model = Need


class EvaluationFactory(factory.django.DjangoModelFactory):
    reference = factory.Sequence(lambda n: sequence_reference("E", n))
    program_title = "სოფლის გზების რეაბილიტაცია"
    overall_rating = 4
    used_on = datetime.date(2026, 9, 1)
    reporting_period = "2026-H2"
    budget_year = 2026
    person_digest = factory.Sequence(lambda n: f"{n + 10_000:064x}")
    key_version = 1
    birth_year = 1980
    is_adult = True

    class Meta:
        model = Evaluation
