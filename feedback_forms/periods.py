"""Reporting periods: each half of Georgia's budget year (the calendar year) is one period.

The period of a submission is stored as a column when it is made, so reports filter on it
directly; `reports` builds its ReportingPeriod objects on the same codes.
"""

import datetime
import re

from django.utils import timezone

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})-H(?P<half>[12])$")


def period_for_date(day: datetime.date) -> str:
    """'2026-H1' for January-June, '2026-H2' for July-December."""
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def current_period() -> str:
    return period_for_date(timezone.localdate())


def previous_period(code: str) -> str:
    match = PERIOD_PATTERN.match(code)
    if match is None:
        raise ValueError(f"Not a reporting period: {code!r}")
    year, half = int(match["year"]), int(match["half"])
    return f"{year}-H1" if half == 2 else f"{year - 1}-H2"


def period_bounds(code: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period."""
    match = PERIOD_PATTERN.match(code)
    if match is None:
        raise ValueError(f"Not a reporting period: {code!r}")
    year, half = int(match["year"]), int(match["half"])
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)
