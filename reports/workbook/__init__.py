"""The results report as an Excel workbook for the mayor and the division (Art. 4.4-4.6).

Every figure comes from `figures_for(report)`: the frozen JSON once the report is sent, live
aggregates while it is a draft, so the workbook always says what the report says.

It is a summary that prints: every sheet is set up for A4 landscape, one page wide, with its
header row repeated on each printed page, wrapped text instead of clipped text, and each chart
on a page of its own (or beside a narrow table) so no chart is cut by a page break. Its size
does not grow with the number of submissions: the row-by-row data of the period is in the
streaming exports (`feedback_forms.exports`), which the summary sheet links to with the
period's filter, and which are live where the figures are frozen.

The workbook is write-only: openpyxl keeps one row in memory at a time (each sheet is spooled
to a temporary file). Native charts work in that mode too: a chart only refers to cell ranges.

Labels are Georgian (the workbook is built under `translation.override("ka")`), reference
data is named by `figure_name` (so Georgian, else the code), and every text cell is cleaned of
control characters and written as a string when Excel could read it as a formula (DESIGN.md
"Privacy and security").

The sheets are written by one module per group (`summary`, `programs`, `needs`, `review`) on
the shared `labels` (titles, labels, formats, printing constants) and `cells` (cells, printed
sheets, charts); this package keeps every name its readers imported from `reports.workbook`.
"""

from typing import IO

from django.utils import timezone, translation
from openpyxl import Workbook

from reports.figures import figures_for
from reports.models import ResultsReport
from reports.workbook.cells import (
    CHARACTERS_PER_WIDTH,
    DEFAULT_WIDTH,
    LINE_HEIGHT_PT,
    PrintedSheet,
    bar_chart,
    bold,
    cell,
    chart_below,
    header_row,
    header_text,
    lines_needed,
    link,
    new_sheet,
    not_recorded,
    print_setup,
    set_widths,
    side_by_side,
    text_of,
    wrapped,
)
from reports.workbook.labels import (
    ANALYSIS,
    CELL_TEXT_MAX,
    CHANGE,
    CHANGE_FORMAT,
    CHART_GAP_ROWS,
    CHART_MAX_HEIGHT_CM,
    CHART_WIDTH_CM,
    COMMITMENTS,
    COMMITMENTS_TOTAL,
    COMPARISON,
    COUNT_CHANGE_FORMAT,
    COUNT_FORMAT,
    DATE_FORMAT,
    DATETIME_FORMAT,
    DAYS_CHANGE_FORMAT,
    DAYS_FORMAT,
    EVALUATIONS_COUNTED,
    EXPORTS,
    FIX_CHECKS,
    FONT_NAME,
    FONT_SIZE,
    HIDDEN_NEEDS,
    LOW_SHARE,
    MAX_WIDTH,
    MEAN_FORMAT,
    MEAN_RATING,
    MONEY_FORMAT,
    NEEDS_BY_CATEGORY,
    NEEDS_BY_PLACE,
    NEEDS_COUNTED,
    NOT_RECORDED,
    PAPER_SIZE_A4,
    PERCENT_CHANGE_FORMAT,
    PERCENT_FORMAT,
    PROGRAMS,
    RESPONSE_TIMES,
    SERVICES,
    SERVICES_COMPARED,
    SHEET_TITLE_MAX,
    SUMMARY,
    TOP,
    TOP_NEEDS,
    VERIFIED_SHARE,
    WORKBOOK_LANGUAGE,
    WRAPPED,
    Value,
    as_date,
    field_label,
    label_case,
    paragraphs,
    period_export_links,
    plural_label,
    share_of,
    sheet_title,
    sheet_titles,
    status_label,
    workbook_filename,
)
from reports.workbook.needs import (
    write_needs_by_category,
    write_needs_by_place,
    write_response_times,
    write_top_needs,
)
from reports.workbook.programs import (
    category_names,
    write_programs,
)
from reports.workbook.review import (
    COMPARED_SERVICE_FIGURES,
    COMPARED_TOTALS,
    compared_cells,
    comparison_header,
    previous_period,
    service_name,
    write_comparison,
    write_fix_checks,
    write_services,
    write_services_compared,
)
from reports.workbook.summary import (
    late_arrival_rows,
    report_commitments,
    write_commitments,
    write_export_links,
    write_summary,
)


def build_workbook(report: ResultsReport, fileobj: IO[bytes]) -> None:
    """Write the report's workbook, in Georgian, into a binary file.

    Its size depends on the number of programs, places, services and commitments, never on
    the number of submissions: their rows are in the exports the summary sheet links to.
    """
    with translation.override(WORKBOOK_LANGUAGE):
        figures = figures_for(report)
        generated_at = timezone.now()
        workbook = Workbook(write_only=True)
        workbook.properties.title = str(report)  # also the printed header of every page
        write_summary(workbook, report, figures, generated_at)
        write_programs(workbook, figures)
        write_needs_by_place(workbook, figures)
        write_needs_by_category(workbook, figures)
        write_top_needs(workbook, figures)
        write_response_times(workbook, figures)
        write_services(workbook, figures)
        write_comparison(workbook, figures)
        write_services_compared(workbook, figures)
        write_fix_checks(workbook, figures)
        write_commitments(workbook, report)
        workbook.save(fileobj)


__all__ = [
    "build_workbook",
    "WORKBOOK_LANGUAGE",
    "SHEET_TITLE_MAX",
    "CELL_TEXT_MAX",
    "MAX_WIDTH",
    "COUNT_FORMAT",
    "MEAN_FORMAT",
    "CHANGE_FORMAT",
    "PERCENT_FORMAT",
    "MONEY_FORMAT",
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "DAYS_FORMAT",
    "COUNT_CHANGE_FORMAT",
    "DAYS_CHANGE_FORMAT",
    "PERCENT_CHANGE_FORMAT",
    "WRAPPED",
    "TOP",
    "FONT_NAME",
    "FONT_SIZE",
    "PAPER_SIZE_A4",
    "CHART_MAX_HEIGHT_CM",
    "CHART_WIDTH_CM",
    "CHART_GAP_ROWS",
    "SUMMARY",
    "PROGRAMS",
    "NEEDS_BY_PLACE",
    "NEEDS_BY_CATEGORY",
    "TOP_NEEDS",
    "RESPONSE_TIMES",
    "SERVICES",
    "COMPARISON",
    "SERVICES_COMPARED",
    "FIX_CHECKS",
    "COMMITMENTS",
    "EVALUATIONS_COUNTED",
    "VERIFIED_SHARE",
    "MEAN_RATING",
    "LOW_SHARE",
    "NEEDS_COUNTED",
    "HIDDEN_NEEDS",
    "COMMITMENTS_TOTAL",
    "ANALYSIS",
    "CHANGE",
    "EXPORTS",
    "NOT_RECORDED",
    "Value",
    "sheet_titles",
    "sheet_title",
    "label_case",
    "field_label",
    "plural_label",
    "workbook_filename",
    "period_export_links",
    "as_date",
    "share_of",
    "status_label",
    "paragraphs",
    "cell",
    "header_row",
    "link",
    "bold",
    "wrapped",
    "set_widths",
    "LINE_HEIGHT_PT",
    "CHARACTERS_PER_WIDTH",
    "DEFAULT_WIDTH",
    "text_of",
    "lines_needed",
    "PrintedSheet",
    "header_text",
    "print_setup",
    "new_sheet",
    "side_by_side",
    "bar_chart",
    "chart_below",
    "not_recorded",
    "write_summary",
    "write_export_links",
    "late_arrival_rows",
    "report_commitments",
    "write_commitments",
    "category_names",
    "write_programs",
    "write_needs_by_place",
    "write_needs_by_category",
    "write_top_needs",
    "write_response_times",
    "service_name",
    "write_services",
    "COMPARED_TOTALS",
    "compared_cells",
    "previous_period",
    "comparison_header",
    "write_comparison",
    "COMPARED_SERVICE_FIGURES",
    "write_services_compared",
    "write_fix_checks",
]
