"""Beneficiary-list import: read an uploaded list, validate it, hash it, preview it, apply it.

The flow is upload -> dry run -> confirm (or discard). Personal numbers exist in clear only in
memory while one row is parsed: each is hashed at once with the keyed HMAC of
cms.core.personal_numbers, and only digests reach the database (a PENDING BeneficiaryImport
holds the hashed rows between the dry run and the confirmation), the audit log and
django-import-export (programs.resources). Errors never echo a cell's value.
"""

import csv
import io
import re
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import openpyxl
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from cms.core import personal_numbers
from programs.models import BeneficiaryImport, ProgramPage
from programs.resources import BeneficiaryRecordResource, hashed_dataset

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 50_000
#: Rows read beyond the beneficiaries themselves: the header and empty rows in between. A sheet
#: whose rows run on far below the list (formatted but empty down to row 1 048 576) is refused
#: at once instead of being read to its end.
DEFAULT_EXTRA_ROWS = 5_000
#: Only the first columns are read: the list's two columns are among them, and a cell far to
#: the right (XFD) no longer makes every row 16 384 values wide.
MAX_COLUMNS = 50
#: CPU seconds one file may take to read and check (a 50 000-row list takes about 3).
DEFAULT_MAX_PARSE_SECONDS = 20
#: Lists of more people than this are compared with the program's list and imported by a
#: background task (`programs.tasks`): a 50 000-row list takes about 6 CPU-s for each step.
#: Reading the file always happens in the request: the clear numbers never leave its memory.
DEFAULT_INLINE_MAX_ROWS = 5_000
#: Rows between two looks at the clock.
CLOCK_EVERY_ROWS = 500
#: An .xlsx is a zip: refuse archives that unpack to more than this (a "zip bomb"), and any
#: single part larger than MAX_PART_BYTES (a 50 000-row list's sheet is about 6 MB). openpyxl
#: parses a sheet's row and the shared strings whole, so their size bounds the work.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_PART_BYTES = 40 * 1024 * 1024
#: Cells in one row of the sheet's XML: beyond this, a row is a bomb, not a list.
MAX_CELLS_PER_ROW = 1_000
#: Row errors shown on the page; the count of all of them is always shown.
MAX_LISTED_ERRORS = 200
EARLIEST_SERVICE_DATE = date(2000, 1, 1)
ALLOWED_EXTENSIONS = (".xlsx", ".csv")
DATE_TEXT_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
ZIP_MAGIC = b"PK\x03\x04"

DRY_RUN_ACTION = "programs.beneficiaries.dry_run"
IMPORT_ACTION = "programs.beneficiaries.import"
DISCARD_ACTION = "programs.beneficiaries.discard"
FAILED_ACTION = "programs.beneficiaries.failed"

PERSONAL_NUMBER = "personal_number"
SERVED_ON = "served_on"
COLUMNS = (PERSONAL_NUMBER, SERVED_ON)
COLUMN_LABELS: dict[str, Promise] = {
    PERSONAL_NUMBER: _("personal number"),
    SERVED_ON: _("date of service"),
}

#: Header names people write, after normalise_header(): Georgian and English.
HEADER_ALIASES: dict[str, str] = {
    "personal number": PERSONAL_NUMBER,
    "personal no": PERSONAL_NUMBER,
    "personal id": PERSONAL_NUMBER,
    "personal id number": PERSONAL_NUMBER,
    "პირადი ნომერი": PERSONAL_NUMBER,
    "პირადი №": PERSONAL_NUMBER,
    "პ/ნ": PERSONAL_NUMBER,
    "date of service": SERVED_ON,
    "service date": SERVED_ON,
    "served on": SERVED_ON,
    "date": SERVED_ON,
    "მომსახურების თარიღი": SERVED_ON,
    "მომსახურების მიღების თარიღი": SERVED_ON,
    "თარიღი": SERVED_ON,
}

# File-level messages: shown on the upload form; nothing is stored.
MSG_UNSUPPORTED_TYPE = _("Upload an Excel (.xlsx) or CSV (.csv) file.")
MSG_OLD_EXCEL = _(
    "Old Excel files (.xls) cannot be read. Open the file in Excel and save it as an Excel "
    "workbook (.xlsx)."
)
MSG_TOO_LARGE = _("The file is larger than %(size)s. Split the list into smaller files.")
MSG_TOO_MANY_ROWS = _("The file has more than %(max)s rows. Split the list into smaller files.")
MSG_TOO_MANY_ROWS_READ = _(
    "The file has more than %(max)s rows, empty rows included. Delete the empty rows below "
    "the list (or copy the list into a new workbook) and upload it again."
)
MSG_TOO_SLOW = _(
    "The file took too long to read. Copy the list into a new workbook, keep only the two "
    "columns, and upload it again."
)
MSG_EMPTY = _("The file is empty.")
MSG_NO_ROWS = _(
    "The file has column names but no beneficiaries. Add one row per person and date of service."
)
MSG_NOT_EXCEL = _(
    "The file is not a valid Excel workbook. Open it in Excel and save it as an Excel "
    "workbook (.xlsx), or as “CSV UTF-8”."
)
MSG_NOT_UTF8 = _(
    "The CSV file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”, or "
    "upload the .xlsx file."
)
MSG_NOT_CSV = _(
    "The CSV file could not be read. Save it again as “CSV UTF-8” or upload the .xlsx file."
)
MSG_WRONG_COLUMNS = _(
    "The first row of the file must name the columns %(expected)s (in Georgian or English). "
    "Missing: %(missing)s."
)
MSG_DUPLICATE_COLUMN = _("The column %(column)s appears more than once in the first row.")

# Row-level messages: "Row 7, personal number: must be 11 digits ...".
MSG_ROW_ERROR = _("Row %(row)s, %(column)s: %(message)s")
MSG_MISSING = _("is missing")
MSG_DIGITS_ONLY = _("must contain digits only")
MSG_WRONG_LENGTH = _("must be 11 digits (this one has %(count)s)")
MSG_LEADING_ZERO = _(
    "must be 11 digits; this one has 10, probably because Excel dropped the leading zero. "
    "Format the column as Text and enter the numbers again."
)
MSG_SCIENTIFIC = _(
    "was saved by Excel as a number in scientific notation. Format the column as Text and "
    "enter the numbers again."
)
MSG_REPEATED_DIGITS = _("is not a real personal number (the same digit 11 times)")
MSG_NOT_A_DATE = _("is not a date; write it as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY")
MSG_FUTURE_DATE = _("is in the future")
MSG_TOO_EARLY = _("is before the year 2000")

# Messages about a pending import.
MSG_NOT_YOURS = _("Only the person who uploaded this list can confirm or discard it.")
MSG_ALREADY_APPLIED = _("This list has already been imported.")
MSG_ALREADY_DISCARDED = _("This list was discarded. Upload the file again to import it.")
MSG_STILL_CHECKING = _(
    "This list is still being checked against the program's list. Reload the page in a minute."
)
MSG_BEING_IMPORTED = _(
    "This list is being imported. Reload the page in a minute to see the result."
)
MSG_FAILED = _(
    "The list could not be imported because the beneficiary list changed meanwhile. Nothing "
    "was imported: upload the file again."
)

HashedRow = tuple[str, int, date]


class BeneficiaryImportError(Exception):
    """A problem the staff member can act on; `message` is translated and never holds data."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


class ImportFileError(BeneficiaryImportError):
    """The file as a whole cannot be used (type, size, columns, encoding)."""


class ImportNotAllowed(BeneficiaryImportError):
    """Someone tried to confirm or discard a list uploaded by another person."""


class ImportNotPending(BeneficiaryImportError):
    """The list was already imported or discarded: a stale or double-submitted form."""


class ImportFailed(BeneficiaryImportError):
    """The database refused the rows; the whole import was rolled back."""


@dataclass(frozen=True)
class RowError:
    """One bad cell, located as the person sees it in the spreadsheet."""

    row: int
    column: str
    message: str

    @property
    def column_label(self) -> str:
        return str(COLUMN_LABELS[self.column])

    def __str__(self) -> str:
        return str(MSG_ROW_ERROR) % {
            "row": self.row,
            "column": self.column_label,
            "message": self.message,
        }


@dataclass
class ParsedList:
    """A validated list: hashed unique rows plus what the staff member must be told."""

    rows: list[HashedRow] = field(default_factory=list)
    total_rows: int = 0
    duplicate_rows: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return self.error_rows > 0

    @property
    def unlisted_error_rows(self) -> int:
        return max(0, self.error_rows - len({error.row for error in self.errors}))


@dataclass(frozen=True)
class ImportCounts:
    new: int
    existing: int


@dataclass
class DryRunOutcome:
    """What the dry run found; `batch` is the pending import, None when the file has errors."""

    parsed: ParsedList
    counts: ImportCounts
    batch: BeneficiaryImport | None


def max_upload_bytes() -> int:
    """Read at call time so that deployments (and tests) can change it in settings."""
    return int(getattr(settings, "BENEFICIARY_IMPORT_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "BENEFICIARY_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_rows_read() -> int:
    """Every row read counts, empty or not: the list, its header and some empty rows."""
    extra = int(getattr(settings, "BENEFICIARY_IMPORT_EXTRA_ROWS", DEFAULT_EXTRA_ROWS))
    return max_rows() + extra


def inline_max_rows() -> int:
    """Above this many people, checking against the list and importing run in a task."""
    return int(getattr(settings, "BENEFICIARY_IMPORT_INLINE_MAX_ROWS", DEFAULT_INLINE_MAX_ROWS))


def max_parse_seconds() -> float:
    return float(getattr(settings, "BENEFICIARY_IMPORT_MAX_SECONDS", DEFAULT_MAX_PARSE_SECONDS))


# --- Reading the file -------------------------------------------------------------------------


def check_upload(uploaded: UploadedFile) -> None:
    """Refuse what can be refused without reading the file: its type and size."""
    extension = PurePath(uploaded.name or "").suffix.lower()
    if extension == ".xls":
        raise ImportFileError(MSG_OLD_EXCEL)
    if extension not in ALLOWED_EXTENSIONS:
        raise ImportFileError(MSG_UNSUPPORTED_TYPE)
    if uploaded.size is not None and uploaded.size > max_upload_bytes():
        raise ImportFileError(MSG_TOO_LARGE % {"size": filesizeformat(max_upload_bytes())})
    if not uploaded.size:
        raise ImportFileError(MSG_EMPTY)


def read_upload(uploaded: UploadedFile) -> bytes:
    """The file's bytes, in memory only (never a temporary file), capped at the size limit."""
    uploaded.seek(0)
    data = uploaded.read(max_upload_bytes() + 1)
    if len(data) > max_upload_bytes():
        raise ImportFileError(MSG_TOO_LARGE % {"size": filesizeformat(max_upload_bytes())})
    if not data.strip():
        raise ImportFileError(MSG_EMPTY)
    return data


def iter_xlsx_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    """Rows of the active sheet with their spreadsheet row numbers.

    Anything that is not a readable workbook (a renamed text file, an image, a damaged or
    oversized archive) becomes one clear message instead of a traceback.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            sizes = [info.file_size for info in archive.infolist()]
            sheets = [name for name in names if name.startswith("xl/worksheets/")]
            wide_rows = any(has_wide_row(archive, name) for name in sheets)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(MSG_NOT_EXCEL) from error
    if "xl/workbook.xml" not in names or wide_rows:
        raise ImportFileError(MSG_NOT_EXCEL)
    if sum(sizes) > MAX_UNCOMPRESSED_BYTES or max(sizes, default=0) > MAX_PART_BYTES:
        raise ImportFileError(MSG_NOT_EXCEL)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ImportFileError(MSG_NOT_EXCEL) from error
    try:
        sheet = workbook.active
        if sheet is None or not hasattr(sheet, "iter_rows"):
            raise ImportFileError(MSG_EMPTY)
        # Some programs write a wrong <dimension>; read every row that is really there.
        sheet.reset_dimensions()
        try:
            yield from enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1)
        except ImportFileError:
            raise
        except Exception as error:  # damaged XML inside a valid zip
            raise ImportFileError(MSG_NOT_EXCEL) from error
    finally:
        workbook.close()


ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)[\s/>]")


def has_wide_row(archive: zipfile.ZipFile, name: str) -> bool:
    """Whether a sheet's XML has a row of more than MAX_CELLS_PER_ROW cells.

    openpyxl builds each row's cells whole before returning it, so one row of millions of
    empty cells would hold a worker for minutes; this scan streams the part in chunks and
    stops at the first such row. A tag split across two chunks can only make one row look a
    cell shorter, which does not matter at this limit.
    """
    if name.endswith(".rels") or not name.endswith(".xml"):
        return False
    cells = 0
    with archive.open(name) as part:
        while chunk := part.read(1 << 20):
            for match in ROW_OR_CELL.finditer(chunk):
                if match.group(1) == b"row":
                    cells = 0
                else:
                    cells += 1
                    if cells > MAX_CELLS_PER_ROW:
                        return True
    return False


def iter_csv_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    """Rows of a UTF-8 CSV (with or without BOM), comma, semicolon or tab separated.

    Rows are numbered as a spreadsheet shows them (one per record), so "row 7" is the same
    row when the file is opened in Excel.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(MSG_NOT_UTF8) from error
    if "\x00" in text:
        raise ImportFileError(MSG_NOT_CSV)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            yield number, values[:MAX_COLUMNS]
    except csv.Error as error:
        raise ImportFileError(MSG_NOT_CSV) from error


def iter_file_rows(uploaded: UploadedFile) -> Iterator[tuple[int, Sequence[Any]]]:
    """Pick the reader by extension, but trust the content: a zip is read as a workbook."""
    check_upload(uploaded)
    data = read_upload(uploaded)
    extension = PurePath(uploaded.name or "").suffix.lower()
    if extension == ".xlsx" or data.startswith(ZIP_MAGIC):
        return iter_xlsx_rows(data)
    return iter_csv_rows(data)


# --- Validating and hashing rows --------------------------------------------------------------


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normalise_header(value: Any) -> str:
    """Compare header names case-, space- and underscore-insensitively."""
    text = str(value or "").replace("\ufeff", "")
    text = re.sub(r"[\s_\-]+", " ", text).strip().strip(":*.").strip()
    return text.casefold()


def map_columns(header: Sequence[Any]) -> dict[str, int]:
    """Where each expected column is; extra columns are ignored (and never stored)."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        column = HEADER_ALIASES.get(normalise_header(name))
        if column is None:
            continue
        if column in positions:
            raise ImportFileError(MSG_DUPLICATE_COLUMN % {"column": f"“{COLUMN_LABELS[column]}”"})
        positions[column] = index
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        raise ImportFileError(
            MSG_WRONG_COLUMNS
            % {
                "expected": ", ".join(f"“{COLUMN_LABELS[column]}”" for column in COLUMNS),
                "missing": ", ".join(f"“{COLUMN_LABELS[column]}”" for column in missing),
            }
        )
    return positions


def clean_personal_number(value: Any) -> str:
    """The 11 digits, or a ValidationError saying what is wrong without repeating the value.

    Excel turns numbers typed in a General column into numbers: 01001012345 becomes the int
    1001012345 (or a float, or scientific notation in CSV), losing the leading zero. Text goes
    through the same rule as the public forms (cms.core.personal_numbers): separators removed,
    digits of any script made ASCII, numbers of one repeated digit refused.
    """
    if is_blank(value):
        raise ValidationError(MSG_MISSING, code="missing")
    if isinstance(value, bool):
        raise ValidationError(MSG_DIGITS_ONLY, code="digits")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(MSG_DIGITS_ONLY, code="digits")
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise ValidationError(MSG_DIGITS_ONLY, code="digits")
        digits = str(value)
    elif isinstance(value, str):
        text = value.strip().lstrip("'")  # Excel's "this is text" marker, if exported
        if re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", text):
            raise ValidationError(MSG_SCIENTIFIC, code="scientific")
        digits = personal_numbers.canonical_digits(text)
        if digits.endswith(".0") and digits[:-2].isascii() and digits[:-2].isdigit():
            digits = digits[:-2]  # a number written by a program as 1001012345.0
        if not (digits.isascii() and digits.isdigit()):
            raise ValidationError(MSG_DIGITS_ONLY, code="digits")
    else:
        raise ValidationError(MSG_DIGITS_ONLY, code="digits")
    if len(digits) == 10:
        raise ValidationError(MSG_LEADING_ZERO, code="leading_zero")
    if len(digits) != personal_numbers.LENGTH:
        raise ValidationError(MSG_WRONG_LENGTH, code="length", params={"count": len(digits)})
    try:
        return personal_numbers.check_canonical(digits)
    except ValidationError as error:
        raise ValidationError(MSG_REPEATED_DIGITS, code=error.code) from error


def clean_service_date(value: Any, today: date) -> date:
    """A real Excel date, or text in YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY; 2000 to today."""
    if is_blank(value):
        raise ValidationError(MSG_MISSING, code="missing")
    if isinstance(value, datetime):
        served_on = value.date()
    elif isinstance(value, date):
        served_on = value
    elif isinstance(value, str):
        text = value.strip()
        for date_format in DATE_TEXT_FORMATS:
            try:
                served_on = datetime.strptime(text, date_format).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationError(MSG_NOT_A_DATE, code="invalid")
    else:
        raise ValidationError(MSG_NOT_A_DATE, code="invalid")
    if served_on > today:
        raise ValidationError(MSG_FUTURE_DATE, code="future")
    if served_on < EARLIEST_SERVICE_DATE:
        raise ValidationError(MSG_TOO_EARLY, code="too_early")
    return served_on


def error_text(error: ValidationError) -> str:
    """The first message of a ValidationError, with its params applied."""
    return str(next(iter(error)))


def parse_rows(rows: Iterable[tuple[int, Sequence[Any]]], today: date) -> ParsedList:
    """Validate every row and hash its personal number at once.

    The first non-empty row names the columns; empty rows are ignored; the same person on the
    same date twice in one file counts once.
    """
    parsed = ParsedList()
    positions: dict[str, int] | None = None
    seen: set[HashedRow] = set()
    limit, read_limit = max_rows(), max_rows_read()
    deadline = time.thread_time() + max_parse_seconds()
    for number, values in rows:
        if number > read_limit:
            raise ImportFileError(MSG_TOO_MANY_ROWS_READ % {"max": read_limit})
        if number % CLOCK_EVERY_ROWS == 0 and time.thread_time() > deadline:
            raise ImportFileError(MSG_TOO_SLOW)
        if all(is_blank(value) for value in values):
            continue
        if positions is None:
            positions = map_columns(values)
            continue
        parsed.total_rows += 1
        if parsed.total_rows > limit:
            raise ImportFileError(MSG_TOO_MANY_ROWS % {"max": limit})
        row_errors: list[RowError] = []
        cells = {
            column: values[index] if index < len(values) else None
            for column, index in positions.items()
        }
        digest = served_on = None
        try:
            digest = personal_numbers.digest_canonical(
                clean_personal_number(cells[PERSONAL_NUMBER])
            )
        except ValidationError as error:
            row_errors.append(RowError(number, PERSONAL_NUMBER, error_text(error)))
        try:
            served_on = clean_service_date(cells[SERVED_ON], today)
        except ValidationError as error:
            row_errors.append(RowError(number, SERVED_ON, error_text(error)))
        if row_errors or digest is None or served_on is None:
            parsed.error_rows += 1
            room = MAX_LISTED_ERRORS - len(parsed.errors)
            parsed.errors.extend(row_errors[: max(room, 0)])
            continue
        key = (digest.digest, digest.key_version, served_on)
        if key in seen:
            parsed.duplicate_rows += 1
            continue
        seen.add(key)
        parsed.rows.append(key)
    if positions is None:
        raise ImportFileError(MSG_EMPTY)
    if parsed.total_rows == 0:
        raise ImportFileError(MSG_NO_ROWS)
    return parsed


def parse_beneficiary_file(uploaded: UploadedFile, today: date | None = None) -> ParsedList:
    """Read, validate and hash an uploaded list; raises ImportFileError for unusable files."""
    return parse_rows(iter_file_rows(uploaded), today or timezone.localdate())


# --- Dry run, confirmation, discarding --------------------------------------------------------


def safe_file_name(name: str) -> str:
    """The name shown in the import history, with long digit runs masked: a file named after
    a person's number must not store that number in clear."""
    base = PurePath(name or "").name or "—"
    return re.sub(r"\d{9,}", lambda match: "*" * len(match.group()), base)[:255]


def count_rows(program: ProgramPage, rows: Sequence[HashedRow]) -> ImportCounts:
    """How many rows are new and how many are already on the list, without storing anything."""
    if not rows:
        return ImportCounts(new=0, existing=0)
    resource = BeneficiaryRecordResource()
    result = resource.import_data(
        hashed_dataset(program.pk, rows), dry_run=True, use_transactions=True
    )
    if result.has_errors() or result.has_validation_errors():
        raise ImportFailed(MSG_FAILED)
    return ImportCounts(new=result.totals["new"], existing=result.totals["skip"])


def audit_data(batch: BeneficiaryImport | None, parsed: ParsedList | None = None) -> dict:
    """Counts and ids only: the audit log never holds a personal number or a digest."""
    data: dict[str, Any] = {}
    if batch is not None:
        data.update(
            import_id=batch.pk,
            file_name=batch.file_name,
            total_rows=batch.total_rows,
            new_rows=batch.new_rows,
            existing_rows=batch.existing_rows,
        )
    if parsed is not None:
        data.update(
            total_rows=parsed.total_rows,
            duplicate_rows=parsed.duplicate_rows,
            error_rows=parsed.error_rows,
        )
    return data


def discard_superseded(program: ProgramPage, user: AbstractBaseUser, keep: int) -> None:
    """A new upload replaces the same person's earlier pending lists for the program, so an
    old preview left open in another tab can no longer be confirmed by mistake."""
    superseded = BeneficiaryImport.objects.filter(
        program=program, uploaded_by=user, status=BeneficiaryImport.Status.PENDING
    ).exclude(pk=keep)
    for batch in superseded.select_for_update():
        batch.status = BeneficiaryImport.Status.DISCARDED
        batch.rows = []
        batch.save(update_fields=["status", "rows"])
        log(
            instance=program,
            action=DISCARD_ACTION,
            user=user,
            data={**audit_data(batch), "superseded_by": keep},
        )


def dry_run_import(
    program: ProgramPage, user: AbstractBaseUser, uploaded: UploadedFile
) -> DryRunOutcome:
    """Check a file; when every row is valid, keep its hashed rows as a pending import.

    Nothing goes into BeneficiaryRecord here. A file with row errors stores nothing at all:
    the person corrects it and uploads again. The file is always read here, in memory; a
    large list is then compared with the program's list by a background task (its import is
    "being checked" until then), so no request spends long on it.
    """
    program = program.canonical_program
    parsed = parse_beneficiary_file(uploaded)
    in_background = not parsed.has_errors and len(parsed.rows) > inline_max_rows()
    counts = ImportCounts(new=0, existing=0) if in_background else count_rows(program, parsed.rows)
    batch = None
    with transaction.atomic():
        if not parsed.has_errors:
            batch = BeneficiaryImport.objects.create(
                program=program,
                uploaded_by=user,
                file_name=safe_file_name(uploaded.name or ""),
                status=(
                    BeneficiaryImport.Status.CHECKING
                    if in_background
                    else BeneficiaryImport.Status.PENDING
                ),
                rows=[
                    [digest, version, served_on.isoformat()]
                    for digest, version, served_on in parsed.rows
                ],
                total_rows=parsed.total_rows,
                new_rows=counts.new,
                existing_rows=counts.existing,
            )
            discard_superseded(program, user, keep=batch.pk)
        if in_background:
            batch_id = batch.pk
            transaction.on_commit(lambda: enqueue("check_import", batch_id))
        else:
            data = audit_data(batch, parsed)
            data.update(new_rows=counts.new, existing_rows=counts.existing)
            data.setdefault("file_name", safe_file_name(uploaded.name or ""))
            log(instance=program, action=DRY_RUN_ACTION, user=user, data=data)
    return DryRunOutcome(parsed=parsed, counts=counts, batch=batch)


def enqueue(task_name: str, *args: Any) -> None:
    """Queue one of programs.tasks (imported here: the tasks import this module)."""
    from programs import tasks

    getattr(tasks, task_name).enqueue(*args)


def stored_rows(batch: BeneficiaryImport) -> list[HashedRow]:
    return [(digest, int(version), date.fromisoformat(day)) for digest, version, day in batch.rows]


def check_in_background(batch_id: int) -> BeneficiaryImport | None:
    """The task's work: count a large pending list's new and known people, then let its
    uploader confirm it. Does nothing to an import that is no longer being checked."""
    with transaction.atomic():
        batch = BeneficiaryImport.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != BeneficiaryImport.Status.CHECKING:
            return batch
        try:
            counts = count_rows(batch.program, stored_rows(batch))
        except ImportFailed:
            return mark_failed(batch)
        batch.new_rows, batch.existing_rows = counts.new, counts.existing
        batch.status = BeneficiaryImport.Status.PENDING
        batch.save(update_fields=["new_rows", "existing_rows", "status"])
        log(
            instance=batch.program,
            action=DRY_RUN_ACTION,
            user=batch.uploaded_by,
            data={**audit_data(batch), "in_background": True},
        )
    return batch


def mark_failed(batch: BeneficiaryImport) -> BeneficiaryImport:
    batch.status = BeneficiaryImport.Status.FAILED
    batch.rows = []
    batch.save(update_fields=["status", "rows"])
    log(
        instance=batch.program, action=FAILED_ACTION, user=batch.uploaded_by, data=audit_data(batch)
    )
    return batch


def claim_pending(batch: BeneficiaryImport, user: AbstractBaseUser) -> BeneficiaryImport:
    """Lock the import row and check it may still be acted on by this user.

    Must run inside a transaction: the lock (select_for_update on PostgreSQL, the write lock of
    an IMMEDIATE transaction on SQLite) makes a second, concurrent confirm wait and then see
    the import is no longer pending.
    """
    locked = BeneficiaryImport.objects.select_for_update().get(pk=batch.pk)
    if locked.uploaded_by_id is None or locked.uploaded_by_id != user.pk:
        raise ImportNotAllowed(MSG_NOT_YOURS)
    if locked.status == BeneficiaryImport.Status.APPLIED:
        raise ImportNotPending(MSG_ALREADY_APPLIED)
    if locked.status == BeneficiaryImport.Status.DISCARDED:
        raise ImportNotPending(MSG_ALREADY_DISCARDED)
    if locked.status == BeneficiaryImport.Status.CHECKING:
        raise ImportNotPending(MSG_STILL_CHECKING)
    if locked.status == BeneficiaryImport.Status.IMPORTING:
        raise ImportNotPending(MSG_BEING_IMPORTED)
    if locked.status != BeneficiaryImport.Status.PENDING:
        raise ImportNotPending(MSG_FAILED)
    return locked


def apply_import(batch: BeneficiaryImport, user: AbstractBaseUser) -> BeneficiaryImport:
    """Import every row of a pending list, or none: one transaction, applied at most once.

    A large list is only claimed here ("being imported") and imported by a background task.
    """
    with transaction.atomic():
        locked = claim_pending(batch, user)
        if len(locked.rows) > inline_max_rows():
            locked.status = BeneficiaryImport.Status.IMPORTING
            locked.save(update_fields=["status"])
            batch_id, user_id = locked.pk, user.pk
            transaction.on_commit(lambda: enqueue("apply_import", batch_id, user_id))
            return locked
        claimed = BeneficiaryImport.objects.filter(
            pk=locked.pk, status=BeneficiaryImport.Status.PENDING
        ).update(status=BeneficiaryImport.Status.APPLIED, applied_at=timezone.now())
        if not claimed:
            raise ImportNotPending(MSG_ALREADY_APPLIED)
        return import_rows(locked, user)


def apply_in_background(batch_id: int, user_id: int) -> BeneficiaryImport | None:
    """The task's work: import a large confirmed list, or mark it failed (nothing imported)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    try:
        with transaction.atomic():
            batch = BeneficiaryImport.objects.select_for_update().filter(pk=batch_id).first()
            if batch is None or batch.status != BeneficiaryImport.Status.IMPORTING:
                return batch
            batch.status = BeneficiaryImport.Status.APPLIED
            batch.applied_at = timezone.now()
            batch.save(update_fields=["status", "applied_at"])
            return import_rows(batch, user)
    except ImportFailed:
        with transaction.atomic():
            batch = BeneficiaryImport.objects.select_for_update().get(pk=batch_id)
            return mark_failed(batch)


def import_rows(locked: BeneficiaryImport, user: AbstractBaseUser | None) -> BeneficiaryImport:
    """Add a claimed import's rows to the program's list; raises ImportFailed (rolled back)."""
    resource = BeneficiaryRecordResource(batch=locked)
    result = resource.import_data(
        hashed_dataset(locked.program_id, stored_rows(locked)),
        dry_run=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    if result.has_errors() or result.has_validation_errors():
        raise ImportFailed(MSG_FAILED)
    locked.refresh_from_db()
    locked.new_rows = result.totals["new"]
    locked.existing_rows = result.totals["skip"]
    locked.rows = []  # the records now hold the digests; keep no second copy
    locked.save(update_fields=["new_rows", "existing_rows", "rows"])
    log(instance=locked.program, action=IMPORT_ACTION, user=user, data=audit_data(locked))
    return locked


def discard_import(batch: BeneficiaryImport, user: AbstractBaseUser) -> BeneficiaryImport:
    """Drop a pending list and its hashed rows; nothing was imported from it."""
    with transaction.atomic():
        locked = claim_pending(batch, user)
        locked.status = BeneficiaryImport.Status.DISCARDED
        locked.rows = []
        locked.save(update_fields=["status", "rows"])
        log(instance=locked.program, action=DISCARD_ACTION, user=user, data=audit_data(locked))
    return locked


def recent_imports(program: ProgramPage, limit: int = 10) -> list[BeneficiaryImport]:
    """The program's latest imports for the upload page (rows deferred: they can be large)."""
    return list(
        BeneficiaryImport.objects.filter(program=program.canonical_program)
        .select_related("uploaded_by")
        .defer("rows")
        .order_by("-created_at", "-pk")[:limit]
    )


def beneficiary_count(program: ProgramPage) -> int:
    return program.canonical_program.beneficiaries.count()
