"""What the review meeting needs (Art. 4.6): figures per responsible service and the comparison
with the previous half-year, checked by hand and against a plain Python recount of random data."""

import datetime
import statistics
from collections import Counter

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from feedback_forms.models import Evaluation, Need, Status
from feedback_forms.models.submissions import HIDDEN_STATUSES
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from feedback_forms.workflow import ANSWERED, OPEN
from programs.models import MunicipalService, ProgramCategory, Settlement
from reports.aggregation import (
    COMPARISON_KEY,
    LOW_RATING,
    SERVICES_KEY,
    compute_figures,
    median_days,
    median_days_by,
    review_figures,
)
from reports.models import ReportingPeriod, ResultsReport
from reports.workflow import send_to_mayor

pytestmark = pytest.mark.django_db

CODE = "2026-H1"
PREVIOUS = "2025-H2"
TODAY = datetime.date(2026, 7, 10)
CREATED = timezone.make_aware(datetime.datetime(2026, 3, 1, 10))


def need(
    service,
    status=Status.NEW,
    *,
    answered_after: float | None = None,
    due: datetime.date | None = None,
    period: str = CODE,
    category: str = "infrastructure",
    settlement=None,
    created: datetime.datetime = CREATED,
) -> Need:
    settlement = settlement or Settlement.objects.get(name_en="Tskaltubo")
    answered_at = (
        created + datetime.timedelta(days=answered_after) if answered_after is not None else None
    )
    item = NeedFactory(
        service=service,
        status=status,
        due_date=due,
        reporting_period=period,
        budget_year=int(period[:4]),
        category=ProgramCategory.objects.get(slug=category),
        settlement=settlement,
        administrative_unit=settlement.unit,
        public_answer="answer" if answered_after is not None else "",
        created_at=created,
        answered_at=answered_at,
    )
    return at(item, created, answered_at)


def at(item: Need, created: datetime.datetime, answered: datetime.datetime | None) -> Need:
    """Date a submission in the past: `created_at` is set when a need is first saved, so the
    times are written again afterwards (a no-op where the model takes them as given)."""
    Need.objects.filter(pk=item.pk).update(created_at=created, answered_at=answered)
    return item


def evaluation(service, rating: int, *, period: str = CODE, status=Status.NEW) -> Evaluation:
    return EvaluationFactory(
        service=service,
        overall_rating=rating,
        status=status,
        reporting_period=period,
        budget_year=int(period[:4]),
    )


@pytest.fixture
def services(reference_data) -> dict[str, MunicipalService]:
    return {
        "infrastructure": MunicipalService.objects.get(slug="infrastructure"),
        "social": MunicipalService.objects.get(slug="social"),
    }


@pytest.fixture
def hand_data(services) -> None:
    """The hand-computed case (see the expected figures in each test)."""
    roads, social = services["infrastructure"], services["social"]
    # Infrastructure: 6 visible needs, 3 answered after 4, 10 and 20.5 days (median 10.0),
    # 3 open of which one is past its due date; a duplicate that never counts.
    need(roads, Status.RESOLVED, answered_after=10)
    need(roads, Status.PLANNED, answered_after=20.5)
    need(roads, Status.DECLINED, answered_after=4)
    need(roads, Status.ASSIGNED, due=datetime.date(2026, 4, 1))
    need(roads, Status.IN_REVIEW, due=datetime.date(2026, 12, 1))
    need(roads, Status.NEW)
    need(roads, Status.DUPLICATE, answered_after=1)
    # Social: 2 needs answered after 2 and 6 days (median 4.0).
    need(social, Status.RESOLVED, answered_after=2, category="social")
    need(social, Status.RESOLVED, answered_after=6, category="social")
    # Not routed to a service yet.
    need(None, Status.NEW, category="water")
    # Evaluations: roads 1, 2, 3, 5 (+ spam); social 4; a program without a service rated 1.
    for rating in (1, 2, 3, 5):
        evaluation(roads, rating)
    evaluation(roads, 1, status=Status.SPAM)
    evaluation(social, 4)
    evaluation(None, 1)
    # The previous half-year: roads 2 needs (one answered after 30 days), 1 evaluation rated 2;
    # social 1 open need.
    previous = timezone.make_aware(datetime.datetime(2025, 9, 1, 10))
    need(roads, Status.RESOLVED, answered_after=30, period=PREVIOUS, created=previous)
    need(roads, Status.NEW, period=PREVIOUS, created=previous)
    need(social, Status.NEW, period=PREVIOUS, category="social", created=previous)
    evaluation(roads, 2, period=PREVIOUS)


def by_slug(rows: list[dict]) -> dict[str, dict]:
    return {row["slug"] or None: row for row in rows}


def test_service_figures_by_hand(hand_data, services) -> None:
    figures = compute_figures(CODE, today=TODAY)
    rows = by_slug(figures[SERVICES_KEY])
    assert rows["infrastructure"] | {} == {
        "service_id": services["infrastructure"].pk,
        "slug": "infrastructure",
        "name_ka": services["infrastructure"].name_ka,
        "name_en": services["infrastructure"].name_en,
        "needs": 6,
        "answered": 3,
        "open": 3,
        "overdue": 1,
        "median_days": 10.0,
        "evaluations": 4,
        "low_rated": 2,
        "low_share": 0.5,
    }
    social = rows["social"]
    assert (social["needs"], social["answered"], social["open"], social["median_days"]) == (
        2,
        2,
        0,
        4.0,
    )
    assert (social["evaluations"], social["low_rated"], social["low_share"]) == (1, 0, 0.0)
    unassigned = rows[None]
    assert unassigned["service_id"] is None
    assert (unassigned["needs"], unassigned["open"], unassigned["median_days"]) == (1, 1, None)
    assert (unassigned["evaluations"], unassigned["low_rated"]) == (1, 1)
    # Every service is listed, in the reference order, the unassigned row last.
    assert [row["service_id"] for row in figures[SERVICES_KEY][:-1]] == list(
        MunicipalService.objects.order_by("sort_order", "name_ka").values_list("pk", flat=True)
    )
    quiet = by_slug(figures[SERVICES_KEY])["finance"]
    assert (quiet["needs"], quiet["evaluations"], quiet["median_days"]) == (0, 0, None)


def test_comparison_by_hand(hand_data, services) -> None:
    comparison = compute_figures(CODE, today=TODAY)[COMPARISON_KEY]
    assert comparison["previous_period"] == PREVIOUS
    totals = comparison["totals"]
    assert totals["evaluations"] == {"current": 6, "previous": 1, "change": 5}
    assert totals["needs"] == {"current": 9, "previous": 3, "change": 6}
    assert totals["answered"] == {"current": 5, "previous": 1, "change": 4}
    assert totals["open"] == {"current": 4, "previous": 2, "change": 2}
    # Five answered now: 2, 4, 6, 10, 20.5 days -> 6.0; before: 30.0.
    assert totals["median_days"] == {"current": 6.0, "previous": 30.0, "change": -24.0}
    # Ratings now 1, 2, 3, 5, 4, 1 (mean 2.67, 3 low); before one 2.
    assert totals["mean_rating"] == {"current": 2.67, "previous": 2.0, "change": 0.67}
    assert totals["low_rated"] == {"current": 3, "previous": 1, "change": 2}
    assert totals["low_share"] == {"current": 0.5, "previous": 1.0, "change": -0.5}

    categories = {row["slug"]: row for row in comparison["categories"]}
    assert {slug: (r["current"], r["previous"], r["change"]) for slug, r in categories.items()} == {
        "infrastructure": (6, 2, 4),
        "social": (2, 1, 1),
        "water": (1, 0, 1),
    }
    assert [row["slug"] for row in comparison["categories"]] == [
        "infrastructure",
        "social",
        "water",
    ]
    city = Settlement.objects.get(name_en="Tskaltubo").unit
    units = comparison["units"]
    assert len(units) == 1 and units[0]["code"] == city.code
    assert (units[0]["current"], units[0]["previous"], units[0]["change"]) == (9, 3, 6)

    roads = by_slug(comparison["services"])["infrastructure"]
    assert roads["needs"] == {"current": 6, "previous": 2, "change": 4}
    assert roads["answered"] == {"current": 3, "previous": 1, "change": 2}
    assert roads["median_days"] == {"current": 10.0, "previous": 30.0, "change": -20.0}
    assert roads["low_rated"] == {"current": 2, "previous": 1, "change": 1}
    social = by_slug(comparison["services"])["social"]
    assert social["median_days"] == {"current": 4.0, "previous": None, "change": None}
    assert social["open"] == {"current": 0, "previous": 1, "change": -1}


def test_a_need_without_a_service_only_last_period_still_appears(services) -> None:
    previous = timezone.make_aware(datetime.datetime(2025, 9, 1, 10))
    need(None, Status.NEW, period=PREVIOUS, created=previous)
    need(services["social"], Status.NEW)
    figures = review_figures(CODE, TODAY)
    assert None not in by_slug(figures[SERVICES_KEY])  # no unassigned need this period
    unassigned = by_slug(figures[COMPARISON_KEY]["services"])[None]
    assert unassigned["needs"] == {"current": 0, "previous": 1, "change": -1}


def test_the_median_is_the_middle_of_each_group(services) -> None:
    roads, social = services["infrastructure"], services["social"]
    for days in (1, 2, 9):  # odd: the middle one
        need(roads, Status.RESOLVED, answered_after=days)
    for days in (3, 5, 8, 100):  # even: the mean of the middle two
        need(social, Status.RESOLVED, answered_after=days)
    need(social, Status.NEW)  # open: not in the median
    need(social, Status.SPAM, answered_after=0)  # hidden: not in the median
    needs = Need.objects.visible().in_period(CODE)
    assert median_days_by(needs, "service_id") == {roads.pk: 2.0, social.pk: 6.5}
    assert median_days(needs) == 5.0  # 1 2 3 5 8 9 100
    assert median_days(needs.none()) is None


def test_a_duration_is_never_negative(services) -> None:
    """An answer recorded before the need (a clock error, an import) counts as 0 days: the
    database refuses such a row once its check constraint exists, which is as good."""
    item = need(services["social"], Status.RESOLVED, answered_after=3)
    try:
        with transaction.atomic():
            Need.objects.filter(pk=item.pk).update(answered_at=CREATED - datetime.timedelta(days=5))
    except IntegrityError:
        assert Need.objects.get(pk=item.pk).answered_at > CREATED  # refused, as it should be
        return
    assert median_days(Need.objects.filter(pk=item.pk)) == 0.0
    row = by_slug(review_figures(CODE, TODAY)[SERVICES_KEY])["social"]
    assert row["median_days"] == 0.0


def test_the_figures_are_frozen_with_the_report(hand_data, services, reference_data) -> None:
    from django.contrib.auth.models import Permission

    from cms.core.roles import PLATFORM_MANAGERS
    from cms.core.tests.factories import staff_user

    manager = staff_user(PLATFORM_MANAGERS, username="manager")
    manager.user_permissions.add(*Permission.objects.filter(content_type__app_label="reports"))
    manager = type(manager).objects.get(pk=manager.pk)
    report = ResultsReport.objects.create(
        period=ReportingPeriod.objects.for_code(CODE), analysis_ka="ანალიზი"
    )
    send_to_mayor(report, by=manager, sent_on=TODAY)
    frozen = ResultsReport.objects.get(pk=report.pk).figures
    assert by_slug(frozen[SERVICES_KEY])["infrastructure"]["needs"] == 6
    need(services["infrastructure"], Status.NEW)  # arrives after the report was sent
    assert by_slug(review_figures(CODE, TODAY)[SERVICES_KEY])["infrastructure"]["needs"] == 7
    assert (
        by_slug(ResultsReport.objects.get(pk=report.pk).figures[SERVICES_KEY])["infrastructure"][
            "needs"
        ]
        == 6
    )


# --- The same definitions, recounted in plain Python on random submissions ----------------------

STATUSES = list(Status)
PERIODS = (CODE, PREVIOUS, "2024-H1")


def recount_median(durations: list[datetime.timedelta]) -> float | None:
    if not durations:
        return None
    seconds = statistics.median(max(d, datetime.timedelta(0)).total_seconds() for d in durations)
    return round(seconds / 86400, 1)


def recount_services(needs: list[dict], evaluations: list[dict], code: str) -> dict:
    """Per service id (None: unassigned), by the definitions of the report, in Python."""
    rows: dict = {}
    for item in needs:
        if item["period"] != code or item["status"] in HIDDEN_STATUSES:
            continue
        row = rows.setdefault(item["service"], Counter())
        row["needs"] += 1
        row["answered"] += item["status"] in ANSWERED
        row["open"] += item["status"] in OPEN
        row["overdue"] += item["status"] in OPEN and item["due"] is not None and item["due"] < TODAY
        if item["status"] in ANSWERED and item["answered_after"] is not None:
            row.setdefault("durations", []).append(datetime.timedelta(hours=item["answered_after"]))
    for item in evaluations:
        if item["period"] != code or item["status"] in HIDDEN_STATUSES:
            continue
        row = rows.setdefault(item["service"], Counter())
        row["evaluations"] += 1
        row["low_rated"] += item["rating"] <= LOW_RATING
    return {
        service: {
            "needs": row["needs"],
            "answered": row["answered"],
            "open": row["open"],
            "overdue": row["overdue"],
            "median_days": recount_median(row.get("durations", [])),
            "evaluations": row["evaluations"],
            "low_rated": row["low_rated"],
            "low_share": round(row["low_rated"] / row["evaluations"], 4)
            if row["evaluations"]
            else None,
        }
        for service, row in rows.items()
    }


def recount_groups(needs: list[dict], key: str) -> dict:
    counts: dict = {}
    for item in needs:
        if item["status"] in HIDDEN_STATUSES or item["period"] not in (CODE, PREVIOUS):
            continue
        entry = counts.setdefault(item[key], {"current": 0, "previous": 0})
        entry["current" if item["period"] == CODE else "previous"] += 1
    return {
        group: {**entry, "change": entry["current"] - entry["previous"]}
        for group, entry in counts.items()
    }


need_strategy = st.fixed_dictionaries(
    {
        "service": st.sampled_from([0, 1, None]),
        "status": st.sampled_from(STATUSES),
        "period": st.sampled_from(PERIODS),
        "category": st.sampled_from(["infrastructure", "social", "water"]),
        "settlement": st.integers(0, 2),
        "created_hours": st.integers(0, 24 * 170),
        # Hours to the answer: None for never answered, 0 for answered at once.
        "answered_after": st.one_of(st.none(), st.integers(0, 24 * 200)),
        # Days from submission to the answer's due date (never before the submission).
        "due_days": st.one_of(st.none(), st.integers(0, 200)),
    }
)
evaluation_strategy = st.fixed_dictionaries(
    {
        "service": st.sampled_from([0, 1, None]),
        "status": st.sampled_from([Status.NEW, Status.IN_REVIEW, Status.SPAM]),
        "period": st.sampled_from(PERIODS),
        "rating": st.integers(1, 5),
    }
)


def test_review_figures_equal_a_python_recount(services) -> None:
    service_list = [services["infrastructure"], services["social"]]
    settlements = list(Settlement.objects.select_related("unit").order_by("pk")[:3])
    categories = {c.slug: c for c in ProgramCategory.objects.all()}
    period_start = {
        CODE: timezone.make_aware(datetime.datetime(2026, 1, 1)),
        PREVIOUS: timezone.make_aware(datetime.datetime(2025, 7, 1)),
        "2024-H1": timezone.make_aware(datetime.datetime(2024, 1, 1)),
    }

    @given(
        needs=st.lists(need_strategy, max_size=25),
        evaluations=st.lists(evaluation_strategy, max_size=15),
    )
    @hypothesis_settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def check(needs: list[dict], evaluations: list[dict]) -> None:
        with transaction.atomic():
            for item in needs:
                item["service"] = (
                    None if item["service"] is None else service_list[item["service"]].pk
                )
                settlement = settlements[item["settlement"]]
                item["unit"] = settlement.unit.code
                created = period_start[item["period"]] + datetime.timedelta(
                    hours=item["created_hours"]
                )
                item["due"] = (
                    None
                    if item["due_days"] is None
                    else timezone.localdate(created) + datetime.timedelta(days=item["due_days"])
                )
                answered = (
                    created + datetime.timedelta(hours=item["answered_after"])
                    if item["answered_after"] is not None
                    else None
                )
                row = NeedFactory(
                    service_id=item["service"],
                    status=item["status"],
                    reporting_period=item["period"],
                    budget_year=int(item["period"][:4]),
                    category=categories[item["category"]],
                    settlement=settlement,
                    administrative_unit=settlement.unit,
                    due_date=item["due"],
                    created_at=created,
                    answered_at=answered,
                )
                at(row, created, answered)
            for item in evaluations:
                item["service"] = (
                    None if item["service"] is None else service_list[item["service"]].pk
                )
                EvaluationFactory(
                    service_id=item["service"],
                    status=item["status"],
                    reporting_period=item["period"],
                    budget_year=int(item["period"][:4]),
                    overall_rating=item["rating"],
                )

            figures = review_figures(CODE, TODAY)
            expected = recount_services(needs, evaluations, CODE)
            before = recount_services(needs, evaluations, PREVIOUS)
            empty = recount_services([], [], CODE).get(None) or {
                "needs": 0,
                "answered": 0,
                "open": 0,
                "overdue": 0,
                "median_days": None,
                "evaluations": 0,
                "low_rated": 0,
                "low_share": None,
            }
            got = {row["service_id"]: row for row in figures[SERVICES_KEY]}
            assert set(got) == set(MunicipalService.objects.values_list("pk", flat=True)) | (
                {None} if None in expected else set()
            )
            for service_id, row in got.items():
                want = expected.get(service_id, empty)
                assert {key: row[key] for key in want} == want, service_id

            compared = {row["service_id"]: row for row in figures[COMPARISON_KEY]["services"]}
            for service_id, row in compared.items():
                now, then = expected.get(service_id, empty), before.get(service_id, empty)
                for key in ("needs", "answered", "open", "overdue", "low_rated"):
                    assert row[key] == {
                        "current": now[key],
                        "previous": then[key],
                        "change": now[key] - then[key],
                    }, (service_id, key)
                assert row["median_days"]["current"] == now["median_days"]
                assert row["median_days"]["previous"] == then["median_days"]
            assert set(compared) >= set(expected) | set(before)

            totals = figures[COMPARISON_KEY]["totals"]
            for key in ("needs", "answered", "open", "overdue", "evaluations", "low_rated"):
                assert totals[key]["current"] == sum(row[key] for row in expected.values())
                assert totals[key]["previous"] == sum(row[key] for row in before.values())
            for period, label in ((CODE, "current"), (PREVIOUS, "previous")):
                durations = [
                    datetime.timedelta(hours=item["answered_after"])
                    for item in needs
                    if item["period"] == period
                    and item["status"] in ANSWERED
                    and item["answered_after"] is not None
                ]
                assert totals["median_days"][label] == recount_median(durations)

            categories_got = {
                row["slug"]: {k: row[k] for k in ("current", "previous", "change")}
                for row in figures[COMPARISON_KEY]["categories"]
            }
            assert categories_got == recount_groups(needs, "category")
            units_got = {
                row["code"]: {k: row[k] for k in ("current", "previous", "change")}
                for row in figures[COMPARISON_KEY]["units"]
            }
            assert units_got == recount_groups(needs, "unit")
            transaction.set_rollback(True)

    check()
