"""`/sitemap.xml` lists every live public page in both languages with absolute URLs, each of
which answers 200; drafts and restricted pages stay out; robots.txt points to it (issue 16)."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from wagtail.models import Page, PageViewRestriction, Site

pytestmark = pytest.mark.django_db


def locations(client: Client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_every_live_public_page_in_both_languages_and_each_answers(
    client: Client, evaluation_form
) -> None:
    urls = locations(client)
    expected = {
        page.get_full_url() for page in Page.objects.live().public().filter(depth__gt=1).specific()
    }
    assert set(urls) == expected
    assert any("/en/" in url for url in urls) and any("/en/" not in url for url in urls)
    site_url = Site.objects.get(is_default_site=True).root_url
    for url in urls:
        assert url.startswith(f"{site_url}/"), url  # absolute, on the site's own host name
        assert client.get(urlsplit(url).path).status_code == 200, url


def test_drafts_and_restricted_pages_stay_out(client: Client, evaluation_form) -> None:
    program = evaluation_form.get_parent()
    program.unpublish()
    private = evaluation_form.get_parent().get_parent()
    PageViewRestriction.objects.create(
        page=private,
        restriction_type=PageViewRestriction.PASSWORD,
        password="x",  # noqa: S106
    )
    urls = locations(client)
    assert program.get_full_url() not in urls
    assert private.get_full_url() not in urls
    assert evaluation_form.get_full_url() not in urls


def test_robots_txt_points_to_the_sitemap(client: Client, site_content) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /api/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
