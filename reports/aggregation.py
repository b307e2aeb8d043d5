"""The figures of a results report, computed in the database (GROUP BY and conditional counts).

Nothing here loops over submissions in Python: every number is one aggregate query, and the only
Python work is merging a handful of already-aggregated rows (one per program, category, place).
The result is plain JSON, so a sent report can freeze it unchanged.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    Q,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from feedback_forms.models import HIDDEN_STATUSES, Evaluation, EvaluationFormField, Need, Status
from feedback_forms.periods import previous_period
from feedback_forms.workflow import ANSWERED, OPEN

LOW_RATING = 2
RATINGS = (1, 2, 3, 4, 5)
TOP_NEEDS = 10


def rounded(value: Any, digits: int = 2) -> float | None:
    if value is None:
        return None
    return round(float(value), digits)


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rating_aggregates(expression, prefix: str = "") -> dict:
    """Count, mean and the 1-5 distribution of one rating expression, as aggregate kwargs."""
    aggregates = {f"{prefix}mean": Avg(expression)}
    for rating in RATINGS:
        aggregates[f"{prefix}r{rating}"] = Count("pk", filter=Q(**{f"{prefix}value": rating}))
    return aggregates


def overall_by_program(code: str) -> dict[int, dict]:
    rows = (
        Evaluation.objects.visible()
        .in_period(code)
        .exclude(program__isnull=True)
        .values("program_id")
        .annotate(
            title=Max("program_title"),
            count=Count("pk"),
            verified=Count("pk", filter=Q(verified=True)),
            mean=Avg("overall_rating"),
            low=Count("pk", filter=Q(overall_rating__lte=LOW_RATING)),
            category=Max("category__slug"),
            service=Max("service__name_ka"),
            **{f"r{rating}": Count("pk", filter=Q(overall_rating=rating)) for rating in RATINGS},
        )
    )
    return {row["program_id"]: row for row in rows}


def rating_questions() -> list[tuple[str, str]]:
    """The editors' rating questions (stable name, Georgian label), across all forms."""
    rows = (
        EvaluationFormField.objects.filter(field_type="rating", page__locale__language_code="ka")
        .values("clean_name")
        .annotate(label=Max("label"))
        .order_by("clean_name")
    )
    return [(row["clean_name"], row["label"]) for row in rows]


def extra_question_figures(code: str) -> dict[int, list[dict]]:
    """Mean and distribution of each extra rating question, per program (JSON keys, in SQL)."""
    by_program: dict[int, list[dict]] = {}
    for name, label in rating_questions():
        value = Cast(KT(f"answers__{name}"), FloatField())
        rows = (
            Evaluation.objects.visible()
            .in_period(code)
            .exclude(program__isnull=True)
            .filter(**{"answers__has_key": name})
            .annotate(value=value)
            .values("program_id")
            .annotate(count=Count("pk"), **rating_aggregates(F("value")))
        )
        for row in rows:
            by_program.setdefault(row["program_id"], []).append(
                {
                    "name": name,
                    "label": label,
                    "count": row["count"],
                    "mean": rounded(row["mean"]),
                    "distribution": {str(r): row[f"r{r}"] for r in RATINGS},
                }
            )
    return by_program


def program_figures(code: str) -> list[dict]:
    current = overall_by_program(code)
    previous = overall_by_program(previous_period(code))
    extra = extra_question_figures(code)
    figures = []
    for program_id, row in sorted(current.items(), key=lambda item: -item[1]["count"]):
        before = previous.get(program_id)
        mean = rounded(row["mean"])
        previous_mean = rounded(before["mean"]) if before else None
        figures.append(
            {
                "program_id": program_id,
                "title": row["title"],
                "category": row["category"],
                "service": row["service"],
                "count": row["count"],
                "verified": row["verified"],
                "verified_share": share(row["verified"], row["count"]),
                "mean": mean,
                "distribution": {str(r): row[f"r{r}"] for r in RATINGS},
                "low_count": row["low"],
                "low_share": share(row["low"], row["count"]),
                "previous_count": before["count"] if before else 0,
                "previous_mean": previous_mean,
                "mean_change": rounded(mean - previous_mean) if before else None,
                "questions": extra.get(program_id, []),
            }
        )
    return figures


def grouped_needs(code: str, *fields: str, order: str = "-count") -> list[dict]:
    return list(
        Need.objects.visible()
        .in_period(code)
        .values(*fields)
        .annotate(count=Count("pk"))
        .order_by(order, *fields)
    )


def needs_by_status(code: str) -> list[dict]:
    rows = Need.objects.in_period(code).values("status").annotate(count=Count("pk"))
    counts = {row["status"]: row["count"] for row in rows}
    return [
        {"status": status, "label": str(Status(status).label), "count": counts.get(status, 0)}
        for status in Status.values
    ]


def median_days_to_answer(code: str) -> float | None:
    """The median of answered_at - created_at, picked by ORDER BY and OFFSET in SQL.

    Only durations that cannot be negative are measured (answered at or after the submission;
    the database refuses anything else), so the median never is."""
    answered = (
        Need.objects.visible()
        .in_period(code)
        .filter(status__in=ANSWERED, answered_at__gte=F("created_at"))
        .annotate(duration=ExpressionWrapper(F("answered_at") - F("created_at"), DurationField()))
        .order_by("duration")
    )
    total = answered.count()
    if not total:
        return None
    middle = total // 2
    picks = list(
        answered.values_list("duration", flat=True)[middle - (total % 2 == 0) : middle + 1]
    )
    seconds = sum(duration.total_seconds() for duration in picks) / len(picks)
    return round(seconds / 86400, 1)


def response_times(code: str, today: datetime.date) -> dict:
    needs = Need.objects.visible().in_period(code)
    counts = needs.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(status__in=ANSWERED)),
        open=Count("pk", filter=Q(status__in=OPEN)),
        overdue=Count("pk", filter=Q(status__in=OPEN, due_date__lt=today)),
    )
    return {**counts, "median_days": median_days_to_answer(code)}


def top_needs(code: str) -> list[dict]:
    rows = (
        Need.objects.visible()
        .in_period(code)
        .values(
            "category__slug",
            "category__name_ka",
            "category__name_en",
            "settlement__name_ka",
            "settlement__name_en",
            "administrative_unit__code",
        )
        .annotate(count=Count("pk"), example=Min("title"))
        .order_by("-count", "category__slug", "settlement__name_ka")[:TOP_NEEDS]
    )
    return list(rows)


def late_arrivals(code: str) -> dict:
    """Submissions "received after the previous report": made for an earlier period whose
    report was already sent (after an interim report, or a paper form entered later for an
    earlier day), counted here so that none falls outside every report. See
    `SubmissionQuerySet.received_late_for` and `reports.workflow.count_submissions`."""
    from reports.models import ResultsReport

    frozen = ResultsReport.objects.frozen_period_codes_before(code)
    evaluations = dict(
        Evaluation.objects.visible()
        .received_late_for(code, frozen)
        .values("reporting_period")
        .annotate(count=Count("pk"))
        .values_list("reporting_period", "count")
    )
    needs = {
        row["reporting_period"]: row
        for row in Need.objects.received_late_for(code, frozen)
        .values("reporting_period")
        .annotate(
            visible=Count("pk", filter=~Q(status__in=HIDDEN_STATUSES)),
            hidden=Count("pk", filter=Q(status__in=HIDDEN_STATUSES)),
        )
    }
    by_period = [
        {
            "period": period,
            "evaluations": evaluations.get(period, 0),
            "needs": needs[period]["visible"] if period in needs else 0,
            "hidden": needs[period]["hidden"] if period in needs else 0,
        }
        for period in sorted(set(evaluations) | set(needs))
    ]
    return {
        "evaluations": sum(row["evaluations"] for row in by_period),
        "needs": sum(row["needs"] for row in by_period),
        "hidden": sum(row["hidden"] for row in by_period),
        "by_period": by_period,
    }


def json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def compute_figures(code: str, today: datetime.date | None = None) -> dict:
    """Every figure of a period's report, ready to show, export or freeze."""
    today = today or timezone.localdate()
    evaluations = Evaluation.objects.visible().in_period(code)
    totals = evaluations.aggregate(
        evaluations=Count("pk"),
        verified=Count("pk", filter=Q(verified=True)),
        mean=Avg("overall_rating"),
        low=Count("pk", filter=Q(overall_rating__lte=LOW_RATING)),
    )
    needs_total = Need.objects.visible().in_period(code).count()
    figures = {
        "period": code,
        "previous_period": previous_period(code),
        "computed_on": today.isoformat(),
        "totals": {
            "evaluations": totals["evaluations"],
            "verified_share": share(totals["verified"], totals["evaluations"]),
            "mean_rating": rounded(totals["mean"]),
            "low_share": share(totals["low"], totals["evaluations"]),
            "needs": needs_total,
            "hidden": Need.objects.in_period(code).count() - needs_total,
        },
        "programs": program_figures(code),
        "needs_by_category": grouped_needs(
            code, "category__slug", "category__name_ka", "category__name_en"
        ),
        "needs_by_unit": grouped_needs(
            code,
            "administrative_unit__code",
            "administrative_unit__name_ka",
            "administrative_unit__name_en",
        ),
        "needs_by_settlement": grouped_needs(
            code,
            "administrative_unit__code",
            "settlement__name_ka",
            "settlement__name_en",
        ),
        "needs_by_status": needs_by_status(code),
        "response_times": response_times(code, today),
        "top_needs": top_needs(code),
        "late_arrivals": late_arrivals(code),
    }
    return json_safe(figures)
