"""The k-anonymity rule for ratings, the headline totals, and a program's rating as its page
shows it."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from programs.models import ProgramPage
from reports.figures import figures_for
from reports.figures_schema import Figures
from reports.publication.charts import (
    RATINGS,
    distribution_chart,
    formatted,
)
from reports.publication.periods import (
    other_language,
    period_label,
    program_links,
    published_reports,
    report_url,
    results_page,
)

DEFAULT_MIN_RESPONSES = 5


# --- The k-anonymity rule ---------------------------------------------------------------------


def min_public_responses() -> int:
    """The smallest number of responses whose mean and distribution may be published."""
    return max(1, int(getattr(settings, "FEEDBACK_PUBLIC_MIN_RESPONSES", DEFAULT_MIN_RESPONSES)))


def rating_for_public(count: Any, mean: Any, distribution: Any) -> dict[str, Any]:
    """THE rule: count always; mean and 1-5 distribution only from the threshold up."""
    count = int(count or 0)
    minimum = min_public_responses()
    shown = count >= minimum and mean is not None
    return {
        "count": count,
        "shown": shown,
        "min_responses": minimum,
        "mean": round(float(mean), 2) if shown else None,
        "distribution": {rating: int((distribution or {}).get(rating, 0)) for rating in RATINGS}
        if shown
        else None,
    }


def with_display(rating: dict[str, Any]) -> dict[str, Any]:
    """Add the mean as pages print it (the chart and its table share this one string)."""
    shown = rating["shown"]
    return {**rating, "mean_display": formatted(rating["mean"], 1) if shown else ""}


def public_program_ratings(figures: Figures) -> list[dict[str, Any]]:
    """Every program of a report's figures, k-anonymous, titled in the reader's language."""
    rows = [row for row in figures["programs"] if row.get("program_id") is not None]
    links = program_links(row["program_id"] for row in rows if row["program_id"] is not None)
    ratings = []
    for row in rows:
        link = links.get(row["program_id"] or 0, {})
        ratings.append(
            {
                "program_id": row["program_id"],
                "title": link.get("title") or row.get("title") or "",
                "url": link.get("url", ""),
                "lang": link.get("lang", other_language(settings.LANGUAGE_CODE)),
                **with_display(
                    rating_for_public(row.get("count"), row.get("mean"), row.get("distribution"))
                ),
            }
        )
    return ratings


def program_rating(figures: Figures, program_id: int) -> dict[str, Any]:
    """One program's k-anonymous rating in a report (count 0 when nobody evaluated it)."""
    for row in figures["programs"]:
        if row.get("program_id") == program_id:
            return rating_for_public(row.get("count"), row.get("mean"), row.get("distribution"))
    return rating_for_public(0, None, None)


def public_totals(figures: Figures) -> dict[str, Any]:
    """Headline numbers; the overall mean follows the same rule as a program's."""
    totals = figures["totals"]
    times = figures["response_times"]
    overall = rating_for_public(totals.get("evaluations"), totals.get("mean_rating"), None)
    return {
        "evaluations": overall["count"],
        "mean_rating": overall["mean"],
        "mean_shown": overall["shown"],
        "mean_display": formatted(overall["mean"], 1) if overall["shown"] else "",
        "needs": int(totals.get("needs") or 0),
        "answered": int(times.get("answered") or 0),
        "open": int(times.get("open") or 0),
        "overdue": int(times.get("overdue") or 0),
        "median_days": times.get("median_days"),
        # Reports frozen before this figure existed have no such key: shown only when present.
        "staff_entered": totals.get("staff_entered") or {},
    }


def program_rating_summary(program_page: ProgramPage) -> dict[str, Any] | None:
    """The program's rating in the latest published report, k-anonymous; None when there is
    no published report or nobody evaluated the program in that period."""
    report = published_reports().first()
    if report is None:
        return None
    program_id = program_page.canonical_program.pk
    rating = program_rating(figures_for(report), program_id)
    if not rating["count"]:
        return None
    rating = with_display(rating)
    return {
        "period": report.period.code,
        "period_label": period_label(report),
        "report_url": report_url(report.period.code, results_page()),
        "distribution_chart": distribution_chart(rating),
        **rating,
    }


def program_ratings_by_period(program_page: ProgramPage) -> list[dict[str, Any]]:
    """The program's k-anonymous rating in every published report, newest first."""
    program_id = program_page.canonical_program.pk
    return [
        {
            "period": report.period.code,
            "published": report.published_at,
            **program_rating(figures_for(report), program_id),
        }
        for report in published_reports()
    ]
