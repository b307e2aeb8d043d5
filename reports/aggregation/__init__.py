"""The figures of a results report, computed in the database (GROUP BY and conditional counts).

Nothing here loops over submissions in Python: every number comes from aggregate queries, and
the only Python work is summing already-aggregated rows (a few hundred per period: programs x
channels x ratings, services x statuses).
The result is the current version of `reports.figures_schema.Figures` (plain JSON inside), so
a sent report freezes it with `figures_json`; the schema module is where the shape is defined.

By purpose: `report` assembles a period's figures (`compute_figures`) from `evaluations`,
`needs`, `services` (per responsible service), `comparison` (against the previous half-year) and
`fix_checks`; `passes` reads each period's evaluations and needs once (one GROUP BY per table)
for all of them; `common` holds the rating scale and rounding. The names other code uses are
re-exported here.
"""

from reports.aggregation.common import LOW_RATING, RATINGS, rounded, share
from reports.aggregation.comparison import comparison_figures, period_totals, review_figures
from reports.aggregation.evaluations import invitation_figures, program_figures
from reports.aggregation.fix_checks import fix_check_figures
from reports.aggregation.needs import (
    OTHER_PLACES,
    grouped_needs,
    median_days_to_answer,
    needs_by_status,
    response_times,
    top_needs,
    with_other_places,
)
from reports.aggregation.report import compute_figures, late_arrivals, staff_entered
from reports.aggregation.services import median_days, median_days_by, service_figures
from reports.figures_schema import COMPARISON_KEY, SERVICES_KEY

__all__ = [
    "COMPARISON_KEY",
    "LOW_RATING",
    "OTHER_PLACES",
    "RATINGS",
    "SERVICES_KEY",
    "comparison_figures",
    "compute_figures",
    "fix_check_figures",
    "grouped_needs",
    "invitation_figures",
    "late_arrivals",
    "median_days",
    "median_days_by",
    "median_days_to_answer",
    "needs_by_status",
    "period_totals",
    "program_figures",
    "response_times",
    "review_figures",
    "rounded",
    "service_figures",
    "share",
    "staff_entered",
    "top_needs",
    "with_other_places",
]
