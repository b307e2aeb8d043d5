"""What can go wrong with an import, and the messages about a file as a whole.

Messages are translated and never hold a cell's value.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


class BeneficiaryImportError(Exception):
    """A problem the staff member can act on; `message` is translated and never holds data."""

    def __init__(self, message: "StrOrPromise") -> None:
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
