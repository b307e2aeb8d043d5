"""Who may take part: age on the day of submission (Tbilisi time) and a valid personal number."""

import datetime

import pytest
from django.utils import translation

from feedback_forms.eligibility import age_on, is_adult_on
from feedback_forms.forms import EvaluationForm
from feedback_forms.periods import period_for_date, previous_period
from feedback_forms.references import new_reference, normalise_reference


@pytest.mark.parametrize(
    ("birth", "day", "adult"),
    [
        (datetime.date(2008, 11, 25), datetime.date(2026, 11, 24), False),  # 17 years and 364 days
        (datetime.date(2008, 11, 24), datetime.date(2026, 11, 24), True),  # 18 today
        (
            datetime.date(2008, 2, 29),
            datetime.date(2026, 2, 28),
            False,
        ),  # leap-day birthday not yet
        (datetime.date(2008, 2, 29), datetime.date(2026, 3, 1), True),
        (datetime.date(2008, 2, 29), datetime.date(2028, 2, 29), True),
        (datetime.date(1950, 6, 1), datetime.date(2026, 1, 1), True),
    ],
)
def test_adult_on_the_day(birth: datetime.date, day: datetime.date, adult: bool) -> None:
    assert is_adult_on(birth, day) is adult


def test_age_counts_full_years() -> None:
    assert age_on(datetime.date(2000, 12, 31), datetime.date(2026, 12, 30)) == 25


def form_errors(data: dict, submitted_on: datetime.date) -> dict:
    with translation.override("en"):
        form = EvaluationForm(data, submitted_on=submitted_on)
        form.is_valid()
        return {field: [str(error) for error in errors] for field, errors in form.errors.items()}


BASE = {
    "citizen": "on",
    "birth_date_day": "24",
    "birth_date_month": "11",
    "birth_date_year": "2008",
    "personal_number": "01001012345",
    "consent": "on",
    "used_program": "on",
    "used_on_month": "11",
    "used_on_year": "2026",
    "overall_rating": "4",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"birth_date_day": "25"}, "birth_date", "You must be 18 or older to take part."),
        ({"birth_date_year": "2027"}, "birth_date", "Your date of birth must be in the past."),
        (
            {"birth_date_day": "31", "birth_date_month": "2"},
            "birth_date",
            "This date does not exist.",
        ),
        ({"birth_date_day": ""}, "birth_date", "Enter the day, the month and the year."),
        (
            {"birth_date_year": "85"},
            "birth_date",
            "Enter the date in numbers, for example 27 3 1985.",
        ),
        ({"birth_date_year": "1850"}, "birth_date", "Enter a real date of birth."),
        (
            {"personal_number": "0100101234"},
            "personal_number",
            "The personal number must be exactly 11 digits.",
        ),
        (
            {"personal_number": "010010123456"},
            "personal_number",
            "The personal number must be exactly 11 digits.",
        ),
        (
            {"personal_number": "0100101234A"},
            "personal_number",
            "The personal number must be exactly 11 digits.",
        ),
        (
            {"citizen": ""},
            "citizen",
            "Only citizens of Georgia can take part. Tick the box to confirm you are one.",
        ),
        ({"used_program": ""}, "used_program", "Only people who used the program can evaluate it."),
        (
            {"used_on_month": "12"},
            "used_on",
            "The date you used the program cannot be in the future.",
        ),
        ({"overall_rating": "6"}, "overall_rating", None),
        (
            {"consent": ""},
            "consent",
            "To submit, you must agree to the processing of your answers.",
        ),
        (
            {"contact_email": "not-an-email"},
            "contact_email",
            "Enter an e-mail address like name@example.ge.",
        ),
        (
            {"contact_phone": "<script>"},
            "contact_phone",
            "Enter a Georgian mobile number, for example 599 12 34 56 or +995 599 12 34 56.",
        ),
    ],
)
def test_bad_answers_get_a_clear_message(changes: dict, field: str, message: str | None) -> None:
    errors = form_errors({**BASE, **changes}, datetime.date(2026, 11, 24))
    assert field in errors
    if message:
        assert message in errors[field]


@pytest.mark.django_db
def test_eighteen_today_is_accepted() -> None:
    assert form_errors(BASE, datetime.date(2026, 11, 24)) == {}


@pytest.mark.django_db
def test_personal_number_with_spaces_is_accepted() -> None:
    assert (
        form_errors({**BASE, "personal_number": "010 0101 2345"}, datetime.date(2026, 11, 24)) == {}
    )


def test_reporting_periods() -> None:
    assert period_for_date(datetime.date(2026, 6, 30)) == "2026-H1"
    assert period_for_date(datetime.date(2026, 7, 1)) == "2026-H2"
    assert previous_period("2026-H1") == "2025-H2"


def test_references_are_readable_and_forgiving() -> None:
    reference = new_reference()
    assert len(reference) == 9 and reference[4] == "-"
    assert normalise_reference(reference.lower().replace("-", " ")) == reference
    assert normalise_reference("k7qm-4xpa") == "K7QM-4XPA"
    assert normalise_reference("KOQM-IXPL") == "K0QM-1XP1"
    assert normalise_reference("short") is None
    assert normalise_reference("<script>") is None
