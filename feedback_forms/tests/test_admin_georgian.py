"""The Georgian admin, screen by screen, for every staff role (issue 11, items 1-2).

Every admin URL the resolver knows is fetched as each role (and the superuser) with a browser
that asks for English (Accept-Language: en): a staff member who chose no language gets
Georgian. On every page the visible text (text nodes, tooltips, labels for screen readers) may
hold no English word outside the allow-list of proper names and formats, and no data of the
test world (usernames, reference data's English names, English page titles); the whole
response (HTML, JSON, CSV, XLSX) may hold no Mtavruli letter. A staff member who chose
English in their account gets English: the contrast that proves the detector reads the page.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, Site
from wagtail.users.models import UserProfile

from cms.core import georgian
from cms.core.testing.georgian_text import WORD, english_words, mtavruli, visible_text
from cms.core.tests.factories import UserFactory, staff_user
from feedback_forms.tests.test_admin_scope import ROLES, World, admin_routes, body_text, urls_for
from programs.models import AdministrativeUnit, MunicipalService, ProgramCategory, Settlement

pytestmark = pytest.mark.django_db

EXPORT_QUERIES = {
    "feedback_exports:export": ("?format=csv", "?format=xlsx"),
}


def data_words(world: World | None = None) -> frozenset[str]:
    """Words that are data, not interface: what people typed or named (usernames, the
    reference data's English names, English page titles, submissions written in English)."""
    from feedback_forms.models import AnswerTemplate, Evaluation, Need, NeedNote
    from reports.models import BudgetCommitment, ResultsReport

    texts: list[str] = [*User.objects.values_list("username", flat=True)]
    texts += User.objects.values_list("first_name", flat=True)
    texts += User.objects.values_list("last_name", flat=True)
    texts += Group.objects.values_list("name", flat=True)
    for model in (ProgramCategory, MunicipalService, AdministrativeUnit, Settlement):
        for row in model.objects.values():
            texts += [str(row.get(f, "")) for f in ("name_en", "slug", "code", "kind", "email")]
    texts += Page.objects.filter(locale__language_code="en").values_list("title", flat=True)
    texts += Page.objects.values_list("slug", flat=True)
    for fields in (
        Need.objects.values_list("title", "description", "public_answer"),
        Evaluation.objects.values_list("program_title", "public_answer"),
        NeedNote.objects.values_list("text"),
        BudgetCommitment.objects.values_list("title_en", "description_en", "dropped_reason_en"),
        ResultsReport.objects.values_list("analysis_en"),
        AnswerTemplate.objects.values_list("title_en", "text_en"),  # the English version
    ):
        texts += [str(value) for row in fields for value in row if value]
    texts += Site.objects.values_list("hostname", flat=True)
    texts += PageLogEntry.objects.values_list("label", flat=True)  # old titles in the history
    texts.append("Called back")  # the test world's internal note
    return frozenset(word for text in texts for word in WORD.findall(str(text)))


def login(client: Client, role_name: str) -> User:
    if role_name == "admin":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
    else:
        role, _keys = ROLES[role_name]
        user = staff_user(role, username=f"walker-{role_name}")
        if role_name == "service":
            MunicipalService.objects.get(slug="social").representatives.add(user)
    client.force_login(user)
    return user


def walk(client: Client, world: World) -> tuple[dict, dict, int]:
    """Fetch every admin URL; return English lines and Mtavruli snippets by URL."""
    allowed = data_words(world)
    english: dict[str, list[str]] = {}
    capitals: dict[str, list[str]] = {}
    fetched = 0
    client.raise_request_exception = False
    for route in admin_routes():
        queries = ("", "?export=csv", "?export=xlsx") if _exports(route) else ("",)
        queries += EXPORT_QUERIES.get(route.name, ())
        for url in urls_for(route, world):
            for query in queries:
                response = client.get(url + query, HTTP_ACCEPT_LANGUAGE="en")
                fetched += 1
                if response.status_code >= 400:
                    continue
                body = body_text(response)
                if found := mtavruli(body):
                    capitals[url + query] = found
                if "html" not in response.get("Content-Type", ""):
                    continue
                lines = [
                    line for line in visible_text(body).splitlines() if english_words(line, allowed)
                ]
                if lines:
                    english[url + query] = lines
    return english, capitals, fetched


def _exports(route) -> bool:
    return bool(getattr(route.view_class, "list_export", None)) or route.name.endswith(
        "site_history"
    )


@pytest.mark.parametrize("role_name", [*sorted(ROLES), "admin"])
def test_every_admin_screen_of_a_role_is_georgian(client: Client, world, role_name) -> None:
    login(client, role_name)
    english, capitals, fetched = walk(client, world)
    assert fetched > 300
    assert capitals == {}, capitals
    assert english == {}, "\n".join(f"{url}: {lines[:5]}" for url, lines in english.items())


def test_english_staff_get_english_and_the_detector_sees_it(client: Client, world) -> None:
    user = login(client, "manager")
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    words = english_words(visible_text(html), data_words(world))
    assert {"Dashboard", "Needs", "Results"} & set(words)
    assert re.search(r"<h1[^>]*>\s*Tskaltubo Citizens", html)


def test_without_the_georgian_capfirst_wagtail_writes_mtavruli(client: Client, world) -> None:
    """The contrast for the Mtavruli check: Django's own capfirst, put back, shows through."""
    login(client, "manager")
    url = reverse("wagtailsnippets_feedback_forms_need:list")
    assert mtavruli(client.get(url).content.decode()) == []
    georgian.uninstall()
    try:
        assert mtavruli(client.get(url).content.decode())
    finally:
        georgian.install()
    assert mtavruli(client.get(url).content.decode()) == []


def test_the_sign_in_and_password_reset_pages_are_georgian(client: Client, world) -> None:
    allowed = data_words(world)
    for name in ("wagtailadmin_login", "wagtailadmin_password_reset"):
        response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        text = visible_text(response.content.decode())
        assert english_words(text, allowed) == [], (name, text)
        assert response["Content-Language"] == "ka"
