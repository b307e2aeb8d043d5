"""Open data of the results cycle, as JSON: budget commitments, program ratings and reports.

Read-only and anonymous. Everything comes from `reports.publication`, so the API publishes
exactly what the public pages show: published reports only, and program ratings under the same
k-anonymity rule (count always; mean and distribution only from the threshold up). Mounted at
/api/v1/ by `cms.api_v1`, with that API's JSON error shape.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from cms.core.public_urls import public_url
from feedback_forms.api import MAX_PAGE_ID, ErrorOut, StatusCode
from feedback_forms.api_support import ApiError, in_request_language
from programs.models import ProgramPage
from reports.figures import figures_for
from reports.publication import (
    commitments_data,
    min_public_responses,
    program_links,
    program_ratings_by_period,
    public_commitments,
    public_comparison,
    public_late_arrivals,
    public_services,
    public_totals,
    published_reports,
    report_url,
    results_page,
)

router = Router(tags=["open data"])
router.add_decorator(in_request_language, mode="view")

CommitmentStatus = Literal["proposed", "in_draft_budget", "adopted", "implemented", "dropped"]
#: Far wider than any real budget year, narrow enough that no database overflows.
MIN_YEAR, MAX_YEAR = 2000, 2100


# --- Schemas ----------------------------------------------------------------------------------


class ServiceOut(Schema):
    code: str = Field(examples=["infrastructure"])
    name: str = Field(description="In the request's language.")
    name_ka: str
    name_en: str


class LinkedNeedOut(Schema):
    reference: str = Field(
        examples=["K7QM-4XPA"], description="Follow it at GET submissions/{reference}."
    )
    status: StatusCode
    status_text: str = Field(description="The status as the public tracking page words it.")


class ProgramLinkOut(Schema):
    id: int = Field(description="The program page id in the request's language (or Georgian).")
    title: str


class ProgressNoteOut(Schema):
    date: datetime.date
    text_ka: str
    text_en: str


class LateArrivalOut(Schema):
    period: str = Field(examples=["2026-H1"], description="The half-year they were submitted for.")
    needs: int
    evaluations: int


class CommitmentOut(Schema):
    id: int
    title_ka: str
    title_en: str
    description_ka: str
    description_en: str
    evaluation_findings: str = Field(description="What residents' evaluations showed (Georgian).")
    status: CommitmentStatus
    status_text: str = Field(description="The status in the request's language.")
    service: ServiceOut
    budget_year: int = Field(description="The budget year it is meant to be funded in.")
    estimated_cost: Decimal | None = Field(
        None, description="Estimated cost in GEL, as a decimal string (exact)."
    )
    report_period: str | None = Field(
        None, description="The results report at whose review the mayor decided it, e.g. 2026-H1."
    )
    needs_count: int = Field(description="Residents' needs it answers (hidden ones left out).")
    needs: list[LinkedNeedOut]
    programs: list[ProgramLinkOut]
    progress_notes: list[ProgressNoteOut] = Field(description="Newest first.")
    dropped_reason_ka: str = Field("", description="The mayor's reason, when it was dropped.")
    dropped_reason_en: str = ""
    updated: datetime.datetime


class RatingOut(Schema):
    count: int = Field(description="Visible evaluations of the program in the period.")
    shown: bool = Field(description="Whether count reaches min_responses.")
    mean: float | None = Field(None, description="1 to 5; null when shown is false.")
    distribution: dict[str, int] | None = Field(
        None, description='Evaluations per rating "1".."5"; null when shown is false.'
    )


class PeriodRatingOut(RatingOut):
    period: str = Field(examples=["2026-H1"])
    published: datetime.datetime | None


class ProgramRatingsOut(Schema):
    program: ProgramLinkOut
    min_responses: int = Field(
        description="Means and distributions are published only from this many evaluations."
    )
    periods: list[PeriodRatingOut] = Field(description="Every published report, newest first.")


class TotalsOut(Schema):
    evaluations: int
    mean_rating: float | None = Field(
        None, description="Mean of all evaluations; null below min_responses evaluations."
    )
    needs: int
    answered: int = Field(description="Needs City Hall has answered.")
    open: int
    overdue: int = Field(description="Open needs past their answer deadline.")
    median_days: float | None = Field(None, description="Median days to answer a need.")


class ComparedCountOut(Schema):
    current: int | None = Field(None, description="This half-year; null when withheld.")
    previous: int | None = Field(None, description="The previous half-year; null when withheld.")
    change: int | None = Field(None, description="current - previous; null unless both are.")


class ComparedNumberOut(Schema):
    current: float | None = Field(None, description="This half-year; null when withheld or none.")
    previous: float | None = Field(
        None, description="The previous half-year; null when withheld or none."
    )
    change: float | None = Field(None, description="current - previous; null unless both are.")


class ServiceFiguresOut(Schema):
    service: ServiceOut | None = Field(
        None, description="The responsible service; null for needs not yet routed to a service."
    )
    needs_shown: bool = Field(
        description="Whether the service received at least min_responses needs; when false "
        "every need figure of the row is null (fewer than min_responses)."
    )
    needs: int | None = Field(None, description="Visible needs routed to the service.")
    answered: int | None = None
    open: int | None = None
    overdue: int | None = Field(None, description="Open needs past their answer deadline.")
    median_days: float | None = Field(
        None, description="Median days from submission to answer (never negative)."
    )
    evaluations_shown: bool = Field(
        description="Whether its programs had at least min_responses evaluations; when false "
        "the evaluation figures of the row are null."
    )
    evaluations: int | None = Field(None, description="Visible evaluations of its programs.")
    low_rated: int | None = Field(None, description="Of those, rated 1 or 2.")


class ServiceComparisonOut(Schema):
    service: ServiceOut | None = Field(None, description="null: needs not routed to a service.")
    needs: ComparedCountOut = Field(description="Per period, null below min_responses needs.")
    answered: ComparedCountOut
    median_days: ComparedNumberOut
    low_rated: ComparedCountOut = Field(
        description="Evaluations rated 1 or 2; per period, null below min_responses evaluations."
    )


class GroupComparisonOut(Schema):
    code: str = Field(description="The category's or administrative unit's code.")
    name: str = Field(description="In the request's language.")
    current: int
    previous: int
    change: int


class TotalsComparisonOut(Schema):
    evaluations: ComparedCountOut
    mean_rating: ComparedNumberOut = Field(
        description="Per period, null below min_responses evaluations."
    )
    needs: ComparedCountOut
    answered: ComparedCountOut
    open: ComparedCountOut
    overdue: ComparedCountOut
    median_days: ComparedNumberOut


class ComparisonOut(Schema):
    previous_period: str = Field(examples=["2025-H2"])
    totals: TotalsComparisonOut
    categories: list[GroupComparisonOut] = Field(description="Visible needs per category.")
    units: list[GroupComparisonOut] = Field(description="Visible needs per administrative unit.")
    services: list[ServiceComparisonOut]


class ReportOut(Schema):
    period: str = Field(examples=["2026-H1"])
    budget_year: int
    half: int = Field(description="1 for January-June, 2 for July-December.")
    starts_on: datetime.date
    ends_on: datetime.date
    review_meeting_on: datetime.date | None
    published: datetime.datetime | None
    interim: bool = Field(
        description="Sent to the mayor before its half-year ended: it does not cover all of it."
    )
    counts_until: datetime.datetime | None = Field(
        None, description="When its figures were frozen: what was submitted later is not in it."
    )
    min_responses: int
    totals: TotalsOut
    late_arrivals: list[LateArrivalOut] = Field(
        default_factory=list,
        description=(
            "Received after the previous report: submissions for earlier half-years that arrived "
            "after those half-years' reports were sent, counted by this report."
        ),
    )
    url: str | None = Field(
        None, description="The report's public page, in the request's language."
    )
    services: list[ServiceFiguresOut] | None = Field(
        None,
        description="What the mayor's review saw per responsible service (Art. 4.6), services "
        "with neither needs nor evaluations left out; null for a report sent before these "
        "figures were recorded.",
    )
    comparison: ComparisonOut | None = Field(
        None,
        description="This half-year against the previous one, both counted by the same rules; "
        "null for a report sent before the comparison was recorded.",
    )


# --- Endpoints --------------------------------------------------------------------------------


@router.get(
    "/commitments",
    response={200: list[CommitmentOut], 422: ErrorOut},
    operation_id="list_commitments",
    url_name="commitments",
)
def list_commitments(
    request: HttpRequest,
    budget_year: Annotated[
        int | None,
        Query(ge=MIN_YEAR, le=MAX_YEAR, description="Only commitments for this budget year."),
    ] = None,
    status: Annotated[
        CommitmentStatus | None, Query(description="Only commitments in this status.")
    ] = None,
) -> list[dict[str, Any]]:
    """The mayor's budget commitments (Art. 4.7) and their progress, newest budget year first.

    A commitment is public from the moment it is recorded, even before its review's report.
    """
    commitments = public_commitments()
    if budget_year is not None:
        commitments = commitments.filter(budget_year=budget_year)
    if status is not None:
        commitments = commitments.filter(status=status)
    return commitments_data(commitments)


@router.get(
    "/programs/{page_id}/ratings",
    response={200: ProgramRatingsOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="get_program_ratings",
    url_name="program-ratings",
)
def program_ratings(
    request: HttpRequest, page_id: int = Path(..., description="Program page id (ka or en).")
) -> dict[str, Any]:
    """A program's rating in every published report, k-anonymous."""
    program = None
    if 0 < page_id <= MAX_PAGE_ID:  # databases refuse integers wider than the column
        program = ProgramPage.objects.live().public().filter(pk=page_id).first()
    if program is None:
        raise ApiError(404, _("There is no published program with this id."), code="not_found")
    canonical = program.canonical_program
    link = program_links([canonical.pk]).get(canonical.pk)
    return {
        "program": link or {"id": program.pk, "title": program.title},
        "min_responses": min_public_responses(),
        "periods": program_ratings_by_period(canonical),
    }


@router.get(
    "/reports",
    response={200: list[ReportOut]},
    operation_id="list_reports",
    url_name="reports",
)
def list_reports(request: HttpRequest) -> list[dict[str, Any]]:
    """Published results reports (Art. 4.4-4.6), newest first, with their headline figures."""
    page = results_page()
    minimum = min_public_responses()
    reports = []
    for report in published_reports():
        period = report.period
        figures = figures_for(report)
        late = public_late_arrivals(figures)
        reports.append(
            {
                "period": period.code,
                "budget_year": period.budget_year,
                "half": period.half,
                "starts_on": period.starts_on,
                "ends_on": period.ends_on,
                "review_meeting_on": report.meeting_on,
                "published": report.published_at,
                "interim": report.is_interim,
                "counts_until": report.frozen_at,
                "min_responses": minimum,
                "totals": public_totals(figures),
                "late_arrivals": late["by_period"] if late else [],
                "url": absolute(request, report_url(period.code, page)),
                "services": public_services(figures),
                "comparison": public_comparison(figures),
            }
        )
    return reports


def absolute(request: HttpRequest, url: str) -> str | None:
    if not url:
        return None
    return public_url(url)  # PUBLIC_BASE_URL, not the request's (internal) host
