"""The results report as an Excel workbook for the mayor and the division (Art. 4.4-4.6).

Every figure comes from `figures_for(report)`: the frozen JSON once the report is sent, live
aggregates while it is a draft, so the workbook always says what the report says. The raw
Evaluations and Needs sheets are the only row-by-row part; they reuse the analysts' export
(`feedback_forms.exports`), which never loads personal columns, and stream from the database.

The workbook is write-only: openpyxl keeps one row in memory at a time (each sheet is spooled
to a temporary file), so a period with tens of thousands of submissions stays flat in memory.
Native charts work in that mode too: a chart only refers to cell ranges, Excel draws it.

Labels are Georgian (the workbook is built under `translation.override("ka")`), reference
names are the `name_ka` columns, and every text cell is cleaned of control characters and
written as a string when Excel could read it as a formula (DESIGN.md "Privacy and security").
"""

import datetime
import itertools
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from django.db.models import Count, Model, Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from feedback_forms import exports
from feedback_forms.models import Evaluation, Need, Status
from programs.models import ProgramCategory
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

# Sheet titles, in workbook order (translated when the workbook is built).
SUMMARY = gettext_lazy("Summary")
PROGRAMS = gettext_lazy("Programs")
NEEDS_BY_PLACE = gettext_lazy("Needs by place")
NEEDS_BY_CATEGORY = gettext_lazy("Needs by category")
TOP_NEEDS = gettext_lazy("Most frequent needs")
RESPONSE_TIMES = gettext_lazy("Response times")
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
            COMMITMENTS,
        )
    ] + [sheet_title(raw_sheet_title(model)) for model in (Evaluation, Need)]


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


#: The raw sheets are named after their model ("Evaluations", "Needs").
raw_sheet_title = plural_label


def workbook_filename(report: ResultsReport) -> str:
    """ASCII, one per period: "results-2026-H1.xlsx" ("results-2026-H1-interim.xlsx")."""
    return f"results-{report.period.code}{'-interim' if report.is_interim else ''}.xlsx"


# Cells


def cell(sheet: WriteOnlyWorksheet, value: Value, number_format: str | None = None) -> Any:
    """A value as a cell: text cleaned and never a formula, numbers and dates formatted."""
    if isinstance(value, str):
        text = exports.clean_text(value)[:CELL_TEXT_MAX]
        written = WriteOnlyCell(sheet, value=text)
        written.data_type = "s"  # "=..." or "+..." stays text, whoever typed it
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
    return written


def header_row(sheet: WriteOnlyWorksheet, labels: Iterable[Any]) -> list[Any]:
    bold = Font(bold=True)
    cells = []
    for label in labels:
        if label is None:
            cells.append(None)
            continue
        written = cell(sheet, label_case(label))
        written.font = bold
        cells.append(written)
    return cells


def bold(sheet: WriteOnlyWorksheet, text: str) -> Any:
    written = cell(sheet, text)
    written.font = Font(bold=True)
    return written


def wrapped(sheet: WriteOnlyWorksheet, text: str) -> Any:
    written = cell(sheet, text)
    written.alignment = Alignment(wrap_text=True, vertical="top")
    return written


def set_widths(sheet: WriteOnlyWorksheet, widths: Sequence[int | None]) -> None:
    """Column widths must be set before the first row is written in write-only mode."""
    for index, width in enumerate(widths, start=1):
        if width:
            sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH * 2)


def new_sheet(workbook: Workbook, title: Any, widths: Sequence[int | None]) -> WriteOnlyWorksheet:
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.freeze_panes = "A2"
    set_widths(sheet, widths)
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
) -> None:
    """A horizontal bar chart of one column (long Georgian names read better on the left)."""
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
    chart.width = 20
    chart.height = max(7.5, 0.6 * rows + 3)
    sheet.add_chart(chart, anchor)


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
    widths = [40, 24, 30, 36, 12, 12, 12, 9, 9, 9, 9, 9, 14, 14, 14, 14]
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
    bar_chart(
        sheet,
        title=_("Mean overall rating per program"),
        axis_title=_("Mean rating (1-5)"),
        label_column=1,
        value_column=7,
        rows=len(programs),
        anchor=f"{get_column_letter(len(headers) + 2)}2",
        maximum=5,
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
    sheet = new_sheet(workbook, NEEDS_BY_PLACE, [30, 10, 12, 12, 4, 30, 30, 10, 12])
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
    bar_chart(
        sheet,
        title=_("Needs by administrative unit"),
        axis_title=needs,
        label_column=1,
        value_column=3,
        rows=len(units),
        anchor="K2",
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
    sheet = new_sheet(workbook, TOP_NEEDS, [28, 24, 12, 10, 50])
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
    sheet = new_sheet(workbook, RESPONSE_TIMES, [40, 12, 4, 30, 12])
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
    sheet = new_sheet(workbook, COMMITMENTS, [44, 30, 12, 16, 22, 30, 60])
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


def raw_rows(queryset: QuerySet, kind: str) -> Iterator[list[Value]]:
    """Adapter over the analysts' export: header, then rows without personal columns."""
    return exports.export_rows(queryset, kind)


def write_raw(workbook: Workbook, model: type[Model], kind: str, code: str) -> int:
    """Every submission of the period (hidden ones too, with their status), streamed."""
    queryset = model.objects.in_period(code).order_by("created_at", "pk")
    rows = raw_rows(queryset, kind)
    header = next(rows)
    widths = [column.width for column in exports.submission_columns(kind)]
    widths += [30] * (len(header) - len(widths))
    sheet = new_sheet(workbook, raw_sheet_title(model), widths)
    sheet.append(header_row(sheet, header))
    count = 0
    for row in rows:
        sheet.append([cell(sheet, value) for value in row])
        count += 1
    return count


def build_workbook(report: ResultsReport, fileobj: IO[bytes]) -> None:
    """Write the report's workbook, in Georgian, into a binary file."""
    with translation.override(WORKBOOK_LANGUAGE):
        figures = figures_for(report)
        generated_at = timezone.now()
        workbook = Workbook(write_only=True)
        workbook.properties.title = str(report)
        write_summary(workbook, report, figures, generated_at)
        write_programs(workbook, figures)
        write_needs_by_place(workbook, figures)
        write_needs_by_category(workbook, figures)
        write_top_needs(workbook, figures)
        write_response_times(workbook, figures)
        write_commitments(workbook, report)
        write_raw(workbook, Evaluation, "evaluation", report.period.code)
        write_raw(workbook, Need, "need", report.period.code)
        workbook.save(fileobj)
