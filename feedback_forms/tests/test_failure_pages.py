"""When the server refuses a request outright (a failed CSRF check, a request it cannot read),
the resident sees the site's own translated page and keeps their answers (issue 10, finding 10;
issue 12: the journey's 400 pages keep the answers and say what to do)."""

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback_forms.models import Evaluation
from feedback_forms.tests.factories import evaluation_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_forms")]

EVAL_URL_EN = "/en/programs/rural-roads/evaluation/"
EVAL_URL_KA = "/programs/rural-roads/evaluation/"
EXTRA = {"ramdenad_martivi_iqo": "5", "ra_unda_gaumjobesdes": "მეტი ინფორმაცია"}


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def test_a_lost_csrf_cookie_keeps_the_answers_and_says_what_to_do(evaluation_form) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.get(EVAL_URL_EN)
    browser.cookies.clear()  # the cookie expired, or the browser dropped it
    data = {**evaluation_data(**EXTRA), "action": "review"}
    response = browser.post(EVAL_URL_EN, data)
    html = response.content.decode()
    assert response.status_code == 403
    assert "For your security the form was not sent" in html
    assert 'lang="en"' in html and "Tskaltubo Citizens' Feedback" in html  # the site's page
    assert "მეტი ინფორმაცია" in html  # the resident's answer is back in the form
    assert 'name="birth_date_year"' in html and f'value="{data["birth_date_year"]}"' in html
    assert "01001012345" not in html  # not the personal number: it is typed again
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    # The page came with a fresh security cookie: entering the number and continuing works.
    again = browser.post(
        EVAL_URL_EN,
        {
            **data,
            "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
            "form_token": hidden(html, "form_token"),
        },
    )
    assert again.status_code == 200
    assert "Check your answers before sending" in again.content.decode()
    assert not Evaluation.objects.exists()


def test_the_csrf_page_is_georgian_on_the_georgian_form(evaluation_form) -> None:
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(EVAL_URL_KA, {**evaluation_data(**EXTRA), "action": "review"})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'lang="ka"' in html
    assert "თქვენი უსაფრთხოებისთვის ფორმა არ გაიგზავნა" in html


def test_a_csrf_failure_elsewhere_is_the_sites_translated_page(site_content) -> None:
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/en/track/", {"reference": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "The form was not sent" in html
    assert "CSRF verification failed" not in html  # not Django's English default


def test_a_request_the_server_cannot_read_gets_the_sites_400_page(
    client: Client, evaluation_form, settings
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    data = {**evaluation_data(**EXTRA), **{f"extra{n}": "x" for n in range(30)}}
    response = client.post(EVAL_URL_EN, {**data, "action": "review"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "The request could not be read" in html
    assert "Press your browser's Back button" in html
    assert f'href="{EVAL_URL_EN}"' in html
    assert "Bad Request" not in html
    assert not Evaluation.objects.exists()


def test_the_400_page_is_georgian_at_the_root(client: Client, evaluation_form, settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = client.post(EVAL_URL_KA, evaluation_data(**EXTRA))
    assert response.status_code == 400
    assert 'lang="ka"' in response.content.decode()
    assert "მოთხოვნის წაკითხვა ვერ მოხერხდა" in response.content.decode()


WEB_FIELDS = [
    "citizen",
    "birth_date_0",
    "birth_date_1",
    "birth_date_2",
    "personal_number",
    "used_program",
    "used_on_0",
    "used_on_1",
    "overall_rating",
    "ramdenad_martivi_iqo",
    "ra_unda_gaumjobesdes",
    "contact_email",
    "contact_phone",
    "consent",
    "website",
    "form_token",
    "idempotency_key",
    "action",
]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    answers=st.dictionaries(
        st.sampled_from(WEB_FIELDS),
        st.one_of(
            st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
            st.sampled_from(["submit", "review", "change:personal_number", "١٩٨٥", "²", "\x00"]),
        ),
    )
)
def test_no_answer_on_the_web_form_is_a_server_error(evaluation_form, answers) -> None:
    """Finding 10 on the web: any text in any field gets a page, never a 500."""
    client = Client(raise_request_exception=False)
    response = client.post(EVAL_URL_EN, answers)
    assert response.status_code < 500, answers
