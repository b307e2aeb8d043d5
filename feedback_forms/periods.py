"""Reporting periods: each half of Georgia's budget year (the calendar year) is one period.

The period of a submission is stored as a column when it is made, so reports filter on it
directly; `reports` builds its ReportingPeriod objects on the same codes.
"""

import datetime
import re

from django.utils import timezone

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})-H(?P<half>[12])$")


def period_code(year: int, half: int) -> str:
    """The one place the code is written: (2026, 1) -> '2026-H1'."""
    return f"{year}-H{half}"


def parse_period(code: str) -> tuple[int, int]:
    """'2026-H1' -> (2026, 1); ValueError for anything that is not a period's code."""
    match = PERIOD_PATTERN.match(code)
    if match is None:
        raise ValueError(f"Not a reporting period: {code!r}")
    return int(match["year"]), int(match["half"])


def period_for_date(day: datetime.date) -> str:
    """'2026-H1' for January-June, '2026-H2' for July-December."""
    return period_code(day.year, 1 if day.month <= 6 else 2)


def current_period() -> str:
    return period_for_date(timezone.localdate())


def previous_period(code: str) -> str:
    year, half = parse_period(code)
    return period_code(year, 1) if half == 2 else period_code(year - 1, 2)


def period_bounds(code: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period."""
    year, half = parse_period(code)
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)
