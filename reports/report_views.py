"""Admin views of a results report: the printable report, and its workbook.

The printable view is a standalone page (no admin chrome) that the division prints or saves as
PDF for the mayor; it shows the same figures as the workbook, from `figures_for(report)`.
Refusals are explicit 403 pages: Wagtail's admin turns `PermissionDenied` into a redirect to
the dashboard, which would hide from scripts and tests that the request was refused.
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cms.core.same_site import same_site_url
from cms.core.storage import private_file_response
from cms.core.typing import AuthenticatedRequest
from feedback_forms.exports import XLSX_CONTENT_TYPE
from feedback_forms.models import Evaluation, Need
from feedback_forms.permissions import perm_name, sees_every_service
from programs.models import ProgramCategory
from reports.figures import figures_for
from reports.figures_schema import (
    Compared,
    ComparedService,
    Figures,
    ServiceFigures,
    figure_name,
)
from reports.models import BudgetCommitment, ReportingPeriod, ResultsReport
from reports.tasks import log_workbook_download, request_workbook
from reports.workbook import (
    field_label,
    label_case,
    period_export_links,
    plural_label,
    report_commitments,
    status_label,
    workbook_filename,
)

VIEW_PERMISSION = "reports.view_resultsreport"
CHANGE_PERMISSION = "reports.change_resultsreport"
PRINT_TEMPLATE = "reports/admin/print.html"
REFUSED_TEMPLATE = "reports/admin/refused.html"
#: The report is the municipality's document: Georgian unless English is asked for.
PRINT_LANGUAGES = ("ka", "en")


def refuse(request: HttpRequest, status: int, message: str) -> TemplateResponse:
    """An admin page that says why, with the real status code (never a silent redirect)."""
    context = {"page_title": _("Results report"), "header_icon": "doc-full", "message": message}
    return TemplateResponse(request, REFUSED_TEMPLATE, context, status=status)


def can_view(user: Any) -> bool:
    return user.is_active and user.has_perm(VIEW_PERMISSION)


def can_generate(user: Any) -> bool:
    return user.is_active and user.has_perm(CHANGE_PERMISSION)


def can_download(user: Any) -> bool:
    """The workbook holds every service's figures, including those a public page withholds
    below k (a service's few needs, its few low ratings): only for those who may read them all.

    It is one shared file, so it cannot be narrowed per user the way `submissions_for` narrows
    a listing; a service representative given the report permission still gets a 403.
    """
    return (
        can_view(user)
        and sees_every_service(user)
        and all(user.has_perm(perm_name(model, "view")) for model in (Evaluation, Need))
    )


def labels() -> dict[str, str]:
    """Column and row labels taken from the models, so the admin and the report agree."""

    return {
        "period": label_case(ReportingPeriod._meta.verbose_name),
        "status": field_label(ResultsReport, "status"),
        "due_on": field_label(ReportingPeriod, "due_on"),
        "sent_on": field_label(ResultsReport, "sent_on"),
        "published_at": field_label(ResultsReport, "published_at"),
        "meeting_on": field_label(ResultsReport, "meeting_on"),
        "services_present": field_label(ResultsReport, "services_present"),
        "minutes": field_label(ResultsReport, "minutes"),
        "program": field_label(Evaluation, "program"),
        "overall": field_label(Evaluation, "overall_rating"),
        "evaluations": plural_label(Evaluation),
        "needs": plural_label(Need),
        "category": field_label(Need, "category"),
        "unit": field_label(Need, "administrative_unit"),
        "settlement": field_label(Need, "settlement"),
        "need_status": field_label(Need, "status"),
        "commitments": plural_label(BudgetCommitment),
        "service": field_label(BudgetCommitment, "service"),
        "budget_year": field_label(BudgetCommitment, "budget_year"),
        "estimated_cost": field_label(BudgetCommitment, "estimated_cost"),
        "commitment_status": field_label(BudgetCommitment, "status"),
    }


def get_report(report_id: int) -> ResultsReport:
    return get_object_or_404(ResultsReport.objects.select_related("period"), pk=report_id)


def percent(value: float | None) -> float | None:
    return None if value is None else value * 100


def share_percent(part: int | None, whole: int | None) -> float | None:
    return part / whole * 100 if part is not None and whole else None


def print_context(report: ResultsReport, language: str) -> dict[str, Any]:
    """Everything the printable report shows, prepared so the template only lays it out."""
    figures = figures_for(report)
    totals = figures["totals"]
    needs_total = totals["needs"]
    categories = {
        slug: (name_en if language == "en" and name_en else name_ka)
        for slug, name_ka, name_en in ProgramCategory.objects.values_list(
            "slug", "name_ka", "name_en"
        )
    }
    programs = []
    for program in figures["programs"]:
        distribution = program.get("distribution") or {}
        programs.append(
            {
                **program,
                "category_name": categories.get(program.get("category") or "", ""),
                "ratings": [distribution.get(str(r), 0) for r in range(1, 6)],
                "verified_percent": percent(program.get("verified_share")),
                "low_percent": percent(program.get("low_share")),
                "questions": [
                    {
                        **question,
                        "ratings": [
                            (question.get("distribution") or {}).get(str(r), 0) for r in range(1, 6)
                        ],
                    }
                    for question in program.get("questions", [])
                ],
            }
        )

    def percent_of(count: int | None) -> float | None:
        return share_percent(count, needs_total)

    units = [
        {
            **row,
            "name": figure_name(row, row["code"], language),
            "percent": percent_of(row["count"]),
        }
        for row in figures["needs_by_unit"]
    ]
    unit_names = {row["code"]: row["name"] for row in units}
    settlements = [
        {
            **row,
            "name": figure_name(row, "", language),
            "percent": percent_of(row["count"]),
            "unit_name": unit_names.get(row["unit_code"], ""),
        }
        for row in figures["needs_by_settlement"]
    ]
    times = figures["response_times"]
    commitments = list(report_commitments(report))
    return {
        "report": report,
        "period": report.period,
        "language": language,
        "figures": figures,
        "totals": totals,
        "verified_percent": percent(totals["verified_share"]),
        "low_percent": percent(totals["low_share"]),
        "programs": programs,
        # None: a report frozen before invitations existed ("not recorded in this report").
        "invitations": [
            {**row, "response_percent": percent(row["response_share"])}
            for row in figures["invitations"]
        ]
        if figures["invitations"] is not None
        else None,
        "needs_by_category": [
            {
                **row,
                "name": figure_name(row, row["slug"], language),
                "percent": percent_of(row["count"]),
            }
            for row in figures["needs_by_category"]
        ],
        "needs_by_unit": units,
        "needs_by_settlement": settlements,
        "needs_by_status": [
            {**row, "label": status_label(row["status"], row["label"])}
            for row in figures["needs_by_status"]
        ],
        "times": times,
        "answered_percent": share_percent(times["answered"], times["total"]),
        "top_needs": [
            {
                **row,
                "category_name": figure_name(row["category"], row["category"]["slug"], language),
                "settlement_name": figure_name(row["settlement"], "", language),
            }
            for row in figures["top_needs"]
        ],
        "analysis": report.analysis,
        "services_present": list(report.services_present.all()),
        "commitments": [
            {
                "commitment": commitment,
                "needs": ", ".join(need.reference for need in commitment.needs.all()),
            }
            for commitment in commitments
        ],
        "labels": labels(),
        **review_context(figures, language),
    }


#: How a compared figure is printed: (digits, percent) per kind.
DISPLAY_KINDS = {"count": (0, False), "mean": (2, False), "percent": (1, True), "days": (1, False)}
SERVICE_KINDS = {"median_days": "days", "low_share": "percent", "mean_rating": "mean"}


def shown_number(value: Any, kind: str, signed: bool = False) -> str:
    """A number as the printable report writes it ("" when unknown); changes carry a sign."""
    if value is None:
        return ""
    digits, is_percent = DISPLAY_KINDS[kind]
    number = value * 100 if is_percent else value
    text = floatformat(number, digits)
    if signed and number > 0:
        text = f"+{text}"
    return f"{text}%" if is_percent else text


def displayed(value: Compared | dict[str, Any] | None, kind: str) -> dict[str, Any]:
    value = value or {}
    return {
        **value,
        "current_display": shown_number(value.get("current"), kind),
        "previous_display": shown_number(value.get("previous"), kind),
        "change_display": shown_number(value.get("change"), kind, signed=True),
    }


def service_rows(
    rows: list[ServiceFigures] | list[ComparedService], language: str
) -> list[dict[str, Any]]:
    """Service rows of the figures named in the page's language (`figure_name`); compared
    figures get their printed form."""
    named = []
    for row in rows:
        entry: dict[str, Any] = {
            **row,
            "name": figure_name(row, row["slug"], language)
            if row["service_id"] is not None
            else _("Not yet assigned to a service"),
        }
        for key, value in row.items():
            if isinstance(value, dict):
                entry[key] = displayed(value, SERVICE_KINDS.get(key, "count"))
        low_share = row["low_share"]
        if not isinstance(low_share, dict):
            entry["low_percent"] = percent(low_share)
        named.append(entry)
    return named


def compared_totals(totals: dict[str, Compared]) -> list[dict[str, Any]]:
    """The totals of the comparison as labelled rows, each printed as its kind of number."""
    return [
        {"label": label, **displayed(totals.get(key), kind)}
        for key, label, kind in (
            ("evaluations", _("Evaluations counted"), "count"),
            ("mean_rating", _("Mean overall rating (1-5)"), "mean"),
            ("low_rated", _("Low ratings (1-2)"), "count"),
            ("low_share", _("Share of low ratings (1-2)"), "percent"),
            ("needs", _("Needs counted"), "count"),
            ("answered", _("Needs answered"), "count"),
            ("open", _("Needs still open"), "count"),
            ("overdue", _("Overdue (open after the answer was due)"), "count"),
            ("median_days", _("Median days to an answer"), "days"),
        )
    ]


def review_context(figures: Figures, language: str) -> dict[str, Any]:
    """Per service and compared with the previous half-year; None where the report was frozen
    before these figures were recorded (the template then says so)."""
    services = figures["services"]
    compared = figures["comparison"]
    comparison = None
    if compared is not None:
        comparison = {
            "previous_period": compared["previous_period"],
            "totals": compared_totals(compared["totals"]),
            "categories": [
                {**displayed(row, "count"), "name": figure_name(row, row["slug"], language)}
                for row in compared["categories"]
            ],
            "units": [
                {**displayed(row, "count"), "name": figure_name(row, row["code"], language)}
                for row in compared["units"]
            ],
            "services": service_rows(compared["services"], language),
        }
    return {
        "services": None if services is None else service_rows(services, language),
        "comparison": comparison,
    }


def export_links_for(user: Any, report: ResultsReport) -> list[dict[str, str]]:
    """The streaming exports of the report's period that this user may download."""
    return [
        link
        for link in period_export_links(report.period.code)
        if user.has_perm(perm_name(link["model"], "export"))
    ]


@require_GET
def print_view(request: HttpRequest, report_id: int) -> HttpResponseBase:
    """The whole report on one printable page (`?lang=en` for the English version)."""
    if not can_view(request.user):
        return refuse(request, 403, _("You do not have permission to view results reports."))
    report = get_report(report_id)
    language = request.GET.get("lang", "ka")
    if language not in PRINT_LANGUAGES:
        language = "ka"
    with translation.override(language):
        context = print_context(report, language)
        context.update(
            {
                "can_generate": can_generate(request.user),
                "can_download": can_download(request.user),
                "workbook_ready": bool(report.workbook and report.workbook_generated_at),
                "export_links": export_links_for(request.user, report),
            }
        )
        # Rendered here, inside the override: a lazy TemplateResponse would render too late.
        return render(request, PRINT_TEMPLATE, context)


def back_url(request: HttpRequest, report: ResultsReport) -> str:
    """Where the request came from, if it is this site; otherwise the report's admin page."""
    back = same_site_url(request, request.POST.get("next"), request.META.get("HTTP_REFERER"))
    if back:
        return back
    try:
        return reverse("reports_resultsreport:inspect", args=[report.pk])
    except NoReverseMatch:
        return reverse("reports_admin:print", args=[report.pk])


@require_POST
def workbook_view(request: AuthenticatedRequest, report_id: int) -> HttpResponseBase:
    """Queue the workbook's (re)generation and go back with a message."""
    if not can_generate(request.user):
        return refuse(
            request, 403, _("You do not have permission to generate the report's workbook.")
        )
    report = get_report(report_id)
    request_workbook(report, request.user)
    messages.success(
        request,
        _(
            "The workbook of %(report)s is being prepared. Download it from the report when it "
            "is ready."
        )
        % {"report": report},
    )
    return redirect(back_url(request, report))


@require_GET
def download_view(request: AuthenticatedRequest, report_id: int) -> HttpResponseBase:
    """The generated workbook from private storage; 404 until it has been generated."""
    if not can_download(request.user):
        return refuse(
            request, 403, _("You do not have permission to download the report's workbook.")
        )
    report = get_report(report_id)
    if not report.workbook or report.workbook_generated_at is None:
        raise Http404
    response = private_file_response(report.workbook, workbook_filename(report), XLSX_CONTENT_TYPE)
    log_workbook_download(report, request.user)
    return response


report_urlpatterns = [
    path("<int:report_id>/print/", print_view, name="print"),
    path("<int:report_id>/workbook/", workbook_view, name="workbook"),
    path("<int:report_id>/workbook/download/", download_view, name="workbook_download"),
]


def get_report_urls() -> list:
    """For the `register_admin_urls` hook: /admin/reports/results/..., namespace reports_admin."""
    return [path("reports/results/", include((report_urlpatterns, "reports_admin")))]
