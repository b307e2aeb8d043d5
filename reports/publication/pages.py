"""The contexts of the results pages: the index of reports and one published report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from reports.figures import figures_for
from reports.models import ResultsPage, ResultsReport
from reports.publication.charts import (
    needs_chart,
    ratings_chart,
    response_times_chart,
)
from reports.publication.commitments import (
    accountability_url,
    commitments_data,
    public_commitments,
)
from reports.publication.periods import (
    arrived_after,
    coverage,
    in_reader_language,
    period_label,
    public_late_arrivals,
    published_reports,
    report_url,
)
from reports.publication.ratings import (
    min_public_responses,
    public_program_ratings,
    public_totals,
)
from reports.publication.review import (
    public_comparison,
    public_fix_checks,
    public_services,
)

# --- Page contexts ----------------------------------------------------------------------------


def report_summary(
    report: ResultsReport, page: ResultsPage | None, request: HttpRequest | None
) -> dict[str, Any]:
    return {
        "report": report,
        "period": report.period,
        "period_label": period_label(report),
        "url": report_url(report.period.code, page, request),
        "totals": public_totals(figures_for(report)),
        "coverage": coverage(report),
    }


def index_context(page: ResultsPage, request: HttpRequest) -> dict[str, Any]:
    """The list of published reports and the latest report's program ratings."""
    reports = [report_summary(report, page, request) for report in published_reports()]
    latest = reports[0] if reports else None
    ratings = public_program_ratings(figures_for(latest["report"])) if latest else []
    return {
        "reports": reports,
        "latest": latest,
        "ratings": ratings,
        "ratings_chart": ratings_chart(ratings),
        "min_responses": min_public_responses(),
        "accountability_url": accountability_url(request),
    }


def report_context(
    page: ResultsPage, request: HttpRequest, report: ResultsReport
) -> dict[str, Any]:
    """Everything the page of one published report shows."""
    figures = figures_for(report)
    totals = public_totals(figures)
    ratings = public_program_ratings(figures)
    commitments = commitments_data(public_commitments().filter(report=report))
    analysis, analysis_lang = in_reader_language(report, "analysis")
    return {
        "report": report,
        "analysis": analysis,
        "analysis_lang": analysis_lang,
        "period": report.period,
        "period_label": period_label(report),
        "totals": totals,
        "ratings": ratings,
        "ratings_chart": ratings_chart(ratings),
        "min_responses": min_public_responses(),
        "category_chart": needs_chart(
            ((row["slug"], row) for row in figures["needs_by_category"]),
            "needs-by-category",
            _("Needs recorded in the period, by category"),
            _("Category"),
        ),
        "unit_chart": needs_chart(
            ((row["code"], row) for row in figures["needs_by_unit"]),
            "needs-by-unit",
            _("Needs recorded in the period, by administrative unit"),
            _("Administrative unit"),
        ),
        "response_chart": response_times_chart(totals),
        "services": public_services(figures),
        "fix_checks": public_fix_checks(figures),
        "comparison": public_comparison(figures),
        "services_present": list(report.services_present.order_by("sort_order", "name_ka")),
        "commitments": commitments,
        "coverage": coverage(report),
        "late_arrivals": public_late_arrivals(figures),
        "arrived_after": arrived_after(report, page),
        "index_url": page.get_url(request=request),
        "accountability_url": accountability_url(request),
    }
