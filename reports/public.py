"""The public pages of the results cycle: published reports and the accountability page.

Thin on purpose: what may be shown, and how, is decided in `reports.publication`, which the
open-data API uses too, so a page and the API can never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse

from reports.publication import accountability_data, index_context, published_report, report_context

if TYPE_CHECKING:
    from reports.models import ResultsPage

REPORT_TEMPLATE = "pages/results_report.html"


def results_index(page: ResultsPage, request: HttpRequest) -> HttpResponse:
    """Published reports, newest first, and the latest report's program ratings."""
    return page.render(request, context_overrides=index_context(page, request))


def results_detail(page: ResultsPage, request: HttpRequest, code: str) -> HttpResponse:
    """One published report; any other period (unknown, draft, sent, reviewed) is a 404."""
    report = published_report(code)
    if report is None:
        raise Http404
    return page.render(
        request,
        template=REPORT_TEMPLATE,
        context_overrides=report_context(page, request, report),
    )


def accountability_context(request: HttpRequest) -> dict[str, Any]:
    """The mayor's commitments by target budget year, their progress and a status summary."""
    return accountability_data()
