"""The shape of a report's figures, versioned, and the one way to read them back.

A sent report freezes its figures as JSON (`ResultsReport.figures`) and must show the same
numbers for ever, whatever the code later calls them. So the figures have a typed schema with a
`schema_version`: `compute_figures` builds the current version, `figures_json` turns it into
what the JSONField stores, and `load_figures` reads any stored version back, upgrading older
shapes step by step to the current one. Every reader (workbook, staff views, public pages, API)
goes through `load_figures` (via `reports.figures.figures_for`) and names reference data through
`figure_name`, the one fallback rule: the reader's language, else Georgian, else the code.

Version 1 is the unversioned shape of the first reports: rows keyed by the ORM lookups that
grouped them ("category__slug", "administrative_unit__name_ka", ...). Version 2 names the same
values for what they are ("slug", "code", "unit_code", nested "category" and "settlement").

Adding a figure: add its key here (optional sections may be None: "not recorded in this
report") and a default in `normalised` for reports frozen before it. Renaming or reshaping a
key: bump `SCHEMA_VERSION` and add an upgrade step from the previous version.
"""

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypedDict, cast

from django.conf import settings

from cms.core.i18n import active_language

SCHEMA_VERSION = 2

#: The keys of figures added after the first reports: a report frozen before them lacks them,
#: and every reader says "not recorded in this report" (None here).
INVITATIONS_KEY = "invitations"
SERVICES_KEY = "services"
COMPARISON_KEY = "comparison"
FIXED_KEY = "fix_checks"


class Names(TypedDict):
    """A reference name frozen in both languages (the reference data may change later)."""

    name_ka: str
    name_en: str


class CategoryName(Names):
    slug: str | None  # None: needs without a category


class StaffEntered(TypedDict, total=False):
    """Counted submissions staff entered on a resident's behalf: "total" and one per channel."""

    total: int
    phone: int
    visit: int
    paper: int


class Totals(TypedDict):
    evaluations: int
    verified_share: float | None
    mean_rating: float | None
    low_share: float | None
    needs: int
    hidden: int
    staff_entered: StaffEntered


class QuestionFigures(TypedDict):
    name: str
    label: str
    count: int
    mean: float | None
    distribution: dict[str, int]


class ProgramFigures(TypedDict):
    program_id: int | None
    title: str
    category: str | None  # the category's slug
    service: str | None  # the responsible service's Georgian name
    count: int
    verified: int
    verified_share: float | None
    mean: float | None
    distribution: dict[str, int]
    low_count: int
    low_share: float | None
    previous_count: int
    previous_mean: float | None
    mean_change: float | None
    questions: list[QuestionFigures]


class CategoryCount(CategoryName):
    count: int


class UnitCount(Names):
    code: str | None
    count: int


class SettlementCount(Names):
    unit_code: str | None
    count: int


class StatusCount(TypedDict):
    status: str
    label: str  # in the language the figures were computed in
    count: int


class ResponseTimes(TypedDict):
    total: int
    answered: int
    open: int
    overdue: int
    median_days: float | None


class TopNeed(TypedDict):
    category: CategoryName
    settlement: Names
    unit_code: str | None
    count: int
    example: str


class LatePeriod(TypedDict):
    period: str
    evaluations: int
    needs: int
    hidden: int


class LateArrivals(TypedDict):
    evaluations: int
    needs: int
    hidden: int
    by_period: list[LatePeriod]


class InvitationFigures(TypedDict):
    program_id: int | None
    title: str
    invited: int
    responded: int
    verified: int
    response_share: float | None


class ServiceName(Names):
    service_id: int | None  # None: needs not yet routed to a service
    slug: str


class ServiceFigures(ServiceName):
    needs: int
    answered: int
    open: int
    overdue: int
    median_days: float | None
    evaluations: int
    low_rated: int
    low_share: float | None


class Compared(TypedDict):
    current: Any
    previous: Any
    change: Any


class ComparedService(ServiceName):
    needs: Compared
    answered: Compared
    open: Compared
    overdue: Compared
    median_days: Compared
    evaluations: Compared
    low_rated: Compared
    low_share: Compared


class ComparedCategory(CategoryName, Compared):
    pass


class ComparedUnit(Names, Compared):
    code: str | None


class Comparison(TypedDict):
    previous_period: str
    totals: dict[str, Compared]
    categories: list[ComparedCategory]
    units: list[ComparedUnit]
    services: list[ComparedService]


class FixCheckFigures(ServiceName):
    asked: int
    answered: int
    fixed: int
    not_fixed: int
    fixed_share: float | None


class Figures(TypedDict):
    """Every figure of a report (version `SCHEMA_VERSION`)."""

    schema_version: int
    period: str
    previous_period: str
    computed_on: str  # ISO date
    totals: Totals
    programs: list[ProgramFigures]
    needs_by_category: list[CategoryCount]
    needs_by_unit: list[UnitCount]
    needs_by_settlement: list[SettlementCount]
    needs_by_status: list[StatusCount]
    response_times: ResponseTimes
    top_needs: list[TopNeed]
    late_arrivals: LateArrivals
    invitations: list[InvitationFigures] | None
    services: list[ServiceFigures] | None
    comparison: Comparison | None
    fix_checks: list[FixCheckFigures] | None


# --- Names ------------------------------------------------------------------------------------


def name_and_lang(names: Names, code: str | None = "", language: str = "") -> tuple[str, str]:
    """A frozen name in the reader's language, else Georgian, else the code; and the `lang`
    of the text when it is not the reader's language (WCAG 3.1.2), else ""."""
    language = language or active_language()
    by_language = {"ka": names.get("name_ka") or "", "en": names.get("name_en") or ""}
    own = by_language.get(language, "")
    if own:
        return own, ""
    fallback = settings.LANGUAGE_CODE
    if by_language.get(fallback):
        return by_language[fallback], "" if fallback == language else fallback
    return str(code or ""), ""


def figure_name(names: Names, code: str | None = "", language: str = "") -> str:
    """A frozen name by the one rule: the reader's language, else Georgian, else the code."""
    return name_and_lang(names, code, language)[0]


# --- JSON -------------------------------------------------------------------------------------


def json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def figures_json(figures: Figures) -> dict[str, Any]:
    """What `ResultsReport.figures` stores: plain JSON, with the schema version."""
    return cast(dict[str, Any], json_safe({**figures, "schema_version": SCHEMA_VERSION}))


# --- Reading stored figures back ---------------------------------------------------------------


#: The ORM lookups that group needs, as version 1 stored them (and as the queries return them).
CATEGORY_FIELDS = ("category__slug", "category__name_ka", "category__name_en")
UNIT_FIELDS = (
    "administrative_unit__code",
    "administrative_unit__name_ka",
    "administrative_unit__name_en",
)
SETTLEMENT_FIELDS = ("administrative_unit__code", "settlement__name_ka", "settlement__name_en")
TOP_NEED_FIELDS = (*CATEGORY_FIELDS, "settlement__name_ka", "settlement__name_en", UNIT_FIELDS[0])


def names_of(row: Mapping[str, Any], prefix: str) -> Names:
    return {
        "name_ka": row.get(f"{prefix}name_ka") or "",
        "name_en": row.get(f"{prefix}name_en") or "",
    }


def category_of(row: Mapping[str, Any]) -> CategoryName:
    return {"slug": row.get("category__slug"), **names_of(row, "category__")}


def compared_of(row: Mapping[str, Any]) -> Compared:
    return {
        "current": row.get("current"),
        "previous": row.get("previous"),
        "change": row.get("change"),
    }


# Rows grouped by ORM lookups (a query's .values() rows, or version 1) -> current rows. Both
# `compute_figures` and the upgrade of version 1 use them, so old and new reports agree.


def category_count(row: Mapping[str, Any]) -> CategoryCount:
    return {**category_of(row), "count": row["count"]}


def unit_count(row: Mapping[str, Any]) -> UnitCount:
    return {
        "code": row.get("administrative_unit__code"),
        **names_of(row, "administrative_unit__"),
        "count": row["count"],
    }


def settlement_count(row: Mapping[str, Any]) -> SettlementCount:
    return {
        "unit_code": row.get("administrative_unit__code"),
        **names_of(row, "settlement__"),
        "count": row["count"],
    }


def top_need(row: Mapping[str, Any]) -> TopNeed:
    return {
        "category": category_of(row),
        "settlement": names_of(row, "settlement__"),
        "unit_code": row.get("administrative_unit__code"),
        "count": row["count"],
        "example": row.get("example") or "",
    }


def compared_category(row: Mapping[str, Any]) -> ComparedCategory:
    return {**category_of(row), **compared_of(row)}


def compared_unit(row: Mapping[str, Any]) -> ComparedUnit:
    return {
        "code": row.get("administrative_unit__code"),
        **names_of(row, "administrative_unit__"),
        **compared_of(row),
    }


def upgrade_v1(old: Mapping[str, Any]) -> dict[str, Any]:
    """Version 1 (no version key): rows named by ORM lookups -> version 2. Values unchanged."""
    new = dict(old)
    for key, convert in (
        ("needs_by_category", category_count),
        ("needs_by_unit", unit_count),
        ("needs_by_settlement", settlement_count),
        ("top_needs", top_need),
    ):
        new[key] = [convert(row) for row in old.get(key) or []]
    comparison = old.get(COMPARISON_KEY)
    if comparison is not None:
        new[COMPARISON_KEY] = {
            **comparison,
            "categories": [compared_category(row) for row in comparison.get("categories") or []],
            "units": [compared_unit(row) for row in comparison.get("units") or []],
        }
    new["schema_version"] = 2
    return new


#: version -> the step that turns figures of that version into the next one.
UPGRADES: dict[int, Callable[[Mapping[str, Any]], dict[str, Any]]] = {1: upgrade_v1}

EMPTY_TOTALS: dict[str, Any] = {
    "evaluations": 0,
    "verified_share": None,
    "mean_rating": None,
    "low_share": None,
    "needs": 0,
    "hidden": 0,
    "staff_entered": {},
}
EMPTY_TIMES: dict[str, Any] = {
    "total": 0,
    "answered": 0,
    "open": 0,
    "overdue": 0,
    "median_days": None,
}
EMPTY_LATE: dict[str, Any] = {"evaluations": 0, "needs": 0, "hidden": 0, "by_period": []}


def normalised(data: Mapping[str, Any]) -> Figures:
    """Current-version figures with every key present: what a report frozen before a figure
    existed lacks is None ("not recorded") for the later sections, empty for the first ones."""
    figures = {
        **data,
        "schema_version": SCHEMA_VERSION,
        "period": data.get("period") or "",
        "previous_period": data.get("previous_period") or "",
        "computed_on": data.get("computed_on") or "",
        "totals": {**EMPTY_TOTALS, **(data.get("totals") or {})},
        "response_times": {**EMPTY_TIMES, **(data.get("response_times") or {})},
        "late_arrivals": {**EMPTY_LATE, **(data.get("late_arrivals") or {})},
        **{
            key: data.get(key) or []
            for key in (
                "programs",
                "needs_by_category",
                "needs_by_unit",
                "needs_by_settlement",
                "needs_by_status",
                "top_needs",
            )
        },
        **{
            key: data.get(key) for key in (INVITATIONS_KEY, SERVICES_KEY, COMPARISON_KEY, FIXED_KEY)
        },
    }
    return cast(Figures, figures)


def load_figures(stored: Mapping[str, Any] | None) -> Figures:
    """Stored figures of any version, as the current version (values never change)."""
    data: Mapping[str, Any] = stored or {}
    version = int(data.get("schema_version") or 1)
    if version > SCHEMA_VERSION:
        raise ValueError(f"figures of schema version {version} are newer than this code")
    while version < SCHEMA_VERSION:
        data = UPGRADES[version](data)
        version += 1
    return normalised(data)
