"""The budget commitments as the public sees them (Art. 4.7): on the results pages, the
accountability page and in the API."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cms.core.i18n import active_language
from feedback_forms.models import Need
from feedback_forms.models import Status as SubmissionStatus
from programs.models import ProgramPage
from reports.models import BudgetCommitment, ResultsPage, ResultsReport
from reports.publication.charts import (
    Chart,
    counted_bars,
)
from reports.publication.periods import (
    in_reader_language,
    period_label,
    program_links,
    report_url,
    results_page,
)

# --- Commitments ------------------------------------------------------------------------------


def public_commitments() -> QuerySet[BudgetCommitment]:
    """Every commitment: the mayor's decisions are public from the moment they are recorded
    (Art. 4.7), even before the report of their review is published. Linked needs leave out
    the hidden ones (spam, duplicates, not eligible)."""
    return (
        BudgetCommitment.objects.public()
        .select_related("report__period")
        .prefetch_related(
            Prefetch(
                "needs",
                queryset=Need.objects.visible().only("pk", "reference", "status"),
                to_attr="public_needs",
            ),
            Prefetch("programs", queryset=ProgramPage.objects.only("pk"), to_attr="program_list"),
        )
        .order_by("-budget_year", "title_ka", "pk")
    )


def tracking_url(reference: str) -> str:
    return f"{reverse('track')}?{urlencode({'reference': reference})}"


def commitment_data(
    commitment: BudgetCommitment,
    links: dict[int, dict[str, str]] | None = None,
    page: ResultsPage | None = None,
) -> dict[str, Any]:
    """A commitment as pages and the API publish it: both languages, and the localized text."""
    from feedback_forms.public_status import PUBLIC_STATUS_TEXT

    service = commitment.service
    needs = sorted(getattr(commitment, "public_needs", []), key=lambda need: need.reference)
    programs = getattr(commitment, "program_list", [])
    links = links if links is not None else program_links(program.pk for program in programs)
    report = commitment.report
    period_code = report.period.code if report is not None else None
    report_label = period_label(report) if report is not None else ""
    report_published = report is not None and report.status == ResultsReport.Status.PUBLISHED
    title, title_lang = in_reader_language(commitment, "title")
    description, description_lang = in_reader_language(commitment, "description")
    dropped_reason, dropped_reason_lang = in_reader_language(commitment, "dropped_reason")
    return {
        "id": commitment.pk,
        "title": title,
        "title_lang": title_lang,
        "title_ka": commitment.title_ka,
        "title_en": commitment.title_en,
        "description": description,
        "description_lang": description_lang,
        "description_ka": commitment.description_ka,
        "description_en": commitment.description_en,
        "evaluation_findings": commitment.evaluation_findings,
        "status": commitment.status,
        "status_text": str(commitment.get_status_display()),
        "is_dropped": commitment.status == BudgetCommitment.Status.DROPPED,
        "dropped_reason": dropped_reason,
        "dropped_reason_lang": dropped_reason_lang,
        "dropped_reason_ka": commitment.dropped_reason_ka,
        "dropped_reason_en": commitment.dropped_reason_en,
        "service": {
            "code": service.slug,
            "name": service.name,
            "name_ka": service.name_ka,
            "name_en": service.name_en,
        },
        "budget_year": commitment.budget_year,
        "estimated_cost": commitment.estimated_cost,
        "report_period": period_code,
        "report_label": report_label,
        # The review's page exists only once its report is published.
        "report_url": report_url(period_code, page) if report_published and period_code else "",
        "needs_count": len(needs),
        "needs": [
            {
                "reference": need.reference,
                "status": need.status,
                "status_text": str(PUBLIC_STATUS_TEXT[SubmissionStatus(need.status)]),
                "tracking_url": tracking_url(need.reference),
            }
            for need in needs
        ],
        "programs": [links[program.pk] for program in programs if program.pk in links],
        "progress_notes": [
            {
                "date": note.noted_on,
                "text": note.text,
                "lang": in_reader_language(note, "text")[1],
                "text_ka": note.text_ka,
                "text_en": note.text_en,
            }
            for note in commitment.progress_notes.all()
        ],
        "updated": commitment.updated_at,
    }


def commitments_data(commitments: Iterable[BudgetCommitment]) -> list[dict[str, Any]]:
    """Several commitments with one query for all their programs' titles."""
    commitments = list(commitments)
    links = program_links(
        program.pk
        for commitment in commitments
        for program in getattr(commitment, "program_list", [])
    )
    page = results_page() if commitments else None
    return [commitment_data(commitment, links, page) for commitment in commitments]


def status_summary(commitments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = dict.fromkeys(BudgetCommitment.Status.values, 0)
    for commitment in commitments:
        counts[commitment["status"]] = counts.get(commitment["status"], 0) + 1
    return [
        {"status": status, "label": str(BudgetCommitment.Status(status).label), "count": count}
        for status, count in counts.items()
    ]


def accountability_url(request: HttpRequest | None = None) -> str:
    from reports.models import AccountabilityPage

    pages = AccountabilityPage.objects.live().public()
    page = (
        pages.filter(locale__language_code=active_language()).first()
        or pages.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    )
    return (page.get_url(request=request) or "") if page else ""


def accountability_data() -> dict[str, Any]:
    """Commitments by target budget year (newest first), dropped ones apart, and a count per
    status."""
    commitments = commitments_data(public_commitments())
    years: dict[int, list[dict[str, Any]]] = {}
    for commitment in commitments:
        if not commitment["is_dropped"]:
            years.setdefault(commitment["budget_year"], []).append(commitment)
    summary = status_summary(commitments)
    chart = Chart(
        "commitment-status",
        _("Budget commitments by status"),
        _("Status"),
        _("Commitments"),
        counted_bars((row["label"], row["count"]) for row in summary),
    )
    return {
        "commitment_years": [
            {"year": year, "commitments": items, "estimated_total": cost_total(items)}
            for year, items in sorted(years.items(), reverse=True)
        ],
        "dropped_commitments": [item for item in commitments if item["is_dropped"]],
        "status_summary": summary,
        "status_chart": chart,
        "commitment_count": len(commitments),
    }


def cost_total(commitments: Iterable[dict[str, Any]]) -> Decimal | None:
    costs = [item["estimated_cost"] for item in commitments if item["estimated_cost"] is not None]
    return sum(costs, Decimal(0)) if costs else None
