"""What the public may see of the results cycle, decided in one place for pages and the API.

Only published reports are public, and only through `figures_for`, so a page or an API answer
always shows the figures the mayor reviewed. Program ratings follow one k-anonymity rule
(`rating_for_public`): with few responses a mean is an individual's answer (with one response
it IS that resident's rating), so the mean and distribution appear only from
`FEEDBACK_PUBLIC_MIN_RESPONSES` visible evaluations in the period. Nothing personal ever leaves
this package: no names, contacts, hashes, authors, need titles or residents' text.

One module per purpose: `ratings` (the rule, totals, a program's rating), `review` (services,
"is it fixed?", the comparison), `periods` (published reports, coverage, late arrivals),
`charts`, `commitments` and `pages` (the pages' contexts); this package keeps every name its
readers imported from `reports.publication`.
"""

from reports.publication.charts import (
    MAX_RATING,
    RATINGS,
    Bar,
    Chart,
    bar_width,
    counted_bars,
    distribution_chart,
    formatted,
    group_name,
    needs_chart,
    ratings_chart,
    response_times_chart,
    share_text,
)
from reports.publication.commitments import (
    accountability_data,
    accountability_url,
    commitment_data,
    commitments_data,
    cost_total,
    public_commitments,
    status_summary,
    tracking_url,
)
from reports.publication.pages import (
    index_context,
    report_context,
    report_summary,
)
from reports.publication.periods import (
    PERIOD_CODE,
    arrived_after,
    coverage,
    in_reader_language,
    is_period_code,
    other_language,
    period_code_label,
    period_label,
    program_links,
    public_late_arrivals,
    published_report,
    published_reports,
    report_url,
    results_page,
)
from reports.publication.ratings import (
    DEFAULT_MIN_RESPONSES,
    min_public_responses,
    program_rating,
    program_rating_summary,
    program_ratings_by_period,
    public_program_ratings,
    public_totals,
    rating_for_public,
    with_display,
)
from reports.publication.review import (
    compared_groups,
    compared_public,
    days_display,
    public_comparison,
    public_fix_checks,
    public_services,
    service_label,
    service_reference,
    signed,
)

__all__ = [
    "RATINGS",
    "MAX_RATING",
    "Bar",
    "Chart",
    "formatted",
    "bar_width",
    "counted_bars",
    "group_name",
    "ratings_chart",
    "distribution_chart",
    "needs_chart",
    "response_times_chart",
    "share_text",
    "PERIOD_CODE",
    "is_period_code",
    "published_reports",
    "published_report",
    "results_page",
    "report_url",
    "program_links",
    "other_language",
    "in_reader_language",
    "period_label",
    "period_code_label",
    "coverage",
    "public_late_arrivals",
    "arrived_after",
    "DEFAULT_MIN_RESPONSES",
    "min_public_responses",
    "rating_for_public",
    "with_display",
    "public_program_ratings",
    "program_rating",
    "public_totals",
    "program_rating_summary",
    "program_ratings_by_period",
    "service_reference",
    "service_label",
    "days_display",
    "public_services",
    "public_fix_checks",
    "compared_public",
    "signed",
    "compared_groups",
    "public_comparison",
    "public_commitments",
    "tracking_url",
    "commitment_data",
    "commitments_data",
    "status_summary",
    "accountability_url",
    "accountability_data",
    "cost_total",
    "report_summary",
    "index_context",
    "report_context",
]
