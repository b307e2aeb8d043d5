"""Which columns an export has and how its rows are read: `values_list` tuples of exactly the
exported columns, in chunks, so personal columns are never loaded and memory stays flat."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, Model, QuerySet
from django.utils.translation import gettext as _

from cms.core import georgian
from feedback_forms.exports.cells import Row, Value, local_naive
from feedback_forms.filters import MODELS
from feedback_forms.models import (
    Channel,
    Evaluation,
    EvaluationFormField,
    Need,
    NeedsFormField,
    Status,
)

#: Rows fetched per database round trip: big enough to be fast, small enough to stay flat.
CHUNK_SIZE = 2000
#: Columns that identify a person or a request: never loaded, so never exported.
PRIVATE_FIELDS = (
    "person_digest",
    "key_version",
    "contact_email",
    "contact_phone",
    "idempotency_key",
)
#: The widest a column is drawn in a workbook (characters).
MAX_COLUMN_WIDTH = 60


@dataclass(frozen=True)
class Column:
    """One exported column: a header in the active language, the database value it shows (a
    `values_list` path: rows are read as tuples, never as model instances) and how that value
    becomes a cell."""

    header: str
    source: str
    convert: Callable[[Any], Value] | None = None
    width: int = 16

    def value(self, submission: Any) -> Value:
        """The cell of one submission instance (what a row of the export holds for it)."""
        raw = submission
        for part in self.source.split("__"):
            raw = getattr(raw, part) if raw is not None else None
        return self.convert(raw) if self.convert is not None else raw


def field_header(model: type[Model], name: str) -> str:
    """The model's (translated) field label, so exports and admin screens use the same words."""
    return georgian.capfirst(
        str(getattr(model._meta.get_field(name), "verbose_name", name))
    )  # relations have none


def or_empty(value: str | None) -> str:
    """A reference's Georgian name (the names the rule and the reports use) through a relation
    that may be empty (no category yet): an empty cell then."""
    return value or ""


def yes_no_labels() -> dict[bool, str]:
    return {True: _("Yes"), False: _("No")}


def submission_columns(kind: str) -> list[Column]:
    """The real columns of a kind, labels translated now (not while the response streams)."""
    if kind not in MODELS:
        raise ValueError(f"Unknown kind of submission: {kind!r}")
    model = MODELS[kind]
    statuses = {value: str(label) for value, label in Status.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    yes_no = yes_no_labels()

    def header(name: str) -> str:
        return field_header(model, name)

    first = [
        Column(header("reference"), "reference", width=12),
        Column(header("created_at"), "created_at", local_naive, 17),
        Column(header("reporting_period"), "reporting_period", width=10),
        Column(header("budget_year"), "budget_year", width=8),
        Column(header("status"), "status", lambda value: statuses.get(value, value), 20),
        Column(header("channel"), "channel", lambda value: channels.get(value, value), 14),
    ]
    if kind == "evaluation":
        specific = [
            Column(header("program_title"), "program_title", width=40),
            Column(header("category"), "category__name_ka", or_empty, 24),
            Column(header("service"), "service__name_ka", or_empty, 30),
            Column(header("overall_rating"), "overall_rating", width=10),
            Column(header("used_on"), "used_on", width=12),
            Column(header("verified"), "verified", lambda value: yes_no[value], 10),
        ]
    else:
        specific = [
            Column(header("title"), "title", width=40),
            Column(header("description"), "description", width=MAX_COLUMN_WIDTH),
            Column(header("category"), "category__name_ka", or_empty, 24),
            Column(header("administrative_unit"), "administrative_unit__name_ka", or_empty, 24),
            Column(header("settlement"), "settlement__name_ka", or_empty, 20),
            Column(header("other_place"), "other_place", width=20),
            Column(header("service"), "service__name_ka", or_empty, 30),
            # Only the title: the program page itself is never loaded.
            Column(header("program"), "program__title", or_empty, 30),
        ]
    last = [
        Column(header("public_answer"), "public_answer", width=40),
        Column(header("answered_at"), "answered_at", local_naive, 17),
        Column(header("due_date"), "due_date", width=12),
        Column(header("birth_year"), "birth_year", width=8),
    ]
    return [*first, *specific, *last]


def form_field_positions(
    model: type[Evaluation | Need], page_ids: set[int]
) -> dict[tuple[int | None, str], int]:
    """(form page, field name) -> the question's place on the form as it is now."""
    field_model = {Evaluation: EvaluationFormField, Need: NeedsFormField}.get(model)
    if field_model is None or not page_ids:
        return {}
    rows = (
        field_model.objects.filter(page_id__in=page_ids)
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "clean_name")
    )
    return {(page_id, name): position for position, (page_id, name) in enumerate(rows)}


def extra_questions(queryset: QuerySet) -> dict[str, str]:
    """The editor's questions across form versions: field name -> most recent label.

    Each distinct `questions` value (per form) is one form version; the database groups them,
    so this reads a handful of rows whatever the size of the export. Names keep the order in
    which they first appeared, and within a version the form's order (PostgreSQL's jsonb does
    not keep the keys' order, so it is read from the form's fields while they exist). The label
    is the one asked most recently.
    """
    versions = [
        (questions or {}, page_id, first_seen, last_seen)
        for questions, page_id, first_seen, last_seen in queryset.order_by()
        .values("questions", "form_page")
        .annotate(first_seen=Min("created_at"), last_seen=Max("created_at"))
        .values_list("questions", "form_page", "first_seen", "last_seen")
    ]
    positions = form_field_positions(
        queryset.model,
        {page_id for questions, page_id, *_seen in versions if page_id and questions},
    )

    def form_order(page_id: int | None, questions: dict) -> list[str]:
        names = [str(name) for name in questions]
        return sorted(
            names,
            key=lambda name: (
                (page_id, name) not in positions,
                positions.get((page_id, name), 0),
                names.index(name),
            ),
        )

    order: dict[str, None] = {}
    for questions, page_id, *_seen in sorted(versions, key=lambda v: (v[2], v[3])):
        for name in form_order(page_id, questions):
            order.setdefault(name, None)
    labels: dict[str, str] = {}
    for questions, *_rest in sorted(versions, key=lambda v: (v[3], v[2])):
        labels.update({str(name): str(label) for name, label in questions.items()})
    return {name: labels[name] for name in order}


def answer_value(value: Any, yes_no: dict[bool, str]) -> Value:
    """An answer as a cell: numbers stay numbers, choices are joined, yes/no is spelled out."""
    if isinstance(value, bool):
        return yes_no[value]
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def rows_queryset(queryset: QuerySet, kind: str) -> QuerySet:
    """The export's order (newest first unless the listing chose one)."""
    if not queryset.ordered:
        queryset = queryset.order_by("-created_at", "-pk")
    return queryset


def export_rows(queryset: QuerySet, kind: str) -> Iterator[Row]:
    """The header row, then one row per submission, read from the database in chunks.

    Rows are `values_list` tuples of exactly the exported columns (the names of related rows
    joined in the same query), so personal columns are never read and no model instance is
    built. Headers and labels are resolved before this returns, so a response that streams
    later still speaks the language of the request that asked for it.
    """
    columns = submission_columns(kind)
    questions = extra_questions(queryset)
    header: Row = [*(column.header for column in columns), *questions.values()]
    names = list(questions)
    yes_no = yes_no_labels()
    sources = [column.source for column in columns]
    if set(PRIVATE_FIELDS) & {source.split("__")[0] for source in sources}:
        raise ValueError("A personal column would be exported.")
    converted = [(index, column.convert) for index, column in enumerate(columns) if column.convert]
    width = len(columns)

    def body() -> Iterator[Row]:
        values = rows_queryset(queryset, kind).values_list(*sources, "answers")
        for record in values.iterator(chunk_size=CHUNK_SIZE):
            row: Row = list(record[:width])
            for index, convert in converted:
                row[index] = convert(row[index])
            answers = record[width]
            if names:
                if not isinstance(answers, dict):
                    answers = {}
                row.extend(answer_value(answers.get(name), yes_no) for name in names)
            yield row

    return _prepend(header, body())


def _prepend(first: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rest
