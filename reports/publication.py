"""What the public may see of the results cycle, decided in one place for pages and the API.

Only published reports are public, and only through `figures_for`, so a page or an API answer
always shows the figures the mayor reviewed. Program ratings follow one k-anonymity rule
(`rating_for_public`): with few responses a mean is an individual's answer (with one response
it IS that resident's rating), so the mean and distribution appear only from
`FEEDBACK_PUBLIC_MIN_RESPONSES` visible evaluations in the period. Nothing personal ever leaves
this module: no names, contacts, hashes, authors, need titles or residents' text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cms.core.i18n import active_language
from feedback_forms.models import Evaluation, Need
from feedback_forms.models import Status as SubmissionStatus
from programs.models import ProgramPage
from reports.aggregation import COMPARISON_KEY, SERVICES_KEY
from reports.figures import figures_for
from reports.models import BudgetCommitment, ReportingPeriod, ResultsPage, ResultsReport

DEFAULT_MIN_RESPONSES = 5
#: ASCII digits only: `\d` would also accept Arabic-Indic and other Unicode digits.
PERIOD_CODE = re.compile(r"[0-9]{4}-H[12]")
RATINGS = ("1", "2", "3", "4", "5")
MAX_RATING = 5


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


def public_program_ratings(figures: dict) -> list[dict[str, Any]]:
    """Every program of a report's figures, k-anonymous, titled in the reader's language."""
    rows = [row for row in figures.get("programs") or [] if row.get("program_id") is not None]
    links = program_links(row["program_id"] for row in rows)
    ratings = []
    for row in rows:
        link = links.get(row["program_id"], {})
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


def program_rating(figures: dict, program_id: int) -> dict[str, Any]:
    """One program's k-anonymous rating in a report (count 0 when nobody evaluated it)."""
    for row in figures.get("programs") or []:
        if row.get("program_id") == program_id:
            return rating_for_public(row.get("count"), row.get("mean"), row.get("distribution"))
    return rating_for_public(0, None, None)


def public_totals(figures: dict) -> dict[str, Any]:
    """Headline numbers; the overall mean follows the same rule as a program's."""
    totals = figures.get("totals") or {}
    times = figures.get("response_times") or {}
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


# --- What the review saw per service, and against the previous half-year ----------------------
#
# Reports frozen before these figures existed lack their keys: the helpers then return None and
# every reader says "not recorded in this report". A service's figures follow the k-anonymity
# rule by the number of items behind them: its need figures from `min_public_responses()` needs,
# its evaluation figures from as many evaluations; below that the public sees "fewer than k".


def service_reference(row: dict) -> dict[str, str] | None:
    """A service of the figures as the public sees it (None: needs not yet routed to one)."""
    if row.get("service_id") is None:
        return None
    return {
        "code": row.get("slug") or "",
        "name": row.get(f"name_{active_language()}") or row.get("name_ka") or "",
        "name_ka": row.get("name_ka") or "",
        "name_en": row.get("name_en") or "",
    }


def service_label(row: dict) -> tuple[str, str]:
    """The service's name in the reader's language (Georgian as the fallback), and its `lang`."""
    if row.get("service_id") is None:
        return _("Not yet assigned to a service"), ""
    own = row.get(f"name_{active_language()}")
    if own:
        return own, ""
    return row.get("name_ka") or row.get("slug") or "", other_language(settings.LANGUAGE_CODE)


def days_display(value: Any) -> str:
    return formatted(value, 1) if value is not None else ""


def public_services(figures: dict) -> list[dict[str, Any]] | None:
    """Each service's figures of a report, k-anonymous; None when the report has none."""
    rows = figures.get(SERVICES_KEY)
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
                **{
                    key: int(row.get(key) or 0) if needs_shown else None
                    for key in ("needs", "answered", "open", "overdue")
                },
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


def compared_public(
    value: dict | None, shown_now: bool = True, shown_before: bool = True, digits: int = 0
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


def compared_groups(rows: Iterable[dict], prefix: str, code_key: str) -> list[dict[str, Any]]:
    return [
        {
            "code": str(row.get(code_key) or ""),
            "name": localized_name(row, prefix),
            **compared_public(row),
        }
        for row in rows
    ]


def public_comparison(figures: dict) -> dict[str, Any] | None:
    """This half-year against the previous one, k-anonymous; None when the report has none."""
    comparison = figures.get(COMPARISON_KEY)
    if comparison is None:
        return None
    minimum = min_public_responses()
    totals = comparison.get("totals") or {}

    def reaches(metric: dict | None, period: str) -> bool:
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
            comparison.get("categories") or [], "category_", "category__slug"
        ),
        "units": compared_groups(
            comparison.get("units") or [], "administrative_unit_", "administrative_unit__code"
        ),
        "services": services,
    }


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


def public_late_arrivals(figures: dict) -> dict[str, Any] | None:
    """The report's "received after the previous report": counts per earlier period (None when
    there are none, or the figures were frozen before they were counted)."""
    late = figures.get("late_arrivals") or {}
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


def localized_name(row: dict, prefix: str) -> str:
    return str(
        row.get(f"{prefix}_name_{active_language()}")
        or row.get(f"{prefix}_name_{settings.LANGUAGE_CODE}")
        or _("Not specified")
    )


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
    figures: dict, key: str, prefix: str, slug: str, caption: str, heading: str
) -> Chart:
    rows = [
        (localized_name(row, prefix), int(row.get("count") or 0)) for row in figures.get(key) or []
    ]
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
    from feedback_forms.views import PUBLIC_STATUS_TEXT

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
        "report_url": report_url(period_code, page) if report_published else "",
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


# --- Page contexts ----------------------------------------------------------------------------


def report_summary(
    report: ResultsReport, page: ResultsPage | None, request: HttpRequest | None
) -> dict[str, Any]:
    return {
        "report": report,
        "period": report.period,
        "period_label": period_label(report),
        "url": report_url(report.period.code, page, request),
        "totals": public_totals(figures_for(report)),
        "coverage": coverage(report),
    }


def index_context(page: ResultsPage, request: HttpRequest) -> dict[str, Any]:
    """The list of published reports and the latest report's program ratings."""
    reports = [report_summary(report, page, request) for report in published_reports()]
    latest = reports[0] if reports else None
    ratings = public_program_ratings(figures_for(latest["report"])) if latest else []
    return {
        "reports": reports,
        "latest": latest,
        "ratings": ratings,
        "ratings_chart": ratings_chart(ratings),
        "min_responses": min_public_responses(),
        "accountability_url": accountability_url(request),
    }


def report_context(
    page: ResultsPage, request: HttpRequest, report: ResultsReport
) -> dict[str, Any]:
    """Everything the page of one published report shows."""
    figures = figures_for(report)
    totals = public_totals(figures)
    ratings = public_program_ratings(figures)
    commitments = commitments_data(public_commitments().filter(report=report))
    analysis, analysis_lang = in_reader_language(report, "analysis")
    return {
        "report": report,
        "analysis": analysis,
        "analysis_lang": analysis_lang,
        "period": report.period,
        "period_label": period_label(report),
        "totals": totals,
        "ratings": ratings,
        "ratings_chart": ratings_chart(ratings),
        "min_responses": min_public_responses(),
        "category_chart": needs_chart(
            figures,
            "needs_by_category",
            "category_",
            "needs-by-category",
            _("Needs recorded in the period, by category"),
            _("Category"),
        ),
        "unit_chart": needs_chart(
            figures,
            "needs_by_unit",
            "administrative_unit_",
            "needs-by-unit",
            _("Needs recorded in the period, by administrative unit"),
            _("Administrative unit"),
        ),
        "response_chart": response_times_chart(totals),
        "services": public_services(figures),
        "comparison": public_comparison(figures),
        "services_present": list(report.services_present.order_by("sort_order", "name_ka")),
        "commitments": commitments,
        "coverage": coverage(report),
        "late_arrivals": public_late_arrivals(figures),
        "arrived_after": arrived_after(report, page),
        "index_url": page.get_url(request=request),
        "accountability_url": accountability_url(request),
    }


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
