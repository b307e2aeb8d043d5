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
    QuerySet,
    Value,
    Window,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Greatest, RowNumber
from django.utils import timezone

from feedback_forms.models import (
    HIDDEN_STATUSES,
    Channel,
    Evaluation,
    EvaluationFormField,
    Need,
    Status,
)
from feedback_forms.periods import previous_period
from feedback_forms.workflow import ANSWERED, OPEN
from programs.models import MunicipalService

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


def staff_entered(code: str) -> dict[str, int]:
    """Counted submissions that staff entered on a resident's behalf, by channel (Art. 4.1: a
    reader can tell how much of a figure came through City Hall's own hands)."""
    counts = dict.fromkeys((c for c in Channel.values if c != Channel.ONLINE), 0)
    for model in (Evaluation, Need):
        rows = (
            model.objects.visible()
            .in_period(code)
            .exclude(channel=Channel.ONLINE)
            .order_by()
            .values("channel")
            .annotate(count=Count("pk"))
        )
        for row in rows:
            counts[row["channel"]] = counts.get(row["channel"], 0) + row["count"]
    return {"total": sum(counts.values()), **counts}


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
            "staff_entered": staff_entered(code),
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
    figures.update(review_figures(code, today))
    return json_safe(figures)


# --- What the review meeting needs (Art. 4.6): per service, and against the previous half-year.
#
# Added as new keys of the figures ("services", "comparison"), so a report frozen before they
# existed simply lacks them; every reader says "not recorded in this report" then.

#: The keys `review_figures` adds to a report's figures.
SERVICES_KEY = "services"
COMPARISON_KEY = "comparison"
NO_TIME = datetime.timedelta(0)


def answer_durations(needs: QuerySet) -> QuerySet:
    """The answered needs of a queryset with `duration` = answered_at - created_at, never below
    zero (a clock or data error must not publish a negative time to answer)."""
    elapsed = ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
    return needs.filter(status__in=ANSWERED, answered_at__isnull=False).annotate(
        duration=Greatest(elapsed, Value(NO_TIME, output_field=DurationField()))
    )


def median_days_by(needs: QuerySet, group: str | None = None) -> dict[Any, float]:
    """The median days to answer of each group of a queryset (one key, None, without a group).

    One SQL query: ROW_NUMBER and COUNT over each group's durations pick the middle row (odd
    count) or the middle two (even count); Python only averages those one or two picks.
    Groups without an answered need are absent from the result.
    """
    partition = [F(group)] if group else None
    ranked = (
        answer_durations(needs)
        .annotate(
            position=Window(
                RowNumber(), partition_by=partition, order_by=[F("duration").asc(), F("pk").asc()]
            ),
            size=Window(Count("pk"), partition_by=partition),
        )
        # 2 * position - size is 0 or 1 for the middle row(s), 2 for the upper middle of an even
        # group: positions (size + 1) / 2 when odd, size / 2 and size / 2 + 1 when even.
        .annotate(offset=F("position") * 2 - F("size"))
        .filter(offset__gte=0, offset__lte=2)
        .order_by()
    )
    picks: dict[Any, list[datetime.timedelta]] = {}
    for key, duration in ranked.values_list(group or "size", "duration"):
        picks.setdefault(key if group else None, []).append(duration)
    return {
        key: round(sum(d.total_seconds() for d in durations) / len(durations) / 86400, 1)
        for key, durations in picks.items()
    }


def median_days(needs: QuerySet) -> float | None:
    """The median days to answer of a queryset of needs (None when none was answered)."""
    return median_days_by(needs).get(None)


def need_counts(today: datetime.date) -> dict:
    """Received, answered, open and overdue as conditional counts (aggregate kwargs)."""
    return {
        "needs": Count("pk"),
        "answered": Count("pk", filter=Q(status__in=ANSWERED)),
        "open": Count("pk", filter=Q(status__in=OPEN)),
        "overdue": Count("pk", filter=Q(status__in=OPEN, due_date__lt=today)),
    }


def evaluation_counts() -> dict:
    return {
        "evaluations": Count("pk"),
        "low_rated": Count("pk", filter=Q(overall_rating__lte=LOW_RATING)),
    }


def service_figures(code: str, today: datetime.date) -> list[dict]:
    """Per responsible service: needs received, answered, open, overdue, the median days to
    answer, and the evaluations of its programs with how many were low (1-2).

    Needs count for the service they are routed to; evaluations for the program's responsible
    service copied onto each evaluation when it was made. Every service is listed (a service
    with nothing this half-year is a fact for the meeting too), then, when there are any, the
    needs not yet routed to a service and the evaluations of programs without one.
    """
    needs = Need.objects.visible().in_period(code)
    by_need = {
        row["service_id"]: row
        for row in needs.order_by().values("service_id").annotate(**need_counts(today))
    }
    medians = median_days_by(needs, "service_id")
    by_evaluation = {
        row["service_id"]: row
        for row in Evaluation.objects.visible()
        .in_period(code)
        .order_by()
        .values("service_id")
        .annotate(**evaluation_counts())
    }
    services = list(
        MunicipalService.objects.order_by("sort_order", "name_ka").values(
            "pk", "slug", "name_ka", "name_en"
        )
    )
    if None in by_need or None in by_evaluation:
        services.append({"pk": None, "slug": "", "name_ka": "", "name_en": ""})
    rows = []
    for service in services:
        counts = by_need.get(service["pk"], {})
        rated = by_evaluation.get(service["pk"], {})
        evaluations = rated.get("evaluations", 0)
        rows.append(
            {
                "service_id": service["pk"],
                "slug": service["slug"],
                "name_ka": service["name_ka"],
                "name_en": service["name_en"],
                **{key: counts.get(key, 0) for key in ("needs", "answered", "open", "overdue")},
                "median_days": medians.get(service["pk"]),
                "evaluations": evaluations,
                "low_rated": rated.get("low_rated", 0),
                "low_share": share(rated.get("low_rated", 0), evaluations),
            }
        )
    return rows


def period_totals(code: str, today: datetime.date) -> dict:
    """The headline figures of one period, in the same definitions as the per-service ones."""
    needs = Need.objects.visible().in_period(code)
    evaluations = (
        Evaluation.objects.visible()
        .in_period(code)
        .aggregate(mean=Avg("overall_rating"), **evaluation_counts())
    )
    counts = needs.aggregate(**need_counts(today))
    return {
        "evaluations": evaluations["evaluations"],
        "mean_rating": rounded(evaluations["mean"]),
        "low_rated": evaluations["low_rated"],
        "low_share": share(evaluations["low_rated"], evaluations["evaluations"]),
        **counts,
        "median_days": median_days(needs),
    }


def compared(current: Any, previous: Any, digits: int | None = None) -> dict:
    """This period, the previous one and the change (None unless both are known)."""
    change = None
    if current is not None and previous is not None:
        change = current - previous
        if digits is not None:
            change = round(change, digits)
    return {"current": current, "previous": previous, "change": change}


#: How a compared figure's change is rounded: counts exactly, means and days like the figures.
CHANGE_DIGITS = {"mean_rating": 2, "low_share": 4, "median_days": 1}


def compared_rows(current: dict, previous: dict, metrics: tuple[str, ...]) -> dict:
    return {
        metric: compared(current.get(metric), previous.get(metric), CHANGE_DIGITS.get(metric))
        for metric in metrics
    }


def compared_counts(code: str, previous: str, *fields: str) -> list[dict]:
    """Visible needs per group in this and the previous period; groups of either period,
    largest first now, then largest before."""
    counts: dict[tuple, dict] = {}
    for period, key in ((code, "current"), (previous, "previous")):
        for row in grouped_needs(period, *fields):
            group = tuple(row[field] for field in fields)
            entry = counts.setdefault(group, {field: row[field] for field in fields})
            entry[key] = row["count"]
    rows = [
        compared(row.pop("current", 0), row.pop("previous", 0)) | row for row in counts.values()
    ]
    return sorted(
        rows, key=lambda row: (-row["current"], -row["previous"], str(row.get(fields[0])))
    )


TOTAL_METRICS = (
    "evaluations",
    "mean_rating",
    "low_rated",
    "low_share",
    "needs",
    "answered",
    "open",
    "overdue",
    "median_days",
)
SERVICE_METRICS = (
    "needs",
    "answered",
    "open",
    "overdue",
    "median_days",
    "evaluations",
    "low_rated",
    "low_share",
)


#: A service's figures in a period where nothing reached it: counts 0, no median, no share.
NOTHING_COUNTED = {
    "needs": 0,
    "answered": 0,
    "open": 0,
    "overdue": 0,
    "median_days": None,
    "evaluations": 0,
    "low_rated": 0,
    "low_share": None,
}


def comparison_figures(code: str, today: datetime.date, services: list[dict] | None = None) -> dict:
    """This half-year against the previous one: totals, needs per category and administrative
    unit, and every service's figures. Both periods are counted now, by the same definitions
    (so needs that arrived late for the previous period are in its figures here)."""
    previous = previous_period(code)
    services = services if services is not None else service_figures(code, today)
    before = {row["service_id"]: row for row in service_figures(previous, today)}
    service_rows = []
    for row in services:
        earlier = before.pop(row["service_id"], NOTHING_COUNTED)
        service_rows.append(
            {
                **{key: row[key] for key in ("service_id", "slug", "name_ka", "name_en")},
                **compared_rows(row, earlier, SERVICE_METRICS),
            }
        )
    for row in before.values():  # e.g. needs without a service only in the previous period
        service_rows.append(
            {
                **{key: row[key] for key in ("service_id", "slug", "name_ka", "name_en")},
                **compared_rows(NOTHING_COUNTED, row, SERVICE_METRICS),
            }
        )
    return {
        "previous_period": previous,
        "totals": compared_rows(
            period_totals(code, today), period_totals(previous, today), TOTAL_METRICS
        ),
        "categories": compared_counts(
            code, previous, "category__slug", "category__name_ka", "category__name_en"
        ),
        "units": compared_counts(
            code,
            previous,
            "administrative_unit__code",
            "administrative_unit__name_ka",
            "administrative_unit__name_en",
        ),
        "services": service_rows,
    }


def review_figures(code: str, today: datetime.date) -> dict:
    """The figures the mayor's review with the services needs, as new keys of a report."""
    services = service_figures(code, today)
    return json_safe(
        {SERVICES_KEY: services, COMPARISON_KEY: comparison_figures(code, today, services)}
    )
