"""An editor translates a new program and its evaluation form into English in the admin and
publishes them; an English-speaking resident reaches the English form from the Georgian page
and evaluates the program in English (issue 11 items 4 and 6)."""

import datetime
import re

import pytest
from wagtail.models import Locale

from cms.core.roles import CONTENT_EDITORS
from feedback_forms.models import Evaluation, EvaluationFormPage
from programs.models import ProgramPage

pytestmark = pytest.mark.e2e

QUESTIONS = {
    "რამდენად კარგად არის განათებული თქვენი ქუჩა?": "How well lit is your street?",
    "რა უნდა გაუმჯობესდეს?": "What should be improved?",
}


@pytest.fixture
def new_program(demo_site, settings):
    """A program an editor has just published in Georgian, with its evaluation form."""
    from cms.core.tests.factories import staff_user
    from feedback_forms.tests.factories import EvaluationFormFieldFactory, EvaluationFormPageFactory
    from programs.models import MunicipalService, ProgramCategory, ProgramIndexPage
    from programs.tests.factories import ProgramPageFactory

    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    staff_user(CONTENT_EDITORS, username="editor")
    index = ProgramIndexPage.objects.get(locale__language_code="ka")
    program = ProgramPageFactory(
        parent=index,
        slug="street-lights",
        title="ქუჩის განათების პროგრამა",
        summary="ქუჩის განათების მოწყობა სოფლებში.",
        category=ProgramCategory.objects.get(slug="infrastructure"),
        responsible_service=MunicipalService.objects.get(slug="infrastructure"),
        municipality_wide=True,
    )
    form = EvaluationFormPageFactory(parent=program, title="პროგრამის შეფასება")
    first, second = QUESTIONS
    EvaluationFormFieldFactory(page=form, label=first, field_type="rating", required=True)
    EvaluationFormFieldFactory(page=form, label=second, field_type="multiline")
    form.save_revision().publish()
    program.save_revision().publish()
    return program


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("staff-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def publish(page) -> None:
    """The editor's footer: open the other actions and press Publish."""
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target=toggle]").last.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/?$"))


def test_an_editor_translates_a_program_and_a_resident_evaluates_it_in_english(
    live_server, new_program, browser
) -> None:
    english = Locale.objects.get(language_code="en")
    editor = browser.new_context(locale="en-US").new_page()
    editor.set_default_timeout(15_000)
    log_in(editor, live_server, "editor")

    # The "Translate" action is offered on the Georgian program.
    editor.goto(f"{live_server.url}/admin/pages/{new_program.pk}/edit/")
    translate_url = f"/admin/translation/submit/page/{new_program.pk}/"
    # The header's actions menu is drawn when opened: open the one that offers "Translate".
    translate = editor.locator(f"a[href^='{translate_url}']")
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    for toggle in editor.locator("[data-w-dropdown-target=toggle]").all():
        if toggle.is_visible():
            toggle.click()
            try:  # the menu is drawn after the click: wait a moment for it
                translate.first.wait_for(state="attached", timeout=3_000)
                break
            except PlaywrightTimeoutError:
                continue
    translate.first.click()
    editor.wait_for_url(f"**{translate_url}*")
    editor.locator(f"input[name=locales][value='{english.pk}']").check()
    editor.locator("input[name=include_subtree]").check()
    editor.locator("form input[type=submit]").click()
    editor.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))

    # The English program: its title in English, then Publish.
    english_program = ProgramPage.objects.get(
        translation_key=new_program.translation_key, locale=english
    )
    assert f"/admin/pages/{english_program.pk}/edit/" in editor.url
    editor.locator("[name=title]").fill("Street lighting program")
    editor.locator("[name=summary]").fill("Street lights in the villages.")
    publish(editor)

    # The English form: its title and questions in English, then Publish.
    georgian_form = new_program.get_children().type(EvaluationFormPage).specific().get()
    english_form = georgian_form.get_translation(english)
    editor.goto(f"{live_server.url}/admin/pages/{english_form.pk}/edit/")
    editor.locator("[name=title]").fill("Evaluate the program")
    for index, label in enumerate(QUESTIONS.values()):
        editor.locator(f"[name='form_fields-{index}-label']").fill(label)
    publish(editor)
    editor.context.close()

    # An English-speaking resident starts from the Georgian page and switches to English.
    resident = browser.new_context(locale="en-GB").new_page()
    resident.set_default_timeout(15_000)
    resident.goto(live_server.url + new_program.url)
    resident.locator(".language-switcher").get_by_role("link", name="English").click()
    resident.wait_for_url("**/en/programs/street-lights/")
    assert resident.locator("h1").inner_text() == "Street lighting program"
    resident.get_by_role("link", name="Evaluate this program").click()
    resident.wait_for_url("**/en/programs/street-lights/evaluation/")
    body = resident.locator("main").inner_text()
    for english_label, georgian_label in zip(QUESTIONS.values(), QUESTIONS, strict=True):
        assert english_label in body
        assert georgian_label not in body

    resident.get_by_label("I am a citizen of Georgia").check()
    resident.get_by_label("Day").fill("15")
    resident.get_by_label("Month", exact=True).first.fill("3")
    resident.get_by_label("Year", exact=True).first.fill("1985")
    resident.get_by_label("Personal number").fill("01001012345")
    resident.get_by_label("I have used this program or service").check()
    resident.locator("select[name=used_on_month]").select_option("1")
    resident.locator("select[name=used_on_year]").select_option(str(datetime.date.today().year))
    resident.locator("#group-overall_rating").get_by_label("5 – very satisfied").check()
    resident.locator("fieldset", has_text="How well lit is your street?").get_by_label(
        "2 – dissatisfied"
    ).check()
    resident.get_by_label("What should be improved?").fill("More lamps near the school.")
    resident.get_by_label("I agree that City Hall processes my answers").check()
    resident.get_by_role("button", name="Continue").click()
    assert "How well lit is your street?" in resident.locator(".summary-list").inner_text()
    resident.get_by_role("button", name="Send").click()
    resident.wait_for_url(re.compile(r".*/evaluation/done/[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    reference = resident.locator(".reference").inner_text()

    evaluation = Evaluation.objects.get(reference=reference)
    assert evaluation.language == "en"
    assert evaluation.program_id == new_program.pk
    names = [field.clean_name for field in georgian_form.form_fields.all()]
    assert set(evaluation.answers) == set(names)
    assert evaluation.answers[names[1]] == "More lamps near the school."

    # The tracking page names the program in English.
    resident.goto(f"{live_server.url}/en/track/?reference={reference}")
    assert "Street lighting program" in resident.locator("main").inner_text()
    resident.context.close()
