"""One FilterSet (programs.filtering) behind the program index and `/api/v2/programs/`: for the
same parameters both list the same programs, which a plain recount over the pages confirms, and
both refuse the same values with the same translated message (the index on the page with 200,
the API with 400)."""

import re

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import AdministrativeUnit, MunicipalService, ProgramCategory, ProgramPage
from programs.search import query_stems

pytestmark = pytest.mark.django_db

CATEGORIES = ["social", "water", "infrastructure", "culture", "agriculture", "preschool"]
UNITS = ["01", "03", "05", "07", "14", "16"]
SERVICES = ["social", "culture", "infrastructure", "economy", "finance"]
STATUSES = ["planned", "active", "closed"]
YEARS = ["2025", "2026", "2027"]
SEARCHES = ["water", "roads", "გზების", "საბავშვო", "the", "   ", "wat"]
#: Text a hand-edited URL can carry (no lone surrogates: a URL cannot carry those).
ODD_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)

#: What each refused parameter is told, as the FilterSet words it (msgids of locale/*/django.po).
MESSAGES = {
    "category": "This category does not exist.",
    "unit": "This administrative unit does not exist.",
    "service": "This service does not exist.",
    "status": "This status does not exist.",
    "year": "There are no programs for this year.",
    "search": "A search can be at most 200 characters long.",
}


def value(known: list[str], bad: str) -> st.SearchStrategy[str | None]:
    """Absent, empty, a known code, a code that does not exist, or any text."""
    return st.one_of(st.none(), st.just(""), st.sampled_from(known), st.just(bad), ODD_TEXT)


filters = st.fixed_dictionaries(
    {
        "category": value(CATEGORIES, "nope"),
        "unit": value(UNITS, "99"),
        "service": value(SERVICES, "nope"),
        "status": value(STATUSES, "open"),
        "year": value(YEARS, "1999"),
        "search": st.one_of(st.none(), st.sampled_from(SEARCHES), st.just("a" * 201), ODD_TEXT),
    }
)


def index_slugs(html: str) -> set[str]:
    return set(
        re.findall(r'class="program-card__title"><a href="/(?:en/)?programs/([^/]+)/"', html)
    )


def refused(params: dict[str, str]) -> set[str]:
    """The parameters the recount finds wrong: an unknown code, a year without programs, a
    search too long or with a NUL character (Django refuses those in any text field)."""
    known = {
        "category": set(ProgramCategory.objects.values_list("slug", flat=True)),
        "unit": set(AdministrativeUnit.objects.values_list("code", flat=True)),
        "service": set(MunicipalService.objects.values_list("slug", flat=True)),
        "status": set(STATUSES),
        "year": {
            str(year) for year in ProgramPage.objects.live().values_list("budget_year", flat=True)
        },
    }
    wrong = {
        name for name, codes in known.items() if params.get(name) and params[name] not in codes
    }
    search = params.get("search")
    if search is not None and (len(search.strip()) > 200 or "\x00" in search):
        wrong.add("search")
    return wrong


def recount(language: str, params: dict[str, str]) -> set[str]:
    """The live programs of a language that pass every accepted parameter, checked one by one."""
    skip = refused(params)
    accepted = {name: given for name, given in params.items() if given and name not in skip}
    search = accepted.get("search", "").strip()
    found = set()
    for program in ProgramPage.objects.live().public().filter(locale__language_code=language):
        units = {unit.code for unit in program.administrative_units.all()}
        checks = [
            accepted.get("category") in (None, program.category.slug),
            accepted.get("service") in (None, program.responsible_service.slug),
            accepted.get("status") in (None, program.status),
            accepted.get("year") in (None, str(program.budget_year)),
            "unit" not in accepted or program.municipality_wide or accepted["unit"] in units,
            not search
            or (
                bool(stems := query_stems(search))
                and all(f" {stem}" in program.search_terms for stem in stems)
            ),
        ]
        if all(checks):
            found.add(program.slug)
    return found


def expected_message(name: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(MESSAGES[name])


class TestIndexAndAPIAgree:
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(params=filters, language=st.sampled_from(["ka", "en"]))
    def test_same_parameters_same_programs_as_the_recount(
        self, client: Client, demo_programs, params: dict, language: str
    ) -> None:
        given_params = {name: value for name, value in params.items() if value is not None}
        index_params = {("q" if name == "search" else name): v for name, v in given_params.items()}
        prefix = "" if language == "ka" else "/en"
        page = client.get(f"{prefix}/programs/", index_params)
        api = client.get(
            "/api/v2/programs/",
            {"locale": language, "fields": "slug", "limit": 20, **given_params},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert page.status_code == 200
        html = page.content.decode()
        expected = recount(language, given_params)
        assert index_slugs(html) == expected
        wrong = refused(given_params)
        if not wrong:
            assert api.status_code == 200, api.content
            assert {item["meta"]["slug"] for item in api.json()["items"]} == expected
            assert "error-summary" not in html
            return
        assert api.status_code == 400, api.content
        message = api.json()["message"]
        assert "error-summary" in html
        for name in wrong:
            if name in MESSAGES and "\x00" not in given_params[name]:
                words = expected_message(name, language)
                assert f"{name}: {words}" in message
                assert words in html


@pytest.mark.parametrize("language", ["ka", "en"])
@pytest.mark.parametrize(
    ("parameter", "given_value"),
    [
        ("category", "nope"),
        ("unit", "99"),
        ("service", "nope"),
        ("status", "open"),
        ("year", "twenty"),
        ("year", "1999"),
        ("search", "a" * 201),
    ],
)
def test_a_refused_filter_is_told_in_the_readers_language(
    client: Client, demo_programs, language: str, parameter: str, given_value: str
) -> None:
    words = expected_message(parameter, language)
    assert words != MESSAGES[parameter] or language == "en"  # Georgian really is Georgian

    api = client.get("/api/v2/programs/", {parameter: given_value}, HTTP_ACCEPT_LANGUAGE=language)
    assert api.status_code == 400
    assert api["Content-Type"].startswith("application/json")
    assert api.json() == {"message": f"{parameter}: {words}"}
    assert "Accept-Language" in api["Vary"]

    prefix = "" if language == "ka" else "/en"
    index_parameter = "q" if parameter == "search" else parameter
    page = client.get(f"{prefix}/programs/", {index_parameter: given_value})
    assert page.status_code == 200
    html = page.content.decode()
    assert words in html
    assert f'href="#id_{index_parameter}"' in html
    assert index_slugs(html) == recount(language, {})  # the other filters still apply: none


def test_several_refused_filters_are_named_together(client: Client, demo_programs) -> None:
    api = client.get("/api/v2/programs/?category=nope&year=1999", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400
    assert api.json()["message"] == (
        "category: This category does not exist.; year: There are no programs for this year."
    )


def test_the_index_offers_the_service_filter(client: Client, demo_programs) -> None:
    html = client.get("/en/programs/?service=economy").content.decode()
    assert index_slugs(html) == {"smallholder-farmers"}
    assert '<select name="service" id="id_service">' in html
    assert 'href="?service=economy&amp;page=' not in html  # one page only: no pagination


@pytest.mark.parametrize("odd", ["\x00", "05\x00", "'; --", "%", "٠٥"])
def test_odd_input_is_refused_never_an_error(client: Client, demo_programs, odd: str) -> None:
    for parameter in ("category", "unit", "service", "status", "year"):
        assert client.get("/api/v2/programs/", {parameter: odd}).status_code == 400
        assert client.get("/en/programs/", {parameter: odd}).status_code == 200
    assert client.get("/api/v2/programs/", {"search": odd}).status_code in (200, 400)
    assert client.get("/en/programs/", {"q": odd}).status_code == 200
