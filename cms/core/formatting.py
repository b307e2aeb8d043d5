"""How numbers, money, dates, booleans and empty values are written for people, everywhere.

Public pages, the admin (listings, inspect views), the print view, the CSV/XLSX exports and the
report workbook all call these helpers, so one figure reads the same on every surface. The
separators and date order come from the format modules in cms/formats/<language>/formats.py
(FORMAT_MODULE_PATH); times are shown in the site's zone (Asia/Tbilisi), never in UTC.
"""

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

#: Shown for a value that is not there (None, ""), in every language.
EMPTY = "—"
CURRENCY = "₾"

Number = int | float | Decimal


def format_number(value: Number | None, decimals: int = 0) -> str:
    """Grouped thousands and the language's decimal separator: "180 000,50" / "180,000.50"."""
    if value is None:
        return EMPTY
    # Django's number_format cuts extra digits off; a figure is rounded (2.666 -> 2.67).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


def format_money(value: Number | None, decimals: int | None = None) -> str:
    """An amount in lari: the number, a no-break space and "₾" after it ("120 000 ₾").

    Whole amounts are written without decimals; others with two."""
    if value is None:
        return EMPTY
    if decimals is None:
        decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    return f"{format_number(value, decimals)}\xa0{CURRENCY}"


def format_percent(value: Number | None, decimals: int = 1) -> str:
    """A share already multiplied by 100: "12,5%"."""
    if value is None:
        return EMPTY
    return f"{format_number(value, decimals)}%"


def local(value: datetime.datetime) -> datetime.datetime:
    """The moment in the site's zone (Asia/Tbilisi)."""
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value)


def format_date(value: datetime.date | datetime.datetime | None, short: bool = False) -> str:
    """A date in words ("20 დეკემბერი 2026") or short ("20.12.2026"); a moment is first moved
    into Tbilisi, so its day is the day people there saw."""
    if value is None:
        return EMPTY
    if isinstance(value, datetime.datetime):
        value = local(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")


def format_datetime(value: datetime.datetime | None, short: bool = False) -> str:
    """A moment in Tbilisi: "20 დეკემბერი 2026, 09:51" (24-hour clock, no "a.m.")."""
    if value is None:
        return EMPTY
    return formats.date_format(
        local(value), "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT"
    )


def format_bool(value: bool | None) -> str:
    """ "კი"/"არა" (Yes/No) instead of True/False; unknown is the empty mark."""
    if value is None:
        return EMPTY
    return _("Yes") if value else _("No")


def display(value: Any) -> Any:
    """Any model value as people read it: words for booleans, dates and moments in Tbilisi,
    grouped numbers, the empty mark for nothing; other values are returned unchanged."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return format_bool(value)
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, Decimal | float):
        return format_number(value, 2)
    return value


# Files: numbers and moments stay numbers and dates in a workbook (Excel shows the separators
# of the reader's system), with the same day-month-year order as the screens; a CSV, which has
# no types, carries the short forms above ("20.12.2026 09:51") in Tbilisi time.

XLSX_DATE_FORMAT = "dd.mm.yyyy"
XLSX_DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
#: Lari after the amount, as on the screens: "120 000,00 ₾" in a Georgian Excel.
XLSX_MONEY_FORMAT = '#,##0.00\\ "₾"'


#: Django date format characters a CSV date may use, as str.format fields (dateformat's own
#: zero padding: "d" and "m" two digits, "Y" four).
_FAST_DATE_FIELDS = {
    "d": "{0.day:02d}",
    "m": "{0.month:02d}",
    "Y": "{0.year:04d}",
    "H": "{0.hour:02d}",
    "i": "{0.minute:02d}",
}


def _fast_format(django_format: str) -> str | None:
    """A str.format template writing what `date_format(value, django_format)` writes, or None
    when the format uses anything else (then Django's formatter is used)."""
    parts = []
    for char in django_format:
        if char in _FAST_DATE_FIELDS:
            parts.append(_FAST_DATE_FIELDS[char])
        elif char in ".:-/ ":
            parts.append(char)
        else:
            return None
    return "".join(parts)


def csv_date_writer() -> Callable[[datetime.date | datetime.datetime], str]:
    """`csv_date` for many values in the active language: the formats are looked up once.

    Django's `date_format` costs tens of microseconds per value (a lookup of the format and a
    DateFormat object each time); exports write one per row and column.
    """
    date_template = _fast_format(str(formats.get_format("SHORT_DATE_FORMAT")))
    moment_template = _fast_format(str(formats.get_format("SHORT_DATETIME_FORMAT")))
    if date_template is None or moment_template is None:
        return csv_date

    def write(value: datetime.date | datetime.datetime) -> str:
        if isinstance(value, datetime.datetime):
            if value.tzinfo is not None and value.utcoffset() is not None:
                value = local(value).replace(tzinfo=None)
            return moment_template.format(value)
        return date_template.format(value)

    return write


def csv_date(value: datetime.date | datetime.datetime) -> str:
    """A date or Tbilisi wall-clock moment for a CSV cell: "20.12.2026" / "20.12.2026 09:51"."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = local(value).replace(tzinfo=None)
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")
