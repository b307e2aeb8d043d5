"""Issue 15, items 4-6 in the browser: a beneficiary list with contacts -> staff send the
invitations -> the SMS reaches the local gateway -> the resident's code leads to a verified
evaluation without their personal number; a resident's need with a phone and a photo gets its
SMS receipt at the gateway."""

import datetime
import re
from pathlib import Path

import pytest

from cms.core.roles import PLATFORM_MANAGERS
from feedback_forms.models import Evaluation, Need

pytestmark = pytest.mark.e2e

PHONE = "599 12 34 56"


@pytest.fixture
def site(demo_site, settings, sms_gateway):
    from feedback_forms.demo import ensure_evaluation_forms, ensure_needs_form
    from home.models import HomePage

    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    ensure_evaluation_forms()
    ensure_needs_form({page.locale.language_code: page for page in HomePage.objects.all()})
    return sms_gateway


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("staff-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_an_invitation_code_leads_to_a_verified_evaluation(live_server, site, browser, tmp_path):
    from wagtail.users.models import UserProfile

    from cms.core.tests.factories import staff_user
    from programs.models import ProgramPage

    profile = UserProfile.get_for_user(staff_user(PLATFORM_MANAGERS, username="manager"))
    profile.preferred_language = "en"
    profile.save()
    program = ProgramPage.objects.get(slug="kindergartens", locale__language_code="ka")
    served = (datetime.date.today() - datetime.timedelta(days=10)).isoformat()
    beneficiaries = tmp_path / "beneficiaries.csv"
    beneficiaries.write_text(
        f"personal_number,served_on,phone\n01001012345,{served},{PHONE}\n", encoding="utf-8"
    )

    staff = browser.new_context(locale="en-GB").new_page()
    log_in(staff, live_server, "manager")
    staff.goto(f"{live_server.url}/admin/programs/{program.pk}/beneficiaries/")
    staff.locator("input[type=file]").set_input_files(str(beneficiaries))
    staff.get_by_role("button", name="Check the file").click()
    staff.get_by_role("button", name="Confirm import").click()
    staff.get_by_text("Beneficiary list imported: 1 new").wait_for()
    body = staff.locator("main").inner_text()
    assert "Beneficiaries with a phone or e-mail not invited yet: 1." in body, body[:1500]
    staff.get_by_role("button", name="Send the invitations").click()
    staff.get_by_text("Invitations sent: 1 by SMS, 0 by e-mail.").wait_for()

    [sms] = site.messages()
    assert sms["to"] == "+995599123456"
    link = re.search(r"(\S+/e/[A-Z0-9]{8}/)", sms["text"]).group(1)
    assert sms["text"].startswith("შეაფასეთ მერიის პროგრამა")

    resident = browser.new_context(locale="ka-GE").new_page()
    resident.goto(live_server.url + link.removeprefix(link.split("/e/")[0]))
    resident.wait_for_url(re.compile(r".*/programs/kindergartens/evaluation/\?code=.*"))
    assert resident.locator("input[name=personal_number]").count() == 0
    assert resident.locator("input[name=invitation_code]").input_value()
    resident.locator("input[name=citizen]").check()
    resident.locator("input[name=birth_date_day]").fill("15")
    resident.locator("input[name=birth_date_month]").fill("3")
    resident.locator("input[name=birth_date_year]").fill("1985")
    resident.locator("input[name=used_program]").check()
    resident.locator("select[name=used_on_month]").select_option("1")
    resident.locator("select[name=used_on_year]").select_option(str(datetime.date.today().year))
    for group in resident.locator("fieldset:has(input[type=radio])").all():
        group.locator("input[type=radio]").nth(3).check()
    resident.locator("input[name=consent]").check()
    resident.locator("button[value=review]").click()
    assert "••••••" in resident.locator(".summary-list").inner_text()
    resident.locator("button[value=submit]").click()
    resident.wait_for_url(re.compile(r".*/evaluation/done/[0-9A-Z]{4}-[0-9A-Z]{4}/$"))

    evaluation = Evaluation.objects.get(reference=resident.locator(".reference").inner_text())
    assert evaluation.verified and evaluation.invitation is not None
    assert evaluation.program.slug == "kindergartens"
    # The code worked once: the link now says so.
    resident.goto(live_server.url + link.removeprefix(link.split("/e/")[0]))
    assert "ამ მოსაწვევის გამოყენება შეუძლებელია" in resident.locator("h1").inner_text()


def test_a_need_with_a_phone_and_a_photo_gets_its_sms_receipt(live_server, site, page, tmp_path):
    from PIL import Image

    photo = Path(tmp_path) / "street.jpg"
    Image.new("RGB", (800, 600), (90, 90, 90)).save(photo, format="JPEG")
    page.goto(live_server.url + "/en/report-a-need/")
    page.get_by_label("I am a citizen of Georgia").check()
    page.get_by_label("Day").fill("15")
    page.get_by_label("Month", exact=True).first.fill("3")
    page.get_by_label("Year", exact=True).first.fill("1985")
    page.get_by_label("Personal number").fill("01001099999")
    page.get_by_label("I am registered in Tskaltubo Municipality").check()
    page.get_by_label("Administrative unit").select_option(label="Maghlaki")
    page.get_by_label("Town or village", exact=True).select_option(label="Maghlaki")
    page.get_by_label("What is it about?").select_option(label="Water supply")
    page.get_by_label("Title").fill("Water only two hours a day")
    page.get_by_label("Describe the need or idea").fill("In summer there is no water at all.")
    page.get_by_label("Photo").set_input_files(str(photo))
    page.get_by_label("Mobile phone").fill(PHONE)
    page.get_by_label("I agree that City Hall processes my answers").check()
    page.get_by_role("button", name="Continue").click()
    assert "Attached" in page.locator(".summary-list").inner_text()
    page.get_by_role("button", name="Send").click()
    reference = page.locator(".reference").inner_text()

    need = Need.objects.get(reference=reference)
    assert need.photo.width == 800
    [sms] = site.messages()
    assert sms["to"] == "+995599123456"
    assert reference in sms["text"] and sms["text"].startswith("Received, no.")
