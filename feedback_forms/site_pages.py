"""The municipality-wide needs form (`/report-a-need/`) every site has; created by `setup_site`.

Idempotent: an existing needs form under the home page is left as editors made it. The helpers
that add questions and translate a form are shared with the demo's evaluation forms.
"""

from wagtail.models import Page

from feedback_forms.models import NeedsFormField, NeedsFormPage

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


def add_questions(page, field_model, questions, language: str) -> None:
    for order, (field_type, labels, required) in enumerate(questions):
        page.form_fields.add(
            field_model(
                sort_order=order, label=labels[language], field_type=field_type, required=required
            )
        )


def translate_form(page, locale, content: dict, questions) -> None:
    translation = page.copy_for_translation(locale)
    translation.title = content["title"]
    translation.intro = content["intro"]
    translation.what_happens_next = content["next"]
    for field, (_type, labels, _required) in zip(
        translation.form_fields.all(), questions, strict=False
    ):
        field.label = labels[locale.language_code]
    translation.save_revision().publish()


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
