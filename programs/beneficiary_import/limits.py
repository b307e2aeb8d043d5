"""How much one beneficiary list may be: bytes, rows, columns, cells and CPU time.

The settings readers run at call time so that deployments (and tests) can change the limits.
"""

from django.conf import settings

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
