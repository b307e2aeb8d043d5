"""The municipality-wide needs form (`/report-a-need/`) every site has; created by `setup_site`.

Idempotent: an existing needs form under the home page is left as editors made it. The helpers
that add questions and translate a form are shared with the demo's evaluation forms.
"""

from collections.abc import Sequence
from typing import Any

from wagtail.contrib.forms.models import AbstractFormField
from wagtail.models import Locale, Page

from feedback_forms.models import NeedsFormField, NeedsFormPage
from feedback_forms.models.pages import FeedbackFormPage

NEEDS_FORM = {
    "ka": {
        "title": "საჭიროების დაფიქსირება",
        "intro": "დააფიქსირეთ თქვენი სოფლის ან ქალაქის საჭიროება ან იდეა. მერია მას შესაბამის სამსახურს გადასცემს და საჯაროდ გიპასუხებთ.",
        "next": "საჭიროებას შესაბამისი სამსახური განიხილავს. სტატუსსა და პასუხს ნახავთ საცნობარო ნომრით.",
    },
    "en": {
        "title": "Report a need",
        "intro": "Record a need or an idea for your village or town. City Hall passes it to the responsible service and answers you publicly.",
        "next": "The responsible service reviews the need. You can see its status and the answer with your reference.",
    },
}
NEEDS_QUESTIONS = [
    (
        "number",
        {
            "ka": "დაახლოებით რამდენ ადამიანს ეხება?",
            "en": "Roughly how many people does it affect?",
        },
        False,
    ),
]


def add_questions(
    page: FeedbackFormPage,
    field_model: type[AbstractFormField],
    questions: Sequence[tuple[str, dict[str, str], bool]],
    language: str,
) -> None:
    for order, (field_type, labels, required) in enumerate(questions):
        page.form_fields.add(
            field_model(
                sort_order=order, label=labels[language], field_type=field_type, required=required
            )
        )


def translate_questions(
    translation: Any, questions: Sequence[tuple[str, dict[str, str], bool]]
) -> bool:
    """Put the translated labels on a translation's questions, keeping their field names (the
    columns every language's answers share). The edited rows are assigned back to the page, so
    the revision that is published carries them; editing `form_fields.all()` in place would
    change copies that no revision ever sees. Returns whether a label changed."""
    language = translation.locale.language_code
    fields = list(translation.form_fields.all())
    changed = False
    for field, (_type, labels, _required) in zip(fields, questions, strict=False):
        if field.label != labels[language]:
            field.label = labels[language]
            changed = True
    translation.form_fields = fields
    return changed


def translate_form(
    page: FeedbackFormPage,
    locale: Locale,
    content: dict,
    questions: Sequence[tuple[str, dict[str, str], bool]],
) -> None:
    translation = page.copy_for_translation(locale)
    translation.title = content["title"]
    translation.intro = content["intro"]
    translation.what_happens_next = content["next"]
    translate_questions(translation, questions)
    translation.save_revision().publish()


def repair_translated_questions(
    page: FeedbackFormPage, questions: Sequence[tuple[str, dict[str, str], bool]]
) -> int:
    """Demo databases loaded before the fix have English forms asking Georgian questions:
    publish their English labels. Only labels still equal to the Georgian ones are replaced,
    so an editor's own translation is left alone."""
    georgian = {labels["ka"] for _type, labels, _required in questions}
    repaired = 0
    for translation in page.get_translations().specific():
        if not any(field.label in georgian for field in translation.form_fields.all()):
            continue
        if translate_questions(translation, questions):
            translation.save_revision().publish()
            repaired += 1
    return repaired


def ensure_needs_form(homes: dict[str, Page]) -> NeedsFormPage:
    home = homes["ka"]
    form = home.get_children().type(NeedsFormPage).specific().first()
    if form is None:
        content = NEEDS_FORM["ka"]
        form = NeedsFormPage(
            title=content["title"],
            slug="report-a-need",
            intro=content["intro"],
            what_happens_next=content["next"],
            show_in_menus=True,
        )
        add_questions(form, NeedsFormField, NEEDS_QUESTIONS, "ka")
        home.add_child(instance=form)
        form.save_revision().publish()
    for code, translated_home in homes.items():
        if code != "ka" and form.get_translation_or_none(translated_home.locale) is None:
            translate_form(form, translated_home.locale, NEEDS_FORM[code], NEEDS_QUESTIONS)
    return form
