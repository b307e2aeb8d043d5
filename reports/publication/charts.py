"""Charts that carry their data as tables: bars drawn to scale without JavaScript, and the
numbers as pages print them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from reports.figures_schema import (
    CategoryCount,
    Names,
    UnitCount,
    figure_name,
)

RATINGS = ("1", "2", "3", "4", "5")
MAX_RATING = 5


# --- Charts that carry their data as tables ---------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar: `display` is the very string the table shows, so both always agree."""

    label: str
    value: float
    display: str
    width: str  # percent of the track, unlocalized for the SVG attribute
    note: str = ""
    lang: str = ""


@dataclass(frozen=True)
class Chart:
    slug: str
    caption: str
    label_heading: str
    value_heading: str
    bars: list[Bar] = field(default_factory=list)
    note_heading: str = ""


def formatted(value: Any, digits: int = 0) -> str:
    """A number rounded half up (Django's number_format truncates) and written in the active
    language's format; the chart and its table print this same string."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=digits, use_l10n=True, force_grouping=digits == 0)


def bar_width(value: float, scale: float) -> str:
    if not scale or value <= 0:
        return "0"
    return f"{min(100.0, value * 100 / scale):.1f}"


def counted_bars(rows: Iterable[tuple[str, int]]) -> list[Bar]:
    """Bars for counts, scaled so the largest is full width."""
    rows = list(rows)
    largest = max((count for _label, count in rows), default=0)
    return [Bar(label, count, formatted(count), bar_width(count, largest)) for label, count in rows]


def group_name(row: Names, code: str | None) -> str:
    """A category or unit of the figures by `figure_name`'s rule; a group without one (needs
    without a category) is "Not specified"."""
    return figure_name(row, code) or _("Not specified")


def ratings_chart(ratings: list[dict]) -> Chart:
    bars = [
        Bar(
            row["title"],
            row["mean"],
            row["mean_display"],
            bar_width(row["mean"], MAX_RATING),
            lang=row["lang"],
        )
        for row in ratings
        if row["shown"]
    ]
    return Chart(
        "ratings",
        _("Average rating of each program, from 1 (very poor) to 5 (very good)"),
        _("Program"),
        _("Average rating"),
        bars,
    )


def distribution_chart(rating: dict[str, Any]) -> Chart:
    """How many residents gave each rating (only for a rating the rule lets us show)."""
    distribution = rating["distribution"] or {}
    rows = [
        (_("Rated %(rating)s") % {"rating": level}, distribution.get(level, 0)) for level in RATINGS
    ]
    return Chart(
        "rating-distribution",
        _("How many residents gave each rating, from 1 (very poor) to 5 (very good)"),
        _("Rating"),
        _("Responses"),
        counted_bars(rows) if rating["shown"] else [],
    )


def needs_chart(
    groups: Iterable[tuple[str | None, CategoryCount | UnitCount]],
    slug: str,
    caption: str,
    heading: str,
) -> Chart:
    rows = [(group_name(row, code), int(row.get("count") or 0)) for code, row in groups]
    return Chart(slug, caption, heading, _("Needs"), counted_bars(rows))


def response_times_chart(totals: dict) -> Chart:
    on_time = max(0, totals["open"] - totals["overdue"])
    rows = [
        (_("Answered by City Hall"), totals["answered"]),
        (_("Open, within the deadline"), on_time),
        (_("Open, past the deadline"), totals["overdue"]),
    ]
    whole = sum(count for _label, count in rows)
    bars = [
        Bar(label, count, formatted(count), bar_width(count, whole), share_text(count, whole))
        for label, count in rows
    ]
    return Chart(
        "response-times",
        _("Needs by whether City Hall has answered them"),
        _("Status"),
        _("Needs"),
        bars,
        note_heading=_("Share of all needs"),
    )


def share_text(part: int, whole: int) -> str:
    return f"{formatted(part * 100 / whole)}%" if whole else ""
