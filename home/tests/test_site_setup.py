"""`setup_site` and the production guard of `load_demo_data`: a real site, no demo data."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import Locale, Page, Site

from feedback_forms.models import Evaluation, NeedsFormPage
from home.models import HomePage, PrivacyNoticePage, StandardPage
from programs.models import ProgramIndexPage
from reports.models import AccountabilityPage, ResultsPage

pytestmark = pytest.mark.django_db

SITE_PATHS = [
    "/",
    "/privacy/",
    "/accessibility/",
    "/programs/",
    "/report-a-need/",
    "/results/",
    "/accountability/",
]


def setup_site(*args: str) -> str:
    out = StringIO()
    call_command("setup_site", *args, stdout=out)
    return out.getvalue()


def test_creates_every_page_a_site_needs_in_both_languages(client: Client) -> None:
    call_command("load_reference_data", stdout=StringIO())
    output = setup_site()
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"ka", "en"}
    for model in (HomePage, ProgramIndexPage, NeedsFormPage, ResultsPage, AccountabilityPage):
        assert model.objects.live().count() == 2, model
    assert StandardPage.objects.live().filter(slug="accessibility").count() == 2
    # The privacy notice is a page type of its own (Law on Personal Data Protection), not a plain page.
    assert PrivacyNoticePage.objects.live().filter(slug="privacy").count() == 2
    assert not StandardPage.objects.filter(slug="privacy").exists()
    for path in SITE_PATHS:
        for prefix in ("", "/en"):
            response = client.get(prefix + path)
            assert response.status_code == 200, prefix + path
    assert "/report-a-need/" in output
    assert not Evaluation.objects.exists()
    assert not get_user_model().objects.exists()


def test_running_again_adds_nothing_and_keeps_editors_changes() -> None:
    setup_site()
    needs_form = NeedsFormPage.objects.get(locale__language_code="ka")
    needs_form.intro = "რედაქტორის ტექსტი"
    needs_form.save_revision().publish()
    pages = Page.objects.count()
    setup_site()
    assert Page.objects.count() == pages
    assert NeedsFormPage.objects.get(pk=needs_form.pk).intro == "რედაქტორის ტექსტი"


def test_the_default_site_takes_its_address_from_the_base_url(settings) -> None:
    settings.WAGTAILADMIN_BASE_URL = "https://feedback.example.gov.ge"
    setup_site()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("feedback.example.gov.ge", 443)
    assert site.root_page.specific_class is HomePage
    site.hostname, site.site_name = "platform.example.gov.ge", "სახელი"
    site.save()
    setup_site("--hostname", "other.example")
    site.refresh_from_db()
    assert (site.hostname, site.site_name) == ("platform.example.gov.ge", "სახელი")


def test_load_demo_data_refuses_production_settings_without_force(settings) -> None:
    settings.PRODUCTION = True
    pages, users = Page.objects.count(), get_user_model().objects.count()
    with pytest.raises(CommandError, match="production settings"):
        call_command("load_demo_data", stdout=StringIO())
    assert (Page.objects.count(), get_user_model().objects.count()) == (pages, users)
    assert not get_user_model().objects.exists()


def test_forced_demo_in_production_gives_no_account_a_shared_password(
    settings, monkeypatch
) -> None:
    settings.PRODUCTION = True
    monkeypatch.setenv("DEMO_PASSWORD", "shared-demo-password")
    out = StringIO()
    call_command("load_demo_data", "--force", stdout=out)
    users = get_user_model().objects.all()
    assert users.count() == 5
    assert not any(user.has_usable_password() for user in users)
    assert "changepassword" in out.getvalue()
    editor = users.get(username="editor")
    editor.set_password("the-editor-own-password")
    editor.save()
    call_command("load_demo_data", "--force", stdout=StringIO())
    editor.refresh_from_db()
    assert editor.check_password("the-editor-own-password")
    assert not any(
        user.check_password("shared-demo-password") for user in get_user_model().objects.all()
    )
