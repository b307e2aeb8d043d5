"""Sheet titles, labels, number formats and printing constants of the report workbook, and the
small helpers that name things in it (fields, sheets, statuses, the period's exports)."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl.styles import Alignment

from cms.core import formatting, georgian
from feedback_forms.models import Evaluation, Need, Status
from reports.models import ResultsReport

WORKBOOK_LANGUAGE = "ka"
SHEET_TITLE_MAX = 31
#: Excel refuses longer cells; an analysis that long is cut rather than the workbook broken.
CELL_TEXT_MAX = 32_000
MAX_WIDTH = 60

COUNT_FORMAT = "0"
MEAN_FORMAT = "0.00"
CHANGE_FORMAT = "+0.00;-0.00;0.00"
PERCENT_FORMAT = "0.0%"
MONEY_FORMAT = formatting.XLSX_MONEY_FORMAT
DATE_FORMAT = formatting.XLSX_DATE_FORMAT
DATETIME_FORMAT = formatting.XLSX_DATETIME_FORMAT
DAYS_FORMAT = "0.0"
COUNT_CHANGE_FORMAT = "+0;-0;0"
DAYS_CHANGE_FORMAT = "+0.0;-0.0;0.0"
PERCENT_CHANGE_FORMAT = "+0.0%;-0.0%;0.0%"

WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
#: The workbook's default font (openpyxl's): a styled cell names it, or it prints in a serif.
FONT_NAME = "Calibri"
FONT_SIZE = 11

# Printing: A4 landscape, one page wide, as many pages tall as needed (0 = automatic).
PAPER_SIZE_A4 = 9
#: A chart must fit on one printed page: A4 landscape leaves about 16 cm of height at 100%.
CHART_MAX_HEIGHT_CM = 14.0
CHART_WIDTH_CM = 20.0
#: Rows between a table and a chart printed under it (the chart starts a new page).
CHART_GAP_ROWS = 1

# Sheet titles, in workbook order (translated when the workbook is built).
SUMMARY = gettext_lazy("Summary")
PROGRAMS = gettext_lazy("Programs")
NEEDS_BY_PLACE = gettext_lazy("Needs by place")
NEEDS_BY_CATEGORY = gettext_lazy("Needs by category")
TOP_NEEDS = gettext_lazy("Most frequent needs")
RESPONSE_TIMES = gettext_lazy("Response times")
SERVICES = gettext_lazy("Services")
COMPARISON = gettext_lazy("Previous half-year")
SERVICES_COMPARED = gettext_lazy("Services, previous half-year")
FIX_CHECKS = gettext_lazy("Confirmed fixed")
COMMITMENTS = gettext_lazy("Commitments")

# Summary labels that tests and readers look up.
EVALUATIONS_COUNTED = gettext_lazy("Evaluations counted")
VERIFIED_SHARE = gettext_lazy("Share verified on a beneficiary list")
MEAN_RATING = gettext_lazy("Mean overall rating (1-5)")
LOW_SHARE = gettext_lazy("Share of low ratings (1-2)")
NEEDS_COUNTED = gettext_lazy("Needs counted")
HIDDEN_NEEDS = gettext_lazy("Hidden needs (spam, duplicates, not eligible)")
COMMITMENTS_TOTAL = gettext_lazy("Budget commitments decided at this review")
ANALYSIS = gettext_lazy("Analysis of the PR and Events Management Division")
#: The difference between this period and the previous one (not "change" as in "edit").
CHANGE = pgettext_lazy("difference between two periods", "Change")
EXPORTS = gettext_lazy("Every submission of the period (streaming exports)")
NOT_RECORDED = gettext_lazy(
    "Not recorded in this report: it was sent before these figures were part of a report."
)

Value = str | int | float | Decimal | datetime.date | datetime.datetime | None


def sheet_titles() -> list[str]:
    """The titles of every sheet, in order, in the active language."""
    return [
        sheet_title(title)
        for title in (
            SUMMARY,
            PROGRAMS,
            NEEDS_BY_PLACE,
            NEEDS_BY_CATEGORY,
            TOP_NEEDS,
            RESPONSE_TIMES,
            SERVICES,
            COMPARISON,
            SERVICES_COMPARED,
            FIX_CHECKS,
            COMMITMENTS,
        )
    ]


def sheet_title(title: Any) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    text = str(title)
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:SHEET_TITLE_MAX].strip() or "Sheet"


def label_case(text: Any) -> str:
    """Labels start with a capital, except in Georgian, which has none (cms.core.georgian)."""
    return georgian.capfirst(str(text))


def field_label(model: type[Model], name: str) -> str:
    return label_case(
        getattr(model._meta.get_field(name), "verbose_name", name)
    )  # relations have none


def plural_label(model: type[Model]) -> str:
    return label_case(model._meta.verbose_name_plural)


def workbook_filename(report: ResultsReport) -> str:
    """ASCII, one per period: "results-2026-H1.xlsx" ("results-2026-H1-interim.xlsx")."""
    return f"results-{report.period.code}{'-interim' if report.is_interim else ''}.xlsx"


def period_export_links(code: str, absolute: bool = False) -> list[dict[str, Any]]:
    """The staff exports of every evaluation and need of a period, as Excel and as CSV.

    They use the listings' own filter (`reporting_period`), stream from the database and become
    background jobs when large, so the raw rows never make the report's workbook slow; they are
    live, while a sent report's figures are frozen. `absolute` adds WAGTAILADMIN_BASE_URL.
    """
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/") if absolute else ""
    formats = {"xlsx": "Excel (.xlsx)", "csv": "CSV"}
    return [
        {
            "kind": kind,
            "model": model,
            "format": file_format,
            "label": f"{plural_label(model)}, {format_label}",
            "url": base
            + reverse("feedback_exports:export", args=[kind])
            + "?"
            + urlencode({"reporting_period": code, "format": file_format}),
        }
        for kind, model in (("evaluation", Evaluation), ("need", Need))
        for file_format, format_label in formats.items()
    ]


def as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def share_of(part: int | None, whole: int | None) -> float | None:
    return round(part / whole, 4) if part is not None and whole else None


def status_label(value: str, fallback: str = "") -> str:
    """Labels in the workbook's language, even when the figures were frozen in another."""
    try:
        return str(Status(value).label)
    except ValueError:
        return fallback or value


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
