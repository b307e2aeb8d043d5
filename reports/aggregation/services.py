"""Per responsible service, what the mayor's review meeting needs (Art. 4.6): needs received,
answered, open and overdue, the median days to answer, and the evaluations with the low ones.

A key of the figures added later ("services"), so a report frozen before it existed lacks it;
every reader says "not recorded in this report" then.
"""

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Count, DurationField, F, QuerySet, Value, Window
from django.db.models.functions import Greatest, RowNumber

from feedback_forms.workflow import ANSWERED
from programs.models import MunicipalService
from reports.aggregation.common import share
from reports.aggregation.elapsed import Elapsed

if TYPE_CHECKING:
    from reports.aggregation.passes import PeriodPasses

NO_TIME = datetime.timedelta(0)


def answer_durations(needs: QuerySet) -> QuerySet:
    """The answered needs of a queryset with `duration` = answered_at - created_at, never below
    zero (a clock or data error must not publish a negative time to answer)."""
    elapsed = Elapsed("answered_at", "created_at")
    return needs.filter(status__in=ANSWERED, answered_at__isnull=False).annotate(
        duration=Greatest(elapsed, Value(NO_TIME, output_field=DurationField()))
    )


def median_days_by(needs: QuerySet, group: str | None = None) -> dict[Any, float]:
    """The median days to answer of each group of a queryset (one key, None, without a group).

    One SQL query: ROW_NUMBER and COUNT over each group's durations pick the middle row (odd
    count) or the middle two (even count); Python only averages those one or two picks.
    Groups without an answered need are absent from the result.
    """
    partition = [F(group)] if group else None
    ranked = (
        answer_durations(needs)
        .annotate(
            position=Window(
                RowNumber(), partition_by=partition, order_by=[F("duration").asc(), F("pk").asc()]
            ),
            size=Window(Count("pk"), partition_by=partition),
        )
        # 2 * position - size is 0 or 1 for the middle row(s), 2 for the upper middle of an even
        # group: positions (size + 1) / 2 when odd, size / 2 and size / 2 + 1 when even.
        .annotate(offset=F("position") * 2 - F("size"))
        .filter(offset__gte=0, offset__lte=2)
        .order_by()
    )
    picks: dict[Any, list[datetime.timedelta]] = {}
    for key, duration in ranked.values_list(group or "size", "duration"):
        picks.setdefault(key if group else None, []).append(duration)
    return {
        key: round(sum(d.total_seconds() for d in durations) / len(durations) / 86400, 1)
        for key, durations in picks.items()
    }


def median_days(needs: QuerySet) -> float | None:
    """The median days to answer of a queryset of needs (None when none was answered)."""
    return median_days_by(needs).get(None)


def service_figures(
    code: str, today: datetime.date, passes: "PeriodPasses | None" = None
) -> list[dict]:
    """Per responsible service: needs received, answered, open, overdue, the median days to
    answer, and the evaluations of its programs with how many were low (1-2).

    Needs count for the service they are routed to; evaluations for the program's responsible
    service copied onto each evaluation when it was made. Every service is listed (a service
    with nothing this half-year is a fact for the meeting too), then, when there are any, the
    needs not yet routed to a service and the evaluations of programs without one. Summed from
    the period's passes (`reports.aggregation.passes`), read here unless given.
    """
    from reports.aggregation.passes import period_passes

    passes = passes if passes is not None else period_passes(code, today)
    by_need = passes.needs_by_service()
    medians = passes.median_days_by_service
    by_evaluation = passes.evaluations_by_service()
    services: list[Mapping[str, Any]] = list(
        MunicipalService.objects.order_by("sort_order", "name_ka").values(
            "pk", "slug", "name_ka", "name_en"
        )
    )
    if None in by_need or None in by_evaluation:
        services.append({"pk": None, "slug": "", "name_ka": "", "name_en": ""})
    rows = []
    for service in services:
        counts = by_need.get(service["pk"], {})
        rated = by_evaluation.get(service["pk"], {})
        evaluations = rated.get("evaluations", 0)
        rows.append(
            {
                "service_id": service["pk"],
                "slug": service["slug"],
                "name_ka": service["name_ka"],
                "name_en": service["name_en"],
                **{key: counts.get(key, 0) for key in ("needs", "answered", "open", "overdue")},
                "median_days": medians.get(service["pk"]),
                "evaluations": evaluations,
                "low_rated": rated.get("low_rated", 0),
                "low_share": share(rated.get("low_rated", 0), evaluations),
            }
        )
    return rows
