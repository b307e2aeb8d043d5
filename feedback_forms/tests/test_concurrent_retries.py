"""A retry that arrives while the first attempt is still in flight (a double click, a client's
own timeout-and-retry) gets the first attempt's result: never a refusal, never a second row
(issue 13, point 3). Two real requests in two threads, on the real database of the run
(SQLite or PostgreSQL); the first one is held inside its transaction, after its insert, until
the second has started, so the second always arrives while the first is in flight."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client

from feedback_forms.models import Evaluation
from feedback_forms.tests.factories import evaluation_data
from feedback_forms.tests.journey import hidden_fields
from feedback_forms.tests.test_api import evaluation_body

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("instant_forms")]
ROOT = Path(__file__).resolve().parents[2]


def shared_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.fixture(autouse=True)
def several_connections(request) -> None:
    """SQLite's shared in-memory test database locks whole tables between connections: there
    the threads run in `test_on_an_sqlite_file_as_the_embedded_default`, below."""
    if (
        shared_memory_sqlite()
        and request.node.name != "test_on_an_sqlite_file_as_the_embedded_default"
    ):
        pytest.skip("run on an SQLite file by test_on_an_sqlite_file_as_the_embedded_default")


EVAL_URL = "/en/programs/rural-roads/evaluation/"
EXTRA = {"ramdenad_martivi_iqo": "5", "ra_unda_gaumjobesdes": "მეტი ინფორმაცია"}
HOLD_SECONDS = 1.0


@pytest.fixture
def first_insert_waits() -> Iterator[threading.Event]:
    """Hold the first stored evaluation inside its transaction until `second_started` is set
    (or HOLD_SECONDS pass): the second request then races a write that is not committed yet."""
    second_started = threading.Event()
    held = threading.Lock()

    def hold(sender, instance, created, **kwargs) -> None:
        if created and held.acquire(blocking=False):
            second_started.wait(HOLD_SECONDS)
            threading.Event().wait(0.3)  # and a little longer, while the second one queries

    post_save.connect(hold, sender=Evaluation, weak=False)
    try:
        yield second_started
    finally:
        post_save.disconnect(hold, sender=Evaluation)


def in_two_threads(first: Callable[[], object], second: Callable[[], object], started) -> list:
    results: list = [None, None]
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            if index == 1:
                threading.Event().wait(0.2)  # the first is inside its transaction by now
                started.set()
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 -- reported by the test below
            errors.append(error)
        finally:
            connection.close()  # each thread's own connection

    threads = [
        threading.Thread(target=run, args=(n, call)) for n, call in enumerate((first, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_two_api_requests_with_one_key_store_once_and_both_get_the_reference(
    evaluation_form, first_insert_waits
) -> None:
    body = json.dumps(evaluation_body(evaluation_form.get_parent().pk))

    def post():
        return Client().post(
            "/api/v1/evaluations",
            data=body,
            content_type="application/json",
            headers={"Idempotency-Key": "double-click-1", "Accept-Language": "en"},
        )

    first, second = in_two_threads(post, post, first_insert_waits)
    assert sorted([first.status_code, second.status_code]) == [200, 201], (
        first.content,
        second.content,
    )
    assert first.json()["reference"] == second.json()["reference"]
    assert Evaluation.objects.count() == 1
    assert Evaluation.objects.get().repeat_of_id is None


def test_a_double_click_on_send_stores_once_and_both_clicks_see_the_confirmation(
    evaluation_form, first_insert_waits
) -> None:
    browser = Client()
    data = evaluation_data(**EXTRA)
    start = hidden_fields(browser.get(EVAL_URL).content.decode())
    checked = browser.post(EVAL_URL, {**data, **start, "action": "review"})
    fields = hidden_fields(checked.content.decode())
    again = Client()
    again.cookies = browser.cookies  # the same browser, the same session

    def click(client: Client) -> Callable[[], object]:
        return lambda: client.post(EVAL_URL, {**data, **fields, "action": "submit"})

    first, second = in_two_threads(click(browser), click(again), first_insert_waits)
    assert (first.status_code, second.status_code) == (303, 303), (
        first.content.decode()[:500],
        second.content.decode()[:500],
    )
    assert first["Location"] == second["Location"]
    assert Evaluation.objects.count() == 1
    assert Evaluation.objects.get().reference in first["Location"]


def test_on_an_sqlite_file_as_the_embedded_default(tmp_path: Path) -> None:
    """On SQLite, the two tests above run in a pytest of their own on a database file (WAL,
    IMMEDIATE transactions, busy timeout: the settings the site runs with)."""
    if not shared_memory_sqlite():
        pytest.skip("the tests above ran on this database's own connections")
    database_file = tmp_path / "concurrency.sqlite3"
    # The file starts as a copy of this worker's migrated database, and the run keeps it
    # (`--reuse-db`): migrating a second database from nothing would take most of the test's time.
    connection.ensure_connection()
    with sqlite3.connect(database_file) as copy:
        connection.connection.backup(copy)
    env = {**os.environ, "TEST_SQLITE_FILE": str(database_file), "PYTEST_XDIST_WORKER": ""}
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "--reuse-db", "-q", __file__]
        + ["-k", "not sqlite_file"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "2 passed" in run.stdout, run.stdout[-2000:]
