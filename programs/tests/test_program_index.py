"""The public program index: filters, search and pagination that work without JavaScript."""

import re

import pytest
from django.test import Client

from programs.models import ProgramPage
from programs.tests.factories import ProgramPageFactory

pytestmark = pytest.mark.django_db


def listed_titles(html: str) -> list[str]:
    return re.findall(r'class="program-card__title"><a href="[^"]+">([^<]+)</a>', html)


def listed_slugs(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return set(
        re.findall(
            r'class="program-card__title"><a href="/(?:en/)?programs/([^/]+)/"',
            response.content.decode(),
        )
    )


ALL_DEMO = {
    "social-assistance",
    "youth-initiatives",
    "rural-roads",
    "drinking-water",
    "kindergartens",
    "medicines-chronic-illness",
    "culture-and-sport",
    "smallholder-farmers",
}
MUNICIPALITY_WIDE = {
    "social-assistance",
    "youth-initiatives",
    "kindergartens",
    "medicines-chronic-illness",
}


def test_lists_every_published_program(client: Client, demo_programs) -> None:
    assert listed_slugs(client, "/programs/") == ALL_DEMO
    assert "8 programs found" in client.get("/en/programs/").content.decode()


def test_filter_by_category(client: Client, demo_programs) -> None:
    assert listed_slugs(client, "/programs/?category=water") == {"drinking-water"}


def test_filter_by_unit_includes_municipality_wide_programs(client: Client, demo_programs) -> None:
    assert listed_slugs(client, "/programs/?unit=05") == MUNICIPALITY_WIDE | {"rural-roads"}
    assert listed_slugs(client, "/programs/?unit=07") == MUNICIPALITY_WIDE | {"drinking-water"}


def test_filter_by_status_and_year(client: Client, demo_programs) -> None:
    assert listed_slugs(client, "/programs/?status=planned") == {"smallholder-farmers"}
    assert listed_slugs(client, "/programs/?year=2025") == {"culture-and-sport"}
    assert listed_slugs(client, "/programs/?status=active&unit=14") == MUNICIPALITY_WIDE | {
        "drinking-water"
    }


def test_search_in_georgian_finds_inflected_words(client: Client, demo_programs) -> None:
    assert listed_slugs(client, "/programs/?q=გზების") == {"rural-roads"}
    assert "kindergartens" in listed_slugs(client, "/programs/?q=საბავშვო")


def test_search_in_english(client: Client, demo_programs) -> None:
    assert listed_slugs(client, "/en/programs/?q=water") == {"drinking-water"}


def test_search_combines_with_filters(client: Client, demo_programs) -> None:
    assert listed_slugs(client, "/en/programs/?q=water&category=social") == set()
    html = client.get("/en/programs/?q=water&category=social").content.decode()
    assert "No programs match these filters" in html


def test_english_index_lists_the_english_translations(client: Client, demo_programs) -> None:
    titles = listed_titles(client.get("/en/programs/?unit=05").content.decode())
    assert "Rehabilitation of rural roads" in titles
    assert all(not re.search("[ა-ჰ]", title) for title in titles)


def test_invalid_filters_get_a_clear_message_not_an_error(client: Client, demo_programs) -> None:
    response = client.get("/en/programs/?category=nope&unit=99&status=open&year=abc&page=zzz")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters could not be applied" in html
    assert "This category does not exist." in html
    assert "This administrative unit does not exist." in html
    assert 'href="#id_category"' in html
    assert listed_slugs(client, "/programs/?category=nope") == ALL_DEMO


def test_invalid_filters_are_translated(client: Client, demo_programs) -> None:
    html = client.get("/programs/?category=nope").content.decode()
    assert "ეს კატეგორია არ არსებობს." in html


def test_very_long_search_is_refused_politely(client: Client, demo_programs) -> None:
    response = client.get("/en/programs/?q=" + "a" * 5000)
    assert response.status_code == 200
    assert "Some filters could not be applied" in response.content.decode()


def test_pagination_keeps_the_filters(client: Client, demo_programs) -> None:
    index = demo_programs.first().get_parent()
    for number in range(12):
        ProgramPageFactory(
            parent=index, slug=f"extra-{number}", category=demo_programs.first().category
        )
    category = demo_programs.first().category.slug
    first = client.get(f"/programs/?category={category}").content.decode()
    assert f'href="?category={category}&amp;page=2"' in first
    second = client.get(f"/programs/?category={category}&page=2")
    assert second.status_code == 200
    assert len(listed_titles(second.content.decode())) == 13 - 10
    assert client.get(f"/programs/?category={category}&page=99").status_code == 200


def test_unpublished_programs_are_not_listed(client: Client, demo_programs) -> None:
    ProgramPage.objects.get(slug="rural-roads", locale__language_code="ka").unpublish()
    assert "rural-roads" not in listed_slugs(client, "/programs/")
