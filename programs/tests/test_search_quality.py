"""The 30 resident queries: the chosen approach finds the most, and the site and the API run
exactly the chosen approach on this database (SQLite and PostgreSQL)."""

import re

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.search import filter_by_query, matching
from programs.tests import search_quality

pytestmark = pytest.mark.django_db

CHOSEN = "stemmer + prefix"


def index_slugs(client: Client, language: str, query: str) -> set[str]:
    prefix = "/en" if language == "en" else ""
    response = client.get(f"{prefix}/programs/", {"q": query})
    assert response.status_code == 200
    return set(
        re.findall(
            r'class="program-card__title"><a href="/(?:en/)?programs/([^/]+)/"',
            response.content.decode(),
        )
    )


def api_slugs(client: Client, language: str, query: str) -> set[str]:
    response = client.get("/api/v2/programs/", {"locale": language, "search": query, "limit": 20})
    assert response.status_code == 200, response.content
    return {item["meta"]["slug"] for item in response.json()["items"]}


def test_print_precision_and_recall_of_each_approach(demo_programs) -> None:
    rows = search_quality.scores()
    print(f"\nProgram search, 30 resident queries ({connection.vendor}):")
    print(search_quality.table(rows))
    chosen = next(row for row in rows if row.approach == CHOSEN)
    assert chosen.recall == max(row.recall for row in rows)
    assert chosen.f1 == max(row.f1 for row in rows)


def test_the_site_and_the_api_run_the_chosen_approach(client: Client, demo_programs) -> None:
    for item in search_quality.load_queries():
        language, query = item["language"], item["query"]
        expected = matching(CHOSEN, query, search_quality.documents(language))
        assert index_slugs(client, language, query) == expected, query
        assert api_slugs(client, language, query) == expected, query


@pytest.mark.parametrize(
    ("language", "query", "slug"),
    [
        ("ka", "გზა", "rural-roads"),
        ("ka", "ბაღი", "kindergartens"),
        ("ka", "წყალი", "drinking-water"),
        ("en", "road", "rural-roads"),
    ],
)
def test_inflected_words_are_found(client: Client, demo_programs, language, query, slug) -> None:
    assert slug in index_slugs(client, language, query)
    assert slug in api_slugs(client, language, query)


@pytest.mark.postgresql
def test_postgresql_matches_georgian_stems(client: Client, demo_programs) -> None:
    assert connection.vendor == "postgresql"
    assert index_slugs(client, "ka", "გზა") == {"rural-roads"}
    assert index_slugs(client, "ka", "ბაღი") == {"kindergartens"}


GEORGIAN_LETTERS = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    query=st.text(
        alphabet=st.sampled_from([*GEORGIAN_LETTERS, *"roadwater", " ", "%", "_", "'", "\\", "-"]),
        max_size=40,
    )
)
def test_any_query_finds_in_the_database_what_the_measured_approach_finds(
    demo_programs, query: str
) -> None:
    """Whatever a resident types (SQL wildcards and quotes included), the database's LIKE
    matching equals the measured matcher recomputed in Python over the same programs."""
    for language in ("ka", "en"):
        found = set(
            filter_by_query(search_quality.programs_in(language), query).values_list(
                "slug", flat=True
            )
        )
        assert found == matching(CHOSEN, query, search_quality.documents(language))
