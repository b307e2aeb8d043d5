"""Queries and write transactions of one submission (issue 13, item 2): the web's final "Send"
and the API's POST, of an evaluation and of a need, counted as `bench/inproc.py` counts them.

Transactional tests, so a commit is a real commit: a write transaction is an autocommitted
write or a commit after writes. The second submission of each kind is counted, after one that
warms the caches, and every guard still runs (the counters, the token, the idempotency key,
the beneficiary list, the earlier evaluation, the insert, the receipt queued on commit).
"""

import json
import os
import traceback
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from feedback_forms.models import Evaluation, Need
from feedback_forms.tests.factories import evaluation_data, need_data
from feedback_forms.tests.journey import hidden_fields
from feedback_forms.tests.test_api import evaluation_body, need_body
from programs.models import ProgramCategory, Settlement

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("instant_forms")]

EVAL_URL = "/programs/rural-roads/evaluation/"
NEED_URL = "/report-a-need/"
EXTRA = {"ramdenad_martivi_iqo": "5", "ra_unda_gaumjobesdes": "მეტი ინფორმაცია"}
# (queries on SQLite, on PostgreSQL; write transactions) reached in issue 13, item 2, from
# 46/42/39/39 queries and 4/4/3/3 write transactions on SQLite (web evaluation, web need, API
# evaluation, API need). Since then: the idempotency key in one statement; the site root finds
# a page by its URL path in one query (cms.core.routing); the reference data and the default
# locale read once per request (cms.core.request_memo); Wagtail's reference index written
# from the instance in the insert's transaction; the references a browser sent kept in a
# signed cookie, not a new session row (feedback_forms.sent_by_browser); both rate-limit
# counters in one upsert, outside any transaction of its own (protection.DatabaseRateLimiter.
# hit_all); the web's time-trap token spent in the insert's own transaction, so the insert
# needs no savepoint (intake.submit's ``first_in_transaction``); the Georgian program, the
# beneficiary list and the counted evaluation in one statement (querysets.evaluation_facts);
# a page's view restrictions in one query (cms.core.querysets.view_restrictions). The issue's
# 12 is met by the API evaluation on both engines; most of the rest is Wagtail's serve (site,
# active locale, the root's specific row, the path, the form's specific row, view
# restrictions: 6), the reference data a need names (3) and the insert with the reference
# index (3) (bench/README.md).
BUDGETS = {
    "web_evaluation": (16, 15, 2),
    "web_need": (18, 17, 2),
    "api_evaluation": (12, 11, 2),
    "api_need": (14, 13, 2),
}
PROJECT = str(settings.BASE_DIR)
NUMBERS = iter(f"0100101{n:04d}" for n in range(2345, 9999))


class Counter:
    """Every statement, and how many transactions wrote something (as bench/inproc.py)."""

    def __init__(self) -> None:
        self.queries: list[str] = []
        self.write_transactions = 0
        self._wrote_in_atomic = False

    def __call__(self, execute, sql, params, many, context):
        origin = ""
        if os.environ.get("QUERY_TRACE"):
            frames = [
                f"{f.filename.rsplit('/', 2)[-2]}/{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                for f in traceback.extract_stack()
                if f.filename.startswith(PROJECT)
                and "/tests/" not in f.filename
                and ".venv" not in f.filename
            ]
            origin = " <- " + " < ".join(reversed(frames[-4:]))
        self.queries.append(sql[:160] + origin)
        verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if verb in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            if connection.in_atomic_block:
                self._wrote_in_atomic = True
            else:
                self.write_transactions += 1
        return execute(sql, params, many, context)

    def committed(self) -> None:
        if self._wrote_in_atomic:
            self.write_transactions += 1
        self._wrote_in_atomic = False


def counted(request: Callable[[], Any]) -> tuple[Counter, Any]:
    counter = Counter()
    original = connection.commit

    def commit() -> None:
        original()
        counter.committed()

    connection.commit = commit
    try:
        with connection.execute_wrapper(counter):
            response = request()
    finally:
        del connection.commit
    if os.environ.get("QUERY_TRACE"):
        print(f"\n{len(counter.queries)} queries, {counter.write_transactions} write transactions")
        for number, sql in enumerate(counter.queries, 1):
            print(f"{number:3d} {sql}")
    return counter, response


def web_send(url: str, data: Callable[[], dict]) -> tuple[Counter, Any]:
    def journey() -> Callable[[], Any]:
        """A fresh browser's questions and check answers; returns its "Send"."""
        client = Client(REMOTE_ADDR="127.0.0.1")
        answers = data()
        hidden = hidden_fields(client.get(url).content.decode())
        checked = client.post(url, {**answers, **hidden, "action": "review"})
        assert checked.status_code == 200
        fields = hidden_fields(checked.content.decode())
        return lambda: client.post(url, {**answers, **fields, "action": "submit"})

    assert journey()().status_code == 303  # the first one warms the caches
    return counted(journey())


def api_post(path: str, body: Callable[[], dict]) -> tuple[Counter, Any]:
    client = Client(REMOTE_ADDR="127.0.0.1")

    def post(key: str, payload: str):
        return client.post(
            path, data=payload, content_type="application/json", headers={"Idempotency-Key": key}
        )

    assert post("warm-0001", json.dumps(body())).status_code == 201
    payload = json.dumps(body())  # the test's own queries for the body are not the request's
    return counted(lambda: post("count-0001", payload))


def within_budget(kind: str, counter: Counter, response: Any, status: int) -> None:
    assert response.status_code == status, response.content[:500]
    on_sqlite, on_postgresql, write_transactions = BUDGETS[kind]
    budget = on_sqlite if connection.vendor == "sqlite" else on_postgresql
    assert len(counter.queries) <= budget, "\n".join(counter.queries)
    assert counter.write_transactions <= write_transactions


def test_web_evaluation(evaluation_form, django_capture_on_commit_callbacks) -> None:
    counter, response = web_send(
        EVAL_URL, lambda: evaluation_data(**EXTRA, personal_number=next(NUMBERS))
    )
    within_budget("web_evaluation", counter, response, 303)
    assert Evaluation.objects.count() == 2


def test_web_need(needs_form) -> None:
    settlement = Settlement.objects.get(name_en="Tskaltubo")
    category = ProgramCategory.objects.get(slug="infrastructure")
    counter, response = web_send(
        NEED_URL,
        lambda: need_data(
            settlement, category, personal_number=next(NUMBERS), ramden_adamians_ekheba="250"
        ),
    )
    within_budget("web_need", counter, response, 303)
    assert Need.objects.count() == 2


def test_api_evaluation(evaluation_form) -> None:
    program_id = evaluation_form.get_parent().pk
    counter, response = api_post(
        "/api/v1/evaluations",
        lambda: evaluation_body(program_id, personal_number=next(NUMBERS)),
    )
    within_budget("api_evaluation", counter, response, 201)
    assert Evaluation.objects.count() == 2


def test_api_need(needs_form) -> None:
    counter, response = api_post("/api/v1/needs", lambda: need_body(personal_number=next(NUMBERS)))
    within_budget("api_need", counter, response, 201)
    assert Need.objects.count() == 2
