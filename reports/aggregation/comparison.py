"""This half-year against the previous one, for the mayor's review meeting (Art. 4.6).

A key of the figures added later ("comparison"), so a report frozen before it existed lacks it;
every reader says "not recorded in this report" then.
"""

import datetime
from typing import Any

from feedback_forms.periods import previous_period
from reports.aggregation.common import rounded, share
from reports.aggregation.named_groups import count_by_names
from reports.aggregation.passes import PeriodPasses, period_passes
from reports.aggregation.services import service_figures
from reports.figures_schema import (
    CATEGORY_FIELDS,
    COMPARISON_KEY,
    SERVICES_KEY,
    UNIT_FIELDS,
    compared_category,
    compared_unit,
    json_safe,
)


def period_totals(code: str, today: datetime.date, passes: PeriodPasses | None = None) -> dict:
    """The headline figures of one period, in the same definitions as the per-service ones."""
    passes = passes if passes is not None else period_passes(code, today)
    evaluations = passes.evaluation_totals()
    return {
        "evaluations": evaluations["evaluations"],
        "mean_rating": rounded(evaluations["mean"]),
        "low_rated": evaluations["low_rated"],
        "low_share": share(evaluations["low_rated"], evaluations["evaluations"]),
        **passes.need_counts(),
        "median_days": passes.median_days,
    }


def compared(current: Any, previous: Any, digits: int | None = None) -> dict:
    """This period, the previous one and the change (None unless both are known)."""
    change = None
    if current is not None and previous is not None:
        change = current - previous
        if digits is not None:
            change = round(change, digits)
    return {"current": current, "previous": previous, "change": change}


#: How a compared figure's change is rounded: counts exactly, means and days like the figures.
CHANGE_DIGITS = {"mean_rating": 2, "low_share": 4, "median_days": 1}


def compared_rows(current: dict, previous: dict, metrics: tuple[str, ...]) -> dict:
    return {
        metric: compared(current.get(metric), previous.get(metric), CHANGE_DIGITS.get(metric))
        for metric in metrics
    }


def compared_counts(current: list[dict], previous: list[dict], *fields: str) -> list[dict]:
    """Visible needs per group of `fields` in this and the previous period, summed from each
    period's `place_groups`; groups of either period, largest first now, then largest before."""
    counts: dict[tuple, dict] = {}
    for places, key in ((current, "current"), (previous, "previous")):
        rows = count_by_names(places, fields)
        for row in rows:
            group = tuple(row[field] for field in fields)
            entry = counts.setdefault(group, {field: row[field] for field in fields})
            entry[key] = row["count"]
    rows = [
        compared(row.pop("current", 0), row.pop("previous", 0)) | row for row in counts.values()
    ]
    return sorted(
        rows, key=lambda row: (-row["current"], -row["previous"], str(row.get(fields[0])))
    )


TOTAL_METRICS = (
    "evaluations",
    "mean_rating",
    "low_rated",
    "low_share",
    "needs",
    "answered",
    "open",
    "overdue",
    "median_days",
)
SERVICE_METRICS = (
    "needs",
    "answered",
    "open",
    "overdue",
    "median_days",
    "evaluations",
    "low_rated",
    "low_share",
)


#: A service's figures in a period where nothing reached it: counts 0, no median, no share.
NOTHING_COUNTED = {
    "needs": 0,
    "answered": 0,
    "open": 0,
    "overdue": 0,
    "median_days": None,
    "evaluations": 0,
    "low_rated": 0,
    "low_share": None,
}


def comparison_figures(
    code: str,
    today: datetime.date,
    services: list[dict] | None = None,
    passes: PeriodPasses | None = None,
    previous_passes: PeriodPasses | None = None,
) -> dict:
    """This half-year against the previous one: totals, needs per category and administrative
    unit, and every service's figures. Both periods are counted now, by the same definitions
    (so needs that arrived late for the previous period are in its figures here). `passes` and
    `previous_passes`: the two periods' passes, when the caller has read them."""
    previous = previous_period(code)
    passes = passes if passes is not None else period_passes(code, today)
    previous_passes = (
        previous_passes if previous_passes is not None else period_passes(previous, today)
    )
    services = services if services is not None else service_figures(code, today, passes)
    before = {row["service_id"]: row for row in service_figures(previous, today, previous_passes)}
    service_rows = []
    for row in services:
        earlier = before.pop(row["service_id"], NOTHING_COUNTED)
        service_rows.append(
            {
                **{key: row[key] for key in ("service_id", "slug", "name_ka", "name_en")},
                **compared_rows(row, earlier, SERVICE_METRICS),
            }
        )
    for row in before.values():  # e.g. needs without a service only in the previous period
        service_rows.append(
            {
                **{key: row[key] for key in ("service_id", "slug", "name_ka", "name_en")},
                **compared_rows(NOTHING_COUNTED, row, SERVICE_METRICS),
            }
        )
    return {
        "previous_period": previous,
        "totals": compared_rows(
            period_totals(code, today, passes),
            period_totals(previous, today, previous_passes),
            TOTAL_METRICS,
        ),
        "categories": [
            compared_category(row)
            for row in compared_counts(passes.places, previous_passes.places, *CATEGORY_FIELDS)
        ],
        "units": [
            compared_unit(row)
            for row in compared_counts(passes.places, previous_passes.places, *UNIT_FIELDS)
        ],
        "services": service_rows,
    }


def review_figures(
    code: str,
    today: datetime.date,
    passes: PeriodPasses | None = None,
    previous_passes: PeriodPasses | None = None,
) -> dict:
    """The figures the mayor's review with the services needs, as new keys of a report."""
    passes = passes if passes is not None else period_passes(code, today)
    services = service_figures(code, today, passes)
    return json_safe(
        {
            SERVICES_KEY: services,
            COMPARISON_KEY: comparison_figures(code, today, services, passes, previous_passes),
        }
    )
