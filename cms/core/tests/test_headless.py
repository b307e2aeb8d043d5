"""A front-end on another origin can use the APIs: CORS for the configured origins only, on
/api/v1/ and /api/v2/ only, preflight answered, credentials never allowed; every absolute URL
the APIs return starts with PUBLIC_BASE_URL."""

import pytest
from django.test import Client

from feedback_forms.tests.factories import evaluation_data

pytestmark = pytest.mark.django_db

FRONT_END = "http://localhost:3000"
PUBLIC = "https://feedback.tskaltubo.example"


@pytest.fixture
def cors(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONT_END]
    settings.PUBLIC_BASE_URL = PUBLIC
    return settings


def preflight(client: Client, path: str, origin: str = FRONT_END):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, idempotency-key, accept-language",
    )


@pytest.mark.parametrize("path", ["/api/v1/evaluations", "/api/v1/needs"])
def test_a_preflight_from_a_configured_origin_is_answered(client: Client, cors, path) -> None:
    response = preflight(client, path)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "POST" in response["Access-Control-Allow-Methods"]
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert "content-type" in allowed and "idempotency-key" in allowed
    assert "Access-Control-Allow-Credentials" not in response


def test_an_origin_not_configured_gets_no_cors_headers(client: Client, cors) -> None:
    response = preflight(client, "/api/v1/evaluations", origin="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in response
    get = client.get("/api/v2/programs/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in get


def test_nothing_is_allowed_when_no_origin_is_configured(client: Client, settings) -> None:
    settings.CORS_ALLOWED_ORIGINS = []
    response = preflight(client, "/api/v1/evaluations")
    assert "Access-Control-Allow-Origin" not in response


def test_the_public_pages_and_the_admin_never_answer_cross_origin(
    client: Client, cors, site_content
) -> None:
    for path in ("/", "/en/", "/admin/login/"):
        response = client.get(path, HTTP_ORIGIN=FRONT_END)
        assert "Access-Control-Allow-Origin" not in response, path


def test_the_page_api_answers_cross_origin_with_public_urls(
    client: Client, cors, demo_programs
) -> None:
    response = client.get("/api/v2/programs/?locale=en", HTTP_ORIGIN=FRONT_END)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "Access-Control-Allow-Credentials" not in response
    items = response.json()["items"]
    assert items
    for item in items:
        assert item["meta"]["html_url"].startswith(f"{PUBLIC}/en/programs/"), item["meta"]
    pages = client.get("/api/v2/pages/?locale=ka", HTTP_ORIGIN=FRONT_END).json()["items"]
    assert all(page["meta"]["html_url"].startswith(f"{PUBLIC}/") for page in pages)


def test_a_cross_origin_evaluation_is_stored_and_links_to_the_public_site(
    client: Client, cors, evaluation_form
) -> None:
    data = evaluation_data()
    body = {
        "program": evaluation_form.get_parent().pk,
        "citizen": True,
        "birth_date": "{}-{:0>2}-{:0>2}".format(
            data["birth_date_year"], data["birth_date_month"], data["birth_date_day"]
        ),
        "personal_number": data["personal_number"],
        "used_program": True,
        "used_on": "{}-{:0>2}-01".format(data["used_on_year"], data["used_on_month"]),
        "overall_rating": 4,
        "answers": {"ramdenad_martivi_iqo": 5},
        "consent": True,
    }
    response = client.post(
        "/api/v1/evaluations",
        body,
        content_type="application/json",
        HTTP_ORIGIN=FRONT_END,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 201, response.json()
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert response.json()["tracking_url"].startswith(f"{PUBLIC}/en/track/?reference=")
    form = client.get(
        f"/api/v1/programs/{evaluation_form.get_parent().pk}/evaluation-form",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    assert form["privacy_notice_url"].startswith(f"{PUBLIC}/en/")
