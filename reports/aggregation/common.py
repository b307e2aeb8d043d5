"""What every section of the figures shares: the rating scale and how numbers are rounded."""

from typing import Any

from feedback_forms.models import LOW_RATING

__all__ = ["LOW_RATING", "RATINGS", "rounded", "share"]

RATINGS = (1, 2, 3, 4, 5)


def rounded(value: Any, digits: int = 2) -> float | None:
    if value is None:
        return None
    return round(float(value), digits)


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
