"""Need figures: by category, place and status, the most frequent needs and the times to answer."""

import datetime
from typing import Any

from django.db.models import Count, F, Q

from feedback_forms.models import Need, Status
from feedback_forms.workflow import ANSWERED, OPEN
from reports.aggregation.elapsed import Elapsed
from reports.aggregation.named_groups import count_by_names, place_groups
from reports.figures_schema import TOP_NEED_FIELDS

TOP_NEEDS = 10


#: How the figures name the needs of places that are not (yet) in the reference data: each
#: counts under its administrative unit, and by settlement as one group per unit. Frozen into
#: the figures in both languages, as the settlements' own names are.
OTHER_PLACES = {
    "settlement__name_ka": "სხვა ადგილები ამ ადმინისტრაციულ ერთეულში",
    "settlement__name_en": "Other places in this administrative unit",
}


def with_other_places(rows: list[dict]) -> list[dict]:
    """Rows grouped by settlement, with the needs of unlisted places named as such."""
    return [
        {**row, **OTHER_PLACES} if row.get("settlement__name_ka") is None else row for row in rows
    ]


def grouped_needs(code: str, *fields: str, places: list[dict] | None = None) -> list[dict]:
    """The period's counted needs per group of `fields` (names of their category and places),
    largest first, then by the names in the database's order; summed from the period's
    `place_groups` (`places`, when the caller has them)."""
    if places is None:
        places = place_groups(Need.objects.visible().in_period(code))
    return count_by_names(places, fields)


def needs_by_status(code: str, counts: dict[str, int] | None = None) -> list[dict]:
    """Every status with its count in the period (hidden ones included); `counts`, when the
    caller already has them (`PeriodPasses.needs_by_status`)."""
    if counts is None:
        rows = Need.objects.in_period(code).values("status").annotate(count=Count("pk"))
        counts = {row["status"]: row["count"] for row in rows}
    return [
        {"status": status, "label": str(Status(status).label), "count": counts.get(status, 0)}
        for status in Status.values
    ]


def median_days_to_answer(code: str) -> float | None:
    """The median of answered_at - created_at, picked by ORDER BY and OFFSET in SQL.

    Only durations that cannot be negative are measured (answered at or after the submission;
    the database refuses anything else), so the median never is."""
    answered = (
        Need.objects.visible()
        .in_period(code)
        .filter(status__in=ANSWERED, answered_at__gte=F("created_at"))
        .annotate(duration=Elapsed("answered_at", "created_at"))
        .order_by("duration")
    )
    total = answered.count()
    if not total:
        return None
    middle = total // 2
    picks = list(
        answered.values_list("duration", flat=True)[middle - (total % 2 == 0) : middle + 1]
    )
    seconds = sum(duration.total_seconds() for duration in picks) / len(picks)
    return round(seconds / 86400, 1)


def response_times(
    code: str, today: datetime.date, counts: dict | None = None, median: Any = ...
) -> dict:
    """Counted needs: total, answered, open, overdue and the median days to answer. `counts`
    (`PeriodPasses.need_counts`, under these names) and `median` (its `median_days`: the same
    durations, as the database refuses an answer dated before its need) when the caller has
    them."""
    if counts is not None:
        return {
            "total": counts["needs"],
            "answered": counts["answered"],
            "open": counts["open"],
            "overdue": counts["overdue"],
            "median_days": median_days_to_answer(code) if median is ... else median,
        }
    needs = Need.objects.visible().in_period(code)
    counts = needs.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(status__in=ANSWERED)),
        open=Count("pk", filter=Q(status__in=OPEN)),
        overdue=Count("pk", filter=Q(status__in=OPEN, due_date__lt=today)),
    )
    return {**counts, "median_days": median_days_to_answer(code)}


def top_needs(code: str, places: list[dict] | None = None) -> list[dict]:
    """The `TOP_NEEDS` most frequent needs by category and place, with the first title of
    each as its example; summed from the period's `place_groups` (`places`, if given)."""
    if places is None:
        places = place_groups(Need.objects.visible().in_period(code))
    rows = count_by_names(places, TOP_NEED_FIELDS, examples=True)
    return with_other_places(rows[:TOP_NEEDS])
