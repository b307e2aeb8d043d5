"""What the review saw per service, and against the previous half-year, as the public sees it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from reports.figures_schema import (
    ComparedCategory,
    ComparedUnit,
    Figures,
    ServiceName,
    figure_name,
    name_and_lang,
)
from reports.publication.charts import (
    formatted,
    group_name,
)
from reports.publication.ratings import min_public_responses

# --- What the review saw per service, and against the previous half-year ----------------------
#
# Reports frozen before these figures existed lack their keys: the helpers then return None and
# every reader says "not recorded in this report". A service's figures follow the k-anonymity
# rule by the number of items behind them: its need figures from `min_public_responses()` needs,
# its evaluation figures from as many evaluations; below that the public sees "fewer than k".


def service_reference(row: ServiceName) -> dict[str, str] | None:
    """A service of the figures as the public sees it (None: needs not yet routed to one)."""
    if row.get("service_id") is None:
        return None
    return {
        "code": row.get("slug") or "",
        "name": figure_name(row, row.get("slug")),
        "name_ka": row.get("name_ka") or "",
        "name_en": row.get("name_en") or "",
    }


def service_label(row: ServiceName) -> tuple[str, str]:
    """The service's name by `figure_name`'s rule, and its `lang` when not the reader's."""
    if row.get("service_id") is None:
        return _("Not yet assigned to a service"), ""
    return name_and_lang(row, row.get("slug"))


def days_display(value: Any) -> str:
    return formatted(value, 1) if value is not None else ""


def public_services(figures: Figures) -> list[dict[str, Any]] | None:
    """Each service's figures of a report, k-anonymous; None when the report has none."""
    rows = figures["services"]
    if rows is None:
        return None
    minimum = min_public_responses()
    services = []
    for row in rows:
        needs = int(row.get("needs") or 0)
        evaluations = int(row.get("evaluations") or 0)
        if not needs and not evaluations:
            continue  # nothing to say about this service this half-year
        needs_shown = needs >= minimum
        evaluations_shown = evaluations >= minimum
        name, lang = service_label(row)
        median = row.get("median_days") if needs_shown else None
        low_share = row.get("low_share") if evaluations_shown else None
        services.append(
            {
                "service": service_reference(row),
                "name": name,
                "lang": lang,
                "needs_shown": needs_shown,
                "needs": needs if needs_shown else None,
                "answered": int(row.get("answered") or 0) if needs_shown else None,
                "open": int(row.get("open") or 0) if needs_shown else None,
                "overdue": int(row.get("overdue") or 0) if needs_shown else None,
                "median_days": median,
                "median_display": days_display(median),
                "evaluations_shown": evaluations_shown,
                "evaluations": evaluations if evaluations_shown else None,
                "low_rated": int(row.get("low_rated") or 0) if evaluations_shown else None,
                "low_share": low_share,
                "low_share_display": f"{formatted(low_share * 100)}%"
                if low_share is not None
                else "",
            }
        )
    return services


def public_fix_checks(figures: Figures) -> list[dict[str, Any]] | None:
    """ "Is it fixed?" per service, k-anonymous: a service's answers are shown only from
    `min_responses` answers; None when the report was frozen before the figure existed."""
    rows = figures["fix_checks"]
    if rows is None:
        return None
    minimum = min_public_responses()
    result = []
    for row in rows:
        answered = int(row.get("answered") or 0)
        shown = answered >= minimum
        name, lang = service_label(row)
        fixed_share = row.get("fixed_share") if shown else None
        result.append(
            {
                "service": service_reference(row),
                "name": name,
                "lang": lang,
                "asked": int(row.get("asked") or 0),
                "shown": shown,
                "answered": answered if shown else None,
                "fixed": int(row.get("fixed") or 0) if shown else None,
                "not_fixed": int(row.get("not_fixed") or 0) if shown else None,
                "fixed_share": fixed_share,
                "fixed_share_display": f"{formatted(fixed_share * 100)}%"
                if fixed_share is not None
                else "",
            }
        )
    return result


def compared_public(
    value: Mapping[str, Any] | None,
    shown_now: bool = True,
    shown_before: bool = True,
    digits: int = 0,
) -> dict[str, Any]:
    """A compared figure with each period's value only where the rule lets it out."""
    value = value or {}
    current = value.get("current") if shown_now else None
    previous = value.get("previous") if shown_before else None
    change = value.get("change") if current is not None and previous is not None else None
    return {
        "current": current,
        "previous": previous,
        "change": change,
        "current_display": formatted(current, digits) if current is not None else "",
        "previous_display": formatted(previous, digits) if previous is not None else "",
        "change_display": signed(change, digits) if change is not None else "",
    }


def signed(value: Any, digits: int = 0) -> str:
    """A change with its sign: +3, −2, 0 (the minus sign, as typeset)."""
    text = formatted(abs(value), digits)
    if Decimal(str(value)).quantize(Decimal(1).scaleb(-digits)) == 0:
        return text
    return ("+" if value > 0 else "\u2212") + text


def compared_groups(
    rows: Iterable[tuple[str | None, ComparedCategory | ComparedUnit]],
) -> list[dict[str, Any]]:
    return [
        {"code": str(code or ""), "name": group_name(row, code), **compared_public(row)}
        for code, row in rows
    ]


def public_comparison(figures: Figures) -> dict[str, Any] | None:
    """This half-year against the previous one, k-anonymous; None when the report has none."""
    comparison = figures["comparison"]
    if comparison is None:
        return None
    minimum = min_public_responses()
    totals = comparison.get("totals") or {}

    def reaches(metric: Mapping[str, Any] | None, period: str) -> bool:
        return int((metric or {}).get(period) or 0) >= minimum

    evaluations = totals.get("evaluations")
    public_totals = {
        key: compared_public(totals.get(key))
        for key in ("evaluations", "needs", "answered", "open", "overdue")
    }
    public_totals["mean_rating"] = compared_public(
        totals.get("mean_rating"),
        reaches(evaluations, "current"),
        reaches(evaluations, "previous"),
        digits=2,
    )
    public_totals["median_days"] = compared_public(totals.get("median_days"), digits=1)
    services = []
    for row in comparison.get("services") or []:
        needs, evaluated = row.get("needs") or {}, row.get("evaluations") or {}
        if not any(
            (metric or {}).get(period)
            for metric in (needs, evaluated)
            for period in ("current", "previous")
        ):
            continue
        needs_now, needs_before = reaches(needs, "current"), reaches(needs, "previous")
        rated_now, rated_before = reaches(evaluated, "current"), reaches(evaluated, "previous")
        name, lang = service_label(row)
        services.append(
            {
                "service": service_reference(row),
                "name": name,
                "lang": lang,
                "needs": compared_public(needs, needs_now, needs_before),
                "answered": compared_public(row.get("answered"), needs_now, needs_before),
                "median_days": compared_public(
                    row.get("median_days"), needs_now, needs_before, digits=1
                ),
                "low_rated": compared_public(row.get("low_rated"), rated_now, rated_before),
            }
        )
    return {
        "previous_period": comparison.get("previous_period") or "",
        "totals": public_totals,
        "categories": compared_groups(
            (row["slug"], row) for row in comparison.get("categories") or []
        ),
        "units": compared_groups((row["code"], row) for row in comparison.get("units") or []),
        "services": services,
    }
