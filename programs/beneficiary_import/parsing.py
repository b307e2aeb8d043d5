"""The list as a whole: header to columns, then every row validated and hashed at once.

Personal numbers exist in clear only while their row is parsed: each becomes a keyed digest
(cms.core.personal_numbers) before the next row is read.
"""

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cms.core import personal_numbers
from programs.beneficiary_import.cells import (
    clean_email,
    clean_personal_number,
    clean_phone,
    clean_service_date,
    error_text,
    is_blank,
)
from programs.beneficiary_import.errors import (
    MSG_DUPLICATE_COLUMN,
    MSG_EMPTY,
    MSG_NO_ROWS,
    MSG_TOO_MANY_ROWS,
    MSG_TOO_MANY_ROWS_READ,
    MSG_TOO_SLOW,
    MSG_WRONG_COLUMNS,
    ImportFileError,
)
from programs.beneficiary_import.limits import (
    CLOCK_EVERY_ROWS,
    MAX_LISTED_ERRORS,
    max_parse_seconds,
    max_rows,
    max_rows_read,
)
from programs.beneficiary_import.reading import iter_file_rows

PERSONAL_NUMBER = "personal_number"
SERVED_ON = "served_on"
PHONE = "phone"
EMAIL = "email"
COLUMNS = (PERSONAL_NUMBER, SERVED_ON)
#: Optional: a contact for the invitation to evaluate (programs.invitations), nothing else.
CONTACT_COLUMNS = (PHONE, EMAIL)
COLUMN_LABELS: dict[str, Promise] = {
    PERSONAL_NUMBER: _("personal number"),
    SERVED_ON: _("date of service"),
    PHONE: _("mobile phone"),
    EMAIL: _("e-mail"),
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
    "phone": PHONE,
    "mobile": PHONE,
    "mobile phone": PHONE,
    "ტელეფონი": PHONE,
    "მობილური": PHONE,
    "მობილური ტელეფონი": PHONE,
    "email": EMAIL,
    "e mail": EMAIL,
    "ელ. ფოსტა": EMAIL,
    "ელ.ფოსტა": EMAIL,
    "ელ ფოსტა": EMAIL,
    "ელფოსტა": EMAIL,
}

# Row-level messages: "Row 7, personal number: must be 11 digits ...".
MSG_ROW_ERROR = _("Row %(row)s, %(column)s: %(message)s")

HashedRow = tuple[str, int, date]
#: A row's contact for the invitation: (E.164 mobile or "", e-mail or "").
Contact = tuple[str, str]


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
    contacts: dict[HashedRow, Contact] = field(default_factory=dict)
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
        contact = ("", "")
        try:
            contact = (clean_phone(cells.get(PHONE)), contact[1])
        except ValidationError as error:
            row_errors.append(RowError(number, PHONE, error_text(error)))
        try:
            contact = (contact[0], clean_email(cells.get(EMAIL)))
        except ValidationError as error:
            row_errors.append(RowError(number, EMAIL, error_text(error)))
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
        if any(contact):
            parsed.contacts[key] = contact
    if positions is None:
        raise ImportFileError(MSG_EMPTY)
    if parsed.total_rows == 0:
        raise ImportFileError(MSG_NO_ROWS)
    return parsed


def parse_beneficiary_file(uploaded: UploadedFile, today: date | None = None) -> ParsedList:
    """Read, validate and hash an uploaded list; raises ImportFileError for unusable files."""
    return parse_rows(iter_file_rows(uploaded), today or timezone.localdate())
