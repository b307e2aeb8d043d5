"""The time between two datetime columns, as a duration, computed by the database itself.

Django subtracts datetimes on SQLite with a Python function (`django_timestamp_diff`) called
for every row, and each time it parses both timestamps: the medians' window query calls it
three times per answered need (the value and two window orders), 300,000 calls and about
1.5 s of 2 at 200,000 needs. Here SQLite computes the same whole microseconds in SQL from the
text Django stores (`YYYY-MM-DD HH:MM:SS[.ffffff]`, in UTC): the whole seconds by
`strftime('%s')` and the fraction from its six digits. Other databases subtract natively, as
Django does.
"""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DurationField, F, Func
from django.db.models.sql.compiler import SQLCompiler

SqlParams = tuple[Any, ...]

#: Whole seconds since the epoch, and the microseconds after them (zero when none are stored).
#: The fraction is cut off first: SQLite rounds it to milliseconds, so 59.9996 s would count
#: as the next second.
SQLITE_SECONDS = "CAST(strftime('%%s', substr({column}, 1, 19)) AS INTEGER)"
SQLITE_MICROSECONDS = "CAST(substr({column} || '.000000', 21, 6) AS INTEGER)"


class Elapsed(Func):
    """`later - earlier` (two datetime fields) as a duration."""

    output_field = DurationField()

    def __init__(self, later: str, earlier: str) -> None:
        super().__init__(F(later), F(earlier))

    def compiled(self, compiler: SQLCompiler) -> tuple[str, SqlParams, str, SqlParams]:
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return later, tuple(later_params), earlier, tuple(earlier_params)

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any
    ) -> tuple[str, SqlParams]:
        later, later_params, earlier, earlier_params = self.compiled(compiler)
        sql, params = connection.ops.subtract_temporals(
            "DateTimeField", (later, later_params), (earlier, earlier_params)
        )
        return sql, tuple(params)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any
    ) -> tuple[str, SqlParams]:
        later, later_params, earlier, earlier_params = self.compiled(compiler)
        sql = (
            f"(({SQLITE_SECONDS.format(column=later)} - {SQLITE_SECONDS.format(column=earlier)})"
            f" * 1000000 + {SQLITE_MICROSECONDS.format(column=later)}"
            f" - {SQLITE_MICROSECONDS.format(column=earlier)})"
        )
        return sql, later_params + earlier_params + later_params + earlier_params
