"""Residents evaluate a program and record a need, then follow it by its reference."""

import datetime
import re

import pytest

from feedback_forms.models import Evaluation, Need, Status
from tests.e2e.waiting import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def journey_site(demo_site, settings):
    """Demo content with its forms; the time trap's minimum is off for a fast robot."""
    from feedback_forms.demo import ensure_evaluation_forms, ensure_needs_form
    from home.models import HomePage

    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    ensure_evaluation_forms()
    homes = {page.locale.language_code: page for page in HomePage.objects.all()}
    ensure_needs_form(homes)


def fill_person(page, personal_number: str = "01001012345") -> None:
    page.get_by_label("I am a citizen of Georgia").check()
    page.get_by_label("Day").fill("15")
    page.get_by_label("Month", exact=True).first.fill("3")
    page.get_by_label("Year", exact=True).first.fill("1985")
    page.get_by_label("Personal number").fill(personal_number)


def test_resident_evaluates_a_program_and_sees_the_reference(live_server, journey_site, page):
    page.goto(live_server.url + "/en/programs/kindergartens/")
    page.get_by_role("link", name="Evaluate this program").click()
    page.wait_for_url("**/en/programs/kindergartens/evaluation/")

    page.get_by_role("button", name="Continue").click()  # nothing filled: errors first
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert "Enter your personal number." in summary.inner_text()

    fill_person(page)
    page.get_by_label("I have used this program or service").check()
    page.locator("select[name=used_on_month]").select_option("1")
    page.locator("select[name=used_on_year]").select_option(str(datetime.date.today().year))
    page.locator("#group-overall_rating").get_by_label("5 – very satisfied").check()
    for group in page.locator("fieldset:has(input[type=radio])").all()[1:]:
        group.get_by_label("4 – satisfied").check()
    page.get_by_label("I agree that City Hall processes my answers").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Check your answers before sending")
    assert "•••••••••45" in page.locator(".summary-list").inner_text()
    page.get_by_role("button", name="Send").click()

    page.wait_for_url(re.compile(r".*/evaluation/done/[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    reference = page.locator(".reference").inner_text()
    evaluation = Evaluation.objects.get(reference=reference)
    assert evaluation.overall_rating == 5
    assert evaluation.program.slug == "kindergartens"


def test_resident_records_a_need_and_follows_it(live_server, journey_site, page):
    page.goto(live_server.url + "/en/")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Report a need"
    ).click()
    fill_person(page, "01001099999")
    page.get_by_label("I am registered in Tskaltubo Municipality").check()
    page.get_by_label("Administrative unit").select_option(label="Maghlaki")
    page.get_by_label("Town or village", exact=True).select_option(label="Maghlaki")
    page.get_by_label("What is it about?").select_option(label="Water supply")
    page.get_by_label("Title").fill("Water only two hours a day")
    page.get_by_label("Describe the need or idea").fill("In summer there is no water at all.")
    page.get_by_label("I agree that City Hall processes my answers").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send").click()
    reference = page.locator(".reference").inner_text()

    need = Need.objects.get(reference=reference)
    assert need.settlement.name_en == "Maghlaki"
    need.status = Status.PLANNED
    need.public_answer = "A new intake is in next year's draft budget."
    need.save()

    page.goto(live_server.url + "/en/track/")
    page.get_by_label("Reference").fill(reference.lower())
    page.get_by_role("button", name="Show status").click()
    result = page.locator(".track-result").inner_text()
    assert "Answered: the work is planned" in result
    assert "A new intake is in next year's draft budget." in result
