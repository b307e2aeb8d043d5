"""The CSV file: UTF-8 with a BOM, dates as the screens write them, streamed in chunks."""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.db.models import QuerySet

from cms.core import formatting
from feedback_forms.exports.cells import FORMULA_TRIGGERS, Row, Value, remove_illegal
from feedback_forms.exports.columns import export_rows

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CSV_CHUNK_BYTES = 64 * 1024


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_cell_writer() -> Callable[[Value], str | int | float]:
    """`csv_value` for a whole export: the date formats and helpers are looked up once."""
    write_date = formatting.csv_date_writer()

    def cell(value: Value) -> str | int | float:
        if value is None:
            return ""
        if isinstance(value, str):
            text = remove_illegal("", value)
            return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text
        if isinstance(value, datetime.date):
            return write_date(value)
        return value

    return cell


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    cell = csv_cell_writer()
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def stream_csv(queryset: QuerySet, kind: str) -> Iterator[bytes]:
    """UTF-8 with a BOM (so Excel reads Georgian), in chunks of about 64 KB."""
    lines = csv_lines(export_rows(queryset, kind))

    def chunks() -> Iterator[bytes]:
        buffer: list[str] = ["\ufeff"]
        size = 0
        for line in lines:
            buffer.append(line)
            size += len(line)
            if size >= CSV_CHUNK_BYTES // 4:  # up to 4 bytes per character in UTF-8
                yield "".join(buffer).encode("utf-8")
                buffer, size = [], 0
        if buffer:
            yield "".join(buffer).encode("utf-8")

    return chunks()


def write_csv(queryset: QuerySet, kind: str, fileobj: IO[bytes]) -> int:
    """Write a CSV file into a binary file; returns the number of submissions written."""
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        cell = csv_cell_writer()
        rows = export_rows(queryset, kind)
        writer.writerow([cell(value) for value in next(rows)])
        count = 0
        for row in rows:
            writer.writerow([cell(value) for value in row])
            count += 1
        text.flush()
    finally:
        text.detach()  # leave the caller's file open
    return count
