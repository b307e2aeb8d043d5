"""The sheets of the mayor's review (Art. 4.6): per service, against the previous half-year,
and "is it fixed?"."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from feedback_forms.models import Need
from reports.figures_schema import (
    Comparison,
    Figures,
    ServiceName,
    figure_name,
)
from reports.workbook.cells import (
    bold,
    cell,
    header_row,
    new_sheet,
    not_recorded,
)
from reports.workbook.labels import (
    CHANGE,
    CHANGE_FORMAT,
    COMPARISON,
    COUNT_CHANGE_FORMAT,
    COUNT_FORMAT,
    DAYS_CHANGE_FORMAT,
    DAYS_FORMAT,
    EVALUATIONS_COUNTED,
    FIX_CHECKS,
    LOW_SHARE,
    MEAN_FORMAT,
    MEAN_RATING,
    NEEDS_COUNTED,
    PERCENT_CHANGE_FORMAT,
    PERCENT_FORMAT,
    SERVICES,
    SERVICES_COMPARED,
    field_label,
    share_of,
)


def service_name(row: ServiceName) -> str:
    """A service of the figures by `figure_name`; the needs not yet routed to one say so."""
    if row["service_id"] is None:
        return _("Not yet assigned to a service")
    return figure_name(row, row["slug"])


def write_services(workbook: Workbook, figures: Figures) -> None:
    """What the review meeting goes through with each service (Art. 4.6)."""
    headers = [
        field_label(Need, "service"),
        _("Needs received"),
        _("Needs answered"),
        _("Answered share"),
        _("Needs still open"),
        _("Overdue (open after the answer was due)"),
        _("Median days to an answer"),
        _("Evaluations of its programs"),
        _("Low ratings (1-2)"),
        _("Low-rating share (1-2)"),
    ]
    sheet = new_sheet(workbook, SERVICES, [44, 11, 11, 11, 11, 14, 12, 13, 11, 11])
    sheet.append(header_row(sheet, headers))
    rows = figures["services"]
    if rows is None:
        not_recorded(sheet)
        return
    for row in rows:
        sheet.append(
            [
                cell(sheet, service_name(row)),
                cell(sheet, row.get("needs"), COUNT_FORMAT),
                cell(sheet, row.get("answered"), COUNT_FORMAT),
                cell(sheet, share_of(row.get("answered"), row.get("needs")), PERCENT_FORMAT),
                cell(sheet, row.get("open"), COUNT_FORMAT),
                cell(sheet, row.get("overdue"), COUNT_FORMAT),
                cell(sheet, row.get("median_days"), DAYS_FORMAT),
                cell(sheet, row.get("evaluations"), COUNT_FORMAT),
                cell(sheet, row.get("low_rated"), COUNT_FORMAT),
                cell(sheet, row.get("low_share"), PERCENT_FORMAT),
            ]
        )


#: How each compared total is written: label, number format, format of its change.
COMPARED_TOTALS = (
    ("evaluations", EVALUATIONS_COUNTED, COUNT_FORMAT, COUNT_CHANGE_FORMAT),
    ("mean_rating", MEAN_RATING, MEAN_FORMAT, CHANGE_FORMAT),
    ("low_rated", gettext_lazy("Low ratings (1-2)"), COUNT_FORMAT, COUNT_CHANGE_FORMAT),
    ("low_share", LOW_SHARE, PERCENT_FORMAT, PERCENT_CHANGE_FORMAT),
    ("needs", NEEDS_COUNTED, COUNT_FORMAT, COUNT_CHANGE_FORMAT),
    ("answered", gettext_lazy("Needs answered"), COUNT_FORMAT, COUNT_CHANGE_FORMAT),
    ("open", gettext_lazy("Needs still open"), COUNT_FORMAT, COUNT_CHANGE_FORMAT),
    (
        "overdue",
        gettext_lazy("Overdue (open after the answer was due)"),
        COUNT_FORMAT,
        COUNT_CHANGE_FORMAT,
    ),
    ("median_days", gettext_lazy("Median days to an answer"), DAYS_FORMAT, DAYS_CHANGE_FORMAT),
)


def compared_cells(
    sheet: WriteOnlyWorksheet,
    value: Mapping[str, Any] | None,
    number_format: str,
    change_format: str,
) -> list[Any]:
    value = value or {}
    return [
        cell(sheet, value.get("current"), number_format),
        cell(sheet, value.get("previous"), number_format),
        cell(sheet, value.get("change"), change_format),
    ]


def previous_period(comparison: Comparison | None, figures: Figures) -> str:
    return (comparison["previous_period"] if comparison else "") or figures["previous_period"]


def comparison_header(comparison: Comparison | None, figures: Figures, first: Any) -> list[str]:
    previous = previous_period(comparison, figures)
    return [
        str(first),
        _("This period (%(period)s)") % {"period": figures["period"]},
        _("Previous period (%(period)s)") % {"period": previous},
        str(CHANGE),
    ]


def write_comparison(workbook: Workbook, figures: Figures) -> None:
    """Totals, needs per category and per administrative unit against the previous half-year:
    one four-column table, so the repeated header row fits every printed page."""
    comparison = figures["comparison"]
    sheet = new_sheet(workbook, COMPARISON, [48, 18, 18, 12])
    sheet.append(header_row(sheet, comparison_header(comparison, figures, _("Indicator"))))
    if comparison is None:
        not_recorded(sheet)
        return
    sheet.append([bold(sheet, _("Totals of the period"))])
    totals = comparison["totals"]
    for key, label, number_format, change_format in COMPARED_TOTALS:
        sheet.append(
            [
                cell(sheet, str(label)),
                *compared_cells(sheet, totals.get(key), number_format, change_format),
            ]
        )
    groups = (
        (
            _("Needs by category"),
            [(figure_name(row, row["slug"]), row) for row in comparison["categories"]],
        ),
        (
            _("Needs by administrative unit"),
            [(figure_name(row, row["code"]), row) for row in comparison["units"]],
        ),
    )
    for section, rows in groups:
        sheet.append([])
        sheet.append([bold(sheet, section)])
        for name, row in rows:
            sheet.append(
                [
                    cell(sheet, name),
                    *compared_cells(sheet, row, COUNT_FORMAT, COUNT_CHANGE_FORMAT),
                ]
            )


#: The per-service figures compared, in column order.
COMPARED_SERVICE_FIGURES = (
    ("needs", gettext_lazy("Needs received"), COUNT_FORMAT, COUNT_CHANGE_FORMAT),
    ("answered", gettext_lazy("Needs answered"), COUNT_FORMAT, COUNT_CHANGE_FORMAT),
    ("median_days", gettext_lazy("Median days to an answer"), DAYS_FORMAT, DAYS_CHANGE_FORMAT),
    ("low_rated", gettext_lazy("Low ratings (1-2)"), COUNT_FORMAT, COUNT_CHANGE_FORMAT),
)


def write_services_compared(workbook: Workbook, figures: Figures) -> None:
    """Each service against the previous half-year: this, before and the change, per figure."""
    comparison = figures["comparison"]
    previous = previous_period(comparison, figures)
    headers: list[str] = [field_label(Need, "service")]
    for _key, label, _format, _change in COMPARED_SERVICE_FIGURES:
        headers += [
            f"{label}: {figures['period']}",
            f"{label}: {previous}",
            f"{label}: {CHANGE}",
        ]
    sheet = new_sheet(workbook, SERVICES_COMPARED, [40] + [11] * (len(headers) - 1))
    sheet.append(header_row(sheet, headers))
    if comparison is None:
        not_recorded(sheet)
        return
    for row in comparison["services"]:
        values = [cell(sheet, service_name(row))]
        compared: Mapping[str, Any] = row
        for key, _label, number_format, change_format in COMPARED_SERVICE_FIGURES:
            values += compared_cells(sheet, compared.get(key), number_format, change_format)
        sheet.append(values)


def write_fix_checks(workbook: Workbook, figures: Figures) -> None:
    """Per service: residents asked "is it fixed?" after a resolution, and what they said."""
    headers = [
        field_label(Need, "service"),
        _("Residents asked “is it fixed?”"),
        _("Residents who answered"),
        _("Confirmed fixed"),
        _("Said it is not fixed (reopened)"),
        _("Share confirmed fixed (of those who answered)"),
    ]
    sheet = new_sheet(workbook, FIX_CHECKS, [44, 14, 14, 12, 14, 16])
    sheet.append(header_row(sheet, headers))
    rows = figures["fix_checks"]
    if rows is None:
        not_recorded(sheet)
        return
    for row in rows:
        sheet.append(
            [
                cell(sheet, service_name(row)),
                cell(sheet, row.get("asked"), COUNT_FORMAT),
                cell(sheet, row.get("answered"), COUNT_FORMAT),
                cell(sheet, row.get("fixed"), COUNT_FORMAT),
                cell(sheet, row.get("not_fixed"), COUNT_FORMAT),
                cell(sheet, row.get("fixed_share"), PERCENT_FORMAT),
            ]
        )
