"""The wording a resident reads (locale/GLOSSARY.public.md): no calqued error title, "Received"
as a status is not also the date label, rating questions ask about satisfaction, and one money
format on every public page."""

import pytest
from django.test import Client
from django.utils import translation

from cms.core.formatting import EMPTY
from cms.core.formatting import format_money as lari
from feedback_forms.demo import EVALUATION_QUESTIONS
from feedback_forms.tests.factories import NeedFactory
from feedback_forms.tests.journey import start

pytestmark = pytest.mark.django_db


def test_the_error_summary_is_natural_georgian(client: Client, evaluation_form) -> None:
    url = "/programs/rural-roads/evaluation/"
    html = client.post(url, {**start(client, url), "action": "review"}).content.decode()
    assert "შეცდომა ფორმაში" in html
    assert "არის პრობლემა" not in html


@pytest.mark.parametrize(
    ("prefix", "status", "date_label"),
    [("", "მიღებულია", "მიღების თარიღი"), ("/en", "Received", "Date received")],
)
def test_received_is_a_status_and_the_date_has_its_own_label(
    client: Client, site_content, reference_data, prefix, status, date_label
) -> None:
    need = NeedFactory()
    html = client.get(f"{prefix}/track/", {"reference": need.reference}).content.decode()
    assert f"<dt>{date_label}</dt>" in html
    assert f"<strong>{status}</strong>" in html
    assert f"<dt>{status}</dt>" not in html


def test_every_demo_rating_question_asks_about_satisfaction() -> None:
    for kind, labels, _required in EVALUATION_QUESTIONS:
        if kind == "rating":
            assert "კმაყოფილი" in labels["ka"], labels
            assert "satisfied" in labels["en"], labels


@pytest.mark.parametrize("language", ["ka", "en"])
def test_one_money_format(language) -> None:
    with translation.override(language):
        whole, with_tetri = lari(120000), lari("275000.50")
        decimal_whole, integer = lari("275000.00"), lari(275000)
    assert whole.endswith("\u00a0₾") and with_tetri.endswith("\u00a0₾")
    assert decimal_whole == integer  # no ".00" when there are no tetri
    assert "50" in with_tetri.split("\u00a0₾")[0][-3:]
    assert lari(None) == EMPTY
