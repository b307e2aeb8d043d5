"""What a visitor sees: Georgian at "/", English under "/en/", a working language switcher."""

import pytest
from django.test import Client
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def test_home_page_is_georgian_at_root(client: Client, site_content) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ka">' in html
    assert "მოქალაქეთა უკუკავშირის პლატფორმა" in html
    assert "მთავარ შინაარსზე გადასვლა" in html  # the skip link, translated


def test_home_page_is_english_under_en(client: Client, site_content) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Citizens&#x27; Feedback Platform" in html
    assert "Skip to main content" in html


def test_georgian_is_served_whatever_the_browser_prefers(client: Client, site_content) -> None:
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert response.status_code == 200
    assert '<html lang="ka">' in response.content.decode()


def test_language_switcher_links_to_the_translation(client: Client, site_content) -> None:
    html = client.get("/privacy/").content.decode()
    assert 'href="/en/privacy/" lang="en"' in html
    english = client.get("/en/privacy/").content.decode()
    assert 'href="/privacy/" lang="ka"' in english
    assert "Privacy notice" in english


def test_footer_shows_contacts_from_site_settings(client: Client, site_content) -> None:
    html = client.get("/").content.decode()
    assert "წყალტუბოს მუნიციპალიტეტის მერია" in html
    assert "info@tskaltubo.gov.ge" in html
    english = client.get("/en/").content.decode()
    assert "Tskaltubo Municipality City Hall" in english


def test_unknown_page_gets_translated_404(client: Client, site_content) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "გვერდი ვერ მოიძებნა" in response.content.decode()
    english = client.get("/en/no-such-page/")
    assert english.status_code == 404
    assert "Page not found" in english.content.decode()


def test_public_files_have_fixed_urls(client: Client, site_content) -> None:
    for path in ("/robots.txt", "/favicon.svg", "/.well-known/security.txt"):
        assert client.get(path).status_code == 200, path


def test_pages_work_without_javascript(client: Client, site_content) -> None:
    html = client.get("/").content.decode()
    assert "<script" not in html


class TestPageTypeRules(WagtailPageTestCase):
    def test_home_page_lives_only_under_the_root(self) -> None:
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_standard_pages_live_under_home_or_each_other(self) -> None:
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
