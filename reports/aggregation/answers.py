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
import sqlite3
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, TextField
from django.db.models.sql.compiler import SQLCompiler

SqlParams = tuple[str | int, ...]

#: SQLite's `->` operator (JSON text of one value) came with 3.38 (2022); Django 5.2 runs on
#: 3.31 and some long-term distributions still ship older (Ubuntu 22.04: 3.37.2).
SQLITE_ARROW = (3, 38)
#: Before it: the value's JSON type read once (`CASE x WHEN` evaluates x once), the value
#: quoted back into JSON text (NULL when absent): what `->` gives for every kind of value,
#: but a number passes through a REAL, written back with 17 significant digits (`%!.17g`:
#: JSON_QUOTE writes 15, which turned a value near a double's largest into infinity).
SQLITE_WITHOUT_ARROW = (
    "(CASE JSON_TYPE({column}, %s) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'"
    " WHEN 'null' THEN 'null' WHEN 'object' THEN JSON_EXTRACT({column}, %s)"
    " WHEN 'array' THEN JSON_EXTRACT({column}, %s)"
    " WHEN 'integer' THEN JSON_QUOTE(JSON_EXTRACT({column}, %s))"
    " WHEN 'real' THEN PRINTF('%%!.17g', JSON_EXTRACT({column}, %s))"
    " WHEN 'text' THEN JSON_QUOTE(JSON_EXTRACT({column}, %s)) END)"
)


class AnswerAsJson(Func):
    """`answers[name]` as JSON text ('4', '"text"', 'null'); NULL when the key is absent."""

    output_field = TextField()

    def __init__(self, name: str) -> None:
        super().__init__(F("answers"))
        self.name = name

    def json_path(self) -> str:
        """The key as a JSON path, quoted as Django's KeyTransform quotes it."""
        return "$." + json.dumps(self.name)

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any
    ) -> tuple[str, SqlParams]:
        # MySQL and SQLite 3.38+: `->` takes a JSON path and returns JSON text.
        column, params = compiler.compile(self.source_expressions[0])
        return f"({column} -> %s)", (*params, self.json_path())

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any
    ) -> tuple[str, SqlParams]:
        if sqlite3.sqlite_version_info >= SQLITE_ARROW:
            return self.as_sql(compiler, connection)
        column, params = compiler.compile(self.source_expressions[0])
        path = (*params, self.json_path())
        return SQLITE_WITHOUT_ARROW.format(column=column), path * 6

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
