"""When something fails on our side, the resident and the API client are told the truth about
what was sent (issue 13, point 4): an unreachable database is a 503 with Retry-After, JSON on
the API; a resident who pressed "Send" reads that the answers were not sent and that sending
again is safe; an error after the submission was stored says it was received, with its
reference. No server error page claims that something "is not lost"."""

import contextlib
from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from feedback_forms.models import Evaluation
from feedback_forms.tests.factories import evaluation_data
from feedback_forms.tests.journey import hidden_fields
from feedback_forms.tests.test_api import evaluation_body, post_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_forms")]

EVAL_URL_KA = "/programs/rural-roads/evaluation/"
EVAL_URL_EN = "/en/programs/rural-roads/evaluation/"
EXTRA = {"ramdenad_martivi_iqo": "5", "ra_unda_gaumjobesdes": "მეტი ინფორმაცია"}


@contextlib.contextmanager
def unreachable_database() -> Iterator[None]:
    """Every query fails as it does when the server has gone away."""
    refused = OperationalError("connection to server at 10.0.0.5 port 5432 failed: refused")
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=refused):
        yield


@pytest.fixture
def browser() -> Client:
    return Client(raise_request_exception=False)


def checked_answers(browser: Client, url: str) -> dict[str, str]:
    """The hidden fields of the check-answers page: what "Send" posts."""
    browser.get(url)
    start = hidden_fields(browser.get(url).content.decode())
    checked = browser.post(url, {**evaluation_data(**EXTRA), **start, "action": "review"})
    assert checked.status_code == 200
    return hidden_fields(checked.content.decode())


@pytest.mark.parametrize(
    ("url", "not_sent"),
    [
        (EVAL_URL_KA, "თქვენი პასუხები არ გაიგზავნა."),
        (EVAL_URL_EN, "Your answers were not sent."),
    ],
)
def test_send_while_the_database_is_down_says_the_answers_were_not_sent(
    browser: Client, evaluation_form, url: str, not_sent: str
) -> None:
    fields = checked_answers(browser, url)
    with unreachable_database():
        response = browser.post(url, {**evaluation_data(**EXTRA), **fields, "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    assert not_sent in html
    assert "never stored twice" in html and "ორჯერ არ შეინახება" in html
    assert "not lost" not in html and "არ დაიკარგება" not in html
    assert "10.0.0.5" not in html  # the error's text (addresses) never reaches the page
    assert not Evaluation.objects.exists()
    # Going back and sending again, once the database is back, stores it exactly once.
    again = browser.post(url, {**evaluation_data(**EXTRA), **fields, "action": "submit"})
    assert again.status_code == 303
    assert Evaluation.objects.count() == 1


def test_an_error_after_the_submission_is_stored_says_it_was_received(
    browser: Client, evaluation_form
) -> None:
    fields = checked_answers(browser, EVAL_URL_EN)
    gone = OperationalError("server closed the connection unexpectedly")
    with mock.patch("feedback_forms.views.remember_sent", side_effect=gone):
        response = browser.post(
            EVAL_URL_EN, {**evaluation_data(**EXTRA), **fields, "action": "submit"}
        )
    html = response.content.decode()
    stored = Evaluation.objects.get()
    assert response.status_code == 503
    assert "Your form was received." in html and "თქვენი ფორმა მიღებულია." in html
    assert stored.reference in html
    assert "were not sent" not in html and "არ გაიგზავნა" not in html


def test_a_page_while_the_database_is_down_is_a_503_not_a_500(browser: Client, site_content):
    with unreachable_database():
        response = browser.get("/en/programs/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "temporarily unavailable" in html and "დროებით მიუწვდომელია" in html
    assert "were not sent" not in html  # nothing was being sent


def test_another_error_while_sending_says_the_form_may_not_have_arrived(
    browser: Client, evaluation_form
) -> None:
    fields = checked_answers(browser, EVAL_URL_EN)
    with mock.patch("feedback_forms.views.submit", side_effect=RuntimeError("a bug")):
        response = browser.post(
            EVAL_URL_EN, {**evaluation_data(**EXTRA), **fields, "action": "submit"}
        )
    html = response.content.decode()
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "may not have reached us" in html and "ორჯერ არ შეინახება" in html
    assert "not lost" not in html


class TestTheApi:
    def test_a_submission_while_the_database_is_down_is_json_503(
        self, browser: Client, evaluation_form
    ) -> None:
        program = evaluation_form.get_parent().pk
        with unreachable_database():
            response = post_json(
                browser, "/evaluations", evaluation_body(program), **{"Accept-Language": "en"}
            )
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        assert response["Retry-After"] == "60"
        body = response.json()
        assert body["code"] == "service_unavailable"
        assert "nothing was stored" in body["message"]
        assert "10.0.0.5" not in response.content.decode()
        assert not Evaluation.objects.exists()

    def test_the_message_is_georgian_by_default(self, browser: Client, evaluation_form) -> None:
        with unreachable_database():
            response = browser.get("/api/v1/needs-form")
        assert response.status_code == 503
        assert response.json()["code"] == "service_unavailable"
        assert "დროებით" in response.json()["message"]

    def test_the_page_api_is_json_too(self, browser: Client, site_content) -> None:
        with unreachable_database():
            response = browser.get("/api/v2/pages/")
        assert response.status_code == 503
        assert response.json()["code"] == "service_unavailable"

    def test_a_reply_that_fails_after_storing_says_it_was_stored(
        self, browser: Client, evaluation_form
    ) -> None:
        program = evaluation_form.get_parent().pk
        with mock.patch(
            "feedback_forms.api.submissions.submission_out", side_effect=OperationalError("gone")
        ):
            response = post_json(
                browser,
                "/evaluations",
                evaluation_body(program),
                **{"Accept-Language": "en"},
                **{"Idempotency-Key": "retry-me"},
            )
        assert response.status_code == 503
        assert response.json()["code"] == "stored_reply_failed"
        assert Evaluation.objects.count() == 1
        again = post_json(
            browser,
            "/evaluations",
            evaluation_body(program),
            **{"Idempotency-Key": "retry-me"},
        )
        assert again.status_code == 200
        assert again.json()["reference"] == Evaluation.objects.get().reference
