"""The Summary sheet (the report, its totals, the analysis, the minutes, links to the
period's exports) and the Commitments sheet."""

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from feedback_forms import exports
from feedback_forms.models import Evaluation, Need
from reports.figures_schema import Figures
from reports.models import BudgetCommitment, ReportingPeriod, ResultsReport
from reports.workbook.cells import (
    bold,
    cell,
    header_row,
    link,
    new_sheet,
    wrapped,
)
from reports.workbook.labels import (
    ANALYSIS,
    COMMITMENTS,
    COMMITMENTS_TOTAL,
    COUNT_FORMAT,
    EVALUATIONS_COUNTED,
    EXPORTS,
    HIDDEN_NEEDS,
    LOW_SHARE,
    MEAN_FORMAT,
    MEAN_RATING,
    MONEY_FORMAT,
    NEEDS_COUNTED,
    PERCENT_FORMAT,
    SUMMARY,
    VERIFIED_SHARE,
    Value,
    as_date,
    field_label,
    label_case,
    paragraphs,
    period_export_links,
    plural_label,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def write_summary(
    workbook: Workbook, report: ResultsReport, figures: Figures, generated_at: datetime.datetime
) -> None:
    sheet = new_sheet(workbook, SUMMARY, [48, 100])
    period = report.period
    totals = figures["totals"]
    commitments = dict(
        report.commitments.order_by()
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    services = ", ".join(service.name_ka for service in report.services_present.all())
    yes_no = exports.yes_no_labels()

    rows: list[tuple[Any, Value, str | None]] = [
        (_("Report"), str(report), None),
        (field_label(ResultsReport, "is_interim"), yes_no[report.is_interim], None),
        (label_case(ReportingPeriod._meta.verbose_name), str(period), None),
        (field_label(ReportingPeriod, "code"), period.code, None),
        (field_label(ResultsReport, "status"), report.get_status_display(), None),
        (field_label(ReportingPeriod, "starts_on"), period.starts_on, None),
        (field_label(ReportingPeriod, "ends_on"), period.ends_on, None),
        (field_label(ReportingPeriod, "due_on"), period.due_on, None),
        (field_label(ResultsReport, "sent_on"), report.sent_on, None),
        (field_label(ResultsReport, "meeting_on"), report.meeting_on, None),
        (field_label(ResultsReport, "services_present"), services, None),
        (field_label(ResultsReport, "published_at"), report.published_at, None),
        (_("Figures computed on"), as_date(figures["computed_on"]), None),
        (
            _("Figures frozen when the report was sent"),
            yes_no[report.is_frozen and bool(report.figures)],
            None,
        ),
        (field_label(ResultsReport, "workbook_generated_at"), generated_at, None),
        (_("Previous period"), figures["previous_period"], None),
    ]
    totals_rows: list[tuple[Any, Value, str | None]] = [
        (EVALUATIONS_COUNTED, totals["evaluations"], COUNT_FORMAT),
        (VERIFIED_SHARE, totals["verified_share"], PERCENT_FORMAT),
        (MEAN_RATING, totals["mean_rating"], MEAN_FORMAT),
        (LOW_SHARE, totals["low_share"], PERCENT_FORMAT),
        (NEEDS_COUNTED, totals["needs"], COUNT_FORMAT),
        (HIDDEN_NEEDS, totals["hidden"], COUNT_FORMAT),
        *late_arrival_rows(figures),
    ]
    commitment_rows: list[tuple[Any, Value, str | None]] = [
        (COMMITMENTS_TOTAL, sum(commitments.values()), COUNT_FORMAT),
        *(
            (
                _("Commitments: %(status)s") % {"status": label},
                commitments.get(value, 0),
                COUNT_FORMAT,
            )
            for value, label in BudgetCommitment.Status.choices
        ),
    ]

    sheet.append(header_row(sheet, [_("Indicator"), _("Value")]))
    for label, value, number_format in rows:
        sheet.append([cell(sheet, str(label)), cell(sheet, value, number_format)])
    section: StrOrPromise
    for section, section_rows in (
        (_("Totals of the period"), totals_rows),
        (plural_label(BudgetCommitment), commitment_rows),
    ):
        sheet.append([])
        sheet.append([bold(sheet, section)])
        for label, value, number_format in section_rows:
            sheet.append([cell(sheet, str(label)), cell(sheet, value, number_format)])
    for section, text in (
        (ANALYSIS, report.analysis_ka),
        (field_label(ResultsReport, "minutes"), report.minutes),
    ):
        sheet.append([])
        sheet.append([bold(sheet, str(section))])
        for paragraph in paragraphs(text) or [_("Not written yet.")]:
            sheet.append([None, wrapped(sheet, paragraph)])
    write_export_links(sheet, period.code)


def write_export_links(sheet: WriteOnlyWorksheet, code: str) -> None:
    """Where the rows behind the figures are: the period's streaming exports (staff only)."""
    sheet.append([])
    sheet.append([bold(sheet, str(EXPORTS))])
    sheet.append(
        [
            None,
            cell(
                sheet,
                _(
                    "The exports are live: they show the submissions as they are today, while "
                    "a sent report's figures are frozen. They need a staff account with the "
                    "permission to export."
                ),
            ),
        ]
    )
    for export in period_export_links(code, absolute=True):
        sheet.append([cell(sheet, export["label"]), link(sheet, export["url"], export["url"])])


def late_arrival_rows(figures: Figures) -> list[tuple[Any, Value, str | None]]:
    """ "Received after the previous report", per earlier period (nothing when there are none)."""
    rows: list[tuple[Any, Value, str | None]] = []
    for row in figures["late_arrivals"]["by_period"]:
        label = _("Received after the previous report, %(period)s") % {"period": row["period"]}
        rows += [
            (f"{label}: {plural_label(Need)}", row["needs"], COUNT_FORMAT),
            (f"{label}: {HIDDEN_NEEDS}", row["hidden"], COUNT_FORMAT),
            (f"{label}: {plural_label(Evaluation)}", row["evaluations"], COUNT_FORMAT),
        ]
    return rows


def report_commitments(report: ResultsReport) -> QuerySet:
    """The review's commitments with their service and linked need references (3 queries)."""
    return (
        report.commitments.select_related("service")
        .prefetch_related(
            Prefetch("needs", queryset=Need.objects.only("pk", "reference").order_by("reference"))
        )
        .order_by("budget_year", "title_ka", "pk")
    )


def write_commitments(workbook: Workbook, report: ResultsReport) -> None:
    headers = [
        _("Title"),
        field_label(BudgetCommitment, "service"),
        field_label(BudgetCommitment, "budget_year"),
        field_label(BudgetCommitment, "estimated_cost"),
        field_label(BudgetCommitment, "status"),
        _("Linked needs (references)"),
        _("Description"),
    ]
    sheet = new_sheet(workbook, COMMITMENTS, [34, 26, 9, 14, 18, 22, 56])
    sheet.append(header_row(sheet, headers))
    for commitment in report_commitments(report):
        sheet.append(
            [
                cell(sheet, commitment.title_ka),
                cell(sheet, commitment.service.name_ka),
                cell(sheet, commitment.budget_year, COUNT_FORMAT),
                cell(sheet, commitment.estimated_cost, MONEY_FORMAT),
                cell(sheet, commitment.get_status_display()),
                cell(sheet, ", ".join(need.reference for need in commitment.needs.all())),
                cell(sheet, commitment.description_ka),
            ]
        )
