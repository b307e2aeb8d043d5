"""Demo submissions spread over their half-years with real past times: needs with their
history (assigned, answered, resolved), evaluations, and the late paper forms entered after a
report was sent. Every date is derived from one "now", so the demo is true whenever it loads."""

from typing import TYPE_CHECKING

from feedback_forms.demo.forms import first
from feedback_forms.models import HIDDEN_STATUSES, EvaluationFormPage, NeedsFormPage

if TYPE_CHECKING:
    import datetime
    import random

    from cms.core.personal_numbers import PersonalNumberDigest
    from feedback_forms.models import Need, NeedUpdate
    from programs.models import Settlement


NEED_TOPICS = [
    (
        "infrastructure",
        "infrastructure",
        ("გზის შეკეთება", "Road repair"),
        "სოფლის მთავარ გზაზე ორმოებია, წვიმის შემდეგ მანქანა ვერ გადის.",
    ),
    (
        "infrastructure",
        "infrastructure",
        ("გარე განათება", "Street lighting"),
        "ქუჩაზე საღამოს ბნელა, ბავშვები სკოლიდან სიბნელეში ბრუნდებიან.",
    ),
    (
        "water",
        "infrastructure",
        ("სასმელი წყლის მიწოდება", "Drinking water supply"),
        "წყალი მხოლოდ დილით მოდის ორი საათით, ზაფხულში საერთოდ არ არის.",
    ),
    (
        "environment",
        "inspection",
        ("ნაგვის ურნების დამატება", "More rubbish bins"),
        "ურნები ივსება და ნაგავი ქუჩაში იყრება.",
    ),
    (
        "preschool",
        "culture",
        ("საბავშვო ბაღის რემონტი", "Kindergarten repair"),
        "ბაღის სახურავი ჩამოდის და გათბობა არ მუშაობს.",
    ),
    (
        "health",
        "social",
        ("ამბულატორიის სამუშაო საათები", "Opening hours of the clinic"),
        "ექიმი კვირაში მხოლოდ ერთხელ მოდის სოფელში.",
    ),
    (
        "sport",
        "culture",
        ("სპორტული მოედნის მოწყობა", "A sports ground"),
        "ახალგაზრდებს ფეხბურთის სათამაშო ადგილი არ აქვთ.",
    ),
    (
        "culture",
        "culture",
        ("კლუბის შენობის რეაბილიტაცია", "Renovation of the village club"),
        "სოფლის კლუბი დანგრეულია, ღონისძიებების ჩატარება შეუძლებელია.",
    ),
    (
        "youth",
        "culture",
        ("ახალგაზრდული ცენტრი", "A youth centre"),
        "გვჭირდება ადგილი, სადაც ახალგაზრდები შეიკრიბებიან და ისწავლიან.",
    ),
    (
        "social",
        "social",
        ("მარტოხელა მოხუცების დახმარება", "Help for elderly people living alone"),
        "სოფელში ბევრი მარტოხელა მოხუცია, რომლებსაც საკვების მიტანა სჭირდებათ.",
    ),
    (
        "agriculture",
        "economy",
        ("სარწყავი არხის გაწმენდა", "Cleaning the irrigation canal"),
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
    "ka": {
        "planned": "სამუშაოები დაგეგმილია; სამსახური მათ მომავალ თვეებში შეასრულებს.",
        "resolved": "პრობლემა მოგვარებულია. გმადლობთ მიმართვისთვის.",
        "declined": "სამწუხაროდ, ამ ეტაპზე დაფინანსება ვერ მოიძებნა; საკითხს ხელახლა განვიხილავთ.",
    },
    "en": {
        "planned": "The works are planned; the service will carry them out in the coming months.",
        "resolved": "The problem has been solved. Thank you for telling us.",
        "declined": "Unfortunately no funding could be found for now; we will look at it again.",
    },
}
#: Share of demo needs submitted in English (their answers are in English too).
ENGLISH_SHARE = 0.15
IMPROVEMENTS = [
    "",
    "",
    "რიგები უფრო მოკლე უნდა იყოს.",
    "მეტი ინფორმაცია ვებგვერდზე.",
    "დოკუმენტების ნაკლები მოთხოვნა.",
]
#: Paper forms handed in late in the previous half-year and typed in after its report was sent.
DAY_HOURS = (8, 22)


def period_window(
    code: str, now: "datetime.datetime"
) -> tuple["datetime.datetime", "datetime.datetime"]:
    """The period from its first moment (Tbilisi) to its end or `now`, whichever is earlier."""
    import datetime

    from django.utils import timezone

    from feedback_forms.periods import period_bounds

    first, last = period_bounds(code)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, min(end, now)


def demo_moment(
    rng: "random.Random", start: "datetime.datetime", end: "datetime.datetime"
) -> "datetime.datetime":
    """A moment in [start, end), in the daytime when the window allows it."""
    import datetime

    from django.utils import timezone

    if end <= start:
        return start
    for _attempt in range(5):
        span_days = (end - start).days
        day = timezone.localdate(start) + datetime.timedelta(days=rng.randrange(span_days + 1))
        moment = timezone.make_aware(
            datetime.datetime.combine(
                day, datetime.time(rng.randrange(*DAY_HOURS), rng.randrange(60))
            )
        )
        if start <= moment < end:
            return moment
    return start + (end - start) * rng.random()


def between(
    rng: "random.Random",
    start: "datetime.datetime",
    end: "datetime.datetime",
    low: float = 0.0,
    high: float = 1.0,
) -> "datetime.datetime":
    """A moment between two others (never outside them)."""
    if end <= start:
        return start
    return start + (end - start) * rng.uniform(low, high)


def need_history(
    rng: "random.Random", created: "datetime.datetime", status: str, cutoff: "datetime.datetime"
) -> dict:
    """Believable moments for a need's steps: assigned, in review and answered, each after the
    one before, none after `cutoff` (now, or when the period's report was sent)."""
    import datetime

    history: dict = {}
    if status == "new":
        return history
    if status in HIDDEN_STATUSES:
        history[status] = between(rng, created, min(cutoff, created + datetime.timedelta(days=3)))
        return history
    answered = None
    if status in PUBLIC_ANSWERS["ka"]:
        answered = created + datetime.timedelta(days=rng.uniform(2, 40))
        if answered > cutoff:
            answered = between(rng, created, cutoff, 0.3, 1.0)
        history["answered"] = answered
    last = answered or cutoff
    history["assigned"] = between(rng, created, last, 0.02, 0.3)
    if status != "assigned":
        history["in_review"] = between(rng, history["assigned"], last, 0.1, 0.6)
    return history


def ensure_demo_submissions(
    evaluations: int = 180,
    needs: int = 160,
    seed: int = 2026,
    *,
    now: "datetime.datetime | None" = None,
    answered_by: dict | None = None,
) -> int:
    """A few hundred realistic submissions over the current and the previous reporting period.

    Everything is derived from `now` (the demo may load on any date): creation times are
    spread over each period up to now, answers come after the submission and never after
    `answered_by[period]` (when that period's report was sent) or now, and each need carries
    the public timeline of its steps. Made directly (not through the forms) so that dates can
    lie in the past; only when none exist yet, so `load_demo_data` never doubles them.
    """
    import datetime
    import random

    from django.db import transaction
    from django.utils import timezone

    from cms.core.personal_numbers import digest_personal_number
    from feedback_forms.models import Evaluation, Need, NeedUpdate
    from feedback_forms.periods import period_for_date, previous_period
    from feedback_forms.references import new_reference
    from programs.models import MunicipalService, ProgramCategory, Settlement

    if Evaluation.objects.exists() or Need.objects.exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(seed)
    current = period_for_date(timezone.localdate(now))
    periods = [previous_period(current), current]
    windows = [period_window(code, now) for code in periods]
    cutoffs = [min(now, (answered_by or {}).get(code, now)) for code in periods]
    forms = list(EvaluationFormPage.objects.filter(locale__language_code="ka").specific())
    needs_form = NeedsFormPage.objects.filter(locale__language_code="ka").first()
    settlements = list(Settlement.objects.select_related("unit"))
    categories = {category.slug: category for category in ProgramCategory.objects.all()}
    services = {service.slug: service for service in MunicipalService.objects.all()}

    def person(index: int) -> "PersonalNumberDigest":
        return digest_personal_number(f"{10_000_000_000 + index * 7919:011d}")

    evaluation_rows = []
    need_rows = []
    histories = []
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
        evaluation_rows.append(
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
                reporting_period=period_for_date(timezone.localdate(moment)),
                budget_year=moment.year,
                person_digest=digest.digest,
                key_version=digest.key_version,
                birth_year=rng.randrange(1945, 2006),
                is_adult=True,
                channel=rng.choices(["online", "phone", "visit", "paper"], weights=[80, 10, 6, 4])[
                    0
                ],
                answers=extra,
                questions=form.get_questions(),
                created_at=moment,
                submitted_on=timezone.localdate(moment),
                updated_at=moment,
            )
        )
    for index in range(needs if needs_form else 0):
        slug, service_slug, titles, description = rng.choice(NEED_TOPICS)
        settlement = rng.choice(settlements)
        moment = demo_moment(rng, *windows[index % 2])
        status = rng.choices(list(NEED_STATUS_WEIGHTS), weights=list(NEED_STATUS_WEIGHTS.values()))[
            0
        ]
        language = "en" if rng.random() < ENGLISH_SHARE else "ka"
        history = need_history(rng, moment, status, cutoffs[index % 2])
        digest = person(10_000 + index)
        assigned = history.get("assigned")
        need_rows.append(
            need_row(
                (slug, service_slug, titles, description),
                settlement,
                language=language,
                categories=categories,
                needs_form=needs_form,
                digest=digest,
                created_at=moment,
                reporting_period=period_for_date(timezone.localdate(moment)),
                status=status,
                service=(services.get(service_slug) or first(services)) if assigned else None,
                due_date=timezone.localdate(assigned) + datetime.timedelta(days=30)
                if assigned
                else None,
                public_answer=PUBLIC_ANSWERS[language].get(status, ""),
                answered_at=history.get("answered"),
                birth_year=rng.randrange(1945, 2006),
                channel=rng.choices(["online", "phone", "visit", "paper"], weights=[70, 15, 10, 5])[
                    0
                ],
                updated_at=max([moment, *history.values()]),
            )
        )
        histories.append(history)
    with transaction.atomic():
        Evaluation.objects.bulk_create(evaluation_rows)
        Need.objects.bulk_create(need_rows)
        # auto_now stamps "updated at" on insert: give back the time of the last step.
        Evaluation.objects.bulk_update(evaluation_rows, ["updated_at"])
        Need.objects.bulk_update(need_rows, ["updated_at"])
        NeedUpdate.objects.bulk_create(
            update
            for need, history in zip(need_rows, histories, strict=True)
            for update in timeline_of(need, history)
        )
    return len(evaluation_rows) + len(need_rows)


def need_row(
    topic: tuple,
    settlement: "Settlement",
    *,
    language: str,
    categories: dict,
    needs_form: "NeedsFormPage | None",
    digest: "PersonalNumberDigest",
    created_at: "datetime.datetime",
    reporting_period: str,
    **later: object,
) -> "Need":
    """One demo need as the needs form would have stored it (`later`: its channel and the
    steps staff took since); the demo's recent needs and its late paper forms share it."""
    from django.utils import timezone

    from feedback_forms.models import Need
    from feedback_forms.references import new_reference

    slug, _service, titles, description = topic
    place = settlement.name_en if language == "en" else settlement.name_ka
    received_on = timezone.localdate(created_at)
    return Need(
        reference=new_reference(),
        title=f"{titles[language == 'en']} — {place}",
        description=description,
        category=categories.get(slug) or first(categories),
        administrative_unit=settlement.unit,
        settlement=settlement,
        form_page=needs_form,
        language=language,
        reporting_period=reporting_period,
        budget_year=received_on.year,
        person_digest=digest.digest,
        key_version=digest.key_version,
        is_adult=True,
        created_at=created_at,
        submitted_on=received_on,
        **later,
    )


def timeline_of(need: "Need", history: dict) -> list["NeedUpdate"]:
    """The public steps of a demo need, as the workflow would have written them."""
    from feedback_forms.models import NeedUpdate

    steps = []
    if "assigned" in history:
        steps.append(NeedUpdate(need=need, at=history["assigned"], status="assigned"))
    if "in_review" in history:
        steps.append(NeedUpdate(need=need, at=history["in_review"], status="in_review"))
    if "answered" in history:
        steps.append(
            NeedUpdate(
                need=need, at=history["answered"], status=need.status, message=need.public_answer
            )
        )
    for hidden in HIDDEN_STATUSES:
        if hidden in history:
            steps.append(NeedUpdate(need=need, at=history[hidden], status=hidden))
    return steps
