"""Demo forms: an evaluation form under every program (the municipality-wide needs form is part
of every site: `feedback_forms.site_pages`).

Idempotent: a program that already has an evaluation form is left alone.
"""

from typing import Any

from feedback_forms.models import EvaluationFormField, EvaluationFormPage, NeedsFormPage
from feedback_forms.site_pages import (
    NEEDS_QUESTIONS,
    add_questions,
    repair_translated_questions,
    translate_form,
)
from programs.models import ProgramPage

EVALUATION_FORM = {
    "ka": {
        "title": "პროგრამის შეფასება",
        "intro": "თუ ისარგებლეთ ამ პროგრამით, გვითხარით, რამდენად კმაყოფილი ხართ. შევსებას 3 წუთი სჭირდება.",
        "next": "შეფასებებს საზოგადოებასთან ურთიერთობისა და ღონისძიებათა მართვის განყოფილება წელიწადში ორჯერ აჯამებს და უგზავნის მერს.",
    },
    "en": {
        "title": "Evaluate the program",
        "intro": "If you used this program, tell us how satisfied you are. It takes about 3 minutes.",
        "next": "The PR and Events Management Division compiles the evaluations twice a year and sends them to the mayor.",
    },
}
EVALUATION_QUESTIONS = [
    (
        "rating",
        {
            # Answered on the satisfaction scale (RATING_CHOICES), so asked as satisfaction.
            "ka": "რამდენად კმაყოფილი ხართ პროგრამაში ჩართვის სიმარტივით?",
            "en": "How satisfied are you with how easy it was to take part in the program?",
        },
        True,
    ),
    (
        "rating",
        {
            "ka": "რამდენად კმაყოფილი ხართ თანამშრომლების მომსახურებით?",
            "en": "How satisfied are you with the staff?",
        },
        True,
    ),
    ("multiline", {"ka": "რა უნდა გაუმჯობესდეს?", "en": "What should be improved?"}, False),
]


def first(rows: dict) -> Any:
    """A smaller municipality's data set may lack a topic's category or service: its first."""
    return next(iter(rows.values()))


def ensure_evaluation_forms() -> int:
    created = 0
    for program in ProgramPage.objects.filter(locale__language_code="ka"):
        existing = program.get_children().type(EvaluationFormPage).specific().first()
        if existing is not None:
            repair_translated_questions(existing, EVALUATION_QUESTIONS)
            continue
        content = EVALUATION_FORM["ka"]
        form = EvaluationFormPage(
            title=content["title"],
            slug="evaluation",
            intro=content["intro"],
            what_happens_next=content["next"],
        )
        add_questions(form, EvaluationFormField, EVALUATION_QUESTIONS, "ka")
        program.add_child(instance=form)
        form.save_revision().publish()
        for translation in program.get_translations():
            translate_form(
                form,
                translation.locale,
                EVALUATION_FORM[translation.locale.language_code],
                EVALUATION_QUESTIONS,
            )
        created += 1
    for needs_form in NeedsFormPage.objects.filter(locale__language_code="ka"):
        repair_translated_questions(needs_form, NEEDS_QUESTIONS)
    return created
