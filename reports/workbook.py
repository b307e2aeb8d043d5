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
names are the `name_ka` columns, and every text cell is cleaned of control characters and
written as a string when Excel could read it as a formula (DESIGN.md "Privacy and security").
"""

import datetime
import itertools
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db.models import Count, Model, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from feedback_forms import exports
from feedback_forms.models import Evaluation, Need, Status
from programs.models import ProgramCategory
from reports.aggregation import COMPARISON_KEY, SERVICES_KEY
from reports.figures import figures_for
from reports.models import BudgetCommitment, ReportingPeriod, ResultsReport

WORKBOOK_LANGUAGE = "ka"
SHEET_TITLE_MAX = 31
#: Excel refuses longer cells; an analysis that long is cut rather than the workbook broken.
CELL_TEXT_MAX = 32_000
MAX_WIDTH = 60

COUNT_FORMAT = "0"
MEAN_FORMAT = "0.00"
CHANGE_FORMAT = "+0.00;-0.00;0.00"
PERCENT_FORMAT = "0.0%"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DAYS_FORMAT = "0.0"
COUNT_CHANGE_FORMAT = "+0;-0;0"
DAYS_CHANGE_FORMAT = "+0.0;-0.0;0.0"
PERCENT_CHANGE_FORMAT = "+0.0%;-0.0%;0.0%"

WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
#: The workbook's default font (openpyxl's): a styled cell names it, or it prints in a serif.
FONT_NAME = "Calibri"
FONT_SIZE = 11

# Printing: A4 landscape, one page wide, as many pages tall as needed (0 = automatic).
PAPER_SIZE_A4 = 9
#: A chart must fit on one printed page: A4 landscape leaves about 16 cm of height at 100%.
CHART_MAX_HEIGHT_CM = 14.0
CHART_WIDTH_CM = 20.0
#: Rows between a table and a chart printed under it (the chart starts a new page).
CHART_GAP_ROWS = 1

# Sheet titles, in workbook order (translated when the workbook is built).
SUMMARY = gettext_lazy("Summary")
PROGRAMS = gettext_lazy("Programs")
NEEDS_BY_PLACE = gettext_lazy("Needs by place")
NEEDS_BY_CATEGORY = gettext_lazy("Needs by category")
TOP_NEEDS = gettext_lazy("Most frequent needs")
RESPONSE_TIMES = gettext_lazy("Response times")
SERVICES = gettext_lazy("Services")
COMPARISON = gettext_lazy("Previous half-year")
SERVICES_COMPARED = gettext_lazy("Services, previous half-year")
COMMITMENTS = gettext_lazy("Commitments")

# Summary labels that tests and readers look up.
EVALUATIONS_COUNTED = gettext_lazy("Evaluations counted")
VERIFIED_SHARE = gettext_lazy("Share verified on a beneficiary list")
MEAN_RATING = gettext_lazy("Mean overall rating (1-5)")
LOW_SHARE = gettext_lazy("Share of low ratings (1-2)")
NEEDS_COUNTED = gettext_lazy("Needs counted")
HIDDEN_NEEDS = gettext_lazy("Hidden needs (spam, duplicates, not eligible)")
COMMITMENTS_TOTAL = gettext_lazy("Budget commitments decided at this review")
ANALYSIS = gettext_lazy("Analysis of the PR and Events Management Division")
#: The difference between this period and the previous one (not "change" as in "edit").
CHANGE = pgettext_lazy("difference between two periods", "Change")
EXPORTS = gettext_lazy("Every submission of the period (streaming exports)")
NOT_RECORDED = gettext_lazy(
    "Not recorded in this report: it was sent before these figures were part of a report."
)

Value = str | int | float | Decimal | datetime.date | datetime.datetime | None


def sheet_titles() -> list[str]:
    """The titles of every sheet, in order, in the active language."""
    return [
        sheet_title(title)
        for title in (
            SUMMARY,
            PROGRAMS,
            NEEDS_BY_PLACE,
            NEEDS_BY_CATEGORY,
            TOP_NEEDS,
            RESPONSE_TIMES,
            SERVICES,
            COMPARISON,
            SERVICES_COMPARED,
            COMMITMENTS,
        )
    ]


def sheet_title(title: Any) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    text = str(title)
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:SHEET_TITLE_MAX].strip() or "Sheet"


def label_case(text: Any) -> str:
    """Django's `capfirst` for labels, without turning Georgian into Mtavruli.

    `str.upper()` maps Georgian (Mkhedruli) letters to Mtavruli, which Georgian never uses for a
    first letter; the Unicode titlecase of Mkhedruli is the letter itself. A first letter that
    `capfirst` already turned into Mtavruli (e.g. export headers) is turned back.
    """
    text = str(text)
    if not text:
        return text
    first = text[0]
    if "\u1c90" <= first <= "\u1cbf" and not ("\u1c90" <= text[1:2] <= "\u1cbf"):
        first = first.lower()
    return first.title() + text[1:]


def field_label(model: type[Model], name: str) -> str:
    return label_case(model._meta.get_field(name).verbose_name)


def plural_label(model: type[Model]) -> str:
    return label_case(model._meta.verbose_name_plural)


def workbook_filename(report: ResultsReport) -> str:
    """ASCII, one per period: "results-2026-H1.xlsx" ("results-2026-H1-interim.xlsx")."""
    return f"results-{report.period.code}{'-interim' if report.is_interim else ''}.xlsx"


def period_export_links(code: str, absolute: bool = False) -> list[dict[str, Any]]:
    """The staff exports of every evaluation and need of a period, as Excel and as CSV.

    They use the listings' own filter (`reporting_period`), stream from the database and become
    background jobs when large, so the raw rows never make the report's workbook slow; they are
    live, while a sent report's figures are frozen. `absolute` adds WAGTAILADMIN_BASE_URL.
    """
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/") if absolute else ""
    formats = {"xlsx": "Excel (.xlsx)", "csv": "CSV"}
    return [
        {
            "kind": kind,
            "model": model,
            "format": file_format,
            "label": f"{plural_label(model)}, {format_label}",
            "url": base
            + reverse("feedback_exports:export", args=[kind])
            + "?"
            + urlencode({"reporting_period": code, "format": file_format}),
        }
        for kind, model in (("evaluation", Evaluation), ("need", Need))
        for file_format, format_label in formats.items()
    ]


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
    cells = []
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


def as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def name_of(row: dict, prefix: str) -> str:
    """A reference name from a figures row: Georgian, English if no Georgian was stored."""
    return row.get(f"{prefix}name_ka") or row.get(f"{prefix}name_en") or ""


def share_of(part: int | None, whole: int | None) -> float | None:
    return round(part / whole, 4) if part is not None and whole else None


def status_label(value: str, fallback: str = "") -> str:
    """Labels in the workbook's language, even when the figures were frozen in another."""
    try:
        return str(Status(value).label)
    except ValueError:
        return fallback or value


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# Sheets


def write_summary(
    workbook: Workbook, report: ResultsReport, figures: dict, generated_at: datetime.datetime
) -> None:
    sheet = new_sheet(workbook, SUMMARY, [48, 100])
    period = report.period
    totals = figures.get("totals", {})
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
        (_("Figures computed on"), as_date(figures.get("computed_on")), None),
        (
            _("Figures frozen when the report was sent"),
            yes_no[report.is_frozen and bool(report.figures)],
            None,
        ),
        (field_label(ResultsReport, "workbook_generated_at"), generated_at, None),
        (_("Previous period"), figures.get("previous_period", ""), None),
    ]
    totals_rows: list[tuple[Any, Value, str | None]] = [
        (EVALUATIONS_COUNTED, totals.get("evaluations"), COUNT_FORMAT),
        (VERIFIED_SHARE, totals.get("verified_share"), PERCENT_FORMAT),
        (MEAN_RATING, totals.get("mean_rating"), MEAN_FORMAT),
        (LOW_SHARE, totals.get("low_share"), PERCENT_FORMAT),
        (NEEDS_COUNTED, totals.get("needs"), COUNT_FORMAT),
        (HIDDEN_NEEDS, totals.get("hidden"), COUNT_FORMAT),
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


def late_arrival_rows(figures: dict) -> list[tuple[Any, Value, str | None]]:
    """ "Received after the previous report", per earlier period (nothing when there are none)."""
    rows: list[tuple[Any, Value, str | None]] = []
    for row in (figures.get("late_arrivals") or {}).get("by_period") or []:
        label = _("Received after the previous report, %(period)s") % {"period": row["period"]}
        rows += [
            (f"{label}: {plural_label(Need)}", row.get("needs"), COUNT_FORMAT),
            (f"{label}: {HIDDEN_NEEDS}", row.get("hidden"), COUNT_FORMAT),
            (f"{label}: {plural_label(Evaluation)}", row.get("evaluations"), COUNT_FORMAT),
        ]
    return rows


def category_names() -> dict[str, str]:
    """Slug -> Georgian name: the frozen figures keep the slug of a program's category."""
    return dict(ProgramCategory.objects.values_list("slug", "name_ka"))


def write_programs(workbook: Workbook, figures: dict) -> None:
    headers = [
        field_label(Evaluation, "program"),
        field_label(Evaluation, "category"),
        field_label(Evaluation, "service"),
        _("Question"),
        plural_label(Evaluation),
        _("Verified share"),
        _("Mean rating"),
        *(_("Rated %(rating)s") % {"rating": rating} for rating in range(1, 6)),
        _("Low-rating share (1-2)"),
        _("Evaluations in the previous period"),
        _("Mean in the previous period"),
        _("Change from the previous period"),
    ]
    widths = [30, 16, 22, 24, 11, 10, 9, 6, 6, 6, 6, 6, 10, 12, 11, 11]
    sheet = new_sheet(workbook, PROGRAMS, widths)
    sheet.append(header_row(sheet, headers))
    categories = category_names()
    overall = field_label(Evaluation, "overall_rating")
    programs = figures.get("programs", [])

    def distribution(row: dict) -> list[Any]:
        counts = row.get("distribution") or {}
        return [cell(sheet, counts.get(str(r), 0), COUNT_FORMAT) for r in range(1, 6)]

    def start(program: dict, question: str) -> list[Any]:
        return [
            cell(sheet, program.get("title") or ""),
            cell(sheet, categories.get(program.get("category") or "", program.get("category"))),
            cell(sheet, program.get("service") or ""),
            cell(sheet, question),
        ]

    for program in programs:
        sheet.append(
            [
                *start(program, overall),
                cell(sheet, program.get("count"), COUNT_FORMAT),
                cell(sheet, program.get("verified_share"), PERCENT_FORMAT),
                cell(sheet, program.get("mean"), MEAN_FORMAT),
                *distribution(program),
                cell(sheet, program.get("low_share"), PERCENT_FORMAT),
                cell(sheet, program.get("previous_count"), COUNT_FORMAT),
                cell(sheet, program.get("previous_mean"), MEAN_FORMAT),
                cell(sheet, program.get("mean_change"), CHANGE_FORMAT),
            ]
        )
    # The extra questions below the programs, so the chart's range is the programs alone.
    for program in programs:
        for question in program.get("questions", []):
            counts = question.get("distribution") or {}
            low = sum(int(counts.get(str(r), 0)) for r in (1, 2))
            sheet.append(
                [
                    *start(program, question.get("label") or question.get("name") or ""),
                    cell(sheet, question.get("count"), COUNT_FORMAT),
                    None,
                    cell(sheet, question.get("mean"), MEAN_FORMAT),
                    *distribution(question),
                    cell(sheet, share_of(low, question.get("count")), PERCENT_FORMAT),
                ]
            )
    questions = sum(len(program.get("questions", [])) for program in programs)
    anchor, break_row = chart_below(1 + len(programs) + questions)
    bar_chart(
        sheet,
        title=_("Mean overall rating per program"),
        axis_title=_("Mean rating (1-5)"),
        label_column=1,
        value_column=7,
        rows=len(programs),
        anchor=anchor,
        maximum=5,
        new_page_after_row=break_row,
    )


def write_needs_by_place(workbook: Workbook, figures: dict) -> None:
    units = figures.get("needs_by_unit", [])
    settlements = figures.get("needs_by_settlement", [])
    total = figures.get("totals", {}).get("needs")
    unit_names = {
        row.get("administrative_unit__code"): name_of(row, "administrative_unit__") for row in units
    }
    needs = plural_label(Need)
    unit_label = field_label(Need, "administrative_unit")
    sheet = new_sheet(workbook, NEEDS_BY_PLACE, [28, 10, 11, 11, 3, 28, 28, 11, 11])
    left = [
        [
            cell(sheet, name_of(row, "administrative_unit__")),
            cell(sheet, row.get("administrative_unit__code") or ""),
            cell(sheet, row.get("count"), COUNT_FORMAT),
            cell(sheet, share_of(row.get("count"), total), PERCENT_FORMAT),
        ]
        for row in units
    ]
    right = [
        [
            cell(sheet, unit_names.get(row.get("administrative_unit__code")) or ""),
            cell(sheet, name_of(row, "settlement__")),
            cell(sheet, row.get("count"), COUNT_FORMAT),
            cell(sheet, share_of(row.get("count"), total), PERCENT_FORMAT),
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


def write_needs_by_category(workbook: Workbook, figures: dict) -> None:
    rows = figures.get("needs_by_category", [])
    total = figures.get("totals", {}).get("needs")
    needs = plural_label(Need)
    sheet = new_sheet(workbook, NEEDS_BY_CATEGORY, [32, 12, 12])
    sheet.append(header_row(sheet, [field_label(Need, "category"), needs, _("Share of needs")]))
    for row in rows:
        sheet.append(
            [
                cell(sheet, name_of(row, "category__")),
                cell(sheet, row.get("count"), COUNT_FORMAT),
                cell(sheet, share_of(row.get("count"), total), PERCENT_FORMAT),
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


def write_top_needs(workbook: Workbook, figures: dict) -> None:
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
    for row in figures.get("top_needs", []):
        sheet.append(
            [
                cell(sheet, name_of(row, "category__")),
                cell(sheet, name_of(row, "settlement__")),
                cell(sheet, row.get("administrative_unit__code") or ""),
                cell(sheet, row.get("count"), COUNT_FORMAT),
                cell(sheet, row.get("example") or ""),
            ]
        )


def write_response_times(workbook: Workbook, figures: dict) -> None:
    times = figures.get("response_times", {})
    sheet = new_sheet(workbook, RESPONSE_TIMES, [40, 12, 3, 30, 12])
    left = [
        [cell(sheet, label), cell(sheet, value, number_format)]
        for label, value, number_format in (
            (_("Needs counted"), times.get("total"), COUNT_FORMAT),
            (_("Needs answered"), times.get("answered"), COUNT_FORMAT),
            (
                _("Answered share"),
                share_of(times.get("answered"), times.get("total")),
                PERCENT_FORMAT,
            ),
            (_("Needs still open"), times.get("open"), COUNT_FORMAT),
            (_("Overdue (open after the answer was due)"), times.get("overdue"), COUNT_FORMAT),
            (_("Median days to an answer"), times.get("median_days"), DAYS_FORMAT),
        )
    ]
    right = [
        [
            cell(sheet, status_label(row.get("status", ""), row.get("label", ""))),
            cell(sheet, row.get("count"), COUNT_FORMAT),
        ]
        for row in figures.get("needs_by_status", [])
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


def service_name(row: dict) -> str:
    """A service of the figures in Georgian; the needs not yet routed to one say so."""
    if row.get("service_id") is None:
        return _("Not yet assigned to a service")
    return name_of(row, "") or row.get("slug") or ""


def not_recorded(sheet: WriteOnlyWorksheet) -> None:
    sheet.append([cell(sheet, str(NOT_RECORDED))])


def write_services(workbook: Workbook, figures: dict) -> None:
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
    rows = figures.get(SERVICES_KEY)
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
    sheet: WriteOnlyWorksheet, value: dict | None, number_format: str, change_format: str
) -> list[Any]:
    value = value or {}
    return [
        cell(sheet, value.get("current"), number_format),
        cell(sheet, value.get("previous"), number_format),
        cell(sheet, value.get("change"), change_format),
    ]


def comparison_header(comparison: dict | None, figures: dict, first: Any) -> list[str]:
    previous = (comparison or {}).get("previous_period") or figures.get("previous_period", "")
    return [
        str(first),
        _("This period (%(period)s)") % {"period": figures.get("period", "")},
        _("Previous period (%(period)s)") % {"period": previous},
        str(CHANGE),
    ]


def write_comparison(workbook: Workbook, figures: dict) -> None:
    """Totals, needs per category and per administrative unit against the previous half-year:
    one four-column table, so the repeated header row fits every printed page."""
    comparison = figures.get(COMPARISON_KEY)
    sheet = new_sheet(workbook, COMPARISON, [48, 18, 18, 12])
    sheet.append(header_row(sheet, comparison_header(comparison, figures, _("Indicator"))))
    if comparison is None:
        not_recorded(sheet)
        return
    sheet.append([bold(sheet, _("Totals of the period"))])
    totals = comparison.get("totals") or {}
    for key, label, number_format, change_format in COMPARED_TOTALS:
        sheet.append(
            [
                cell(sheet, str(label)),
                *compared_cells(sheet, totals.get(key), number_format, change_format),
            ]
        )
    for section, key, prefix in (
        (_("Needs by category"), "categories", "category__"),
        (_("Needs by administrative unit"), "units", "administrative_unit__"),
    ):
        sheet.append([])
        sheet.append([bold(sheet, section)])
        for row in comparison.get(key) or []:
            sheet.append(
                [
                    cell(sheet, name_of(row, prefix)),
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


def write_services_compared(workbook: Workbook, figures: dict) -> None:
    """Each service against the previous half-year: this, before and the change, per figure."""
    comparison = figures.get(COMPARISON_KEY)
    previous = (comparison or {}).get("previous_period") or figures.get("previous_period", "")
    headers: list[str] = [field_label(Need, "service")]
    for _key, label, _format, _change in COMPARED_SERVICE_FIGURES:
        headers += [
            f"{label}: {figures.get('period', '')}",
            f"{label}: {previous}",
            f"{label}: {CHANGE}",
        ]
    sheet = new_sheet(workbook, SERVICES_COMPARED, [40] + [11] * (len(headers) - 1))
    sheet.append(header_row(sheet, headers))
    if comparison is None:
        not_recorded(sheet)
        return
    for row in comparison.get("services") or []:
        values = [cell(sheet, service_name(row))]
        for key, _label, number_format, change_format in COMPARED_SERVICE_FIGURES:
            values += compared_cells(sheet, row.get(key), number_format, change_format)
        sheet.append(values)


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
        write_commitments(workbook, report)
        workbook.save(fileobj)
