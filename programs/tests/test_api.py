"""The headless API: program payloads are a contract, checked against stored expectations.

Set UPDATE_API_SNAPSHOTS=1 to rewrite the files in expected/ after a deliberate change.
"""

import json
import os
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).parent / "expected"
VOLATILE_KEYS = {
    "id",
    "detail_url",
    "html_url",
    "first_published_at",
    "last_published_at",
    "parent",
}


def stable(payload):
    """Drop database ids and timestamps, which differ between runs and databases."""
    if isinstance(payload, dict):
        return {key: stable(value) for key, value in payload.items() if key not in VOLATILE_KEYS}
    if isinstance(payload, list):
        return [stable(item) for item in payload]
    return payload


def assert_matches_snapshot(payload, name: str) -> None:
    path = EXPECTED / f"{name}.json"
    actual = stable(payload)
    if os.environ.get("UPDATE_API_SNAPSHOTS"):
        path.write_text(
            json.dumps(actual, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    assert actual == json.loads(path.read_text(encoding="utf-8"))


def get_json(client: Client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


def test_listing_filtered_by_unit_matches_the_contract(client: Client, demo_programs) -> None:
    payload = get_json(client, "/api/v2/programs/?locale=ka&unit=05&order=title")
    assert_matches_snapshot(payload, "programs_ka_unit_05")


def test_detail_matches_the_contract(client: Client, demo_programs) -> None:
    listing = get_json(client, "/api/v2/programs/?locale=en&slug=rural-roads")
    detail = get_json(client, f"/api/v2/programs/{listing['items'][0]['id']}/")
    assert_matches_snapshot(detail, "program_en_rural_roads")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=water", {"drinking-water"}),
        ("status=planned", {"smallholder-farmers"}),
        ("year=2025", {"culture-and-sport"}),
        ("service=economy", {"smallholder-farmers"}),
        ("unit=14&category=water", {"drinking-water"}),
        ("search=water", {"drinking-water"}),
    ],
)
def test_filters(client: Client, demo_programs, query: str, expected: set[str]) -> None:
    payload = get_json(client, f"/api/v2/programs/?locale=en&fields=slug&{query}")
    assert {item["meta"]["slug"] for item in payload["items"]} == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("category=nope", "category"),
        ("unit=99", "unit"),
        ("status=open", "status"),
        ("year=twenty", "year"),
        ("colour=red", "query parameter is not an operation or a recognised field: colour"),
    ],
)
def test_bad_filters_get_400_with_the_parameter_named(
    client: Client, demo_programs, query: str, message: str
) -> None:
    payload = get_json(client, f"/api/v2/programs/?{query}", status=400)
    assert message in payload["message"]


def test_drafts_are_not_exposed(client: Client, demo_programs) -> None:
    from programs.models import ProgramPage

    ProgramPage.objects.get(slug="rural-roads", locale__language_code="ka").unpublish()
    payload = get_json(client, "/api/v2/programs/?locale=ka&fields=slug")
    assert "rural-roads" not in {item["meta"]["slug"] for item in payload["items"]}
