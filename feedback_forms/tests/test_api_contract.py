"""The API keeps its published contract: Schemathesis generates requests from
/api/v1/openapi.json, sends them to the Django WSGI app in-process, and runs every check it has
(issue 10, finding 10): no server error; every status, content type, header and body is
documented; what the schema allows is accepted (positive_data_acceptance) and what it forbids
is refused (negative_data_rejection), so the schema states exactly what the server refuses;
missing headers and undocumented methods are refused.

Each operation runs Schemathesis' three phases as its CLI does: the schema's examples, the
coverage phase (boundary values and each constraint broken in turn) and fuzzing. Driven from
plain test functions instead of Schemathesis' pytest plugin, so pytest-django's database
fixtures provide the forms; generation is derandomized, so CI is stable.
"""

import os
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as CHECK_REGISTRY
from schemathesis.checks import load_all_checks
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.pytest._test_builder import build_operation_test
from schemathesis.schemas import APIOperation, BaseSchema

from feedback_forms.api_support import IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN
from feedback_forms.models import Evaluation, Need
from feedback_forms.tests.test_api import evaluation_body, need_body

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "25"))
load_all_checks()
#: Every check Schemathesis has, as `st run --checks all` runs them.
CHECKS = CHECK_REGISTRY.get_all()


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI app, kept (like the test client) from closing the test's connection
    at the end of each request, which would roll back the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app: WSGIHandler, evaluation_form, needs_form) -> BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)


def fuzz(operation: APIOperation, mode: GenerationMode, **fixed: Any) -> None:
    """Send up to MAX_EXAMPLES generated requests, the same ones on every run."""

    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def send(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    send()


def all_phases(api_schema: BaseSchema, operation: APIOperation) -> Counter:
    """Examples, coverage and fuzzing for one operation, with every check on every case;
    returns how many responses of each status the cases got."""
    statuses: Counter = Counter()

    def check(case: schemathesis.Case) -> None:
        # Generated keys repeat ("0", "00"...): a reused key rightly answers 409 and hides the
        # body's own answer, so each well-formed key is made unique; malformed ones stay.
        key = (case.headers or {}).get(IDEMPOTENCY_KEY_HEADER)
        if isinstance(key, str) and re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key):
            case.headers[IDEMPOTENCY_KEY_HEADER] = uuid.uuid4().hex
        statuses[case.call_and_validate(checks=CHECKS).status_code] += 1

    test = build_operation_test(
        config=api_schema.config,
        operation=operation,
        test_func=check,
        given_kwargs={},
        feedback=FeedbackSources(),
        explicit_settings=hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            derandomize=not os.environ.get("CONTRACT_RANDOM"),
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    test()
    return statuses


def test_every_operation_passes_every_check_in_every_phase(
    api_schema: BaseSchema, evaluation_form, settings
) -> None:
    settings.FEEDBACK_RATE_LIMITS = {"ip": (10_000, 3600), "person": (10_000, 86400)}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 9
    seen = {operation.label: all_phases(api_schema, operation) for operation in operations}
    print({label: dict(statuses) for label, statuses in seen.items()})
    # The schema's valid bodies were stored and its invalid ones refused, on both POSTs.
    for label in ("POST /api/v1/evaluations", "POST /api/v1/needs"):
        assert seen[label][201] > 0, seen[label]
        assert seen[label][422] > 0, seen[label]
        assert seen[label][405] > 0, seen[label]  # the coverage phase tried other methods
    assert Evaluation.objects.exists() and Need.objects.exists()


def test_the_real_programs_forms_keep_their_contract(
    api_schema: BaseSchema, evaluation_form
) -> None:
    """Generated ids hardly ever name a real program: ask about the real ones as well."""
    program = evaluation_form.get_parent()
    english = program.get_translations().get()
    for path in (
        "/api/v1/programs/{page_id}/evaluation-form",
        "/api/v1/programs/{page_id}/ratings",
    ):
        for page_id in (program.pk, english.pk):
            operation = api_schema[path]["GET"]
            fuzz(operation, GenerationMode.POSITIVE, path_parameters={"page_id": page_id})


def test_documented_answers_to_real_submissions(api_schema: BaseSchema, evaluation_form) -> None:
    """The success, retry, repeat and tracking responses match their schemas too."""
    program_id = evaluation_form.get_parent().pk
    evaluations = api_schema["/api/v1/evaluations"]["POST"]
    needs = api_schema["/api/v1/needs"]["POST"]
    tracking = api_schema["/api/v1/submissions/{reference}"]["GET"]
    key = {"Idempotency-Key": "contract-1"}

    created = evaluations.Case(body=evaluation_body(program_id), headers=key).call_and_validate(
        checks=CHECKS
    )
    assert created.status_code == 201
    retried = evaluations.Case(body=evaluation_body(program_id), headers=key).call_and_validate(
        checks=CHECKS
    )
    assert retried.status_code == 200
    repeat = evaluations.Case(body=evaluation_body(program_id)).call_and_validate(checks=CHECKS)
    assert (repeat.status_code, repeat.json()["outcome"]) == (201, "repeat")
    need = needs.Case(body=need_body(), headers={"Accept-Language": "en"}).call_and_validate(
        checks=CHECKS
    )
    assert need.status_code == 201
    for response in (created, need):
        reference = response.json()["reference"]
        shown = tracking.Case(path_parameters={"reference": reference}).call_and_validate(
            checks=CHECKS
        )
        assert shown.status_code == 200
    for path in ("/api/v1/needs-form", "/api/v1/programs/{page_id}/evaluation-form"):
        operation = api_schema[path]["GET"]
        parameters = {"page_id": program_id} if "{" in path else None
        shown = operation.Case(path_parameters=parameters).call_and_validate(checks=CHECKS)
        assert shown.status_code == 200
