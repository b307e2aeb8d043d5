"""Another municipality runs the platform by data and settings alone (issue 14, item 7).

The test world is replaced by a small second data set (fixtures/municipalities/terjola/:
2 units, 3 settlements, 2 services, 3 categories): reference data, `setup_site`, a program with
its evaluation form. Then every public page the page tree and the URL map know, the API's form
schemas and OpenAPI document, the admin dashboard and print view's issuer, the e-mails and the
SMS texts are read in both languages: none may name Tskaltubo, each names the second
municipality.
"""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from wagtail.models import Locale, Page, Site

from cms.core.models import MunicipalityContacts
from cms.core.municipality import current_names
from cms.core.tests.factories import UserFactory
from conftest import publish_translation
from feedback_forms.models import NeedsFormPage
from feedback_forms.sms_messages import answer_text, fix_check_text, receipt_text
from feedback_forms.tests.factories import (
    EvaluationFormPageFactory,
    NeedFactory,
)
from programs.invitations import email_message, sms_text
from programs.models import (
    AdministrativeUnit,
    MunicipalService,
    ProgramCategory,
    ProgramIndexPage,
    Settlement,
)
from programs.tests.factories import ProgramPageFactory

pytestmark = pytest.mark.django_db

DATA_DIR = Path(__file__).resolve().parent / "fixtures" / "municipalities"
TSKALTUBO = re.compile("tskaltubo|წყალტუბ", re.IGNORECASE)
#: What each language's texts must name instead.
SECOND = {"ka": "თერჯოლ", "en": "Terjola"}


def clear_the_test_world() -> None:
    """The baseline every test stands on is Tskaltubo's (conftest): pages, site, settings and
    reference rows go, inside this test's transaction."""
    for page in Page.get_first_root_node().get_children():
        page.delete()  # the default site and its settings go with their root page
    Site.objects.all().delete()
    Settlement.objects.all().delete()
    AdministrativeUnit.objects.all().delete()
    MunicipalService.objects.all().delete()
    ProgramCategory.objects.all().delete()


@pytest.fixture
def terjola(settings):
    settings.MUNICIPALITY_DATA_DIR = DATA_DIR
    settings.MUNICIPALITY = "terjola"
    clear_the_test_world()
    call_command("load_reference_data", stdout=StringIO())
    call_command("setup_site", stdout=StringIO())
    index = ProgramIndexPage.objects.get(locale__language_code="ka")
    program = ProgramPageFactory(
        parent=index,
        slug="village-roads",
        title="სოფლის გზები",
        category=ProgramCategory.objects.get(slug="infrastructure"),
        responsible_service=MunicipalService.objects.get(slug="infrastructure"),
    )
    form = EvaluationFormPageFactory(parent=program)
    publish_translation(form)
    return program


def public_urls() -> set[str]:
    """Every live page in both languages, and every parameterless public route of the URL map
    in both languages (admin, documents and the APIs are read on their own below)."""
    urls = {page.url for page in Page.objects.live().specific() if page.url}

    def walk(patterns: list, prefix: str = "") -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(" not in route:
                urls.add("/" + route.lstrip("^").rstrip("$"))

    for language in ("ka", "en"):
        with translation.override(language):
            walk(
                [
                    pattern
                    for pattern in get_resolver().url_patterns
                    if not str(pattern.pattern).startswith(("admin/", "documents/", "api/"))
                ]
            )
    return urls


def assert_names_the_second(text: str, where: str, language: str = "") -> None:
    found = TSKALTUBO.findall(text)
    assert not found, f"{where} names Tskaltubo: {found[:3]}"
    if language:
        assert SECOND[language] in text, f"{where} does not name the municipality"


def test_the_data_set_fills_the_settings(terjola) -> None:
    contacts = MunicipalityContacts.for_site(Site.objects.get(is_default_site=True))
    assert contacts.code == "terjola"
    assert contacts.municipality_locative_ka == "თერჯოლის მუნიციპალიტეტში"
    assert contacts.name_en == "Terjola Municipality City Hall"
    assert AdministrativeUnit.objects.count() == 2 and Settlement.objects.count() == 3
    with translation.override("ka"):
        assert current_names()["place_of"] == "თერჯოლის"


def test_no_public_page_names_tskaltubo(terjola, client: Client) -> None:
    urls = public_urls()
    assert {"/", "/en/", "/track/", "/en/track/", terjola.url} <= urls
    read = 0
    for url in sorted(urls):
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        text = response.content.decode()
        language = "en" if url.startswith("/en/") else "ka"
        # The site's own pages (header and footer) name it; Wagtail's bare views need not.
        ours = 'class="site-header"' in text
        assert_names_the_second(text, url, language if ours else "")
        read += 1
    # Home, the programs, a program and its form, needs form, results, accountability, privacy,
    # accessibility, track: both languages.
    assert read >= 20, read
    for url in ("/no-such-page/", "/en/no-such-page/"):
        response = client.get(url)
        assert response.status_code == 404
        assert_names_the_second(response.content.decode(), url, url[1:3] if "/en/" in url else "ka")


def test_the_privacy_notice_names_the_second_municipality(terjola, client: Client) -> None:
    for url, language in (("/privacy/", "ka"), ("/en/privacy/", "en")):
        html = client.get(url).content.decode()
        assert_names_the_second(html, url, language)
        assert "dpo@terjola.example.ge" in html


def test_the_api_names_the_second_municipality(terjola, client: Client) -> None:
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Terjola citizens' feedback API"
    assert_names_the_second(schema.content.decode(), "openapi.json", "en")
    for path in ("/api/v1/needs-form", f"/api/v1/programs/{terjola.pk}/evaluation-form"):
        for language in ("ka", "en"):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, path
            # The needs form's checkbox names the municipality; an evaluation form need not.
            expected = language if "needs" in path else ""
            text = json.dumps(response.json(), ensure_ascii=False)  # "\u10e2" as "ტ"
            assert_names_the_second(text, path, expected)


def test_the_admin_dashboard_names_the_second(terjola, client: Client) -> None:
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert_names_the_second(html, "admin dashboard", "ka")
    assert "თერჯოლის მოქალაქეთა უკუკავშირი" in html


def test_e_mails_and_sms_name_the_second_municipality(terjola) -> None:
    need = NeedFactory(contact_email="resident@example.ge", contact_phone="+995555123456")
    for language in ("ka", "en"):
        need.language = language
        with translation.override(language):
            for name in ("receipt", "status"):
                context = {"submission": need, "kind": "need", "base_url": "https://x.example"}
                subject = render_to_string(f"feedback_forms/email/{name}_subject.txt", context)
                body = render_to_string(f"feedback_forms/email/{name}.txt", context)
                assert_names_the_second(subject, f"{name} subject", language)
                assert_names_the_second(body, f"{name} e-mail")
            context = {"need": need, "check": None, "url": "https://x.example/f/t/"}
            subject = render_to_string("feedback_forms/email/fix_check_subject.txt", context)
            assert_names_the_second(subject, "fix check subject", language)
        for text in (receipt_text(need), answer_text(need), fix_check_text(need, "token")):
            assert_names_the_second(text, "SMS")
    subject, body = email_message(terjola, "CODE1234")
    assert_names_the_second(subject + body, "invitation e-mail", "ka")
    assert "თერჯოლის მუნიციპალიტეტის მერიის პროგრამით" in body
    assert_names_the_second(sms_text("CODE1234"), "invitation SMS")


def test_the_needs_form_asks_in_the_right_grammatical_form(terjola, client: Client) -> None:
    form = NeedsFormPage.objects.get(locale__language_code="ka")
    assert "რეგისტრირებული ვარ თერჯოლის მუნიციპალიტეტში" in client.get(form.url).content.decode()
    english = form.get_translation(Locale.objects.get(language_code="en"))
    assert "I am registered in Terjola Municipality" in client.get(english.url).content.decode()


def test_no_template_names_tskaltubo() -> None:
    """Templates are data-free: a name in one would be shown to every municipality."""
    for path in (django_settings.BASE_DIR / "templates").rglob("*"):
        if path.is_file():
            assert not TSKALTUBO.search(path.read_text(encoding="utf-8")), path
