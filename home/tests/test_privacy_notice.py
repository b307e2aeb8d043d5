"""The privacy notice (issue 10, Deliver 8): what the Law of Georgia on Personal Data Protection
(2023) asks a municipality to tell, in both languages, editable in the admin, stating the
retention periods the system applies, and linked from every form's consent question."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from home.models import PrivacyNoticePage
from home.privacy import retention_periods

pytestmark = pytest.mark.django_db

EVAL_URL = "/programs/rural-roads/evaluation/"


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def notice_ka(site_content) -> PrivacyNoticePage:
    return PrivacyNoticePage.objects.get(locale__language_code="ka")


def test_the_demo_loader_creates_the_notice_in_georgian_and_english(site_content) -> None:
    notices = PrivacyNoticePage.objects.live()
    assert {notice.locale.language_code for notice in notices} == {"ka", "en"}
    ka, en = (notices.get(locale__language_code=code) for code in ("ka", "en"))
    assert ka.translation_key == en.translation_key
    assert ka.controller_name == "წყალტუბოს მუნიციპალიტეტის მერია"
    assert en.controller_name == "Tskaltubo Municipality City Hall"
    for notice in (ka, en):
        assert notice.dpo_email and notice.requests_email and notice.requests_postal_address
        assert notice.purposes and notice.legal_basis and notice.rights and notice.complaints


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/en/privacy/",
            [
                "Who is responsible for your data",
                "Tskaltubo Municipality City Hall",
                "Data protection officer",
                "dpo@tskaltubo.gov.ge",
                "Why we process your data",
                "Legal basis",
                "consent",
                "A protected code made from your personal number",
                "Your year of birth and whether you were 18 or older",
                "Your e-mail address and phone number, only if you gave them",
                "How long we keep it",
                "Your rights",
                "have your data erased",
                "How to use your rights",
                "Post:",
                "Personal Data Protection Service",
            ],
        ),
        (
            "/privacy/",
            [
                "წყალტუბოს მუნიციპალიტეტის მერია",
                "პერსონალურ მონაცემთა დაცვის ოფიცერი",
                "dpo@tskaltubo.gov.ge",
                "პერსონალურ მონაცემთა დაცვის სამსახურს",
            ],
        ),
    ],
)
def test_the_notice_says_what_the_law_asks(client: Client, site_content, url, expected) -> None:
    response = client.get(url)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    for phrase in expected:
        assert phrase in text, phrase


def test_the_retention_periods_are_the_configured_ones(client: Client, site_content, settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 97
    settings.FEEDBACK_RATE_LIMITS = {"ip": (30, 3600), "person": (10, 5 * 86400)}
    settings.FEEDBACK_FORM_MAX_AGE_SECONDS = 3 * 3600
    assert retention_periods().contact_days == 97
    text = visible_text(client.get("/en/privacy/").content.decode())
    assert "erased 97 days after your need was answered" in text
    assert "deleted after 5 days" in text  # the longest rate-limit window, here 5 days
    assert "expires after 3 hours" in text
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 1
    assert "erased 1 day after" in visible_text(client.get("/en/privacy/").content.decode())


def test_every_web_forms_consent_question_links_to_the_notice(
    client: Client, evaluation_form, needs_form
) -> None:
    for url, notice in [
        (EVAL_URL, "/privacy/"),
        (f"/en{EVAL_URL}", "/en/privacy/"),
        ("/report-a-need/", "/privacy/"),
        ("/en/report-a-need/", "/en/privacy/"),
    ]:
        html = client.get(url).content.decode()
        consent = re.search(r'<label for="id_consent">.*?</label>', html, re.S).group(0)
        assert f'href="{notice}"' in consent, url


def test_the_api_gives_the_notice_with_every_form(client: Client, evaluation_form, needs_form):
    program = evaluation_form.get_parent()
    for path, language, notice in [
        (f"/api/v1/programs/{program.pk}/evaluation-form", "ka", "/privacy/"),
        (f"/api/v1/programs/{program.pk}/evaluation-form", "en", "/en/privacy/"),
        ("/api/v1/needs-form", "en", "/en/privacy/"),
    ]:
        data = client.get(path, HTTP_ACCEPT_LANGUAGE=language).json()
        assert data["privacy_notice_url"] == f"http://testserver{notice}"
        consent = next(q for q in data["questions"] if q["name"] == "consent")
        assert data["privacy_notice_url"] in consent["help_text"]
    schema = json.dumps(client.get("/api/v1/openapi.json").json())
    assert "consent to the processing of the answers as the privacy notice describes: " in schema
    assert "http://testserver/privacy/" in schema


def test_editors_edit_it_in_the_admin(notice_ka) -> None:
    admin = get_user_model().objects.create_superuser("admin", "a@example.ge", "x")
    client = Client()
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[notice_ka.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("controller_name", "dpo_email", "purposes", "legal_basis", "rights"):
        assert f'name="{field}"' in html, field
    notice_ka.dpo_email = "oficeri@tskaltubo.gov.ge"
    notice_ka.save_revision().publish()
    assert "oficeri@tskaltubo.gov.ge" in Client().get("/privacy/").content.decode()


def test_an_old_plain_privacy_page_does_not_hide_the_notice(site_content) -> None:
    """A database made before the notice had its own page type keeps its /privacy/ page."""
    from home.models import HomePage, StandardPage
    from home.privacy_notice_content import ensure_privacy_notice

    PrivacyNoticePage.objects.all().delete()
    homes = {home.locale.language_code: home for home in HomePage.objects.all()}
    old = StandardPage(title="Privacy", slug="privacy")
    homes["ka"].add_child(instance=old)
    ensure_privacy_notice(homes)
    notice = PrivacyNoticePage.objects.get(locale__language_code="ka")
    assert notice.slug == "privacy-notice"
    assert PrivacyNoticePage.objects.count() == 2
