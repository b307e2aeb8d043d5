"""What every exported cell goes through, whichever file it lands in: Tbilisi wall-clock
times, no control characters Excel refuses, no text that a spreadsheet would run as a formula."""

import datetime
import zoneinfo

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

#: The municipality's clock, whatever time zone a staff member chose for the admin.
EXPORT_TIMEZONE = zoneinfo.ZoneInfo("Asia/Tbilisi")
#: First characters that make Excel or LibreOffice treat a cell as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Value = str | int | float | datetime.datetime | datetime.date | None
Row = list[Value]

#: Removes the control characters openpyxl (and Excel) refuse; bound once for the hot loops.
remove_illegal = ILLEGAL_CHARACTERS_RE.sub


def local_naive(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Tbilisi wall-clock time without tzinfo: Excel has no time zones and refuses aware times."""
    if moment is None:
        return None
    return timezone.localtime(moment, EXPORT_TIMEZONE).replace(tzinfo=None)


def clean_text(text: str) -> str:
    """Drop the control characters openpyxl (and Excel) refuse, rather than fail the export."""
    return remove_illegal("", text)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)
