"""The API keeps its published contract: Schemathesis generates requests from
/api/v1/openapi.json, sends them to the Django WSGI app in-process, and checks that no request
is a server error and that every response (status, content type, headers, body) is documented.

Driven from plain test functions instead of Schemathesis' pytest plugin, so pytest-django's
database fixtures provide the forms; generation is derandomized and small, so CI is stable.
"""

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
from schemathesis import GenerationMode, checks
from schemathesis.schemas import APIOperation, BaseSchema

from feedback_forms.tests.test_api import evaluation_body, need_body

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]


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


def test_every_operation_keeps_its_contract_with_generated_requests(
    api_schema: BaseSchema, evaluation_form
) -> None:
    program_id = evaluation_form.get_parent().pk
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 9
    for operation in operations:
        fuzz(operation, GenerationMode.POSITIVE)
        if operation.body or any(operation.iter_parameters()):  # else nothing can be invalid
            fuzz(operation, GenerationMode.NEGATIVE)
    # Generated ids hardly ever name a real program: ask about the real one as well.
    for path in ("/api/v1/programs/{page_id}/evaluation-form", "/api/v1/evaluations"):
        operation = api_schema[path]["GET" if "{" in path else "POST"]
        fixed = {"path_parameters": {"page_id": program_id}} if "{" in path else {}
        fuzz(operation, GenerationMode.POSITIVE, **fixed)


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
