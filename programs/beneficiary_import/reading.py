"""Reading an uploaded list into numbered rows, bounded against hostile files.

The file is read in memory only, never a temporary file; an .xlsx is checked as an archive
(sizes, cells per row) before openpyxl parses it.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import Any

import openpyxl
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from programs.beneficiary_import.errors import (
    MSG_EMPTY,
    MSG_NOT_CSV,
    MSG_NOT_EXCEL,
    MSG_NOT_UTF8,
    MSG_OLD_EXCEL,
    MSG_TOO_LARGE,
    MSG_UNSUPPORTED_TYPE,
    ImportFileError,
)
from programs.beneficiary_import.limits import (
    MAX_CELLS_PER_ROW,
    MAX_COLUMNS,
    MAX_PART_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    max_upload_bytes,
)

ALLOWED_EXTENSIONS = (".xlsx", ".csv")
ZIP_MAGIC = b"PK\x03\x04"


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
