"""The language switcher never leads to a 404 (issue 11 item 4)."""

import re

import pytest
from django.test import Client

from conftest import publish_translation
from programs.tests.factories import ProgramPageFactory

pytestmark = pytest.mark.django_db


def switcher_link(html: str, code: str) -> str:
    nav = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    match = re.search(rf'<a href="([^"]+)" lang="{code}"', nav)
    assert match, nav
    return match.group(1).replace("&amp;", "&")


@pytest.fixture
def georgian_only_program(program_index):
    publish_translation(program_index)
    return ProgramPageFactory(parent=program_index, slug="street-lights", title="ქუჩის განათება")


def test_an_untranslated_page_says_in_english_that_it_exists_only_in_georgian(
    client: Client, georgian_only_program
) -> None:
    page = client.get(georgian_only_program.url)
    link = switcher_link(page.content.decode(), "en")
    response = client.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This page exists only in Georgian" in html
    assert f'href="{georgian_only_program.url}" lang="ka"' in html
    # And the way on: the nearest page above it that exists in English, the program list.
    assert 'href="/en/programs/"' in html
    assert '<html lang="en"' in html


def test_an_english_only_page_says_so_in_georgian(client: Client, site_content) -> None:
    from home.models import StandardPage

    english_home = site_content["en"]
    page = StandardPage(title="Guide for visitors", slug="visitors-guide")
    english_home.add_child(instance=page)
    page.save_revision().publish()
    link = switcher_link(client.get(page.url).content.decode(), "ka")
    response = client.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Guide for visitors" in html
    assert 'lang="en"' in html
    assert "ეს გვერდი მხოლოდ ერთ ენაზეა: ინგლისური" in html


def test_a_translated_page_links_to_its_translation(client: Client, georgian_only_program) -> None:
    english = publish_translation(georgian_only_program)
    english.title = "Street lights"
    english.save_revision().publish()
    link = switcher_link(client.get(georgian_only_program.url).content.decode(), "en")
    assert link == "/en/programs/street-lights/"
    assert client.get(link).status_code == 200


def test_every_switcher_link_of_the_demo_site_answers(client: Client, demo_programs) -> None:
    """Georgian and English pages of the demo, translated or not: no link is a 404."""
    from wagtail.models import Page

    ProgramPageFactory(parent=demo_programs.first().get_parent(), slug="only-georgian")
    for page in Page.objects.live().public().filter(depth__gt=1).specific():
        url = page.url
        if not url:
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue  # a form page that redirects, for instance
        other = "ka" if page.locale.language_code == "en" else "en"
        link = switcher_link(response.content.decode(), other)
        assert client.get(link).status_code == 200, (url, link)


def test_the_switcher_of_a_missing_page_leads_home(client: Client, site_content) -> None:
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert switcher_link(response.content.decode(), "ka") == "/"


def test_a_stale_link_to_a_deleted_page_is_a_plain_404(client: Client, site_content) -> None:
    assert client.get("/en/untranslated/999999/").status_code == 404


def test_the_notice_of_an_unpublished_page_is_not_shown(
    client: Client, georgian_only_program
) -> None:
    georgian_only_program.unpublish()
    assert client.get(f"/en/untranslated/{georgian_only_program.pk}/").status_code == 404


def test_an_editor_translates_a_standard_page_and_the_switcher_follows(
    client: Client, site_content
) -> None:
    """Draft English copy: still "only in Georgian"; once published, the switcher links to it."""
    from django.urls import reverse
    from wagtail.models import Locale

    from cms.core.roles import CONTENT_EDITORS
    from cms.core.tests.factories import staff_user
    from feedback_forms.tests.admin_forms_data import editor_form_data
    from home.models import StandardPage

    page = StandardPage(title="ხელმისაწვდომობის შესახებ", slug="accessibility-info")
    site_content["ka"].add_child(instance=page)
    page.save_revision().publish()

    editor = Client()
    editor.force_login(staff_user(CONTENT_EDITORS, username="editor"))
    english = Locale.objects.get(language_code="en")
    response = editor.post(
        reverse("simple_translation:submit_page_translation", args=[page.pk]),
        {"locales": [english.pk]},
    )
    assert response.status_code == 302
    translation = page.get_translation(english)
    assert not translation.live
    notice = client.get(switcher_link(client.get(page.url).content.decode(), "en"))
    assert "This page exists only in Georgian" in notice.content.decode()

    edit_url = reverse("wagtailadmin_pages:edit", args=[translation.pk])
    data = editor_form_data(editor.get(edit_url).content.decode())
    data.setdefault("body-count", ["0"])
    data.update(title=["About accessibility"], **{"action-publish": ["action-publish"]})
    assert editor.post(edit_url, data).status_code == 302

    link = switcher_link(client.get(page.url).content.decode(), "en")
    assert link == "/en/accessibility-info/"
    html = client.get(link).content.decode()
    assert "<h1>About accessibility</h1>" in html
    assert switcher_link(html, "ka") == page.url


def test_the_notice_in_the_pages_own_language_goes_to_the_page(
    client: Client, georgian_only_program
) -> None:
    """The notice's own switcher ("ქართული") leads back to the Georgian page, not to a notice."""
    english_notice = client.get(f"/en/untranslated/{georgian_only_program.pk}/")
    link = switcher_link(english_notice.content.decode(), "ka")
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == georgian_only_program.url


def test_the_tracking_page_switches_language_and_keeps_its_query(
    client: Client, site_content
) -> None:
    html = client.get("/en/track/", {"reference": "K7QM-4XPA"}).content.decode()
    assert switcher_link(html, "ka") == "/track/?reference=K7QM-4XPA"
    html = client.get("/track/", {"reference": "K7QM-4XPA"}).content.decode()
    assert switcher_link(html, "en") == "/en/track/?reference=K7QM-4XPA"
