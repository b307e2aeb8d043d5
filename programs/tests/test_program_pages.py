"""Program pages as residents read them, and the rules editors work within."""

import pytest
from django.test import Client
from wagtail.models import Locale
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage
from programs.models import AdministrativeUnit, ProgramIndexPage, ProgramPage
from programs.tests.factories import ProgramPageFactory

pytestmark = pytest.mark.django_db


class TestPageTypeRules(WagtailPageTestCase):
    def test_program_index_lives_under_the_home_page(self) -> None:
        self.assertAllowedParentPageTypes(ProgramIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ProgramIndexPage, {ProgramPage})

    def test_programs_live_only_under_the_index(self) -> None:
        self.assertAllowedParentPageTypes(ProgramPage, {ProgramIndexPage})
        self.assertCanNotCreateAt(ProgramPage, ProgramPage)
        self.assertCanNotCreateAt(ProgramPage, StandardPage)

    def test_content_pages_cannot_hold_programs(self) -> None:
        self.assertCanNotCreateAt(StandardPage, ProgramPage)
        self.assertCanNotCreateAt(HomePage, ProgramPage)


def test_program_page_shows_its_facts_in_georgian(client: Client, demo_programs) -> None:
    html = client.get("/programs/rural-roads/").content.decode()
    assert "<h1>სოფლის გზების რეაბილიტაცია</h1>" in html
    assert "ინფრასტრუქტურა და გზები" in html  # category
    assert "ინფრასტრუქტურისა და სივრცითი მოწყობის სამსახური" in html  # responsible service
    assert "2\xa0400\xa0000\xa0₾" in html  # one format everywhere (cms.core.formatting)
    assert "მაღლაკი" in html  # a covered unit
    assert "როგორ შევაფასო პროგრამა?" in html  # FAQ block


def test_program_page_shows_its_facts_in_english(client: Client, demo_programs) -> None:
    html = client.get("/en/programs/rural-roads/").content.decode()
    assert "<h1>Rehabilitation of rural roads</h1>" in html
    assert "Infrastructure and roads" in html
    assert "Infrastructure and Spatial Planning Service" in html
    assert "Maghlaki" in html
    assert "2,400,000\xa0₾" in html
    assert 'href="/programs/rural-roads/" lang="ka"' in html


def test_municipality_wide_program_says_so(client: Client, demo_programs) -> None:
    assert "The whole municipality" in client.get("/en/programs/kindergartens/").content.decode()


def test_draft_program_is_not_public(client: Client, program_index) -> None:
    ProgramPageFactory(parent=program_index, slug="draft-program", live=False)
    assert client.get("/programs/draft-program/").status_code == 404


def test_user_content_is_escaped(client: Client, program_index) -> None:
    ProgramPageFactory(parent=program_index, slug="xss", summary="<script>alert(1)</script>")
    html = client.get("/programs/xss/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class TestFactsStayTheSameInEveryLanguage:
    def english(self, page: ProgramPage) -> ProgramPage:
        return page.get_translation(Locale.objects.get(language_code="en"))

    def test_publishing_the_georgian_page_updates_the_translation(self, demo_programs) -> None:
        page = ProgramPage.objects.get(slug="rural-roads", locale__language_code="ka")
        page.status = ProgramPage.Status.CLOSED
        page.budget_year = 2027
        page.administrative_units.set(AdministrativeUnit.objects.filter(code="17"))
        page.save_revision().publish()
        english = self.english(page)
        assert english.status == ProgramPage.Status.CLOSED
        assert english.budget_year == 2027
        assert list(english.administrative_units.values_list("code", flat=True)) == ["17"]

    def test_an_old_english_draft_cannot_bring_back_outdated_facts(self, demo_programs) -> None:
        page = ProgramPage.objects.get(slug="rural-roads", locale__language_code="ka")
        english = self.english(page)
        stale_revision = english.save_revision()
        page.status = ProgramPage.Status.CLOSED
        page.save_revision().publish()
        stale_revision.publish()
        assert self.english(page).status == ProgramPage.Status.CLOSED

    def test_submissions_belong_to_the_georgian_page(self, demo_programs) -> None:
        page = ProgramPage.objects.get(slug="rural-roads", locale__language_code="ka")
        assert self.english(page).canonical_program.pk == page.pk
        assert page.canonical_program.pk == page.pk
