"""An export made from a searched listing holds exactly the rows the listing shows: the staff
member's scope, the filters and the search box, for needs and evaluations, downloaded at once or
prepared as a job; the jobs page names the search term with the filters."""

import csv
import html
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from cms.core.roles import ANALYSTS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms.export_views import describe_filters
from feedback_forms.filters import search_term
from feedback_forms.models import ExportJob, Status
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from programs.models import MunicipalService

pytestmark = pytest.mark.django_db

TERM = "განათება"


def listing_url(kind: str, results_only: bool = False) -> str:
    view = "list_results" if results_only else "list"
    return reverse(f"wagtailsnippets_feedback_forms_{kind}:{view}")


def listing_references(client: Client, kind: str, query: dict) -> tuple[set[str], str]:
    """The references the listing shows (one page: fewer than 50 rows) and its HTML."""
    response = client.get(listing_url(kind), query)
    assert response.status_code == 200
    shown = {submission.reference for submission in response.context["object_list"]}
    return shown, response.content.decode()


def export_link(page: str, kind: str, file_format: str) -> str:
    """The listing's own "Export to …" button, as the staff member clicks it."""
    export = reverse("feedback_exports:export", args=[kind])
    links = [
        html.unescape(href)
        for href in re.findall(r'href="([^"]+)"', page)
        if html.unescape(href).startswith(f"{export}?")
    ]
    found = [link for link in links if f"format={file_format}" in link]
    assert found, links
    return found[0]


def exported_references(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    return [row[0] for row in rows[1:]]


@pytest.fixture
def services(reference_data) -> tuple[MunicipalService, MunicipalService]:
    return (
        MunicipalService.objects.get(slug="infrastructure"),
        MunicipalService.objects.get(slug="social"),
    )


def world(kind: str, own: MunicipalService, other: MunicipalService) -> dict[str, str]:
    """Rows the search finds, rows it does not, one out of scope, one the filter drops."""
    if kind == "need":

        def make(service, text, where="title", **fields):
            values = {"title": "გზის შეკეთება", "description": "ორმოებია.", "service": service}
            values[where] = text
            return NeedFactory(**values, **fields).reference

        return {
            "in_title": make(own, f"ქუჩის {TERM}"),
            "in_description": make(own, f"საღამოს {TERM} არ არის.", where="description"),
            "no_match": make(own, "სკვერის დასუფთავება"),
            "other_service": make(other, f"ეზოს {TERM}"),
            "filtered_out": make(own, f"ხიდის {TERM}", status=Status.DECLINED),
        }

    def evaluate(service, title, **fields):
        return EvaluationFactory(program_title=title, service=service, **fields).reference

    return {
        "in_title": evaluate(own, f"ქუჩების {TERM}"),
        "in_title_too": evaluate(own, f"{TERM} სოფლებში"),
        "no_match": evaluate(own, "სოფლის გზების რეაბილიტაცია"),
        "other_service": evaluate(other, f"სკვერის {TERM}"),
        "filtered_out": evaluate(own, f"ეზოების {TERM}", status=Status.DECLINED),
    }


@pytest.mark.parametrize("kind", ["need", "evaluation"])
@pytest.mark.parametrize("role", ["representative", "analyst"])
def test_the_export_holds_exactly_the_rows_of_the_searched_listing(
    client: Client, services, kind: str, role: str
) -> None:
    own, other = services
    if role == "representative":
        user = staff_user(SERVICE_REPRESENTATIVES, username="service")
        own.representatives.add(user)
    else:
        user = staff_user(ANALYSTS, username="analyst")
    client.force_login(user)
    rows = world(kind, own, other)
    query = {"q": f"  {TERM} ", "status": "new"}  # the search box strips the spaces

    shown, page = listing_references(client, kind, query)
    exported = exported_references(client.get(export_link(page, kind, "csv")))

    expected = {name for name in rows if name.startswith("in_")}
    if role == "analyst":
        expected.add("other_service")
    assert shown == {rows[name] for name in expected}
    assert sorted(exported) == sorted(shown)  # no row more, none less, none twice

    # Searching a reference finds that submission alone, in the listing and in the file.
    reference_query = {"q": rows["no_match"].lower()}
    shown, page = listing_references(client, kind, reference_query)
    assert shown == {rows["no_match"]}
    assert exported_references(client.get(export_link(page, kind, "csv"))) == [rows["no_match"]]


def test_the_export_buttons_follow_a_search_typed_into_the_listing(
    client: Client, services
) -> None:
    """The search box refreshes only the results (no page load): the buttons come with them."""
    client.force_login(staff_user(ANALYSTS, username="analyst"))
    own, _other = services
    rows = world("need", own, own)

    response = client.get(listing_url("need", results_only=True), {"q": TERM})

    link = export_link(response.content.decode(), "need", "csv")
    assert f"q={TERM}" in link or "q=%E1%83" in link
    assert set(exported_references(client.get(link))) == {
        rows["in_title"],
        rows["in_description"],
        rows["other_service"],
        rows["filtered_out"],
    }


def test_a_large_searched_export_is_prepared_with_the_search_and_says_so(
    client: Client, services, settings, django_capture_on_commit_callbacks
) -> None:
    settings.FEEDBACK_EXPORT_INLINE_MAX_ROWS = 1
    analyst = staff_user(ANALYSTS, username="analyst")
    UserProfile.objects.update_or_create(user=analyst, defaults={"preferred_language": "en"})
    client.force_login(analyst)
    own, other = services
    rows = world("need", own, other)
    shown, page = listing_references(client, "need", {"q": TERM, "status": "new"})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(export_link(page, "need", "csv"))

    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.query["q"] == [TERM] and job.row_count == len(shown) == 3
    download = reverse("feedback_exports:download", args=[job.pk])
    assert set(exported_references(client.get(download))) == shown
    assert rows["no_match"] not in shown
    jobs_page = client.get(reverse("feedback_exports:jobs")).content.decode()
    assert f"Search term: {TERM}" in jobs_page


@pytest.mark.parametrize(("language", "label"), [("en", "Search term"), ("ka", "საძიებო სიტყვა")])
def test_the_description_of_an_export_names_its_search_term(language: str, label: str) -> None:
    with translation.override(language):
        described = describe_filters("need", {"q": [TERM], "status": ["new"]})
    assert f"{label}: {TERM}" in described
    assert describe_filters("need", {"q": [""]}) == ""


def test_the_search_term_is_read_as_the_listing_reads_it() -> None:
    assert search_term({"q": ["  ქუჩა  "]}) == "ქუჩა"
    assert search_term({"q": "ქუჩა"}) == "ქუჩა"
    assert search_term({"status": ["new"]}) == ""
