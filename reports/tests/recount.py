"""The figures of a report recounted in plain Python, row by row, from the written definitions.

The SQL aggregation (`reports.aggregation.compute_figures`) must agree with this on any data:
the property-based tests generate submissions and compare both, and the demo's own test
recounts the demo with it. Nothing here is clever on purpose: it loads every row and counts.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from typing import Any

from feedback_forms.models import (
    HIDDEN_STATUSES,
    Evaluation,
    EvaluationFormField,
    FixCheck,
    Need,
    Status,
)
from feedback_forms.periods import period_bounds, previous_period
from programs.models import Invitation, ProgramPage
from reports.models import ResultsReport

ANSWERED = {Status.PLANNED, Status.RESOLVED, Status.DECLINED}
OPEN = {Status.NEW, Status.ASSIGNED, Status.IN_REVIEW}
HIDDEN = set(HIDDEN_STATUSES)
RATINGS = ("1", "2", "3", "4", "5")
LOW_RATING = 2


def rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def distribution(values: list[float]) -> dict[str, int]:
    counts = Counter(values)
    return {rating: counts.get(int(rating), 0) for rating in RATINGS}


def program_rows(code: str) -> dict[int, dict[str, Any]]:
    evaluations = [
        evaluation
        for evaluation in Evaluation.objects.filter(reporting_period=code).select_related(
            "category", "service"
        )
        if evaluation.status not in HIDDEN and evaluation.program_id is not None
    ]
    by_program: dict[int, list[Evaluation]] = defaultdict(list)
    for evaluation in evaluations:
        by_program[evaluation.program_id].append(evaluation)
    return by_program


def rating_question_names() -> dict[str, str]:
    labels: dict[str, list[str]] = defaultdict(list)
    for field in EvaluationFormField.objects.filter(
        field_type="rating", page__locale__language_code="ka"
    ):
        labels[field.clean_name].append(field.label)
    return {name: max(values) for name, values in sorted(labels.items())}


def programs(code: str) -> dict[int, dict[str, Any]]:
    current = program_rows(code)
    previous = program_rows(previous_period(code))
    questions = rating_question_names()
    result = {}
    for program_id, rows in current.items():
        ratings = [row.overall_rating for row in rows]
        verified = sum(row.verified for row in rows)
        low = sum(rating <= LOW_RATING for rating in ratings)
        before = [row.overall_rating for row in previous.get(program_id, [])]
        program_mean = rounded(mean(ratings))
        previous_mean = rounded(mean(before)) if before else None
        extra = []
        for name, label in questions.items():
            answers = [float(row.answers[name]) for row in rows if name in row.answers]
            if answers:
                extra.append(
                    {
                        "name": name,
                        "label": label,
                        "count": len(answers),
                        "mean": rounded(mean(answers)),
                        "distribution": distribution(answers),
                    }
                )
        result[program_id] = {
            "program_id": program_id,
            "title": max(row.program_title for row in rows),
            "category": max((row.category.slug for row in rows if row.category), default=None),
            "service": max((row.service.name_ka for row in rows if row.service), default=None),
            "count": len(rows),
            "verified": verified,
            "verified_share": share(verified, len(rows)),
            "mean": program_mean,
            "distribution": distribution(ratings),
            "low_count": low,
            "low_share": share(low, len(rows)),
            "previous_count": len(before),
            "previous_mean": previous_mean,
            "mean_change": rounded(program_mean - previous_mean) if before else None,
            "questions": extra,
        }
    return result


def grouped(needs: list[Need], key) -> Counter:
    return Counter(key(need) for need in needs)


def median_days(needs: list[Need]) -> float | None:
    durations = [
        (need.answered_at - need.created_at).total_seconds()
        for need in needs
        if need.status in ANSWERED
        and need.answered_at is not None
        and need.answered_at >= need.created_at
    ]
    if not durations:
        return None
    return round(statistics.median(durations) / 86400, 1)


def late_arrivals(code: str) -> dict[str, Any]:
    frozen = set(ResultsReport.objects.frozen_period_codes_before(code))

    def is_late(submission) -> bool:
        return submission.reporting_period != code and (
            submission.reported_in == code
            or (submission.reported_in == "" and submission.reporting_period in frozen)
        )

    evaluations = Counter(
        evaluation.reporting_period
        for evaluation in Evaluation.objects.all()
        if is_late(evaluation) and evaluation.status not in HIDDEN
    )
    needs = Counter()
    hidden = Counter()
    for need in Need.objects.all():
        if is_late(need):
            (hidden if need.status in HIDDEN else needs)[need.reporting_period] += 1
    by_period = [
        {
            "period": period,
            "evaluations": evaluations.get(period, 0),
            "needs": needs.get(period, 0),
            "hidden": hidden.get(period, 0),
        }
        for period in sorted(set(evaluations) | set(needs) | set(hidden))
    ]
    return {
        "evaluations": sum(evaluations.values()),
        "needs": sum(needs.values()),
        "hidden": sum(hidden.values()),
        "by_period": by_period,
    }


def staff_entered(evaluations: list, needs: list) -> dict[str, int]:
    """Counted submissions entered by staff (not online), by channel."""
    channels = Counter(item.channel for item in [*evaluations, *needs] if item.channel != "online")
    by_channel = {channel: channels.get(channel, 0) for channel in ("phone", "visit", "paper")}
    return {"total": sum(by_channel.values()), **by_channel}


def settlement_names(need: Need) -> tuple[str, str]:
    """A need's settlement in both languages; a place not in the list counts as its unit's
    "other places" (README, "Needs of places not in the list")."""
    if need.settlement is None:
        return (
            "სხვა ადგილები ამ ადმინისტრაციულ ერთეულში",
            "Other places in this administrative unit",
        )
    return (need.settlement.name_ka, need.settlement.name_en)


def fix_checks(code: str) -> dict[Any, dict[str, Any]]:
    """ "Is it fixed?" per service of the need: every question about a counted need of the
    period, by its answer."""
    rows: dict[Any, dict[str, Any]] = {}
    for check in FixCheck.objects.select_related("need"):
        need = check.need
        if need.reporting_period != code or need.status in HIDDEN:
            continue
        row = rows.setdefault(
            need.service_id, {"asked": 0, "answered": 0, "fixed": 0, "not_fixed": 0}
        )
        row["asked"] += 1
        row["answered"] += check.answer != ""
        row["fixed"] += check.answer == "fixed"
        row["not_fixed"] += check.answer == "not_fixed"
    for row in rows.values():
        row["fixed_share"] = share(row["fixed"], row["answered"])
    return rows


def invitations(code: str) -> dict[int, dict[str, Any]]:
    """Per program: invitations sent on a day of the period; evaluations of the period made
    with a code, and those of them verified and not hidden."""
    start, end = period_bounds(code)
    result: dict[int, dict[str, Any]] = {}

    def row(program_id: int) -> dict[str, Any]:
        return result.setdefault(
            program_id,
            {"program_id": program_id, "invited": 0, "responded": 0, "verified": 0},
        )

    for invitation in Invitation.objects.all():
        if invitation.sent_on is not None and start <= invitation.sent_on <= end:
            row(invitation.program_id)["invited"] += 1
    for evaluation in Evaluation.objects.filter(reporting_period=code).select_related("invitation"):
        if evaluation.invitation is None:
            continue
        counts = row(evaluation.invitation.program_id)
        counts["responded"] += 1
        if evaluation.verified and evaluation.status not in HIDDEN:
            counts["verified"] += 1
    for counts in result.values():
        counts["response_share"] = share(counts["responded"], counts["invited"])
        counts["title"] = ProgramPage.objects.get(pk=counts["program_id"]).title
    return result


def recount(code: str, today: datetime.date) -> dict[str, Any]:
    """Every figure of `compute_figures(code, today)`, by its definition."""
    all_needs = list(
        Need.objects.filter(reporting_period=code).select_related(
            "category", "administrative_unit", "settlement"
        )
    )
    needs = [need for need in all_needs if need.status not in HIDDEN]
    evaluations = [
        evaluation
        for evaluation in Evaluation.objects.filter(reporting_period=code)
        if evaluation.status not in HIDDEN
    ]
    ratings = [evaluation.overall_rating for evaluation in evaluations]
    verified = sum(evaluation.verified for evaluation in evaluations)
    low = sum(rating <= LOW_RATING for rating in ratings)
    category = grouped(needs, lambda n: (n.category.slug, n.category.name_ka, n.category.name_en))
    unit = grouped(
        needs,
        lambda n: (
            n.administrative_unit.code,
            n.administrative_unit.name_ka,
            n.administrative_unit.name_en,
        ),
    )
    settlement = grouped(needs, lambda n: (n.administrative_unit.code, *settlement_names(n)))
    top_key = grouped(
        needs,
        lambda n: (
            n.category.slug,
            n.category.name_ka,
            n.category.name_en,
            *settlement_names(n),
            n.administrative_unit.code,
        ),
    )
    examples: dict[tuple, str] = {}
    for need in needs:
        key = (
            need.category.slug,
            need.category.name_ka,
            need.category.name_en,
            *settlement_names(need),
            need.administrative_unit.code,
        )
        examples[key] = min(examples.get(key, need.title), need.title)
    statuses = Counter(need.status for need in all_needs)
    open_needs = [need for need in needs if need.status in OPEN]
    return {
        "period": code,
        "previous_period": previous_period(code),
        "computed_on": today.isoformat(),
        "totals": {
            "evaluations": len(evaluations),
            "verified_share": share(verified, len(evaluations)),
            "mean_rating": rounded(mean(ratings)),
            "low_share": share(low, len(evaluations)),
            "needs": len(needs),
            "hidden": len(all_needs) - len(needs),
            "staff_entered": staff_entered(evaluations, needs),
        },
        "programs": programs(code),
        "needs_by_category": {("slug", "name_ka", "name_en"): category},
        "needs_by_unit": {("code", "name_ka", "name_en"): unit},
        "needs_by_settlement": {("unit_code", "name_ka", "name_en"): settlement},
        "needs_by_status": {status: statuses.get(status, 0) for status in Status.values},
        "response_times": {
            "total": len(needs),
            "answered": sum(need.status in ANSWERED for need in needs),
            "open": len(open_needs),
            "overdue": sum(
                need.due_date is not None and need.due_date < today for need in open_needs
            ),
            "median_days": median_days(needs),
        },
        "top_needs": (top_key, examples),
        "late_arrivals": late_arrivals(code),
        "fix_checks": fix_checks(code),
        "invitations": invitations(code),
    }


def assert_grouping_agrees(rows: list[dict], expected: dict[tuple, Counter]) -> None:
    """Same groups with the same counts, listed by count, largest first."""
    ((fields, counts),) = expected.items()
    assert {tuple(row[field] for field in fields): row["count"] for row in rows} == dict(counts)
    assert [row["count"] for row in rows] == sorted((row["count"] for row in rows), reverse=True)


def assert_figures_agree(figures: dict[str, Any], expected: dict[str, Any]) -> None:
    """Every figure `compute_figures` produces equals its plain recount."""
    for key in ("period", "previous_period", "computed_on", "totals", "response_times"):
        assert figures[key] == expected[key], key
    assert figures["late_arrivals"] == expected["late_arrivals"]
    fixed = {row["service_id"]: row for row in figures["fix_checks"]}
    assert {
        service: {
            key: row[key] for key in ("asked", "answered", "fixed", "not_fixed", "fixed_share")
        }
        for service, row in fixed.items()
    } == expected["fix_checks"]
    assert [row["service_id"] is None for row in figures["fix_checks"]] == sorted(
        row["service_id"] is None for row in figures["fix_checks"]
    )
    if "invitations" in expected:
        assert {row["program_id"]: row for row in figures["invitations"]} == expected["invitations"]
        invited = [row["invited"] for row in figures["invitations"]]
        assert invited == sorted(invited, reverse=True)
    by_program = {row["program_id"]: row for row in figures["programs"]}
    assert by_program == expected["programs"]
    counts = [row["count"] for row in figures["programs"]]
    assert counts == sorted(counts, reverse=True)
    for key in ("needs_by_category", "needs_by_unit", "needs_by_settlement"):
        assert_grouping_agrees(figures[key], expected[key])
    assert {row["status"]: row["count"] for row in figures["needs_by_status"]} == expected[
        "needs_by_status"
    ]
    assert [row["status"] for row in figures["needs_by_status"]] == list(Status.values)
    top_counts, examples = expected["top_needs"]
    top = figures["top_needs"]
    assert len(top) == min(10, len(top_counts))
    for row in top:
        category, settlement = row["category"], row["settlement"]
        key = (
            category["slug"],
            category["name_ka"],
            category["name_en"],
            settlement["name_ka"],
            settlement["name_en"],
            row["unit_code"],
        )
        assert row["count"] == top_counts[key] and row["example"] == examples[key]
    shown = [row["count"] for row in top]
    assert shown == sorted(top_counts.values(), reverse=True)[: len(shown)]
