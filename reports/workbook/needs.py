"""The needs sheets: by place, by category, the most frequent needs and response times."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from feedback_forms.models import Need
from reports.figures_schema import (
    Figures,
    figure_name,
)
from reports.workbook.cells import (
    bar_chart,
    cell,
    chart_below,
    header_row,
    new_sheet,
    side_by_side,
)
from reports.workbook.labels import (
    COUNT_FORMAT,
    DAYS_FORMAT,
    NEEDS_BY_CATEGORY,
    NEEDS_BY_PLACE,
    PERCENT_FORMAT,
    RESPONSE_TIMES,
    TOP_NEEDS,
    field_label,
    plural_label,
    share_of,
    status_label,
)


def write_needs_by_place(workbook: Workbook, figures: Figures) -> None:
    units = figures["needs_by_unit"]
    settlements = figures["needs_by_settlement"]
    total = figures["totals"]["needs"]
    unit_names = {row["code"]: figure_name(row, row["code"]) for row in units}
    needs = plural_label(Need)
    unit_label = field_label(Need, "administrative_unit")
    sheet = new_sheet(workbook, NEEDS_BY_PLACE, [28, 10, 11, 11, 3, 28, 28, 11, 11])
    left = [
        [
            cell(sheet, figure_name(row, row["code"])),
            cell(sheet, row["code"] or ""),
            cell(sheet, row["count"], COUNT_FORMAT),
            cell(sheet, share_of(row["count"], total), PERCENT_FORMAT),
        ]
        for row in units
    ]
    right = [
        [
            cell(sheet, unit_names.get(row["unit_code"]) or ""),
            cell(sheet, figure_name(row)),
            cell(sheet, row["count"], COUNT_FORMAT),
            cell(sheet, share_of(row["count"], total), PERCENT_FORMAT),
        ]
        for row in settlements
    ]
    header = [
        unit_label,
        _("Unit code"),
        needs,
        _("Share of needs"),
        None,
        unit_label,
        field_label(Need, "settlement"),
        needs,
        _("Share of needs"),
    ]
    sheet.append(header_row(sheet, header))
    for row in side_by_side(left, right, 4):
        sheet.append(row)
    anchor, break_row = chart_below(1 + max(len(left), len(right)))
    bar_chart(
        sheet,
        title=_("Needs by administrative unit"),
        axis_title=needs,
        label_column=1,
        value_column=3,
        rows=len(units),
        anchor=anchor,
        new_page_after_row=break_row,
    )


def write_needs_by_category(workbook: Workbook, figures: Figures) -> None:
    rows = figures["needs_by_category"]
    total = figures["totals"]["needs"]
    needs = plural_label(Need)
    sheet = new_sheet(workbook, NEEDS_BY_CATEGORY, [32, 12, 12])
    sheet.append(header_row(sheet, [field_label(Need, "category"), needs, _("Share of needs")]))
    for row in rows:
        sheet.append(
            [
                cell(sheet, figure_name(row, row["slug"])),
                cell(sheet, row["count"], COUNT_FORMAT),
                cell(sheet, share_of(row["count"], total), PERCENT_FORMAT),
            ]
        )
    bar_chart(
        sheet,
        title=_("Needs by category"),
        axis_title=needs,
        label_column=1,
        value_column=2,
        rows=len(rows),
        anchor="E2",
    )


def write_top_needs(workbook: Workbook, figures: Figures) -> None:
    sheet = new_sheet(workbook, TOP_NEEDS, [26, 24, 10, 11, 60])
    sheet.append(
        header_row(
            sheet,
            [
                field_label(Need, "category"),
                field_label(Need, "settlement"),
                _("Unit code"),
                plural_label(Need),
                _("Example"),
            ],
        )
    )
    for row in figures["top_needs"]:
        sheet.append(
            [
                cell(sheet, figure_name(row["category"], row["category"]["slug"])),
                cell(sheet, figure_name(row["settlement"])),
                cell(sheet, row["unit_code"] or ""),
                cell(sheet, row["count"], COUNT_FORMAT),
                cell(sheet, row["example"]),
            ]
        )


def write_response_times(workbook: Workbook, figures: Figures) -> None:
    times = figures["response_times"]
    sheet = new_sheet(workbook, RESPONSE_TIMES, [40, 12, 3, 30, 12])
    left = [
        [cell(sheet, label), cell(sheet, value, number_format)]
        for label, value, number_format in (
            (_("Needs counted"), times["total"], COUNT_FORMAT),
            (_("Needs answered"), times["answered"], COUNT_FORMAT),
            (
                _("Answered share"),
                share_of(times["answered"], times["total"]),
                PERCENT_FORMAT,
            ),
            (_("Needs still open"), times["open"], COUNT_FORMAT),
            (_("Overdue (open after the answer was due)"), times["overdue"], COUNT_FORMAT),
            (_("Median days to an answer"), times["median_days"], DAYS_FORMAT),
        )
    ]
    right = [
        [
            cell(sheet, status_label(row["status"], row["label"])),
            cell(sheet, row["count"], COUNT_FORMAT),
        ]
        for row in figures["needs_by_status"]
    ]
    header = [
        _("Indicator"),
        _("Value"),
        None,
        field_label(Need, "status"),
        plural_label(Need),
    ]
    sheet.append(header_row(sheet, header))
    for row in side_by_side(left, right, 2):
        sheet.append(row)
