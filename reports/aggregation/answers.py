"""One extra question's answer read from an evaluation's `answers`, once per row.

The questions' pass groups the period's evaluations by each rating question's answer. Read as
`has_key` plus a cast of `KT`, SQLite parsed the row's JSON three times per question (Django's
`KT` there is a `CASE` of two `JSON_TYPE` calls and a `JSON_EXTRACT`), and PostgreSQL's cast to
a number failed the whole report on a single answer that is not a number (another form's text
question of the same name). Here the database returns each answer as JSON text, one JSON
operation per row and question, and Python reads the few distinct values of the groups.
"""

import json
import math
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, TextField
from django.db.models.sql.compiler import SQLCompiler

SqlParams = tuple[str | int, ...]


class AnswerAsJson(Func):
    """`answers[name]` as JSON text ('4', '"text"', 'null'); NULL when the key is absent."""

    output_field = TextField()

    def __init__(self, name: str) -> None:
        super().__init__(F("answers"))
        self.name = name

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any
    ) -> tuple[str, SqlParams]:
        # SQLite (3.38+) and MySQL: `->` takes a JSON path (the key quoted as Django's
        # KeyTransform quotes it) and returns JSON text.
        column, params = compiler.compile(self.source_expressions[0])
        return f"({column} -> %s)", (*params, "$." + json.dumps(self.name))

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any
    ) -> tuple[str, SqlParams]:
        column, params = compiler.compile(self.source_expressions[0])
        return f"(({column} -> %s)::text)", (*params, self.name)


def answer_read(raw: str | None) -> tuple[bool, float | None]:
    """(whether the question was answered, its numeric value or None) from `AnswerAsJson`.

    A number, or a string that reads as a finite number, is a value (as the cast to a number
    took them before); JSON null, true/false, other text, lists and objects are answers without
    a value, counted as answered but left out of the mean and the distribution."""
    if raw is None:
        return False, None
    value = json.loads(raw)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return True, None
    try:
        number = float(value)
    except (ValueError, OverflowError):  # not a number; an integer beyond a float's range
        return True, None
    return True, (number if math.isfinite(number) else None)
