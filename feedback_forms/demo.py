"""Demo forms: an evaluation form under every program (the municipality-wide needs form is part
of every site: `feedback_forms.site_pages`).

Idempotent: a program that already has an evaluation form is left alone.
"""

from feedback_forms.models import EvaluationFormField, EvaluationFormPage, NeedsFormPage
from feedback_forms.site_pages import add_questions, ensure_needs_form, translate_form
from programs.models import ProgramPage

__all__ = ["ensure_needs_form"]  # re-exported: the demo has always offered it

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
            "ka": "რამდენად მარტივი იყო პროგრამაში ჩართვა?",
            "en": "How easy was it to take part in the program?",
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


def ensure_evaluation_forms() -> int:
    created = 0
    for program in ProgramPage.objects.filter(locale__language_code="ka"):
        if program.get_children().type(EvaluationFormPage).exists():
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
    return created


NEED_TOPICS = [
    (
        "infrastructure",
        "infrastructure",
        "გზის შეკეთება",
        "სოფლის მთავარ გზაზე ორმოებია, წვიმის შემდეგ მანქანა ვერ გადის.",
    ),
    (
        "infrastructure",
        "infrastructure",
        "გარე განათება",
        "ქუჩაზე საღამოს ბნელა, ბავშვები სკოლიდან სიბნელეში ბრუნდებიან.",
    ),
    (
        "water",
        "infrastructure",
        "სასმელი წყლის მიწოდება",
        "წყალი მხოლოდ დილით მოდის ორი საათით, ზაფხულში საერთოდ არ არის.",
    ),
    (
        "environment",
        "inspection",
        "ნაგვის ურნების დამატება",
        "ურნები ივსება და ნაგავი ქუჩაში იყრება.",
    ),
    (
        "preschool",
        "culture",
        "საბავშვო ბაღის რემონტი",
        "ბაღის სახურავი ჩამოდის და გათბობა არ მუშაობს.",
    ),
    (
        "health",
        "social",
        "ამბულატორიის სამუშაო საათები",
        "ექიმი კვირაში მხოლოდ ერთხელ მოდის სოფელში.",
    ),
    (
        "sport",
        "culture",
        "სპორტული მოედნის მოწყობა",
        "ახალგაზრდებს ფეხბურთის სათამაშო ადგილი არ აქვთ.",
    ),
    (
        "culture",
        "culture",
        "კლუბის შენობის რეაბილიტაცია",
        "სოფლის კლუბი დანგრეულია, ღონისძიებების ჩატარება შეუძლებელია.",
    ),
    (
        "youth",
        "culture",
        "ახალგაზრდული ცენტრი",
        "გვჭირდება ადგილი, სადაც ახალგაზრდები შეიკრიბებიან და ისწავლიან.",
    ),
    (
        "social",
        "social",
        "მარტოხელა მოხუცების დახმარება",
        "სოფელში ბევრი მარტოხელა მოხუცია, რომლებსაც საკვების მიტანა სჭირდებათ.",
    ),
    (
        "agriculture",
        "economy",
        "სარწყავი არხის გაწმენდა",
        "არხი ამოვსებულია და ბაღებს წყალი არ მიდის.",
    ),
]
NEED_STATUS_WEIGHTS = {
    "new": 30,
    "assigned": 20,
    "in_review": 15,
    "planned": 10,
    "resolved": 10,
    "declined": 5,
    "spam": 3,
    "duplicate": 4,
    "not_eligible": 3,
}
PUBLIC_ANSWERS = {
    "planned": "სამუშაოები შეტანილია მომავალი წლის ბიუჯეტის პროექტში.",
    "resolved": "პრობლემა მოგვარებულია. გმადლობთ მიმართვისთვის.",
    "declined": "სამწუხაროდ, ამ ეტაპზე დაფინანსება ვერ მოიძებნა; საკითხს ხელახლა განვიხილავთ.",
}
IMPROVEMENTS = [
    "",
    "",
    "რიგები უფრო მოკლე უნდა იყოს.",
    "მეტი ინფორმაცია ვებგვერდზე.",
    "დოკუმენტების ნაკლები მოთხოვნა.",
]


def demo_moment(rng, start, end):
    import datetime

    from django.utils import timezone

    span = (end - start).days
    day = start + datetime.timedelta(days=rng.randrange(span + 1))
    moment = datetime.datetime.combine(day, datetime.time(rng.randrange(9, 21), rng.randrange(60)))
    return timezone.make_aware(moment)


def ensure_demo_submissions(evaluations: int = 180, needs: int = 160, seed: int = 2026) -> int:
    """A few hundred realistic submissions over the current and the previous reporting period.

    Made directly (not through the forms) so that dates can lie in the past; only when none
    exist yet, so `load_demo_data` never doubles them.
    """
    import random

    from django.db import transaction
    from django.utils import timezone

    from cms.core.personal_numbers import digest_personal_number
    from feedback_forms.models import Evaluation, Need
    from feedback_forms.periods import (
        current_period,
        period_bounds,
        period_for_date,
        previous_period,
    )
    from feedback_forms.references import new_reference
    from programs.models import MunicipalService, ProgramCategory, Settlement

    if Evaluation.objects.exists() or Need.objects.exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    periods = [previous_period(current_period()), current_period()]
    windows = [(period_bounds(code)[0], min(period_bounds(code)[1], today)) for code in periods]
    forms = list(EvaluationFormPage.objects.filter(locale__language_code="ka").specific())
    needs_form = NeedsFormPage.objects.filter(locale__language_code="ka").first()
    settlements = list(Settlement.objects.select_related("unit"))
    categories = {category.slug: category for category in ProgramCategory.objects.all()}
    services = {service.slug: service for service in MunicipalService.objects.all()}

    def person(index: int):
        return digest_personal_number(f"{10_000_000_000 + index * 7919:011d}")

    created = []
    with transaction.atomic():
        for index in range(evaluations if forms else 0):
            form = forms[index % len(forms)]
            program = form.get_parent().specific
            moment = demo_moment(rng, *windows[index % 2])
            digest = person(index)
            rating = rng.choices([1, 2, 3, 4, 5], weights=[6, 9, 20, 35, 30])[0]
            extra = {
                field.clean_name: max(1, min(5, rating + rng.choice([-1, 0, 0, 1])))
                for field in form.get_form_fields()
                if field.field_type == "rating"
            }
            improvement = rng.choice(IMPROVEMENTS)
            if improvement:
                extra.update(
                    {
                        field.clean_name: improvement
                        for field in form.get_form_fields()
                        if field.field_type == "multiline"
                    }
                )
            created.append(
                Evaluation(
                    reference=new_reference(),
                    program=program,
                    program_title=program.title,
                    category=program.category,
                    service=program.responsible_service,
                    form_page=form,
                    overall_rating=rating,
                    used_on=moment.date().replace(day=1),
                    verified=rng.random() < 0.4,
                    reporting_period=period_for_date(moment.date()),
                    budget_year=moment.year,
                    person_digest=digest.digest,
                    key_version=digest.key_version,
                    birth_year=rng.randrange(1945, 2006),
                    is_adult=True,
                    channel=rng.choices(
                        ["online", "phone", "visit", "paper"], weights=[80, 10, 6, 4]
                    )[0],
                    answers=extra,
                    questions=form.get_questions(),
                    created_at=moment,
                )
            )
        for index in range(needs if needs_form else 0):
            slug, service_slug, title, description = rng.choice(NEED_TOPICS)
            settlement = rng.choice(settlements)
            moment = demo_moment(rng, *windows[index % 2])
            status = rng.choices(
                list(NEED_STATUS_WEIGHTS), weights=list(NEED_STATUS_WEIGHTS.values())
            )[0]
            digest = person(10_000 + index)
            answered = status in PUBLIC_ANSWERS
            created.append(
                Need(
                    reference=new_reference(),
                    title=f"{title} — {settlement.name_ka}",
                    description=description,
                    category=categories[slug],
                    administrative_unit=settlement.unit,
                    settlement=settlement,
                    form_page=needs_form,
                    status=status,
                    service=services[service_slug] if status != "new" else None,
                    due_date=(moment + timezone.timedelta(days=30)).date()
                    if status != "new"
                    else None,
                    public_answer=PUBLIC_ANSWERS.get(status, ""),
                    answered_at=moment + timezone.timedelta(days=rng.randrange(5, 40))
                    if answered
                    else None,
                    reporting_period=period_for_date(moment.date()),
                    budget_year=moment.year,
                    person_digest=digest.digest,
                    key_version=digest.key_version,
                    birth_year=rng.randrange(1945, 2006),
                    is_adult=True,
                    channel=rng.choices(
                        ["online", "phone", "visit", "paper"], weights=[70, 15, 10, 5]
                    )[0],
                    created_at=moment,
                )
            )
        for submission in created:
            submission.save()
            type(submission).objects.filter(pk=submission.pk).update(
                created_at=submission.created_at
            )
    return len(created)
