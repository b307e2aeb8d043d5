"""Cells, sheets that print (A4 landscape, one page wide, rows as tall as their text) and
charts that fit on a printed page."""

import datetime
import itertools
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from feedback_forms import exports
from reports.workbook.labels import (
    CELL_TEXT_MAX,
    CHART_GAP_ROWS,
    CHART_MAX_HEIGHT_CM,
    CHART_WIDTH_CM,
    DATE_FORMAT,
    DATETIME_FORMAT,
    FONT_NAME,
    FONT_SIZE,
    MAX_WIDTH,
    NOT_RECORDED,
    PAPER_SIZE_A4,
    TOP,
    WRAPPED,
    Value,
    label_case,
    sheet_title,
)

# Cells


def cell(sheet: WriteOnlyWorksheet, value: Value, number_format: str | None = None) -> Any:
    """A value as a cell: text cleaned and never a formula, numbers and dates formatted."""
    if isinstance(value, str):
        text = exports.clean_text(value)[:CELL_TEXT_MAX]
        written = WriteOnlyCell(sheet, value=text)
        written.data_type = "s"  # "=..." or "+..." stays text, whoever typed it
        written.alignment = WRAPPED  # a long name wraps in its column rather than being cut
        return written
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = exports.local_naive(value)
        number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        number_format = number_format or DATE_FORMAT
    if number_format is None or value is None:
        return value
    written = WriteOnlyCell(sheet, value=value)
    written.number_format = number_format
    written.alignment = TOP  # level with the first line of a wrapped neighbour
    return written


def header_row(sheet: WriteOnlyWorksheet, labels: Iterable[Any]) -> list[Any]:
    bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    cells: list[Any] = []
    for label in labels:
        if label is None:
            cells.append(None)
            continue
        written = cell(sheet, label_case(label))
        written.font = bold
        cells.append(written)
    return cells


def link(sheet: WriteOnlyWorksheet, text: str, url: str) -> Any:
    written = cell(sheet, text)
    written.hyperlink = url
    written.font = Font(name=FONT_NAME, size=FONT_SIZE, color="0563C1", underline="single")
    return written


def bold(sheet: WriteOnlyWorksheet, text: str) -> Any:
    written = cell(sheet, text)
    written.font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    return written


def wrapped(sheet: WriteOnlyWorksheet, text: str) -> Any:
    """Text cells wrap anyway (`cell`): kept for the analysis paragraphs' readers."""
    return cell(sheet, text)


def set_widths(sheet: WriteOnlyWorksheet, widths: Sequence[int | None]) -> None:
    """Column widths must be set before the first row is written in write-only mode."""
    for index, width in enumerate(widths, start=1):
        if width:
            sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH * 2)


#: Printed points per line of 11 pt text, and how many characters of Georgian text fit in one
#: unit of column width (a unit is the width of a "0"; Georgian letters are wider, and words
#: wrap whole). Over-estimating only leaves white space; under-estimating would hide text.
LINE_HEIGHT_PT = 15.0
CHARACTERS_PER_WIDTH = 0.9
DEFAULT_WIDTH = 8.43


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Cell):
        return value.value if isinstance(value.value, str) else ""
    return value if isinstance(value, str) else ""


def lines_needed(text: str, width: float) -> int:
    """How many printed lines a wrapped text takes in a column of this width."""
    per_line = max(1, int(width * CHARACTERS_PER_WIDTH))
    lines = 0
    for paragraph in text.split("\n"):
        line = 0
        count = 1
        for word in paragraph.split():
            if line and line + 1 + len(word) > per_line:
                count += 1
                line = 0
            while len(word) > per_line:  # a word longer than the column breaks anywhere
                count += 1
                word = word[per_line:]
            line += len(word) + (1 if line else 0)
        lines += count
    return lines


class PrintedSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are as tall as their wrapped text.

    Neither Excel nor LibreOffice reliably grows a row for wrapped text in a file written
    this way, so each row's height is set from its text when it is appended (write-only
    rows cannot be changed later), and the header's columns are widened to their longest
    word, so no word of a header is ever cut.
    """

    def __init__(self, parent: Workbook, title: str) -> None:
        super().__init__(parent, title)
        self.rows_written = 0

    def column_width(self, index: int) -> float:
        letter = get_column_letter(index)
        return self.column_dimensions[letter].width or DEFAULT_WIDTH

    def append(self, row: Iterable[Any]) -> None:
        row = list(row)
        if self.rows_written == 0:
            for index, value in enumerate(row, start=1):
                longest = max((len(word) for word in text_of(value).split()), default=0)
                needed = longest / CHARACTERS_PER_WIDTH + 1
                if needed > self.column_width(index):
                    self.column_dimensions[get_column_letter(index)].width = needed
        self.rows_written += 1
        lines = max(
            (
                lines_needed(text_of(value), self.column_width(index))
                for index, value in enumerate(row, start=1)
                if text_of(value)
            ),
            default=1,
        )
        if lines > 1:
            self.row_dimensions[self.rows_written].height = lines * LINE_HEIGHT_PT
        super().append(row)


def header_text(text: str) -> str:
    """Text for a printed header or footer: "&" starts a code there, so it is doubled."""
    return exports.clean_text(text).replace("&", "&&")[:100]


def print_setup(sheet: WriteOnlyWorksheet, document: str) -> None:
    """How the sheet prints: A4 landscape, one page wide and as tall as needed, the header row
    on every page, grid lines, and a running header with the report and the sheet's name."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_SIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.oddHeader.left.text = header_text(document)
    sheet.oddHeader.right.text = "&A"  # the sheet's name
    sheet.oddFooter.center.text = "&P / &N"


def new_sheet(
    workbook: Workbook, title: Any, widths: Sequence[int | None], document: str = ""
) -> WriteOnlyWorksheet:
    sheet = PrintedSheet(parent=workbook, title=sheet_title(title))
    workbook._add_sheet(sheet)  # what `create_sheet` does, with our sheet class
    sheet.freeze_panes = "A2"
    set_widths(sheet, widths)
    print_setup(sheet, document or workbook.properties.title or "")
    return sheet


def side_by_side(left: list[list[Any]], right: list[list[Any]], left_width: int) -> Iterator:
    """Two tables next to each other with one empty column between them."""
    for left_row, right_row in itertools.zip_longest(left, right):
        row = list(left_row or [])
        row += [None] * (left_width - len(row))
        yield [*row, None, *(right_row or [])]


def bar_chart(
    sheet: WriteOnlyWorksheet,
    *,
    title: str,
    axis_title: str,
    label_column: int,
    value_column: int,
    rows: int,
    anchor: str,
    maximum: float | None = None,
    new_page_after_row: int | None = None,
) -> None:
    """A horizontal bar chart of one column (long Georgian names read better on the left).

    It is never taller than a printed page; `new_page_after_row` puts a page break above a
    chart placed under its table, so the chart prints whole on a page of its own.
    """
    if rows < 1:
        return  # an empty range would make Excel repair the file
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    chart.y_axis.title = axis_title
    chart.y_axis.scaling.min = 0
    if maximum is not None:
        chart.y_axis.scaling.max = maximum
    chart.x_axis.scaling.orientation = "maxMin"  # first row at the top, as in the table
    # openpyxl 3.1 hides both axes unless told otherwise.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.add_data(
        Reference(sheet, min_col=value_column, min_row=1, max_row=rows + 1),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=label_column, min_row=2, max_row=rows + 1))
    chart.width = CHART_WIDTH_CM
    chart.height = min(CHART_MAX_HEIGHT_CM, max(7.5, 0.6 * rows + 3))
    if new_page_after_row is not None:
        sheet.row_breaks.append(Break(id=new_page_after_row))
    sheet.add_chart(chart, anchor)


def chart_below(table_rows: int) -> tuple[str, int]:
    """Anchor of a chart under a table of `table_rows` rows (header included), and the row
    after which its page break goes."""
    row = table_rows + CHART_GAP_ROWS + 1
    return f"A{row}", row - 1


def not_recorded(sheet: WriteOnlyWorksheet) -> None:
    sheet.append([cell(sheet, str(NOT_RECORDED))])
