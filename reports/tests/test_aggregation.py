"""Report figures checked against small, hand-computed fixtures."""

import datetime

import pytest
from django.utils import timezone

from feedback_forms.models import Evaluation, EvaluationFormField, Need, Status
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from reports.aggregation import compute_figures

pytestmark = pytest.mark.django_db

CODE = "2026-H1"


@pytest.fixture
def programs(evaluation_form):
    """The fixture's program (rural roads) plus a second one in the same index."""
    from programs.tests.factories import ProgramPageFactory

    roads = evaluation_form.get_parent().specific
    water = ProgramPageFactory(parent=roads.get_parent(), slug="water", title="წყალი")
    return roads, water


def evaluate(program, rating: int, period: str = CODE, **extra) -> Evaluation:
    return EvaluationFactory(
        program=program,
        program_title=program.title,
        category=program.category,
        overall_rating=rating,
        reporting_period=period,
        **extra,
    )


def test_program_figures_by_hand(programs) -> None:
    roads, water = programs
    rating_name = EvaluationFormField.objects.filter(field_type="rating").first().clean_name
    # Roads this period: ratings 5, 4, 2, 1 (one verified; one extra answer 3 and one 5)
    evaluate(roads, 5, verified=True, answers={rating_name: 3})
    evaluate(roads, 4, answers={rating_name: 5})
    evaluate(roads, 2)
    evaluate(roads, 1)
    evaluate(roads, 5, status=Status.SPAM)  # hidden: never counted
    # Roads previous period: 3 and 3 -> mean 3.0
    evaluate(roads, 3, period="2025-H2")
    evaluate(roads, 3, period="2025-H2")
    # Water this period: one 5
    evaluate(water, 5)

    figures = compute_figures(CODE, today=datetime.date(2026, 7, 10))
    by_title = {row["title"]: row for row in figures["programs"]}
    road = by_title[roads.title]
    assert road["count"] == 4
    assert road["verified"] == 1 and road["verified_share"] == 0.25
    assert road["mean"] == 3.0  # (5 + 4 + 2 + 1) / 4
    assert road["distribution"] == {"1": 1, "2": 1, "3": 0, "4": 1, "5": 1}
    assert road["low_count"] == 2 and road["low_share"] == 0.5
    assert (
        road["previous_count"] == 2 and road["previous_mean"] == 3.0 and road["mean_change"] == 0.0
    )
    question = road["questions"][0]
    assert question["name"] == rating_name
    assert question["count"] == 2 and question["mean"] == 4.0
    assert question["distribution"]["3"] == 1 and question["distribution"]["5"] == 1
    assert by_title["წყალი"]["mean"] == 5.0 and by_title["წყალი"]["previous_mean"] is None
    assert figures["totals"]["evaluations"] == 5
    assert figures["totals"]["mean_rating"] == 3.4  # (5 + 4 + 2 + 1 + 5) / 5


def test_answers_without_a_number_are_counted_but_not_averaged(programs) -> None:
    """Another form's text question may share a rating question's name, and stored JSON may
    hold null: the report still computes, counts them as answered and averages the numbers
    only (a number stored as text, as an import may write it, is still a number)."""
    roads, _water = programs
    rating_name = EvaluationFormField.objects.filter(field_type="rating").first().clean_name
    for answer in (4, "2", "ძალიან კარგი", None, True, [1], {"a": 1}, "NaN"):
        evaluate(roads, 3, answers={rating_name: answer})
    evaluate(roads, 3)  # not answered

    figures = compute_figures(CODE, today=datetime.date(2026, 7, 10))
    question = next(row for row in figures["programs"] if row["title"] == roads.title)["questions"][
        0
    ]
    assert question["count"] == 8
    assert question["mean"] == 3.0  # (4 + 2) / 2
    assert question["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}


def test_need_figures_by_hand(reference_data) -> None:
    from programs.models import ProgramCategory, Settlement

    city = Settlement.objects.get(name_en="Tskaltubo")
    village = Settlement.objects.exclude(unit=city.unit).first()
    roads = ProgramCategory.objects.get(slug="infrastructure")
    water = ProgramCategory.objects.get(slug="water")
    created = timezone.make_aware(datetime.datetime(2026, 3, 1, 10))

    def need(settlement, category, status=Status.NEW, answered_after=None, due=None):
        return NeedFactory(
            settlement=settlement,
            administrative_unit=settlement.unit,
            category=category,
            status=status,
            reporting_period=CODE,
            due_date=due,
            public_answer="answer" if answered_after is not None else "",
            created_at=created,
            answered_at=created + datetime.timedelta(days=answered_after)
            if answered_after is not None
            else None,
        )

    need(city, roads, Status.RESOLVED, answered_after=10)
    need(city, roads, Status.PLANNED, answered_after=20)
    need(city, roads, Status.DECLINED, answered_after=60)
    need(city, water, Status.ASSIGNED, due=datetime.date(2026, 4, 1))  # overdue on 10 July
    need(village, water, Status.IN_REVIEW, due=datetime.date(2026, 12, 1))  # not yet due
    need(village, water, Status.DUPLICATE)  # hidden

    figures = compute_figures(CODE, today=datetime.date(2026, 7, 10))
    categories = {row["slug"]: row["count"] for row in figures["needs_by_category"]}
    assert categories == {"infrastructure": 3, "water": 2}
    units = {row["code"]: row["count"] for row in figures["needs_by_unit"]}
    assert units == {city.unit.code: 4, village.unit.code: 1}
    statuses = {row["status"]: row["count"] for row in figures["needs_by_status"]}
    assert statuses["duplicate"] == 1 and statuses["resolved"] == 1 and statuses["spam"] == 0
    times = figures["response_times"]
    assert times == {"total": 5, "answered": 3, "open": 2, "overdue": 1, "median_days": 20.0}
    top = figures["top_needs"][0]
    assert (top["category"]["slug"], top["settlement"]["name_en"], top["count"]) == (
        "infrastructure",
        "Tskaltubo",
        3,
    )
    assert figures["totals"]["needs"] == 5 and figures["totals"]["hidden"] == 1


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(reference_data) -> None:
    from reports.aggregation import median_days_to_answer

    created = timezone.make_aware(datetime.datetime(2026, 2, 1, 9))
    for days in (2, 4, 10, 30):
        NeedFactory(
            status=Status.RESOLVED,
            public_answer="x",
            reporting_period=CODE,
            created_at=created,
            answered_at=created + datetime.timedelta(days=days),
        )
    assert median_days_to_answer(CODE) == 7.0


def test_the_database_refuses_a_negative_duration_and_the_median_never_is(reference_data) -> None:
    from django.db import IntegrityError, transaction

    from reports.aggregation import median_days_to_answer

    created = timezone.make_aware(datetime.datetime(2026, 2, 1, 9))
    need = NeedFactory(status=Status.RESOLVED, public_answer="x", reporting_period=CODE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Need.objects.filter(pk=need.pk).update(
            created_at=created, answered_at=created - datetime.timedelta(days=3)
        )
    Need.objects.filter(pk=need.pk).update(
        created_at=created, answered_at=created + datetime.timedelta(hours=5)
    )
    assert median_days_to_answer(CODE) == 0.2


def test_an_empty_period_has_empty_figures(db) -> None:
    figures = compute_figures("2030-H1")
    assert figures["programs"] == [] and figures["totals"]["evaluations"] == 0
    assert figures["response_times"]["median_days"] is None


def test_a_program_renamed_during_the_period_shows_its_greatest_names(programs) -> None:
    """The figures read the period once, grouped finer than per program; a program whose
    evaluations carry two titles or categories (renamed or moved during the half-year) still
    shows the greatest of each, as the plain recount (and SQL's MAX) takes it."""
    from programs.models import ProgramCategory
    from reports.tests.recount import programs as recount_programs

    roads, water = programs
    other = ProgramCategory.objects.exclude(pk=roads.category_id).first()
    for rating, title, extra in (
        (5, "a roads", {}),
        (3, "b roads", {"verified": True}),
        (1, "b roads", {"category": other, "channel": "phone"}),
    ):
        EvaluationFactory(
            program=roads,
            program_title=title,
            category=extra.pop("category", roads.category),
            overall_rating=rating,
            reporting_period=CODE,
            **extra,
        )
    evaluate(water, 4)

    figures = compute_figures(CODE, today=datetime.date(2026, 7, 10))
    expected = recount_programs(CODE)
    by_id = {row["program_id"]: row for row in figures["programs"]}
    assert set(by_id) == set(expected)
    for program_id, row in by_id.items():
        assert {key: row[key] for key in expected[program_id]} == expected[program_id]
    assert by_id[roads.pk]["title"] == "b roads"
    assert by_id[roads.pk]["count"] == 3 and by_id[roads.pk]["verified"] == 1
