"""Excel and CSV exports of submissions for the PR division's analysts (DESIGN.md "Privacy").

Exports stream: rows come from the database in chunks and go straight into a write-only
workbook on disk or into the CSV response, so memory stays flat however many rows there are.
Personal data (the keyed hash of the personal number, contact e-mail and phone) never leaves
the database this way: those columns are not even loaded. Every text cell is cleaned of the
control characters Excel refuses and neutralised when Excel could read it as a formula.

Callers pass a queryset that is already limited to what the user may export
(`permissions.submissions_for(user, model, "export")` and `filters.filtered_submissions`).
"""

import csv
import datetime
import io
import tempfile
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import F, Max, Min, Model, QuerySet
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from feedback_forms.filters import MODELS
from feedback_forms.models import (
    Channel,
    Evaluation,
    EvaluationFormField,
    Need,
    NeedsFormField,
    Status,
)

FILE_FORMATS = ("xlsx", "csv")
KINDS = tuple(MODELS)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
#: Rows fetched per database round trip: big enough to be fast, small enough to stay flat.
CHUNK_SIZE = 2000
#: The municipality's clock, whatever time zone a staff member chose for the admin.
EXPORT_TIMEZONE = zoneinfo.ZoneInfo("Asia/Tbilisi")
#: First characters that make Excel or LibreOffice treat a cell as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Columns that identify a person or a request: never loaded, so never exported.
PRIVATE_FIELDS = (
    "person_digest",
    "key_version",
    "contact_email",
    "contact_phone",
    "idempotency_key",
)
CSV_CHUNK_BYTES = 64 * 1024
XLSX_MAX_COLUMN_WIDTH = 60

Value = str | int | float | datetime.datetime | datetime.date | None
Row = list[Value]


@dataclass(frozen=True)
class Column:
    """One exported column: a header in the active language and how to read a submission."""

    header: str
    value: Callable[[Any], Value]
    width: int = 16


def local_naive(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Tbilisi wall-clock time without tzinfo: Excel has no time zones and refuses aware times."""
    if moment is None:
        return None
    return timezone.localtime(moment, EXPORT_TIMEZONE).replace(tzinfo=None)


def field_header(model: type[Model], name: str) -> str:
    """The model's (translated) field label, so exports and admin screens use the same words."""
    return capfirst(str(model._meta.get_field(name).verbose_name))


def name_ka(reference: Model | None) -> str:
    """Reference rows in Georgian: the names the rule and the reports use."""
    return reference.name_ka if reference is not None else ""


def yes_no_labels() -> dict[bool, str]:
    return {True: _("Yes"), False: _("No")}


def submission_columns(kind: str) -> list[Column]:
    """The real columns of a kind, labels translated now (not while the response streams)."""
    if kind not in MODELS:
        raise ValueError(f"Unknown kind of submission: {kind!r}")
    model = MODELS[kind]
    statuses = {value: str(label) for value, label in Status.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    yes_no = yes_no_labels()

    def header(name: str) -> str:
        return field_header(model, name)

    first = [
        Column(header("reference"), lambda s: s.reference, 12),
        Column(header("created_at"), lambda s: local_naive(s.created_at), 17),
        Column(header("reporting_period"), lambda s: s.reporting_period, 10),
        Column(header("budget_year"), lambda s: s.budget_year, 8),
        Column(header("status"), lambda s: statuses.get(s.status, s.status), 20),
        Column(header("channel"), lambda s: channels.get(s.channel, s.channel), 14),
    ]
    if kind == "evaluation":
        specific = [
            Column(header("program_title"), lambda s: s.program_title, 40),
            Column(header("category"), lambda s: name_ka(s.category), 24),
            Column(header("service"), lambda s: name_ka(s.service), 30),
            Column(header("overall_rating"), lambda s: s.overall_rating, 10),
            Column(header("used_on"), lambda s: s.used_on, 12),
            Column(header("verified"), lambda s: yes_no[s.verified], 10),
        ]
    else:
        specific = [
            Column(header("title"), lambda s: s.title, 40),
            Column(header("description"), lambda s: s.description, XLSX_MAX_COLUMN_WIDTH),
            Column(header("category"), lambda s: name_ka(s.category), 24),
            Column(header("administrative_unit"), lambda s: name_ka(s.administrative_unit), 24),
            Column(header("settlement"), lambda s: name_ka(s.settlement), 20),
            Column(header("service"), lambda s: name_ka(s.service), 30),
            Column(header("program"), lambda s: s.export_program_title or "", 30),
        ]
    last = [
        Column(header("public_answer"), lambda s: s.public_answer, 40),
        Column(header("answered_at"), lambda s: local_naive(s.answered_at), 17),
        Column(header("due_date"), lambda s: s.due_date, 12),
        Column(header("birth_year"), lambda s: s.birth_year, 8),
    ]
    return [*first, *specific, *last]


def form_field_positions(model: type[Model], page_ids: set[int]) -> dict[tuple[int, str], int]:
    """(form page, field name) -> the question's place on the form as it is now."""
    field_model = {Evaluation: EvaluationFormField, Need: NeedsFormField}.get(model)
    if field_model is None or not page_ids:
        return {}
    rows = (
        field_model.objects.filter(page_id__in=page_ids)
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "clean_name")
    )
    return {(page_id, name): position for position, (page_id, name) in enumerate(rows)}


def extra_questions(queryset: QuerySet) -> dict[str, str]:
    """The editor's questions across form versions: field name -> most recent label.

    Each distinct `questions` value (per form) is one form version; the database groups them,
    so this reads a handful of rows whatever the size of the export. Names keep the order in
    which they first appeared, and within a version the form's order (PostgreSQL's jsonb does
    not keep the keys' order, so it is read from the form's fields while they exist). The label
    is the one asked most recently.
    """
    versions = [
        (questions or {}, page_id, first_seen, last_seen)
        for questions, page_id, first_seen, last_seen in queryset.order_by()
        .values("questions", "form_page")
        .annotate(first_seen=Min("created_at"), last_seen=Max("created_at"))
        .values_list("questions", "form_page", "first_seen", "last_seen")
    ]
    positions = form_field_positions(
        queryset.model,
        {page_id for questions, page_id, *_seen in versions if page_id and questions},
    )

    def form_order(page_id: int | None, questions: dict) -> list[str]:
        names = [str(name) for name in questions]
        return sorted(
            names,
            key=lambda name: (
                (page_id, name) not in positions,
                positions.get((page_id, name), 0),
                names.index(name),
            ),
        )

    order: dict[str, None] = {}
    for questions, page_id, *_seen in sorted(versions, key=lambda v: (v[2], v[3])):
        for name in form_order(page_id, questions):
            order.setdefault(name, None)
    labels: dict[str, str] = {}
    for questions, *_rest in sorted(versions, key=lambda v: (v[3], v[2])):
        labels.update({str(name): str(label) for name, label in questions.items()})
    return {name: labels[name] for name in order}


def answer_value(value: Any, yes_no: dict[bool, str]) -> Value:
    """An answer as a cell: numbers stay numbers, choices are joined, yes/no is spelled out."""
    if isinstance(value, bool):
        return yes_no[value]
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def rows_queryset(queryset: QuerySet, kind: str) -> QuerySet:
    """Join the reference rows once, and leave personal columns in the database."""
    related = {
        "evaluation": ("category", "service"),
        "need": ("category", "administrative_unit", "settlement", "service"),
    }[kind]
    queryset = queryset.select_related(*related).defer(*PRIVATE_FIELDS)
    if kind == "need":
        # Only the title: select_related("program") would load whole program pages.
        queryset = queryset.annotate(export_program_title=F("program__title"))
    if not queryset.ordered:
        queryset = queryset.order_by("-created_at", "-pk")
    return queryset


def export_rows(queryset: QuerySet, kind: str) -> Iterator[Row]:
    """The header row, then one row per submission, read from the database in chunks.

    Headers and labels are resolved before this returns, so a response that streams later
    still speaks the language of the request that asked for it.
    """
    columns = submission_columns(kind)
    questions = extra_questions(queryset)
    header: Row = [column.header for column in columns] + list(questions.values())
    names = list(questions)
    yes_no = yes_no_labels()
    readers = [column.value for column in columns]

    def body() -> Iterator[Row]:
        for submission in rows_queryset(queryset, kind).iterator(chunk_size=CHUNK_SIZE):
            answers = submission.answers if isinstance(submission.answers, dict) else {}
            row: Row = [read(submission) for read in readers]
            row.extend(answer_value(answers.get(name), yes_no) for name in names)
            yield row

    return _prepend(header, body())


def _prepend(first: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rest


def clean_text(text: str) -> str:
    """Drop the control characters openpyxl (and Excel) refuse, rather than fail the export."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


# XLSX


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Value) -> Any:
    """A value openpyxl can write: formula-looking text as an explicit string cell."""
    if isinstance(value, str):
        text = clean_text(value)
        if is_formula_like(text):
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # openpyxl would write "=..." as a formula
            return cell
        return text
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    return value


def write_xlsx(queryset: QuerySet, kind: str, fileobj: IO[bytes]) -> int:
    """Write an .xlsx workbook into a binary file; returns the number of submissions written.

    The write-only workbook keeps one row in memory at a time (openpyxl spools the sheet to a
    temporary file), unlike a normal workbook that holds every cell until it is saved.
    """
    rows = export_rows(queryset, kind)
    header = next(rows)
    widths = [column.width for column in submission_columns(kind)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(MODELS[kind]._meta.verbose_name_plural)[:31])
    sheet.freeze_panes = "A2"
    for index, label in enumerate(header, start=1):
        width = widths[index - 1] if index <= len(widths) else 30
        sheet.column_dimensions[get_column_letter(index)].width = min(
            max(width, len(str(label)) + 2), XLSX_MAX_COLUMN_WIDTH
        )
    bold = Font(bold=True)
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=clean_text(str(label)))
        cell.data_type = "s"  # a header is never a formula, whatever an editor typed
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
        count += 1
    workbook.save(fileobj)
    return count


# CSV


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_value(value: Value) -> str | int | float:
    """A CSV field: times as "YYYY-MM-DD HH:MM", formula-looking text quoted away with '."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = clean_text(value)
        return f"'{text}" if is_formula_like(text) else text
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([csv_value(value) for value in row])


def stream_csv(queryset: QuerySet, kind: str) -> Iterator[bytes]:
    """UTF-8 with a BOM (so Excel reads Georgian), in chunks of about 64 KB."""
    lines = csv_lines(export_rows(queryset, kind))

    def chunks() -> Iterator[bytes]:
        buffer: list[str] = ["\ufeff"]
        size = 0
        for line in lines:
            buffer.append(line)
            size += len(line)
            if size >= CSV_CHUNK_BYTES // 4:  # up to 4 bytes per character in UTF-8
                yield "".join(buffer).encode("utf-8")
                buffer, size = [], 0
        if buffer:
            yield "".join(buffer).encode("utf-8")

    return chunks()


def write_csv(queryset: QuerySet, kind: str, fileobj: IO[bytes]) -> int:
    """Write a CSV file into a binary file; returns the number of submissions written."""
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        rows = export_rows(queryset, kind)
        writer.writerow([csv_value(value) for value in next(rows)])
        count = 0
        for row in rows:
            writer.writerow([csv_value(value) for value in row])
            count += 1
        text.flush()
    finally:
        text.detach()  # leave the caller's file open
    return count


# Responses


def export_response(
    queryset: QuerySet, kind: str, file_format: str, filename_stem: str
) -> HttpResponseBase:
    """A download: XLSX built in a temporary file then streamed, CSV streamed as it is read.

    The temporary file has no name on disk and disappears when the response closes it.
    """
    if kind not in MODELS:
        raise ValueError(f"Unknown kind of submission: {kind!r}")
    if file_format == "xlsx":
        tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 -- closed by FileResponse
        try:
            write_xlsx(queryset, kind, tmp)
            tmp.seek(0)
        except BaseException:
            tmp.close()
            raise
        return FileResponse(
            tmp,
            as_attachment=True,
            filename=f"{filename_stem}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
    if file_format == "csv":
        response = StreamingHttpResponse(stream_csv(queryset, kind), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{filename_stem}.csv"
        )
        return response
    raise ValueError(f"Unknown export format: {file_format!r}")


def filename_stem(kind: str, moment: datetime.datetime | None = None) -> str:
    """ASCII file names such as "needs-20250614-0930": safe in every browser and mail client."""
    moment = local_naive(moment or timezone.now())
    plural = {"evaluation": "evaluations", "need": "needs"}.get(kind, kind)
    return f"{plural}-{moment:%Y%m%d-%H%M}"
