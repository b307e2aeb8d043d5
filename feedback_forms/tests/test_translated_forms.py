"""Editors translate a program and its evaluation form into English in the admin; the English
form asks English questions and its answers land under the same field names as the Georgian
form's (issue 11 item 4)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale

from cms.core.roles import (
    ANALYSTS,
    CONTENT_EDITORS,
    MAYOR,
    PLATFORM_MANAGERS,
    ROLES,
    SERVICE_REPRESENTATIVES,
)
from cms.core.tests.factories import staff_user
from conftest import publish_translation
from feedback_forms.models import Evaluation, EvaluationFormPage
from feedback_forms.tests.admin_forms_data import editor_form_data
from feedback_forms.tests.factories import (
    EvaluationFormFieldFactory,
    EvaluationFormPageFactory,
    evaluation_data,
)
from feedback_forms.tests.journey import send
from programs.models import MunicipalService, ProgramCategory, ProgramPage
from programs.tests.factories import ProgramPageFactory

pytestmark = pytest.mark.django_db

GEORGIAN = re.compile("[\u10a0-\u10ff\u1c90-\u1cbf]")
LABELS = {
    "რამდენად მარტივი იყო ჩართვა?": "How easy was it to take part?",
    "რა უნდა გაუმჯობესდეს?": "What should be improved?",
}


@pytest.fixture
def georgian_program(program_index, reference_data):
    """A new program with its evaluation form, in Georgian only (the index is translated)."""
    publish_translation(program_index)
    program = ProgramPageFactory(
        parent=program_index,
        slug="street-lights",
        title="ქუჩის განათების პროგრამა",
        category=ProgramCategory.objects.get(slug="infrastructure"),
        responsible_service=MunicipalService.objects.get(slug="infrastructure"),
    )
    form = EvaluationFormPageFactory(parent=program)
    first, second = LABELS
    EvaluationFormFieldFactory(page=form, label=first, field_type="rating", required=True)
    EvaluationFormFieldFactory(page=form, label=second, field_type="multiline")
    return program


def translate_in_admin(client: Client, page) -> None:
    """The editor's "Translate" action: English, with the page's subtree."""
    url = reverse("simple_translation:submit_page_translation", args=[page.pk])
    english = Locale.objects.get(language_code="en")
    response = client.post(url, {"locales": [english.pk], "include_subtree": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]


def edit_and_publish(client: Client, page, changes) -> None:
    """Open the page editor, change what a translator changes, and press Publish."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(edit_url)
    assert response.status_code == 200
    data = editor_form_data(response.content.decode())
    if hasattr(page.specific, "body"):
        # The body's StreamField is drawn by JavaScript; these pages have none to keep.
        assert not page.specific.body
        data.setdefault("body-count", ["0"])
    changes(data)
    data["action-publish"] = ["action-publish"]
    response = client.post(edit_url, data)
    assert response.status_code == 302, re.findall(
        r'class="error-message"[^<]*<[^>]*>([^<]+)', response.content.decode()
    )


def translate_labels(data: dict) -> None:
    for name, values in data.items():
        if name.startswith("form_fields-") and name.endswith("-label"):
            data[name] = [LABELS.get(values[0], values[0])]


def test_an_editor_translates_a_program_and_its_form(client: Client, georgian_program) -> None:
    editor = staff_user(CONTENT_EDITORS, username="editor")
    client.force_login(editor)
    header = client.get(reverse("wagtailadmin_pages:edit", args=[georgian_program.pk]))
    assert (
        reverse("simple_translation:submit_page_translation", args=[georgian_program.pk])
        in header.content.decode()
    )

    translate_in_admin(client, georgian_program)
    english_program = ProgramPage.objects.get(
        translation_key=georgian_program.translation_key, locale__language_code="en"
    )
    georgian_form = georgian_program.get_children().type(EvaluationFormPage).specific().get()
    english_form = georgian_form.get_translation(Locale.objects.get(language_code="en"))

    def program_changes(data):
        data["title"] = ["Street lighting program"]

    def form_changes(data):
        data["title"] = ["Evaluate the program"]
        translate_labels(data)

    edit_and_publish(client, english_program, program_changes)
    edit_and_publish(client, english_form, form_changes)

    english_form = EvaluationFormPage.objects.get(pk=english_form.pk)
    assert english_form.live
    assert [field.label for field in english_form.form_fields.all()] == list(LABELS.values())
    # The published revision carries the English questions too (what a later edit starts from).
    revision = english_form.get_latest_revision_as_object()
    assert [field.label for field in revision.form_fields.all()] == list(LABELS.values())
    names = [field.clean_name for field in georgian_form.form_fields.all()]
    assert [field.clean_name for field in english_form.form_fields.all()] == names

    html = Client().get(english_form.url).content.decode()
    for label in LABELS.values():
        assert label in html
    for label in LABELS:
        assert label not in html


@pytest.mark.parametrize("role", [r for r in ROLES if r is not CONTENT_EDITORS])
def test_only_editors_may_translate(client: Client, georgian_program, role) -> None:
    client.force_login(staff_user(role, username=role.username))
    url = reverse("simple_translation:submit_page_translation", args=[georgian_program.pk])
    assert client.get(url).status_code in (302, 403)
    assert not ProgramPage.objects.filter(locale__language_code="en", slug="street-lights")


@pytest.fixture
def translated_program(client: Client, georgian_program):
    client.force_login(staff_user(CONTENT_EDITORS, username="editor"))
    translate_in_admin(client, georgian_program)
    english = Locale.objects.get(language_code="en")
    english_program = georgian_program.get_translation(english)
    georgian_form = georgian_program.get_children().type(EvaluationFormPage).specific().get()
    english_form = georgian_form.get_translation(english)

    edit_and_publish(client, english_program, lambda data: data.update(title=["Street lights"]))
    edit_and_publish(client, english_form, translate_labels)
    client.logout()
    return georgian_form, EvaluationFormPage.objects.get(pk=english_form.pk)


def test_answers_in_both_languages_share_the_field_names(
    client: Client, translated_program, instant_forms
) -> None:
    georgian_form, english_form = translated_program
    rating, improve = (field.clean_name for field in georgian_form.form_fields.all())
    answers = {rating: "5", improve: "მეტი ნათურა"}
    send(client, georgian_form.url, evaluation_data(**answers))
    english_client = Client()
    answers_en = {rating: "2", improve: "More lamps"}
    send(
        english_client,
        english_form.url,
        evaluation_data(personal_number="01001012346", **answers_en),
    )

    by_language = {e.language: e for e in Evaluation.objects.all()}
    assert set(by_language["ka"].answers) == set(by_language["en"].answers) == {rating, improve}
    assert by_language["en"].answers[improve] == "More lamps"
    assert by_language["en"].questions[improve] == "What should be improved?"
    # Both count against the Georgian form and program (one program, one set of columns).
    assert by_language["en"].form_page_id == by_language["ka"].form_page_id == georgian_form.pk
    assert by_language["en"].program_id == by_language["ka"].program_id


def test_the_english_tracking_page_shows_the_english_title(
    client: Client, translated_program, instant_forms
) -> None:
    _georgian_form, english_form = translated_program
    rating, _improve = (field.clean_name for field in english_form.form_fields.all())
    send(client, english_form.url, evaluation_data(**{rating: "4"}))
    evaluation = Evaluation.objects.get()
    html = client.get("/en/track/", {"reference": evaluation.reference}).content.decode()
    assert "Street lights" in html
    assert "ქუჩის განათების პროგრამა" not in html
    georgian = client.get("/track/", {"reference": evaluation.reference}).content.decode()
    assert "ქუჩის განათების პროგრამა" in georgian


def test_the_receipt_e_mail_names_the_program_in_the_residents_language(
    client: Client,
    translated_program,
    instant_forms,
    mailoutbox,
    django_capture_on_commit_callbacks,
) -> None:
    _georgian_form, english_form = translated_program
    rating, _improve = (field.clean_name for field in english_form.form_fields.all())
    with django_capture_on_commit_callbacks(execute=True):
        send(
            client,
            english_form.url,
            evaluation_data(contact_email="r@example.com", **{rating: "4"}),
        )
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Program: Street lights" in body
    assert not GEORGIAN.search(body)


@pytest.mark.parametrize(
    "role", [CONTENT_EDITORS, PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES, MAYOR, ANALYSTS]
)
def test_no_role_meets_the_empty_form_builder_submissions_menu(
    client: Client, evaluation_form, role
) -> None:
    user = staff_user(role, username=role.username)
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailforms:index") not in html


def test_the_superuser_does_not_meet_it_either(client: Client, evaluation_form) -> None:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-long-123")
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailforms:index") not in html
    # Without the hook an editor of form pages would see it (the check is not vacuous).
    from wagtail.contrib.forms.utils import get_forms_for_user

    assert get_forms_for_user(admin).exists()


def english_labels_of(form) -> list[str]:
    return [field.label for field in form.form_fields.all()]


def test_the_demo_english_forms_ask_english_questions(demo_programs) -> None:
    from feedback_forms.demo import EVALUATION_QUESTIONS, ensure_evaluation_forms

    ensure_evaluation_forms()
    expected = [labels["en"] for _type, labels, _required in EVALUATION_QUESTIONS]
    english_forms = EvaluationFormPage.objects.filter(locale__language_code="en")
    assert english_forms.count() == demo_programs.count()
    for form in english_forms:
        assert english_labels_of(form) == expected
        assert english_labels_of(form.get_latest_revision_as_object()) == expected
        georgian = form.get_translation(Locale.objects.get(language_code="ka"))
        assert [f.clean_name for f in form.form_fields.all()] == [
            f.clean_name for f in georgian.form_fields.all()
        ]
        html = Client().get(form.url).content.decode()
        assert all(label in html for label in expected)


def test_loading_the_demo_again_repairs_english_forms_left_in_georgian(demo_programs) -> None:
    """Databases loaded before the fix: their English forms' rows kept Georgian labels."""
    from feedback_forms.demo import EVALUATION_QUESTIONS, ensure_evaluation_forms

    ensure_evaluation_forms()
    form = EvaluationFormPage.objects.filter(locale__language_code="en").first()
    georgian_labels = [labels["ka"] for _type, labels, _required in EVALUATION_QUESTIONS]
    fields = list(form.form_fields.all())
    for field, label in zip(fields, georgian_labels, strict=True):
        field.label = label
    form.form_fields = fields
    form.save_revision().publish()
    assert english_labels_of(EvaluationFormPage.objects.get(pk=form.pk)) == georgian_labels

    ensure_evaluation_forms()
    repaired = EvaluationFormPage.objects.get(pk=form.pk)
    assert english_labels_of(repaired) == [
        labels["en"] for _type, labels, _required in EVALUATION_QUESTIONS
    ]
