"""Open data as JSON (/api/v1/): commitments, program ratings and published reports; the same
k-anonymity as the pages, nothing personal, and 4xx JSON (never a 500) for bad requests."""

import datetime
from typing import Any

import pytest
from django.test import Client

from feedback_forms.models import Need, Status
from feedback_forms.tests.factories import NeedFactory
from programs.tests.factories import ProgramPageFactory
from reports.aggregation import compute_figures
from reports.models import BudgetCommitment, ResultsReport
from reports.tests.factories import (
    BudgetCommitmentFactory,
    ProgressNoteFactory,
    ReportingPeriodFactory,
    ResultsReportFactory,
    evaluate,
    results_pages,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
CODE = "2026-H1"


@pytest.fixture
def programs(evaluation_form):
    roads = evaluation_form.get_parent().specific
    water = ProgramPageFactory(parent=roads.get_parent(), slug="water", title="სასმელი წყალი")
    return roads, water


@pytest.fixture
def report(site_content, programs) -> ResultsReport:
    """Published 2026-H1: roads rated by 5 residents, water by 4."""
    results_pages(site_content)
    roads, water = programs
    for rating in (5, 4, 4, 3, 2):
        evaluate(roads, rating)
    for rating in (5, 5, 5, 1):
        evaluate(water, rating)
    return ResultsReportFactory(
        period=ReportingPeriodFactory(budget_year=2026, half=1),
        figures=compute_figures(CODE, today=datetime.date(2026, 7, 10)),
    )


@pytest.fixture
def commitments(report):
    need = NeedFactory(
        status=Status.ASSIGNED, contact_email="resident@example.com", title="პირადი სათაური"
    )
    spam = NeedFactory(status=Status.SPAM)
    lighting = BudgetCommitmentFactory(
        title_ka="ქუჩის განათება",
        title_en="Street lighting",
        report=report,
        budget_year=2027,
        estimated_cost="120000.50",
        needs=[need, spam],
    )
    ProgressNoteFactory(commitment=lighting)
    dropped = BudgetCommitmentFactory(budget_year=2028, status=BudgetCommitment.Status.DROPPED)
    pending_report = ResultsReportFactory(
        period=ReportingPeriodFactory(budget_year=2026, half=2),
        status=ResultsReport.Status.REVIEWED,
    )
    pending = BudgetCommitmentFactory(
        report=pending_report, title_en="Decided, report not yet published", budget_year=2027
    )
    return {"lighting": lighting, "dropped": dropped, "pending": pending, "need": need}


def get(client: Client, path: str, **headers: str) -> Any:
    return client.get(f"{API}{path}", headers=headers)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["message"] and isinstance(body["errors"], dict)
    return body


# --- Commitments ------------------------------------------------------------------------------


def test_commitments(client: Client, commitments) -> None:
    response = get(client, "/commitments", **{"Accept-Language": "en"})
    assert response.status_code == 200
    items = response.json()
    assert [item["budget_year"] for item in items] == [2028, 2027, 2027]  # newest year first
    lighting = next(item for item in items if item["id"] == commitments["lighting"].pk)
    need = commitments["need"]
    assert lighting["title_ka"] == "ქუჩის განათება" and lighting["title_en"] == "Street lighting"
    assert lighting["status"] == "in_draft_budget"
    assert lighting["status_text"] == "In the draft budget"
    assert lighting["estimated_cost"] == "120000.50"
    assert lighting["report_period"] == CODE
    assert lighting["service"]["code"] == commitments["lighting"].service.slug
    assert set(lighting["service"]) == {"code", "name", "name_ka", "name_en"}
    assert lighting["needs_count"] == 1  # the spam need is left out
    assert lighting["needs"] == [
        {
            "reference": need.reference,
            "status": "assigned",
            "status_text": "Passed to the responsible City Hall service",
        }
    ]
    assert lighting["progress_notes"] == [
        {
            "date": "2026-11-01",
            "text_ka": "ბიუჯეტის პროექტში შევიდა.",
            "text_en": "Included in the draft budget.",
        }
    ]


def test_commitments_carry_nothing_personal(client: Client, commitments) -> None:
    from django.contrib.auth import get_user_model

    author = get_user_model().objects.create_user("note.author", "author@example.com")
    BudgetCommitment.objects.update(created_by=author)
    commitments["lighting"].progress_notes.update(author=author)
    body = get(client, "/commitments").content.decode()
    need = commitments["need"]
    for private in (
        "resident@example.com",
        "პირადი სათაური",
        need.person_digest,
        "note.author",
        "author@example.com",
        "created_by",
        "author",
    ):
        assert private not in body


def test_commitments_are_listed_before_their_report_is_published(
    client: Client, commitments
) -> None:
    pending = next(
        item
        for item in get(client, "/commitments").json()
        if item["id"] == commitments["pending"].pk
    )
    assert (
        pending["report_period"] == "2026-H2"
        and pending["title_en"] == "Decided, report not yet published"
    )


def test_commitment_filters(client: Client, commitments) -> None:
    by_year = get(client, "/commitments?budget_year=2027").json()
    assert {item["id"] for item in by_year} == {
        commitments["lighting"].pk,
        commitments["pending"].pk,
    }
    dropped = get(client, "/commitments?status=dropped").json()
    assert [item["id"] for item in dropped] == [commitments["dropped"].pk]
    assert get(client, "/commitments?budget_year=2027&status=dropped").json() == []
    assert get(client, "/commitments?budget_year=2030").json() == []


@pytest.mark.parametrize(
    "query",
    [
        "budget_year=abc",
        "budget_year=1",
        "budget_year=99999999999999999999999",
        "budget_year=2027.5",
        "status=done",
        "status=DROPPED",
        "status=",
    ],
)
def test_bad_filters_are_422_json(client: Client, commitments, query: str) -> None:
    body = assert_error(get(client, f"/commitments?{query}"), 422, "invalid")
    assert list(body["errors"]) == [query.split("=")[0]]


def test_empty_budget_year_is_not_a_server_error(client: Client, commitments) -> None:
    assert get(client, "/commitments?budget_year=").status_code in (200, 422)


# --- Program ratings --------------------------------------------------------------------------


def test_program_ratings_are_k_anonymous(client: Client, report, programs) -> None:
    roads, water = programs
    body = get(client, f"/programs/{roads.pk}/ratings").json()
    assert body["min_responses"] == 5
    assert body["program"]["id"] == roads.pk
    [period] = body["periods"]
    assert period["period"] == CODE and period["count"] == 5 and period["shown"] is True
    assert period["mean"] == 3.6
    assert period["distribution"] == {"1": 0, "2": 1, "3": 1, "4": 2, "5": 1}
    [withheld] = get(client, f"/programs/{water.pk}/ratings").json()["periods"]
    assert withheld == {
        "period": CODE,
        "published": withheld["published"],
        "count": 4,
        "shown": False,
        "mean": None,
        "distribution": None,
    }


def test_program_ratings_by_english_page_id(client: Client, report, programs) -> None:
    roads, _water = programs
    english = roads.get_translations().get(locale__language_code="en")
    body = get(client, f"/programs/{english.pk}/ratings", **{"Accept-Language": "en"}).json()
    assert body["periods"][0]["count"] == 5 and body["periods"][0]["mean"] == 3.6
    assert body["program"]["id"] == english.pk


def test_program_ratings_threshold_from_settings(client: Client, report, programs, settings):
    settings.FEEDBACK_PUBLIC_MIN_RESPONSES = 4
    _roads, water = programs
    [period] = get(client, f"/programs/{water.pk}/ratings").json()["periods"]
    assert period["shown"] is True and period["mean"] == 4.0


def test_program_ratings_list_only_published_periods(client: Client, report, programs) -> None:
    roads, _water = programs
    evaluate(roads, 1, period="2026-H2")
    ResultsReportFactory(
        period=ReportingPeriodFactory(budget_year=2026, half=2),
        status=ResultsReport.Status.SENT,
        figures=compute_figures("2026-H2"),
    )
    periods = get(client, f"/programs/{roads.pk}/ratings").json()["periods"]
    assert [period["period"] for period in periods] == [CODE]


def test_ratings_of_a_program_without_evaluations(client: Client, report, program_index) -> None:
    quiet = ProgramPageFactory(parent=program_index, slug="quiet")
    [period] = get(client, f"/programs/{quiet.pk}/ratings").json()["periods"]
    assert period["count"] == 0 and period["shown"] is False and period["mean"] is None


@pytest.mark.parametrize("page_id", ["0", "-3", "2147483648", "99999999999999999999999"])
def test_ratings_of_impossible_ids_are_404(client: Client, report, page_id: str) -> None:
    assert get(client, f"/programs/{page_id}/ratings").status_code in (404, 422)


def test_ratings_of_a_page_that_is_not_a_program_are_404(
    client: Client, report, site_content, programs
) -> None:
    assert_error(get(client, f"/programs/{site_content['ka'].pk}/ratings"), 404, "not_found")
    assert_error(get(client, "/programs/987654/ratings"), 404, "not_found")
    roads, _water = programs
    roads.unpublish()
    assert_error(get(client, f"/programs/{roads.pk}/ratings"), 404, "not_found")


def test_ratings_of_a_non_integer_id_are_422(client: Client, report) -> None:
    assert_error(get(client, "/programs/abc/ratings"), 422, "invalid")


# --- Reports ----------------------------------------------------------------------------------


def test_reports_lists_only_published_ones(client: Client, report) -> None:
    for half, status in ((2, ResultsReport.Status.REVIEWED), (1, ResultsReport.Status.DRAFT)):
        ResultsReportFactory(
            period=ReportingPeriodFactory(budget_year=2027 if half == 2 else 2025, half=half),
            status=status,
        )
    ResultsReportFactory(period=ReportingPeriodFactory(budget_year=2025, half=2))
    body = get(client, "/reports", **{"Accept-Language": "en"}).json()
    assert [item["period"] for item in body] == [CODE, "2025-H2"]
    first = body[0]
    assert first["totals"] == {
        "evaluations": 9,
        "mean_rating": 3.78,
        "needs": 0,
        "answered": 0,
        "open": 0,
        "overdue": 0,
        "median_days": None,
    }
    assert first["starts_on"] == "2026-01-01" and first["ends_on"] == "2026-06-30"
    assert first["review_meeting_on"] == "2026-09-15"
    assert first["url"] == "http://testserver/en/results/2026-H1/"
    assert body[1]["totals"]["mean_rating"] is None  # no evaluations: below the threshold


def test_reports_without_a_results_page(client: Client, programs) -> None:
    ResultsReportFactory()
    [item] = get(client, "/reports").json()
    assert item["url"] is None


# --- Safety -----------------------------------------------------------------------------------


def test_staff_text_cannot_become_html(client: Client, commitments) -> None:
    BudgetCommitment.objects.filter(pk=commitments["lighting"].pk).update(
        title_ka="<script>alert(1)</script>"
    )
    body = get(client, "/commitments").content.decode()
    assert "<script>" not in body and "\\u003cscript\\u003e" in body


def test_open_data_is_read_only(client: Client, commitments) -> None:
    assert client.post(f"{API}/commitments", data={}).status_code == 405


def test_need_statuses_are_public_ones_in_georgian_by_default(client: Client, commitments):
    from django.utils import translation

    from feedback_forms.public_status import PUBLIC_STATUS_TEXT

    Need.objects.filter(pk=commitments["need"].pk).update(status=Status.RESOLVED)
    [lighting] = [
        item
        for item in get(client, "/commitments?budget_year=2027").json()
        if item["id"] == commitments["lighting"].pk
    ]
    with translation.override("ka"):
        expected = str(PUBLIC_STATUS_TEXT[Status.RESOLVED])
    assert lighting["needs"][0] == {
        "reference": commitments["need"].reference,
        "status": "resolved",
        "status_text": expected,
    }


@pytest.mark.urls("cms.urls")
def test_the_site_api_serves_open_data_once_mounted(client: Client, commitments) -> None:
    from cms.api_v1 import api_v1
    from reports.api import router

    if not any(mounted is router for _prefix, mounted in api_v1._routers):
        pytest.skip("cms.api_v1 does not mount reports.api.router yet")
    assert [item["budget_year"] for item in get(client, "/commitments").json()] == [
        2028,
        2027,
        2027,
    ]
    assert get(client, "/reports").json()[0]["period"] == CODE


# --- Contract ---------------------------------------------------------------------------------

CONTRACT_EXAMPLES = 25


def fuzz(operation, mode, **fixed: Any) -> None:
    """Send up to CONTRACT_EXAMPLES generated requests (the same on every run) and check that
    none is a server error and every answer is the documented one."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hypothesis_settings
    from schemathesis import checks

    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @hypothesis_settings(
        max_examples=CONTRACT_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def send(case: schemathesis.Case) -> None:
        case.call_and_validate(
            checks=[
                checks.not_a_server_error,
                checks.status_code_conformance,
                checks.content_type_conformance,
                checks.response_headers_conformance,
                checks.response_schema_conformance,
                checks.negative_data_rejection,
            ]
        )

    send()


def test_open_data_keeps_its_documented_contract(commitments, programs) -> None:
    """Generated requests, valid and invalid, never cause a 500 and every answer matches the
    OpenAPI document (as feedback_forms' contract test does for the submission API)."""
    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections
    from schemathesis import GenerationMode

    # Keep the WSGI app from closing the test's connection (and rolling its data back).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
        open_data = {"/api/v1/commitments", "/api/v1/programs/{page_id}/ratings", "/api/v1/reports"}
        operations = [
            operation
            for operation in (result.ok() for result in schema.get_all_operations())
            if operation.path in open_data
        ]
        assert {operation.path for operation in operations} == open_data
        for operation in operations:
            fuzz(operation, GenerationMode.POSITIVE)
            if any(operation.iter_parameters()):
                fuzz(operation, GenerationMode.NEGATIVE)
        ratings = schema["/api/v1/programs/{page_id}/ratings"]["GET"]
        for program in programs:
            fuzz(ratings, GenerationMode.POSITIVE, path_parameters={"page_id": program.pk})
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
