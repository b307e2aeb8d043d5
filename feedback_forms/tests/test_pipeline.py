"""The intake pipeline (issue 16, item 6): each guard alone, the one order, and the web journey,
the API and staff entry running that order through their real views."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cms.core.personal_numbers import digest_personal_number
from cms.core.roles import PLATFORM_MANAGERS
from cms.core.tests.factories import staff_user
from feedback_forms import pipeline
from feedback_forms.intake import DuplicateEvaluation, IntakeResult, InvitationSpent
from feedback_forms.models import Evaluation
from feedback_forms.pipeline import (
    GUARD_FUNCTIONS,
    ORDER,
    Attempt,
    Guard,
    Refusal,
    Replayed,
    Route,
    Stored,
    TokenAlreadySpent,
    run,
    steps_for,
)
from feedback_forms.protection import RateLimitResult, TokenCheck, issue_form_token
from feedback_forms.tests.factories import EvaluationFactory, evaluation_data
from feedback_forms.tests.journey import hidden_fields, send, start
from feedback_forms.tests.test_api import evaluate

pytestmark = pytest.mark.django_db

EVAL_URL = "/en/programs/rural-roads/evaluation/"
PERSONAL_NUMBER = "01001012345"
ALLOWED = RateLimitResult(allowed=True, retry_after=0, count=1, limit=10)
REFUSED = RateLimitResult(allowed=False, retry_after=120, count=11, limit=10)


def stored_evaluation(form_page, key: str, personal_number: str = PERSONAL_NUMBER) -> Evaluation:
    person = digest_personal_number(personal_number)
    return EvaluationFactory(
        program=form_page.get_parent().specific,
        form_page=form_page,
        idempotency_key=key,
        person_digest=person.digest,
        key_version=person.key_version,
    )


# --- Each guard alone ---------------------------------------------------------------------------


class TestResend:
    def test_a_key_that_stored_from_this_form_gets_its_first_result(self, evaluation_form):
        first = stored_evaluation(evaluation_form, "a" * 32)
        attempt = Attempt(Route.WEB, QueryDict(), page=evaluation_form, idempotency_key="a" * 32)
        assert pipeline.resend(attempt) == Replayed(Guard.RESEND, first)
        assert attempt.key_is_new is False

    def test_a_new_key_goes_on_and_is_known_to_be_new(self, evaluation_form):
        attempt = Attempt(Route.WEB, QueryDict(), page=evaluation_form, idempotency_key="b" * 32)
        assert pipeline.resend(attempt) is None
        assert attempt.key_is_new is True

    def test_a_key_of_another_form_goes_on(self, evaluation_form, needs_form):
        stored_evaluation(evaluation_form, "c" * 32)
        attempt = Attempt(Route.WEB, QueryDict(), page=needs_form, idempotency_key="c" * 32)
        assert pipeline.resend(attempt) is None


class TestRateLimit:
    def test_allowed_goes_on(self):
        attempt = Attempt(Route.API, {}, count=lambda attempt: ALLOWED)
        assert pipeline.rate_limit(attempt) is None

    def test_refused_says_when_to_retry(self):
        refusal = pipeline.rate_limit(Attempt(Route.API, {}, count=lambda attempt: REFUSED))
        assert isinstance(refusal, Refusal)
        assert (refusal.guard, refusal.code, refusal.status) == (
            Guard.RATE_LIMIT,
            "rate_limited",
            429,
        )
        assert refusal.retry_after == 120 and refusal.limit is REFUSED

    def test_the_public_limit_counts_every_attempt_of_a_person(self, settings):
        settings.FEEDBACK_RATE_LIMITS = {"ip": (100, 3600), "person": (1, 86400)}
        data = {"personal_number": PERSONAL_NUMBER}
        assert pipeline.rate_limit(Attempt(Route.API, data, ip="192.0.2.1")) is None
        refusal = pipeline.rate_limit(Attempt(Route.API, data, ip="192.0.2.2"))
        assert isinstance(refusal, Refusal) and refusal.status == 429


class TestHoneypot:
    @pytest.mark.parametrize(
        ("data", "refused"),
        [
            (QueryDict("website=http%3A%2F%2Fspam.example"), True),
            (QueryDict("website=&website=x"), True),
            (QueryDict("website=+"), False),  # a browser's autofill may leave a blank
            (QueryDict("name=x"), False),
            ({"website": " "}, True),  # an app sends nothing there
            ({"website": 0}, True),
            ({"website": ""}, False),
            ({"website": None}, False),
            ({}, False),
        ],
    )
    def test_a_filled_field_is_refused(self, data, refused):
        with translation.override("en"):
            answer = pipeline.honeypot(Attempt(Route.API, data))
        assert (answer is not None) is refused
        if refused:
            assert isinstance(answer, Refusal)
            assert (answer.code, answer.status) == ("rejected", 400)
            assert answer.message == (
                "The form could not be sent. Please check your answers and send it again."
            )


class TestTimeTrap:
    def test_a_token_old_enough_goes_on(self, instant_forms):
        attempt = Attempt(Route.WEB, {"form_token": issue_form_token()})
        assert pipeline.time_trap(attempt) is None

    @pytest.mark.parametrize(
        ("token", "check"), [(None, TokenCheck.INVALID), ("forged", TokenCheck.INVALID)]
    )
    def test_a_missing_or_forged_token_is_refused(self, token, check):
        answer = pipeline.time_trap(Attempt(Route.WEB, {"form_token": token}))
        assert answer == Refusal(Guard.TIME_TRAP, check.value, 400, token=check)

    def test_a_token_sent_at_once_is_too_fast(self, settings):
        settings.FEEDBACK_MIN_FILL_SECONDS = 30
        answer = pipeline.time_trap(Attempt(Route.WEB, {"form_token": issue_form_token()}))
        assert isinstance(answer, Refusal) and answer.token is TokenCheck.TOO_FAST


class TestReplay:
    def test_the_same_sender_gets_the_first_result(self, evaluation_form):
        first = stored_evaluation(evaluation_form, "api:retry-1")
        data = {"personal_number": "010-010-123 45"}  # spelt differently, the same number
        attempt = Attempt(Route.API, data, idempotency_key="api:retry-1", kind="evaluation")
        assert pipeline.replay(attempt) == Replayed(Guard.REPLAY, first)

    @pytest.mark.parametrize(
        ("kind", "personal_number"),
        [("evaluation", "01001012346"), ("need", PERSONAL_NUMBER), ("evaluation", "garbage")],
    )
    def test_a_key_reused_for_another_submission_is_refused(
        self, evaluation_form, kind, personal_number
    ):
        stored_evaluation(evaluation_form, "api:retry-2")
        data = {"personal_number": personal_number}
        attempt = Attempt(Route.API, data, idempotency_key="api:retry-2", kind=kind)
        answer = pipeline.replay(attempt)
        assert isinstance(answer, Refusal)
        assert (answer.code, answer.status) == ("idempotency_key_reused", 409)

    def test_no_key_or_a_new_key_goes_on(self):
        for key in (None, "api:new"):
            attempt = Attempt(Route.API, {}, idempotency_key=key, kind="need")
            assert pipeline.replay(attempt) is None and attempt.key_is_new


class TestValidation:
    def test_no_errors_goes_on(self):
        assert pipeline.validation(Attempt(Route.API, {}, validate=lambda: {})) is None

    def test_errors_are_handed_back(self):
        errors = {"consent": ["This field is required."]}
        answer = pipeline.validation(Attempt(Route.API, {}, validate=lambda: errors))
        assert answer == Refusal(Guard.VALIDATION, "invalid", 422, errors=errors)


class TestStore:
    @pytest.mark.parametrize(
        ("error", "guard", "code"),
        [
            (DuplicateEvaluation, Guard.DUPLICATE, "duplicate"),
            (InvitationSpent, Guard.STORE, "invitation_spent"),
            (TokenAlreadySpent, Guard.STORE, "token_spent"),
        ],
    )
    def test_what_the_transaction_refuses_is_a_refusal(self, error, guard, code):
        def refuse(ran):
            raise error

        answer = pipeline.store(Attempt(Route.WEB, {}, store=refuse))
        assert isinstance(answer, Refusal) and (answer.guard, answer.code) == (guard, code)

    def test_a_stored_submission_is_handed_back(self, evaluation_form):
        result = IntakeResult(stored_evaluation(evaluation_form, "k"), created=True)
        assert pipeline.store(Attempt(Route.API, {}, store=lambda ran: result)) == Stored(result)

    def test_any_other_error_is_not_a_refusal(self):
        def broken(ran):
            raise RuntimeError("a bug")

        with pytest.raises(RuntimeError):
            pipeline.store(Attempt(Route.API, {}, store=broken))


# --- The order, declared once -----------------------------------------------------------------


def test_the_declared_order_is_the_documented_one():
    """The module docstring's numbered list names the guards in `ORDER`'s order."""
    documented = re.findall(r"``([A-Z_]+)``", pipeline.__doc__ or "")
    assert [Guard[name] for name in dict.fromkeys(documented)] == list(ORDER)
    assert set(ORDER) == set(Guard)
    assert set(GUARD_FUNCTIONS) | pipeline.IN_STORE == set(Guard)


def test_each_route_runs_its_guards_in_the_one_order():
    assert steps_for(Route.WEB) == (
        Guard.RESEND,
        Guard.RATE_LIMIT,
        Guard.HONEYPOT,
        Guard.TIME_TRAP,
        Guard.VALIDATION,
        Guard.ELIGIBILITY,
        Guard.DUPLICATE,
        Guard.STORE,
        Guard.NOTIFY,
    )
    assert steps_for(Route.WEB_REVIEW) == (Guard.HONEYPOT, Guard.TIME_TRAP, Guard.VALIDATION)
    assert steps_for(Route.API) == (
        Guard.RATE_LIMIT,
        Guard.HONEYPOT,
        Guard.REPLAY,
        *steps_for(Route.STAFF)[1:],
    )
    assert steps_for(Route.STAFF) == (
        Guard.RATE_LIMIT,
        Guard.VALIDATION,
        Guard.ELIGIBILITY,
        Guard.DUPLICATE,
        Guard.STORE,
        Guard.NOTIFY,
    )


def failing_everything(
    route: Route, limit: RateLimitResult, page=None, key: str = "api:reused"
) -> Attempt:
    """An attempt every guard would refuse: over the limit, a filled honeypot, a forged
    token, a key reused for another person's submission (of another form), invalid answers."""
    return Attempt(
        route,
        {"website": "x", "form_token": "forged", "personal_number": "1"},
        page=page,
        idempotency_key=key,
        kind="need",
        validate=lambda: {"consent": ["This field is required."]},
        store=lambda ran: pytest.fail("stored"),
        count=lambda attempt: limit,
    )


@pytest.mark.parametrize(
    ("route", "within_limit"),
    [
        (Route.WEB, Guard.HONEYPOT),
        (Route.WEB_REVIEW, Guard.HONEYPOT),
        (Route.API, Guard.HONEYPOT),
        (Route.STAFF, Guard.VALIDATION),
    ],
)
def test_the_first_guard_in_the_order_answers(route, within_limit, evaluation_form, needs_form):
    stored_evaluation(evaluation_form, "api:reused")
    first = Guard.RATE_LIMIT if Guard.RATE_LIMIT in steps_for(route) else within_limit
    answer = run(failing_everything(route, REFUSED, needs_form))
    assert isinstance(answer, Refusal) and answer.guard is first
    answer = run(failing_everything(route, ALLOWED, needs_form))
    assert isinstance(answer, Refusal) and answer.guard is within_limit


def test_a_resend_of_a_stored_send_answers_before_any_refusal(evaluation_form):
    first = stored_evaluation(evaluation_form, "d" * 32)
    attempt = failing_everything(Route.WEB, REFUSED, evaluation_form, key="d" * 32)
    assert run(attempt) == Replayed(Guard.RESEND, first)


def test_without_the_honeypot_the_time_trap_then_the_replay_answer(evaluation_form, needs_form):
    stored_evaluation(evaluation_form, "api:reused")
    attempt = failing_everything(Route.WEB, ALLOWED, needs_form)
    attempt.data = {**attempt.data, "website": ""}
    assert run(attempt) == Refusal(Guard.TIME_TRAP, "invalid", 400, token=TokenCheck.INVALID)
    attempt = failing_everything(Route.API, ALLOWED)
    attempt.data = {**attempt.data, "website": ""}
    answer = run(attempt)
    assert isinstance(answer, Refusal) and answer.guard is Guard.REPLAY


# --- Web, API and staff entry run the same sequence, through their real views ---------------------


@pytest.fixture
def ran() -> Iterator[list[tuple[Route, Guard]]]:
    """Every guard a request reached, as the pipeline reports it."""
    recorded: list[tuple[Route, Guard]] = []

    def record(sender: Route, guard: Guard, **kwargs: Any) -> None:
        recorded.append((sender, guard))

    pipeline.guard_ran.connect(record)
    yield recorded
    pipeline.guard_ran.disconnect(record)


def guards_of(recorded: list[tuple[Route, Guard]], route: Route) -> tuple[Guard, ...]:
    return tuple(guard for sender, guard in recorded if sender is route)


def test_the_web_journey_runs_the_sequence(
    client: Client, evaluation_form, instant_forms, ran, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, EVAL_URL, evaluation_data(ramdenad_martivi_iqo="5"))
    assert response.status_code == 303
    assert guards_of(ran, Route.WEB_REVIEW) == steps_for(Route.WEB_REVIEW)  # "Continue"
    assert guards_of(ran, Route.WEB) == steps_for(Route.WEB)  # "Send"


def test_a_refused_send_stops_at_its_guard(client: Client, evaluation_form, instant_forms, ran):
    journey = start(client, EVAL_URL)
    data = {**evaluation_data(ramdenad_martivi_iqo="5"), **journey, "website": "spam"}
    response = client.post(EVAL_URL, {**data, "action": "submit"})
    assert response.status_code == 400
    assert guards_of(ran, Route.WEB) == (Guard.RESEND, Guard.RATE_LIMIT, Guard.HONEYPOT)
    assert not Evaluation.objects.exists()


def test_the_api_runs_the_sequence(
    client: Client, evaluation_form, ran, django_capture_on_commit_callbacks
):
    program_id = evaluation_form.get_parent().pk
    with django_capture_on_commit_callbacks(execute=True):
        response = evaluate(client, program_id, headers={"Idempotency-Key": "one"})
    assert response.status_code == 201
    assert guards_of(ran, Route.API) == steps_for(Route.API)
    ran.clear()
    assert evaluate(client, program_id, headers={"Idempotency-Key": "one"}).status_code == 200
    assert guards_of(ran, Route.API) == (Guard.RATE_LIMIT, Guard.HONEYPOT, Guard.REPLAY)


def test_staff_entry_runs_the_sequence(
    client: Client, evaluation_form, ran, django_capture_on_commit_callbacks
):
    client.force_login(staff_user(PLATFORM_MANAGERS, username="manager"))
    url = reverse("feedback_staff_entry:form", args=[evaluation_form.pk])
    data = {**evaluation_data(ramdenad_martivi_iqo="3"), "channel": "paper"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert guards_of(ran, Route.STAFF) == steps_for(Route.STAFF)
    ran.clear()
    response = client.post(url, data)  # the same person again: refused for staff
    assert response.status_code == 200
    assert Evaluation.objects.count() == 1
    assert guards_of(ran, Route.STAFF) == (
        Guard.RATE_LIMIT,
        Guard.VALIDATION,
        Guard.ELIGIBILITY,
        Guard.DUPLICATE,
    )


def test_a_web_send_counts_before_the_honeypot_and_a_resend_is_never_counted(
    client: Client, evaluation_form, instant_forms, settings
):
    """ADR 10 and 27: every "Send" counts first; a resend of a stored one looks at nothing the
    resident typed and gets its confirmation, even at the limit."""
    settings.FEEDBACK_RATE_LIMITS = {"ip": (2, 3600), "person": (100, 86400)}
    data = evaluation_data(ramdenad_martivi_iqo="5")
    spam = {**data, **start(client, EVAL_URL), "website": "spam", "action": "submit"}
    assert client.post(EVAL_URL, spam).status_code == 400  # counted: 1 of 2
    checked = client.post(EVAL_URL, {**data, **start(client, EVAL_URL), "action": "review"})
    final = {**data, **hidden_fields(checked.content.decode()), "action": "submit"}
    first = client.post(EVAL_URL, final)  # 2 of 2
    assert first.status_code == 303
    again = client.post(EVAL_URL, final)  # a double click: not counted
    assert (again.status_code, again["Location"]) == (303, first["Location"])
    other = send(client, EVAL_URL, evaluation_data(ramdenad_martivi_iqo="4"))
    assert other.status_code == 429  # 3 of 2
    assert Evaluation.objects.count() == 1
