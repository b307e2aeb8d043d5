"""Published reports, where they are published, and what a report covers: the half-year, an
interim report's part of it, and submissions that arrived late."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from cms.core.i18n import active_language
from feedback_forms.models import Evaluation, Need
from programs.models import ProgramPage
from reports.figures_schema import Figures
from reports.models import ReportingPeriod, ResultsPage, ResultsReport

#: ASCII digits only: `\d` would also accept Arabic-Indic and other Unicode digits.
PERIOD_CODE = re.compile(r"[0-9]{4}-H[12]")


# --- Reports and where they are published -----------------------------------------------------


def is_period_code(code: str) -> bool:
    return bool(PERIOD_CODE.fullmatch(code or ""))


def published_reports() -> QuerySet[ResultsReport]:
    """Published reports, newest period first."""
    return (
        ResultsReport.objects.published()
        .select_related("period")
        .order_by("-period__budget_year", "-period__half")
    )


def published_report(code: str) -> ResultsReport | None:
    """The published report of a period, or None for anything else (strictly validated)."""
    if not is_period_code(code):
        return None
    return published_reports().filter(period__code=code).first()


def results_page() -> ResultsPage | None:
    """The live results page in the reader's language, else the Georgian one."""
    pages = ResultsPage.objects.live().public()
    return (
        pages.filter(locale__language_code=active_language()).first()
        or pages.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    )


def report_url(code: str, page: ResultsPage | None, request: HttpRequest | None = None) -> str:
    """The public page of a report on `page` (see `results_page`), or "" without one."""
    if page is None:
        return ""
    base = page.get_url(request=request)
    if not base:
        return ""
    return base.rstrip("/") + "/" + page.reverse_subpage("report", args=[code]).lstrip("/")


def program_links(program_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Title and URL of each program in the reader's language (its live translation, else the
    Georgian page); programs since deleted or unpublished are simply left out."""
    ids = {pk for pk in program_ids if isinstance(pk, int)}
    if not ids:
        return {}
    keys = dict(ProgramPage.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
    live = ProgramPage.objects.live().public().filter(translation_key__in=keys.values())
    by_key: dict[Any, dict[str, ProgramPage]] = {}
    for page in live.select_related("locale"):
        by_key.setdefault(page.translation_key, {})[page.locale.language_code] = page
    language = active_language()
    links = {}
    for pk, key in keys.items():
        versions = by_key.get(key, {})
        page = versions.get(language) or versions.get(settings.LANGUAGE_CODE)
        if page is not None:
            links[pk] = {
                "id": page.pk,
                "title": page.title,
                "url": page.get_url() or "",
                "lang": other_language(page.locale.language_code),
            }
    return links


def other_language(code: str) -> str:
    """`code` when it is not the reader's language (for a `lang` attribute), else ""."""
    return "" if code == active_language() else code


def in_reader_language(obj: Any, name: str) -> tuple[str, str]:
    """A text field in the reader's language, falling back to Georgian, and the `lang` of the
    text when it is not the reader's (WCAG 3.1.2)."""
    own = getattr(obj, f"{name}_{active_language()}", "") or ""
    if own:
        return own, ""
    return getattr(obj, f"{name}_{settings.LANGUAGE_CODE}", "") or "", other_language(
        settings.LANGUAGE_CODE
    )


def period_label(report: ResultsReport) -> str:
    period = report.period
    return f"{period.get_half_display()} {period.budget_year}"


def period_code_label(code: str) -> str:
    """'2026-H1' as pages write it ("January–June 2026")."""
    year, half = code.split("-H")
    return f"{ReportingPeriod.Half(int(half)).label} {year}"


# --- Interim reports and late arrivals --------------------------------------------------------


def coverage(report: ResultsReport) -> dict[str, Any]:
    """What part of its half-year a report covers: all of it, or (an interim report) what
    was submitted until its figures were frozen."""
    return {
        "interim": report.is_interim,
        "frozen_at": report.frozen_at,
        "ends_on": report.period.ends_on,
    }


def public_late_arrivals(figures: Figures) -> dict[str, Any] | None:
    """The report's "received after the previous report": counts per earlier period (None when
    there are none, or the figures were frozen before they were counted)."""
    late = figures["late_arrivals"]
    rows = [
        {
            "period": row["period"],
            "period_label": period_code_label(row["period"]),
            "evaluations": int(row.get("evaluations") or 0),
            "needs": int(row.get("needs") or 0),
        }
        for row in late.get("by_period") or []
        if is_period_code(row.get("period", "")) and (row.get("evaluations") or row.get("needs"))
    ]
    if not rows:
        return None
    return {
        "evaluations": sum(row["evaluations"] for row in rows),
        "needs": sum(row["needs"] for row in rows),
        "by_period": rows,
    }


def arrived_after(report: ResultsReport, page: ResultsPage | None = None) -> dict[str, Any] | None:
    """Submissions for the report's half-year that it could not count, because they arrived
    after it was sent: where they are counted instead (or that the next report will)."""
    if not report.is_frozen:
        return None
    code = report.period.code
    counts: dict[str, dict[str, int]] = {}
    for kind, model in (("evaluations", Evaluation), ("needs", Need)):
        rows = (
            model.objects.visible()
            .counted_elsewhere_than(code)
            .values("reported_in")
            .annotate(count=Count("pk"))
        )
        for row in rows:
            counts.setdefault(row["reported_in"], {"evaluations": 0, "needs": 0})[kind] = row[
                "count"
            ]
    if not counts:
        return None
    published = set(published_reports().values_list("period__code", flat=True))
    pending = counts.pop("", None)
    return {
        "counted_in": [
            {
                "period": later,
                "period_label": period_code_label(later),
                "url": report_url(later, page) if later in published else "",
                **counted,
            }
            for later, counted in sorted(counts.items())
        ],
        "pending": pending,
    }
