"""Evaluation figures per program: the overall rating, its distribution and its change since
the previous period, the extra rating questions, and how many invited beneficiaries responded."""

from django.db.models import Count, Max, Q

from feedback_forms.models import HIDDEN_STATUSES, Evaluation, EvaluationFormField
from feedback_forms.periods import period_bounds, previous_period
from programs.models import Invitation, MunicipalService, ProgramCategory, ProgramPage
from reports.aggregation.answers import AnswerAsJson, answer_read
from reports.aggregation.common import LOW_RATING, RATINGS, rounded, share
from reports.aggregation.named_groups import names_by_id

#: What one pass over a period's counted evaluations groups by: every evaluation figure (the
#: totals, staff-entered channels, programs, services, the previous period's comparison) is a
#: sum over these groups, so the table is read once per period instead of once per figure.
GROUP_KEYS = ("program_id", "service_id", "channel", "verified", "overall_rating")
#: Also grouped by, for the names the figures show: the evaluation's own copy of its program's
#: title and category. Ids and a column of the row, not the joined names, so the pass reads
#: nothing but the index `figures_evaluation_period_idx` (PostgreSQL: an index-only scan;
#: SQLite: a covering index) and joins no table row by row.
NAME_KEYS = ("category_id", "program_title")
#: Per program, the names the figures show: the greatest of each (as SQL's MAX compares them).
NAME_MAXIMA = {
    "title": "program_title",
    "category": "category__slug",
    "service": "service__name_ka",
}


def rating_questions() -> list[tuple[str, str]]:
    """The editors' rating questions (stable name, Georgian label), across all forms."""
    rows = (
        EvaluationFormField.objects.filter(field_type="rating", page__locale__language_code="ka")
        .values("clean_name")
        .annotate(label=Max("label"))
        .order_by("clean_name")
    )
    return [(row["clean_name"], row["label"]) for row in rows]


def evaluation_groups(code: str) -> list[dict]:
    """The period's counted evaluations in one aggregate query, grouped by `GROUP_KEYS` and
    `NAME_KEYS` (the order of the index `figures_evaluation_period_idx`, which answers it
    alone), with each group's title, category and service names. Every evaluation figure of
    the period but the extra questions is summed from these rows (a few hundred: programs x
    channels x verified x 5 ratings, more only where a program was renamed or moved)."""
    groups = list(
        Evaluation.objects.visible()
        .in_period(code)
        .order_by()
        .values(*GROUP_KEYS, *NAME_KEYS)
        .annotate(count=Count("*"))
    )
    categories = names_by_id(ProgramCategory, ["slug"])
    services = names_by_id(MunicipalService, ["name_ka"])
    for row in groups:
        row["title"] = row["program_title"]
        row["category"] = categories.get(row["category_id"], {}).get("slug")
        row["service"] = services.get(row["service_id"], {}).get("name_ka")
    return groups


def question_groups(code: str, questions: list[tuple[str, str]]) -> list[dict]:
    """The period's counted evaluations of programs, in one query grouped by program and by
    each extra rating question's answer, each read from the JSON once per row
    (`answers.AnswerAsJson`); per group, `q<n>_has` (answered) and `q<n>_value` (its number,
    or None). The groups are few: a form's answers are 1-5."""
    if not questions:
        return []
    raw = {f"q{number}": AnswerAsJson(name) for number, (name, _label) in enumerate(questions)}
    rows = (
        Evaluation.objects.visible()
        .in_period(code)
        .exclude(program__isnull=True)
        .order_by()
        .annotate(**raw)
        .values("program_id", *raw)
        .annotate(count=Count("*"))
    )
    groups = []
    for row in rows:
        group = {"program_id": row["program_id"], "count": row["count"]}
        for key in raw:
            group[f"{key}_has"], group[f"{key}_value"] = answer_read(row[key])
        groups.append(group)
    return groups


def name_maxima(code: str, program_ids: list[int]) -> dict[int, dict]:
    """The names of programs whose groups disagree (a program renamed or moved during the
    period): their greatest names as the database orders text, not as Python does."""
    if not program_ids:
        return {}
    rows = (
        Evaluation.objects.visible()
        .in_period(code)
        .filter(program_id__in=program_ids)
        .order_by()
        .values("program_id")
        .annotate(**{key: Max(field) for key, field in NAME_MAXIMA.items()})
    )
    return {row["program_id"]: row for row in rows}


def overall_by_program(code: str, groups: list[dict] | None = None) -> dict[int, dict]:
    """Per program: count, verified, mean, low, the 1-5 distribution and its names, summed
    from the period's groups (`evaluation_groups`)."""
    groups = evaluation_groups(code) if groups is None else groups
    programs: dict[int, dict] = {}
    names: dict[int, dict[str, set]] = {}
    for group in groups:
        program_id = group["program_id"]
        if program_id is None:
            continue
        row = programs.setdefault(
            program_id,
            {"program_id": program_id, "count": 0, "verified": 0, "low": 0, "sum": 0}
            | {f"r{rating}": 0 for rating in RATINGS},
        )
        count, rating = group["count"], group["overall_rating"]
        row["count"] += count
        row["verified"] += count if group["verified"] else 0
        row["low"] += count if rating <= LOW_RATING else 0
        row["sum"] += rating * count
        row[f"r{rating}"] += count
        seen = names.setdefault(program_id, {key: set() for key in NAME_MAXIMA})
        for key in NAME_MAXIMA:
            if group[key] is not None:
                seen[key].add(group[key])
    disagreeing = [pk for pk, seen in names.items() if any(len(v) > 1 for v in seen.values())]
    exact = name_maxima(code, disagreeing)
    for program_id, row in programs.items():
        row["mean"] = row["sum"] / row["count"]
        for key, values in names[program_id].items():
            row[key] = exact[program_id][key] if program_id in exact else next(iter(values), None)
    return programs


def extra_question_figures(
    code: str,
    groups: list[dict] | None = None,
    questions: list[tuple[str, str]] | None = None,
) -> dict[int, list[dict]]:
    """Mean and distribution of each extra rating question, per program, summed from the
    period's `question_groups` (as AVG takes it: the numeric answers' sum over their count)."""
    questions = rating_questions() if questions is None else questions
    groups = question_groups(code, questions) if groups is None else groups
    totals: dict[tuple[int, int], dict[str, float]] = {}
    for group in groups:
        for number in range(len(questions)):
            if not group[f"q{number}_has"]:
                continue
            row = totals.setdefault(
                (group["program_id"], number),
                {"count": 0, "values": 0, "sum": 0.0} | {f"r{r}": 0 for r in RATINGS},
            )
            count, value = group["count"], group[f"q{number}_value"]
            row["count"] += count
            if value is not None:
                row["values"] += count
                row["sum"] += value * count
                if value in RATINGS:
                    row[f"r{int(value)}"] += count
    by_program: dict[int, list[dict]] = {}
    for (program_id, number), row in sorted(totals.items()):
        name, label = questions[number]
        by_program.setdefault(program_id, []).append(
            {
                "name": name,
                "label": label,
                "count": row["count"],
                "mean": rounded(row["sum"] / row["values"]) if row["values"] else None,
                "distribution": {str(r): int(row[f"r{r}"]) for r in RATINGS},
            }
        )
    return by_program


def program_figures(
    code: str,
    groups: list[dict] | None = None,
    previous_groups: list[dict] | None = None,
    questions: tuple[list[tuple[str, str]], list[dict]] | None = None,
) -> list[dict]:
    """Per program, largest first. `groups` and `previous_groups` (the two periods'
    `evaluation_groups`) and `questions` (the rating questions and this period's
    `question_groups`) when the caller already has them."""
    if groups is None:
        groups = evaluation_groups(code)
    if previous_groups is None:
        previous_groups = evaluation_groups(previous_period(code))
    current = overall_by_program(code, groups)
    previous = overall_by_program(previous_period(code), previous_groups)
    names, answered = questions if questions else (None, None)
    extra = extra_question_figures(code, answered, names)
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
                "mean_change": (
                    rounded(mean - previous_mean)
                    if before and mean is not None and previous_mean is not None
                    else None
                ),
                "questions": extra.get(program_id, []),
            }
        )
    return figures


def invitation_figures(code: str) -> list[dict]:
    """Per program: invitations to evaluate sent in the period, evaluations made with a code in
    the period (responded) and, of them, the ones that count as verified (not hidden)."""
    start, end = period_bounds(code)
    invited = dict(
        Invitation.objects.filter(sent_on__gte=start, sent_on__lte=end)
        .values_list("program_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    answered = {
        row["invitation__program_id"]: row
        for row in Evaluation.objects.in_period(code)
        .filter(invitation__isnull=False)
        .values("invitation__program_id")
        .annotate(
            responded=Count("pk"),
            verified=Count("pk", filter=Q(verified=True) & ~Q(status__in=HIDDEN_STATUSES)),
        )
        .order_by()
    }
    program_ids = set(invited) | set(answered)
    titles = dict(ProgramPage.objects.filter(pk__in=program_ids).values_list("pk", "title"))
    rows = []
    for program_id in program_ids:
        row = answered.get(program_id, {})
        sent = invited.get(program_id, 0)
        responded = row.get("responded", 0)
        rows.append(
            {
                "program_id": program_id,
                "title": titles.get(program_id, ""),
                "invited": sent,
                "responded": responded,
                "verified": row.get("verified", 0),
                "response_share": share(responded, sent),
            }
        )
    return sorted(rows, key=lambda row: (-row["invited"], -row["responded"], row["program_id"]))
