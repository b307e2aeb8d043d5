"""The time trap on the web journey: it applies to "Send" as well as "Continue", a token sends
one submission only, "Change" never restarts it, and a person going fast but honestly is never
refused. Pages that carry a personal number are never cached."""

import datetime
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from feedback_forms import protection
from feedback_forms.models import Evaluation, UsedFormToken
from feedback_forms.protection import (
    TokenCheck,
    check_form_token,
    issue_form_token,
    purge_used_tokens,
    spend_form_token,
)
from feedback_forms.tests.factories import evaluation_data
from feedback_forms.tests.journey import hidden_fields, start

pytestmark = pytest.mark.django_db

EVAL_URL = "/en/programs/rural-roads/evaluation/"
EXTRA = {"ramdenad_martivi_iqo": "5"}
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"


class Clock:
    """The time the time trap reads, moved by hand; the rest of Django keeps the real clock."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def clock(monkeypatch, settings) -> Clock:
    settings.FEEDBACK_MIN_FILL_SECONDS = 3
    fake = Clock()
    monkeypatch.setattr(protection, "time", fake)
    return fake


def post(client: Client, data: dict, journey: dict, action: str):
    return client.post(EVAL_URL, {**data, **journey, "action": action})


def test_send_at_once_after_loading_the_form_is_refused(client: Client, evaluation_form, clock):
    """A bot posting "Send" 0.2 s after the GET stores nothing, and keeps nothing of its own."""
    journey = start(client, EVAL_URL)
    clock.offset = 0.2
    response = post(client, evaluation_data(**EXTRA), journey, "submit")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please check your answers and send the form again." in html
    assert "Check your answers before sending" in html  # the answers are kept, ready to send
    assert not Evaluation.objects.exists()
    assert not UsedFormToken.objects.exists()


def test_a_forged_or_missing_token_cannot_send(client: Client, evaluation_form, clock):
    for token in ("", "1700000000", issue_form_token() + "x"):
        response = post(client, evaluation_data(**EXTRA), {"form_token": token}, "submit")
        assert response.status_code == 400
    assert not Evaluation.objects.exists()


def test_one_token_sends_one_submission(client: Client, evaluation_form, clock):
    """One page replayed with fresh retry keys gave three submissions; now it gives one."""
    journey = start(client, EVAL_URL)
    clock.offset = 10
    data = evaluation_data(**EXTRA)
    first = post(client, data, journey, "submit")
    assert first.status_code == 303
    replays = []
    for number in range(3):
        other = {**journey, "idempotency_key": f"{number + 1:032x}"}
        replays.append(
            post(client, {**data, "personal_number": f"0100101234{number}"}, other, "submit")
        )
    assert [response.status_code for response in replays] == [400, 400, 400]
    assert Evaluation.objects.count() == 1
    # The same page sent again (a double click, the Back button) still gets the first result.
    again = post(client, data, journey, "submit")
    assert (again.status_code, again["Location"]) == (303, first["Location"])
    assert Evaluation.objects.count() == 1


def test_a_refused_replay_gets_a_token_that_has_to_wait_again(
    client: Client, evaluation_form, clock
):
    journey = start(client, EVAL_URL)
    clock.offset = 10
    data = evaluation_data(**EXTRA)
    assert post(client, data, journey, "submit").status_code == 303
    replay = post(client, data, {**journey, "idempotency_key": "0" * 31 + "1"}, "submit")
    token = hidden_fields(replay.content.decode())["form_token"]
    assert token != journey["form_token"]
    assert check_form_token(token, now=time.time()) is TokenCheck.TOO_FAST


def test_change_never_restarts_the_time_trap(client: Client, evaluation_form, clock):
    """Continue at 3.5 s, Change, Continue again 0.5 s later, Send at once: all accepted."""
    journey = start(client, EVAL_URL)
    data = evaluation_data(**EXTRA)
    clock.offset = 3.5
    checked = post(client, data, journey, "review")
    assert checked.status_code == 200
    carried = hidden_fields(checked.content.decode())
    assert carried["form_token"] == journey["form_token"]
    changed = post(client, data, carried, "change:overall_rating")
    assert hidden_fields(changed.content.decode())["form_token"] == journey["form_token"]
    clock.offset = 4.0
    again = post(
        client, {**data, "overall_rating": "2"}, hidden_fields(changed.content.decode()), "review"
    )
    assert again.status_code == 200, again.content.decode()[:500]
    clock.offset = 4.2
    sent = post(
        client, {**data, "overall_rating": "2"}, hidden_fields(again.content.decode()), "submit"
    )
    assert sent.status_code == 303
    assert Evaluation.objects.get().overall_rating == 2


def test_too_fast_once_is_not_too_fast_twice(client: Client, evaluation_form, clock):
    """A refusal keeps the page's own token: the next click, a moment later, goes through."""
    journey = start(client, EVAL_URL)
    data = evaluation_data(**EXTRA)
    clock.offset = 1
    refused = post(client, data, journey, "review")
    assert refused.status_code == 400
    assert 'value="01001012345"' in refused.content.decode()  # the answers are kept
    clock.offset = 3.1
    assert post(client, data, hidden_fields(refused.content.decode()), "review").status_code == 200


def test_an_expired_page_gets_a_token_that_is_not_too_fast(
    client: Client, evaluation_form, clock, settings
):
    journey = start(client, EVAL_URL)
    data = evaluation_data(**EXTRA)
    clock.offset = protection.form_max_age_seconds() + 60
    refused = post(client, data, journey, "review")
    assert refused.status_code == 400
    assert "The form was open for a long time" in refused.content.decode()
    clock.offset += 0.5  # the resident presses Continue again at once
    checked = post(client, data, hidden_fields(refused.content.decode()), "review")
    assert checked.status_code == 200
    sent = post(client, data, hidden_fields(checked.content.decode()), "submit")
    assert sent.status_code == 303


@pytest.mark.parametrize("seconds", [3.0, 3.5, 5, 30, 600, 5 * 3600])
def test_an_honest_journey_is_never_refused(client: Client, evaluation_form, clock, seconds):
    """Whatever the pace from three seconds on: Continue, Change, Continue, Send."""
    journey = start(client, EVAL_URL)
    data = evaluation_data(**EXTRA)
    steps = [("review", seconds), ("change:personal_number", 0.1), ("review", 0.1), ("submit", 0.1)]
    for action, pause in steps:
        clock.offset += pause
        response = post(client, data, journey, action)
        assert response.status_code in (200, 303), (action, response.status_code)
        if response.status_code == 200:
            journey = hidden_fields(response.content.decode())
    assert response.status_code == 303
    assert Evaluation.objects.count() == 1


def test_every_page_with_a_personal_number_is_never_cached(client: Client, evaluation_form, clock):
    journey = start(client, EVAL_URL)
    data = evaluation_data(**EXTRA)
    clock.offset = 5
    pages = {
        "questions with errors": post(client, {**data, "overall_rating": ""}, journey, "review"),
        "check answers": post(client, data, journey, "review"),
        "change": post(client, data, journey, "change:personal_number"),
        "honeypot": post(client, {**data, "website": "x"}, journey, "review"),
    }
    for name, response in pages.items():
        assert "01001012345" in response.content.decode(), name
        assert response["Cache-Control"] == NO_STORE, name
    sent = post(client, data, journey, "submit")
    assert sent["Cache-Control"] == NO_STORE
    assert client.get(sent["Location"])["Cache-Control"] == NO_STORE


def test_spent_tokens_are_purged_once_too_old_to_pass(settings):
    token = issue_form_token()
    assert spend_form_token(token) is True
    assert spend_form_token(token) is False
    assert purge_used_tokens() == 0  # still young: it must stay spent
    later = time.time() + protection.form_max_age_seconds() + 120
    assert purge_used_tokens(dry_run=True, now=later) == 1
    assert purge_used_tokens(now=later) == 1
    assert not UsedFormToken.objects.exists()


def test_the_purge_command_purges_spent_tokens(settings):
    UsedFormToken.objects.create(token_hash="a" * 64)
    UsedFormToken.objects.update(
        used_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)
    )
    out = StringIO()
    call_command("purge_rate_limits", stdout=out)
    assert "Deleted 1 spent form tokens." in out.getvalue()
    assert not UsedFormToken.objects.exists()


def test_the_scheduled_job_purges_spent_tokens_as_the_command_does(settings):
    """Production runs the job, never the command: the job must delete old tokens too."""
    from cms.core.scheduler import run_scheduled_jobs

    UsedFormToken.objects.create(token_hash="a" * 64)
    UsedFormToken.objects.update(
        used_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)
    )
    young = issue_form_token()
    spend_form_token(young)

    report = run_scheduled_jobs(["purge_rate_limits"])

    assert [outcome.ok for outcome in report.outcomes] == [True]
    assert "1 spent form tokens deleted" in report.outcomes[0].summary
    assert list(UsedFormToken.objects.values_list("token_hash", flat=True)) == [
        protection._token_hash(young)
    ]
    assert spend_form_token(young) is False  # the young token stays spent


def test_stored_tokens_are_hashes():
    token = issue_form_token()
    spend_form_token(token)
    stored = UsedFormToken.objects.get().token_hash
    assert re.fullmatch(r"[0-9a-f]{64}", stored) and token not in stored


def concurrently(count: int, send) -> list:
    """Run `send(index)` in `count` threads released at the same moment."""
    barrier = threading.Barrier(count, timeout=20)

    def run(index: int):
        try:
            barrier.wait()
            return send(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return [future.result(timeout=60) for future in [pool.submit(run, n) for n in range(count)]]


@pytest.mark.django_db(transaction=True)
def test_one_token_sends_once_even_when_sent_at_the_same_moment(evaluation_form, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; real concurrency is checked on PostgreSQL")
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    settings.FEEDBACK_RATE_LIMITS = {"ip": (100, 3600), "person": (100, 86400)}
    journey = start(Client(), EVAL_URL)
    data = evaluation_data(**EXTRA)

    def send(index: int) -> int:
        other = {**journey, "idempotency_key": f"{index + 1:032x}"}
        return Client().post(EVAL_URL, {**data, **other, "action": "submit"}).status_code

    statuses = concurrently(6, send)
    assert sorted(statuses) == [303, 400, 400, 400, 400, 400]
    assert Evaluation.objects.count() == 1
    assert UsedFormToken.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_first_evaluations_at_the_same_moment_count_once(evaluation_form, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; real concurrency is checked on PostgreSQL")
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    settings.FEEDBACK_RATE_LIMITS = {"ip": (100, 3600), "person": (100, 86400)}
    data = evaluation_data(**EXTRA)
    journeys = [start(Client(), EVAL_URL) for _ in range(4)]

    def send(index: int) -> int:
        return Client().post(EVAL_URL, {**data, **journeys[index], "action": "submit"}).status_code

    assert concurrently(4, send) == [303] * 4
    assert Evaluation.objects.count() == 4
    assert Evaluation.objects.filter(repeat_of__isnull=True).count() == 1
    first = Evaluation.objects.get(repeat_of__isnull=True)
    assert set(Evaluation.objects.exclude(pk=first.pk).values_list("repeat_of", flat=True)) == {
        first.pk
    }


@pytest.mark.django_db(transaction=True)
def test_a_send_whose_insert_is_retried_spends_its_token_once(evaluation_form, settings):
    """The token is spent in the insert's own transaction (no savepoint, issue 13): a drawn
    reference that is already taken rolls the token back with the insert, and the retry
    spends it again and stores the evaluation once."""
    from unittest import mock

    from feedback_forms import intake
    from feedback_forms.tests.factories import EvaluationFactory

    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    taken = EvaluationFactory(program=evaluation_form.get_parent().specific).reference
    drawn = iter([taken, "E777-7777"])
    client = Client()
    journey = start(client, EVAL_URL)
    data = evaluation_data(**EXTRA)
    with mock.patch.object(intake, "new_reference", side_effect=lambda: next(drawn)):
        response = post(client, data, journey, "submit")
    assert response.status_code == 303
    assert Evaluation.objects.filter(reference="E777-7777").count() == 1
    assert Evaluation.objects.count() == 2
    assert UsedFormToken.objects.count() == 1
    again = post(Client(), data, {**journey, "idempotency_key": "f" * 32}, "submit")
    assert again.status_code == 400  # the page's token sent its one submission
    assert Evaluation.objects.count() == 2
