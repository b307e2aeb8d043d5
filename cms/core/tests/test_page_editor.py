"""Staff can use the admin as a new user would: the demo accounts have names (so the account
form saves), and publishing while an autosave is still saving the page is a clear message,
never a 500."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from home.demo import ensure_demo_users
from home.models import StandardPage

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """The values a browser would send for the account form as shown."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.values.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.values.append((self.select, a.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None


def test_every_demo_account_has_a_first_and_a_last_name(reference_data) -> None:
    ensure_demo_users("demo-password-123")
    for user in get_user_model().objects.all():
        assert user.first_name and user.last_name, user.username


def test_a_name_staff_changed_is_kept(reference_data) -> None:
    ensure_demo_users("demo-password-123")
    get_user_model().objects.filter(username="editor").update(first_name="ეკა")
    ensure_demo_users("demo-password-123")
    assert get_user_model().objects.get(username="editor").first_name == "ეკა"


def test_a_demo_account_switches_the_admin_to_english(client: Client, reference_data) -> None:
    ensure_demo_users("demo-password-123")
    assert client.login(username="editor", password="demo-password-123")
    url = reverse("wagtailadmin_account")
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    data: dict[str, str] = {}
    for name, value in parser.values:
        data.setdefault(name, value)
    data["locale-preferred_language"] = "en"
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r"error-message[^<]*<[^>]*>([^<]*)", response.content.decode()
    )
    user = get_user_model().objects.get(username="editor")
    assert user.wagtail_userprofile.preferred_language == "en"


@pytest.fixture
def editor(client: Client, site_content):
    user = get_user_model().objects.create_superuser("chief", "chief@tskaltubo.gov.ge", "pw")
    client.force_login(user)
    return user


def test_publishing_while_an_autosave_saves_the_page_is_a_message_not_a_500(
    client: Client, editor, site_content, monkeypatch
) -> None:
    home = site_content["en"]
    url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", home.pk])
    real = Page._slug_is_available
    calls = {"n": 0}

    def autosave_lands_after_validation(slug, parent_page, page=None):
        """The form's check passes; the autosave request then saves the page with that slug
        before "Publish" gets to save its own."""
        calls["n"] += 1
        if calls["n"] == 1:
            autosaved = StandardPage(title="Opening hours", slug=slug, live=False)
            parent_page.add_child(instance=autosaved)
            autosaved.save_revision()
            return True
        return real(slug, parent_page, page)

    monkeypatch.setattr(Page, "_slug_is_available", staticmethod(autosave_lands_after_validation))
    response = client.post(
        url,
        {
            "title": "Opening hours",
            "slug": "opening-hours",
            "body-count": "0",
            "action-publish": "action-publish",
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The admin is Georgian first: the message in the editor's language.
    assert "მიმდინარეობდა მისი ავტომატური შენახვა" in html
    pages = StandardPage.objects.child_of(home).filter(slug="opening-hours")
    assert pages.count() == 1  # nothing created twice
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[pages[0].pk])
    assert not pages[0].live  # not published behind the editor's back


def test_other_validation_errors_still_show_in_the_form(client: Client, editor, site_content):
    home = site_content["en"]
    url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", home.pk])
    response = client.post(url, {"title": "", "slug": "x", "body-count": "0"})
    assert response.status_code == 200  # the form with its errors, as Wagtail shows them
