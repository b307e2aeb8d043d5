"""One period's figures, assembled: the totals, what they count (entered by staff, received
late) and every section, as the current schema version."""

import datetime
from typing import cast

from django.db.models import Count, Q
from django.utils import timezone

from cms.core.request_memo import memo_scope
from feedback_forms.models import HIDDEN_STATUSES, Channel, Evaluation, Need
from feedback_forms.periods import previous_period
from reports.aggregation.common import rounded, share
from reports.aggregation.comparison import review_figures
from reports.aggregation.evaluations import invitation_figures, program_figures, rating_questions
from reports.aggregation.fix_checks import fix_check_figures
from reports.aggregation.needs import (
    grouped_needs,
    needs_by_status,
    response_times,
    top_needs,
    with_other_places,
)
from reports.aggregation.passes import period_passes
from reports.figures_schema import (
    CATEGORY_FIELDS,
    FIXED_KEY,
    INVITATIONS_KEY,
    SCHEMA_VERSION,
    SETTLEMENT_FIELDS,
    UNIT_FIELDS,
    Figures,
    category_count,
    json_safe,
    settlement_count,
    top_need,
    unit_count,
)


def staff_entered(code: str, by_channel: dict[str, int] | None = None) -> dict[str, int]:
    """Counted submissions that staff entered on a resident's behalf, by channel (Art. 4.1: a
    reader can tell how much of a figure came through City Hall's own hands). `by_channel`:
    the counted submissions per channel, when the caller has them (`PeriodPasses.by_channel`)."""
    counts = dict.fromkeys((c for c in Channel.values if c != Channel.ONLINE), 0)
    if by_channel is not None:
        for channel, count in by_channel.items():
            if channel != Channel.ONLINE:
                counts[channel] = counts.get(channel, 0) + count
        return {"total": sum(counts.values()), **counts}
    for model in (Evaluation, Need):
        rows = (
            model.objects.visible()
            .in_period(code)
            .exclude(channel=Channel.ONLINE)
            .order_by()
            .values("channel")
            .annotate(count=Count("pk"))
        )
        for row in rows:
            counts[row["channel"]] = counts.get(row["channel"], 0) + row["count"]
    return {"total": sum(counts.values()), **counts}


def late_arrivals(code: str) -> dict:
    """Submissions "received after the previous report": made for an earlier period whose
    report was already sent (after an interim report, or a paper form entered later for an
    earlier day), counted here so that none falls outside every report. See
    `SubmissionQuerySet.received_late_for` and `reports.workflow.count_submissions`."""
    from reports.models import ResultsReport

    frozen = ResultsReport.objects.frozen_period_codes_before(code)
    evaluations = dict(
        Evaluation.objects.visible()
        .received_late_for(code, frozen)
        .values("reporting_period")
        .annotate(count=Count("pk"))
        .values_list("reporting_period", "count")
    )
    needs = {
        row["reporting_period"]: row
        for row in Need.objects.received_late_for(code, frozen)
        .values("reporting_period")
        .annotate(
            visible=Count("pk", filter=~Q(status__in=HIDDEN_STATUSES)),
            hidden=Count("pk", filter=Q(status__in=HIDDEN_STATUSES)),
        )
    }
    by_period = [
        {
            "period": period,
            "evaluations": evaluations.get(period, 0),
            "needs": needs[period]["visible"] if period in needs else 0,
            "hidden": needs[period]["hidden"] if period in needs else 0,
        }
        for period in sorted(set(evaluations) | set(needs))
    ]
    return {
        "evaluations": sum(row["evaluations"] for row in by_period),
        "needs": sum(row["needs"] for row in by_period),
        "hidden": sum(row["hidden"] for row in by_period),
        "by_period": by_period,
    }


@memo_scope()
def compute_figures(code: str, today: datetime.date | None = None) -> Figures:
    """Every figure of a period's report (the current schema version), ready to show, export
    or freeze (`figures_json`).

    Each period's evaluations and needs are read once (`passes.period_passes`: this period's
    and the previous one's) and every section sums those rows; only the figures of other
    periods or tables have queries of their own, and the names of categories, units and
    settlements are read once for all (`memo_scope`)."""
    today = today or timezone.localdate()
    previous = previous_period(code)
    questions = rating_questions()
    passes = period_passes(code, today, questions)
    previous_passes = period_passes(previous, today)
    totals = passes.evaluation_totals()
    need_counts = passes.need_counts()
    needs_total = need_counts["needs"]
    grouped: dict[tuple[str, ...], list[dict]] = {
        fields: grouped_needs(code, *fields, places=passes.places)
        for fields in (CATEGORY_FIELDS, UNIT_FIELDS, SETTLEMENT_FIELDS)
    }
    figures = {
        "schema_version": SCHEMA_VERSION,
        "period": code,
        "previous_period": previous,
        "computed_on": today.isoformat(),
        "totals": {
            "evaluations": totals["evaluations"],
            "verified_share": share(totals["verified"], totals["evaluations"]),
            "mean_rating": rounded(totals["mean"]),
            "low_share": share(totals["low_rated"], totals["evaluations"]),
            "needs": needs_total,
            "hidden": sum(passes.needs_by_status().values()) - needs_total,
            "staff_entered": staff_entered(code, passes.by_channel()),
        },
        "programs": program_figures(
            code, passes.evaluations, previous_passes.evaluations, (questions, passes.questions)
        ),
        "needs_by_category": [category_count(row) for row in grouped[CATEGORY_FIELDS]],
        "needs_by_unit": [unit_count(row) for row in grouped[UNIT_FIELDS]],
        "needs_by_settlement": [
            settlement_count(row) for row in with_other_places(grouped[SETTLEMENT_FIELDS])
        ],
        "needs_by_status": needs_by_status(code, passes.needs_by_status()),
        "response_times": response_times(code, today, need_counts, passes.median_days),
        "top_needs": [top_need(row) for row in top_needs(code, passes.places)],
        "late_arrivals": late_arrivals(code),
        INVITATIONS_KEY: invitation_figures(code),
    }
    figures.update(review_figures(code, today, passes, previous_passes))
    figures[FIXED_KEY] = fix_check_figures(code)
    return cast(Figures, json_safe(figures))
