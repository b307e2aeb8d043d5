"""One period's passes over the submission tables, shared by every section of its figures.

A report's figures used to read the period's evaluations and needs once per figure (totals,
channels, programs, services, the comparison: about 40 queries, most of them scans of the
whole period). Here each table is read once per period: one GROUP BY over the evaluations
(`evaluation_groups`), one over the needs (`need_groups`, hidden ones included), and one window
query for the needs' medians; the sections sum these few hundred rows. What still has its own
query is what is grouped by names (ordered as the database orders text) or reads other
periods: needs by category, unit, settlement, the top needs, late arrivals, invitations and
"is it fixed?".
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from feedback_forms.models import HIDDEN_STATUSES, Need
from feedback_forms.workflow import ANSWERED, OPEN
from reports.aggregation.common import LOW_RATING
from reports.aggregation.evaluations import evaluation_groups, question_groups
from reports.aggregation.named_groups import place_groups

#: What the pass over a period's needs groups by (hidden ones included: their count is a figure).
#: In the order of the index that answers it (feedback_forms `figures_need_period_idx`).
NEED_KEYS = ("status", "service_id", "channel")
HIDDEN = frozenset(HIDDEN_STATUSES)


def need_groups(code: str, today: datetime.date) -> list[dict]:
    """The period's needs in one aggregate query: per service, status and channel, how many
    and how many of them are past their answer's due date."""
    return list(
        Need.objects.in_period(code)
        .order_by()
        .values(*NEED_KEYS)
        .annotate(count=Count("*"), overdue=Count("due_date", filter=Q(due_date__lt=today)))
    )


def middle_picks(needs: QuerySet, group: str) -> tuple[float | None, dict[Any, float]]:
    """The median days to answer of a queryset of needs, overall and per `group`, in one
    query: ROW_NUMBER and COUNT over all durations and over each group's pick the middle row
    (odd count) or the middle two (even count), as `services.median_days_by` does for one."""
    from reports.aggregation.services import answer_durations

    def ranks(prefix: str, partition: list | None) -> dict[str, Window]:
        # Ordered by the duration alone: rows of equal duration may take each other's
        # positions, but the picked values are the same. Neither the order nor COUNT(*)
        # needs the row's id, so PostgreSQL can read the needs' index alone.
        order = [F("duration").asc()]
        return {
            f"{prefix}position": Window(RowNumber(), partition_by=partition, order_by=order),
            f"{prefix}size": Window(Count("*"), partition_by=partition),
        }

    ranked = (
        answer_durations(needs)
        .annotate(**ranks("all_", None), **ranks("group_", [F(group)]))
        # 2 * position - size is 0 or 1 for the middle row(s), 2 for the upper middle of an
        # even count: see `services.median_days_by`.
        .annotate(
            all_offset=F("all_position") * 2 - F("all_size"),
            group_offset=F("group_position") * 2 - F("group_size"),
        )
        .filter(
            Q(all_offset__gte=0, all_offset__lte=2) | Q(group_offset__gte=0, group_offset__lte=2)
        )
        .order_by()
    )
    overall: list[datetime.timedelta] = []
    by_group: dict[Any, list[datetime.timedelta]] = {}
    for key, duration, all_offset, group_offset in ranked.values_list(
        group, "duration", "all_offset", "group_offset"
    ):
        if 0 <= all_offset <= 2:
            overall.append(duration)
        if 0 <= group_offset <= 2:
            by_group.setdefault(key, []).append(duration)
    return (days(overall) if overall else None), {
        key: days(picks) for key, picks in by_group.items()
    }


def days(picks: list[datetime.timedelta]) -> float:
    """The mean of the one or two middle durations, in days (one decimal)."""
    return round(sum(d.total_seconds() for d in picks) / len(picks) / 86400, 1)


@dataclass
class PeriodPasses:
    """What one period's passes found; every figure of the period is summed from it."""

    code: str
    evaluations: list[dict]
    needs: list[dict]
    median_days: float | None
    median_days_by_service: dict[Any, float] = field(default_factory=dict)
    questions: list[dict] = field(default_factory=list)
    #: The counted needs per category, unit and settlement (`named_groups.place_groups`).
    places: list[dict] = field(default_factory=list)

    def visible_needs(self) -> list[dict]:
        return [row for row in self.needs if row["status"] not in HIDDEN]

    def evaluation_totals(self) -> dict[str, Any]:
        """Counted evaluations: how many, verified, low (1-2) and the mean rating."""
        total = verified = low = rating_sum = 0
        for row in self.evaluations:
            count = row["count"]
            total += count
            verified += count if row["verified"] else 0
            low += count if row["overall_rating"] <= LOW_RATING else 0
            rating_sum += row["overall_rating"] * count
        return {
            "evaluations": total,
            "verified": verified,
            "low_rated": low,
            "mean": rating_sum / total if total else None,
        }

    def need_counts(self, service_id: Any = ..., *, rows: list[dict] | None = None) -> dict:
        """Counted needs received, answered, open and overdue (of one service, if given)."""
        counts = dict.fromkeys(("needs", "answered", "open", "overdue"), 0)
        for row in self.visible_needs() if rows is None else rows:
            if service_id is not ... and row["service_id"] != service_id:
                continue
            counts["needs"] += row["count"]
            if row["status"] in ANSWERED:
                counts["answered"] += row["count"]
            if row["status"] in OPEN:
                counts["open"] += row["count"]
                counts["overdue"] += row["overdue"]
        return counts

    def needs_by_service(self) -> dict[Any, dict]:
        by_service: dict[Any, list[dict]] = {}
        for row in self.visible_needs():
            by_service.setdefault(row["service_id"], []).append(row)
        return {key: self.need_counts(rows=rows) for key, rows in by_service.items()}

    def evaluations_by_service(self) -> dict[Any, dict]:
        by_service: dict[Any, dict] = {}
        for row in self.evaluations:
            counts = by_service.setdefault(row["service_id"], {"evaluations": 0, "low_rated": 0})
            counts["evaluations"] += row["count"]
            if row["overall_rating"] <= LOW_RATING:
                counts["low_rated"] += row["count"]
        return by_service

    def by_channel(self) -> dict[str, int]:
        """Counted evaluations and needs per channel."""
        counts: dict[str, int] = {}
        for row in [*self.evaluations, *self.visible_needs()]:
            counts[row["channel"]] = counts.get(row["channel"], 0) + row["count"]
        return counts

    def needs_by_status(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.needs:
            counts[row["status"]] = counts.get(row["status"], 0) + row["count"]
        return counts


def period_passes(
    code: str, today: datetime.date, questions: list[tuple[str, str]] | None = None
) -> PeriodPasses:
    """Read one period: its evaluations (and their answers to the extra rating `questions`,
    if any), its needs, their places and their medians (5-6 queries)."""
    counted_needs = Need.objects.visible().in_period(code)
    overall, by_service = middle_picks(counted_needs, "service_id")
    return PeriodPasses(
        code=code,
        evaluations=evaluation_groups(code),
        questions=question_groups(code, questions or []),
        needs=need_groups(code, today),
        places=place_groups(counted_needs),
        median_days=overall,
        median_days_by_service=by_service,
    )
