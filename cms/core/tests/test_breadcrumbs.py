"""The public pages' breadcrumbs come from one include (templates/includes/breadcrumbs.html):
each page shows the trail its own copy of the markup used to show, in both languages."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from reports.tests.factories import ReportingPeriodFactory, ResultsReportFactory, results_pages

pytestmark = pytest.mark.django_db


def trail(client: Client, url: str) -> list[tuple[str, str | None, bool]]:
    """(text, link, is the current page) of each step of the page's breadcrumbs."""
    response = client.get(url)
    assert response.status_code == 200, url
    navs = BeautifulSoup(response.content.decode(), "html.parser").select("nav.breadcrumbs")
    assert len(navs) == 1 and navs[0]["aria-label"]
    steps = []
    for item in navs[0].select("ol > li"):
        link = item.find("a")
        steps.append(
            (
                item.get_text(strip=True),
                link["href"] if link else None,
                item.has_attr("aria-current"),
            )
        )
    return steps


def above(page) -> list[tuple[str, str | None, bool]]:
    """The page's ancestors below the site's root, each a link."""
    return [(ancestor.title, ancestor.url, False) for ancestor in page.get_ancestors()[1:]]


@pytest.fixture
def pages(site_content, evaluation_form):
    found = results_pages(site_content)
    program = evaluation_form.get_parent().specific
    found["program"] = program
    found["program_en"] = program.get_translation(
        program.get_translations().filter(locale__language_code="en").first().locale
    )
    return found


@pytest.mark.parametrize("key", ["program", "results", "accountability"])
@pytest.mark.parametrize("language", ["", "_en"])
def test_a_page_ends_its_trail_with_itself(client: Client, pages, key: str, language: str) -> None:
    page = pages[f"{key}{language}"]
    expected = [*above(page), (page.title, None, True)]
    assert len(expected) >= 2  # the home page, then the page
    assert trail(client, page.url) == expected


@pytest.mark.parametrize(
    ("language", "label"), [("", "იანვარი–ივნისი 2026"), ("_en", "January–June 2026")]
)
def test_a_report_links_back_to_the_results_page(
    client: Client, pages, language: str, label: str
) -> None:
    ResultsReportFactory(period=ReportingPeriodFactory(budget_year=2026, half=1), figures={})
    results = pages[f"results{language}"]
    steps = trail(client, f"{results.url}2026-H1/")
    assert steps[:-1] == [*above(results), (results.title, results.url, False)]
    assert steps[-1] == (label, None, True)
