"""The big-data part of `bench/run.py`: exports, report figures and the report workbook.

Run by run.py with the project's bench settings and the project bench database's URL; it never
writes there. It makes its own database next to it (PostgreSQL `wt_bench_data`, or
bench/var/data/data.sqlite3), a copy of the seeded project database (the demo's programs, forms
and places), and bulk-inserts `--scale` x (1,000,000 evaluations + 200,000 needs) into one
half-year (`PERIOD`), answers to the programs' own extra questions included. Each measurement
then runs in a fresh subprocess, so its peak RSS (`VmHWM`) is its own:

- exports of the first N evaluations of the period (N = scale x 100k and scale x 1M) and of
  scale x 100k needs: the project's CSV (`stream_csv`) against a raw `csv.writer` over the same
  rows (`values_list` of every column, iterated in chunks), and the project's XLSX
  (`write_xlsx`) against Wagtail's own export (`SpreadsheetExportMixin.write_xlsx`, what a
  ModelViewSet's `list_export` runs) per cell;
- `reports.aggregation.compute_figures` for the period (median of 3, wall and this process's CPU);
- `reports.workbook.build_workbook` of a draft report of the period (wall, peak RSS).

Prints the table rows as JSON on its last line.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import io
import json
import math
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: The project code a measurement imports: this tree, or (BENCH_CODE_ROOT) an older commit's
#: copy that `run.py --baseline REV` extracted, measured on the same data in the same run.
CODE_ROOT = Path(os.environ.get("BENCH_CODE_ROOT") or ROOT)
sys.path.insert(0, str(CODE_ROOT))
PERIOD = "2026-H1"
PERIOD_START = datetime.datetime(2026, 1, 1, 8, 0, tzinfo=datetime.UTC)
PERIOD_SECONDS = 178 * 86400
FULL_EVALUATIONS = 1_000_000
FULL_NEEDS = 200_000
DATA_PG = os.environ.get("BENCH_PG_DATA", "wt_bench_data")
WAGTAIL_COLUMNS = {
    "evaluation": [
        "reference", "created_at", "reporting_period", "program_title", "overall_rating",
        "used_on", "verified", "birth_year", "status",
    ],
    "need": [
        "reference", "created_at", "reporting_period", "title", "description", "status",
        "birth_year", "public_answer", "submitted_on",
    ],
}  # fmt: skip
MiB = 1024 * 1024


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu() -> float:
    times = os.times()
    return times.user + times.system


# --- The data database -------------------------------------------------------------------------


def data_url(project_url: str) -> str:
    if project_url.startswith("sqlite"):
        return f"sqlite:///{Path(os.environ['BENCH_DATA_DIR']) / 'data.sqlite3'}"
    server = project_url.rsplit("/", 1)[0]
    return f"{server}/{DATA_PG}"


def copy_project_database(project_url: str, url: str) -> None:
    if project_url.startswith("sqlite"):
        source = project_url.removeprefix("sqlite:///")
        target = Path(url.removeprefix("sqlite:///"))
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return
    import psycopg

    server, project_name = project_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATA_PG}" WITH (FORCE)')
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [project_name],
        )
        conn.execute(f'CREATE DATABASE "{DATA_PG}" TEMPLATE "{project_name}"')


def insert_data(evaluations: int, needs: int, seed: int = 2026) -> None:
    """Bulk-insert the period's evaluations and needs, shaped like the demo's."""
    from django.db import transaction

    from feedback_forms.models import Evaluation, Need, Status
    from feedback_forms.references import new_reference

    rng = random.Random(seed)  # noqa: S311 -- reproducible fake data
    evaluation_shapes = list(
        Evaluation.objects.exclude(program=None).values(
            "program_id", "program_title", "category_id", "service_id", "form_page_id",
            "questions", "answers",
        )
    )  # fmt: skip
    need_shapes = list(
        Need.objects.values(
            "category_id", "service_id", "administrative_unit_id", "settlement_id",
            "form_page_id", "questions", "answers", "title", "description",
        )
    )  # fmt: skip
    counted = [Status.NEW, Status.ASSIGNED, Status.IN_REVIEW]
    answered = [Status.PLANNED, Status.RESOLVED, Status.DECLINED]

    used: set[str] = set(Evaluation.objects.values_list("reference", flat=True))
    used |= set(Need.objects.values_list("reference", flat=True))

    def unique_reference() -> str:
        """A fresh reference: 1.2M random ones out of 32^8 collide about every other run."""
        while (reference := new_reference()) in used:
            pass
        used.add(reference)
        return reference

    def common() -> dict[str, Any]:
        created = PERIOD_START + datetime.timedelta(seconds=rng.randrange(PERIOD_SECONDS))
        return {
            "reference": unique_reference(),
            "reporting_period": PERIOD,
            "budget_year": 2026,
            "person_digest": f"{rng.getrandbits(256):064x}",
            "key_version": 1,
            "birth_year": rng.randrange(1940, 2007),
            "is_adult": True,
            "created_at": created,
            "submitted_on": created.date(),
        }

    def randomised(answers: dict) -> dict:
        return {
            key: rng.randrange(1, 6) if isinstance(value, int) else value
            for key, value in answers.items()
        }

    batch_size = 5000
    with transaction.atomic():
        batch: list = []
        for _ in range(evaluations):
            shape = rng.choice(evaluation_shapes)
            row = common()
            batch.append(
                Evaluation(
                    **row,
                    **{k: v for k, v in shape.items() if k != "answers"},
                    answers=randomised(shape["answers"]),
                    status=rng.choice(counted),
                    overall_rating=rng.randrange(1, 6),
                    used_on=row["submitted_on"].replace(day=1),
                    verified=rng.random() < 0.7,
                )
            )
            if len(batch) == batch_size:
                Evaluation.objects.bulk_create(batch)
                batch = []
        Evaluation.objects.bulk_create(batch)
        batch = []
        for _ in range(needs):
            shape = rng.choice(need_shapes)
            row = common()
            status = rng.choice(counted + answered)
            is_answered = status in answered
            batch.append(
                Need(
                    **row,
                    **{k: v for k, v in shape.items() if k != "answers"},
                    answers=randomised(shape["answers"]),
                    status=status,
                    public_answer="პასუხი გაიგზავნა." if is_answered else "",
                    answered_at=row["created_at"] + datetime.timedelta(days=rng.randrange(1, 60))
                    if is_answered
                    else None,
                )
            )
            if len(batch) == batch_size:
                Need.objects.bulk_create(batch)
                batch = []
        Need.objects.bulk_create(batch)


def prepare(scale: float, project_url: str) -> tuple[int, int]:
    """Build the data database once per scale (a marker file remembers it)."""
    url = data_url(project_url)
    marker = (
        Path(os.environ["BENCH_DATA_DIR"])
        / f"{'sqlite' if url.startswith('sqlite') else 'pg'}.ready"
    )
    evaluations, needs = round(FULL_EVALUATIONS * scale), round(FULL_NEEDS * scale)
    wanted = f"{evaluations} {needs}"
    exists = url.startswith("sqlite") and Path(url.removeprefix("sqlite:///")).exists()
    if not url.startswith("sqlite"):
        import psycopg

        with psycopg.connect(f"{url.rsplit('/', 1)[0]}/postgres", autocommit=True) as conn:
            found = "SELECT 1 FROM pg_database WHERE datname = %s"
            exists = conn.execute(found, [DATA_PG]).fetchone() is not None
    if not (exists and marker.exists() and marker.read_text() == wanted):
        marker.parent.mkdir(parents=True, exist_ok=True)
        copy_project_database(project_url, url)
        started = time.monotonic()
        child("insert", str(evaluations), str(needs))
        marker.write_text(wanted)
        print(f"  inserted {evaluations:,} evaluations + {needs:,} needs in "
              f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)  # fmt: skip
    # Migrations added since the data was built (indexes: built here on the full tables).
    started = time.monotonic()
    child("migrate")
    print(f"  data database migrated in {time.monotonic() - started:.0f} s",
          file=sys.stderr, flush=True)  # fmt: skip
    return evaluations, needs


def child(*args: str, code_root: str = "") -> dict:
    env = os.environ | {"DATABASE_URL": data_url(os.environ["DATABASE_URL"])}
    env.pop("BENCH_CODE_ROOT", None)
    if code_root:
        env |= {"BENCH_CODE_ROOT": code_root, "PYTHONPATH": code_root}
    result = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "child", *args], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"bench_data child {args} failed:\n{result.stderr[-5000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Measurements (each in its own process) ----------------------------------------------------


def first_rows(kind: str, count: int):
    from feedback_forms.models import Evaluation, Need

    model = Evaluation if kind == "evaluation" else Need
    period = model.objects.in_period(PERIOD).order_by("pk")
    last = period.values_list("pk", flat=True)[count - 1]
    return model.objects.in_period(PERIOD).filter(pk__lte=last)


class Null:
    """A file that only counts what is written to it."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: Any) -> int:
        self.size += len(data)
        return len(data)


def measure(what: str, kind: str, count: int) -> dict:
    from django.utils import translation

    translation.activate("ka")
    queryset = first_rows(kind, count)
    rss_before = peak_rss_mib()
    start_cpu, start_wall = cpu(), time.perf_counter()
    columns = 0
    if what == "project_csv":
        from feedback_forms.exports import stream_csv

        size = sum(len(chunk) for chunk in stream_csv(queryset, kind))
        from feedback_forms.exports import extra_questions, submission_columns

        columns = len(submission_columns(kind)) + len(extra_questions(queryset))
    elif what == "raw_csv":
        names = [field.attname for field in queryset.model._meta.concrete_fields]
        writer = csv.writer(out := Null())
        writer.writerow(names)
        for row in queryset.values_list(*names).iterator(chunk_size=2000):
            writer.writerow(row)
        size, columns = out.size, len(names)
    elif what == "project_xlsx":
        from feedback_forms.exports import extra_questions, submission_columns, write_xlsx

        with tempfile.TemporaryFile() as output:
            write_xlsx(queryset, kind, output)
            size = output.tell()
        columns = len(submission_columns(kind)) + len(extra_questions(queryset))
    elif what == "wagtail_xlsx":
        from wagtail.admin.views.mixins import SpreadsheetExportMixin

        class WagtailExport(SpreadsheetExportMixin):
            list_export = WAGTAIL_COLUMNS[kind]

        output = io.BytesIO()  # as write_xlsx_response does
        WagtailExport().write_xlsx(queryset, output)
        size, columns = len(output.getvalue()), len(WAGTAIL_COLUMNS[kind])
    else:
        raise ValueError(what)
    return {
        "cpu_s": cpu() - start_cpu,
        "wall_s": time.perf_counter() - start_wall,
        "peak_rss_mib": peak_rss_mib(),
        "rss_before_mib": rss_before,
        "bytes": size,
        "cells": count * columns,
        "columns": columns,
    }


#: The indexes issue 13's report figures added or changed (feedback_forms migrations 0014,
#: 0016): a baseline measurement makes them what the older commit's own models declare (drops
#: those it lacks or declares otherwise, builds the ones it declares), inside a transaction it
#: rolls back, so it sees the tables as that commit's migrations left them.
FIGURES_INDEX_PREFIX = "figures_"
TABLES = ("feedback_forms_evaluation", "feedback_forms_need")


@contextlib.contextmanager
def figures_indexes_as_declared(baseline: bool) -> Iterator[list[str]]:
    from django.db import connection, transaction

    from feedback_forms.models import Evaluation, Need

    if not baseline:
        yield []
        return
    # Not entered: it only writes the statements (SQLite's editor refuses to open inside a
    # transaction with foreign keys on), executed here on the transaction's cursor.
    editor = connection.SchemaEditorClass(connection, collect_sql=True)
    with transaction.atomic():
        changed = []
        with connection.cursor() as cursor:
            for model in (Evaluation, Need):
                table = model._meta.db_table
                declared = {
                    index.name: index
                    for index in model._meta.indexes
                    if index.name.startswith(FIGURES_INDEX_PREFIX)
                }
                found = {
                    name: info["columns"]
                    for name, info in connection.introspection.get_constraints(
                        cursor, table
                    ).items()
                    if name.startswith(FIGURES_INDEX_PREFIX)
                }
                for name, columns in found.items():
                    index = declared.get(name)
                    wanted = [
                        model._meta.get_field(field.lstrip("-")).column
                        for field in (index.fields if index else [])
                    ]
                    if columns != wanted:
                        cursor.execute(f'DROP INDEX "{name}"')
                        changed.append(f"-{name}")
                        found[name] = []
                for name, index in declared.items():
                    if not found.get(name):
                        cursor.execute(str(index.create_sql(model, editor)))
                        changed.append(f"+{name}")
        yield changed
        transaction.set_rollback(True)


def figures(repeats: int, as_baseline: bool) -> dict:
    from reports.aggregation import compute_figures

    with figures_indexes_as_declared(as_baseline) as indexes_changed:
        compute_figures(PERIOD)  # warm: connections, content types, the database's cache
        walls, cpus = [], []
        for _ in range(repeats):
            start_cpu, start_wall = cpu(), time.perf_counter()
            compute_figures(PERIOD)
            walls.append(time.perf_counter() - start_wall)
            cpus.append(cpu() - start_cpu)
    return {
        "wall_s": statistics.median(walls),
        "walls": walls,
        "cpu_s": statistics.median(cpus),
        "peak_rss_mib": peak_rss_mib(),
        "indexes_changed": indexes_changed,
    }


def explain(cursor: Any, vendor: str, sql: str, params: Any) -> str:
    if vendor == "postgresql":
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
    else:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
    return "\n".join(" | ".join(str(v) for v in row) for row in cursor.fetchall())


def plans(label: str, as_baseline: bool, explained: int = 8) -> dict:
    """Every statement compute_figures runs, each re-run alone and timed to its last row, and
    the query plans of the slowest, written to bench/var/data/plans-<engine>-<label>.txt."""
    from django.db import connection

    from reports.aggregation import compute_figures

    statements: list[tuple[str, Any]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with figures_indexes_as_declared(as_baseline):
        compute_figures(PERIOD)  # warm
        with connection.execute_wrapper(record):
            compute_figures(PERIOD)
        timed = []
        with connection.cursor() as cursor:
            for sql, params in statements:
                start = time.perf_counter()
                cursor.execute(sql, params)
                rows = len(cursor.fetchall())
                timed.append((time.perf_counter() - start, rows, sql, params))
            slowest = sorted(timed, key=lambda item: -item[0])
            lines = [
                f"compute_figures({PERIOD!r}) on {connection.vendor}, {label}: "
                f"{len(timed)} statements, {sum(t[0] for t in timed):.3f} s re-run one by one",
                "",
            ]
            for number, (seconds, rows, sql, params) in enumerate(slowest):
                lines.append(f"--- {number + 1}. {seconds * 1000:.1f} ms, {rows} rows")
                lines.append(sql if params is None else f"{sql}\n  params: {params!r}")
                if number < explained:
                    lines.append(explain(cursor, connection.vendor, sql, params))
                lines.append("")
    path = Path(os.environ["BENCH_DATA_DIR"]) / f"plans-{connection.vendor}-{label}.txt"
    path.write_text("\n".join(lines))
    return {
        "statements": len(timed),
        "total_s": sum(t[0] for t in timed),
        "slowest": [[round(t[0] * 1000, 1), t[2][:120]] for t in slowest[:5]],
        "path": str(path),
    }


def workbook(as_baseline: bool) -> dict:
    """The workbook of the period's report as a draft (figures computed live). The demo sends
    and publishes its 2026-H1 report, whose workbook would only read its frozen figures: it is
    turned back into a draft inside a transaction that is rolled back."""
    from django.db import transaction

    from reports.models import ReportingPeriod, ResultsReport
    from reports.workbook import build_workbook

    with figures_indexes_as_declared(as_baseline), transaction.atomic():
        period = ReportingPeriod.objects.for_code(PERIOD)
        report = ResultsReport.objects.filter(
            period=period
        ).first() or ResultsReport.objects.create(period=period)
        was = report.status
        ResultsReport.objects.filter(pk=report.pk).update(status=ResultsReport.Status.DRAFT)
        report.refresh_from_db()
        start_cpu, start_wall = cpu(), time.perf_counter()
        with tempfile.TemporaryFile() as output:
            build_workbook(report, output)
            size = output.tell()
        wall, spent = time.perf_counter() - start_wall, cpu() - start_cpu
        transaction.set_rollback(True)
    return {
        "wall_s": wall,
        "cpu_s": spent,
        "peak_rss_mib": peak_rss_mib(),
        "bytes": size,
        "status": f"{was}, built as {report.status}",
    }


def analyse() -> dict:
    """PostgreSQL: VACUUM ANALYZE the bulk-inserted tables, as autovacuum soon would (statistics
    for the planner, a visibility map for index-only scans). SQLite gets nothing: the project
    never runs ANALYZE there."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"VACUUM ANALYZE {table}")
    return {}


def run_child(args: list[str]) -> dict:
    import django

    django.setup()
    command = args[0]
    if command == "insert":
        insert_data(int(args[1]), int(args[2]))
        return {}
    if command == "migrate":
        from django.core.management import call_command

        call_command("migrate", "--no-input", verbosity=0)
        return analyse()
    if command == "measure":
        return measure(args[1], args[2], int(args[3]))
    if command == "figures":
        return figures(int(args[1]), args[2] == "baseline")
    if command == "plans":
        return plans(args[1], args[1] == "baseline")
    if command == "workbook":
        return workbook(args[1] == "baseline")
    raise ValueError(command)


# --- Rows --------------------------------------------------------------------------------------


def export_rows(kind: str, count: int, engine: str) -> list[list[str]]:
    results = {what: child("measure", what, kind, str(count)) for what in
               ("project_csv", "raw_csv", "project_xlsx", "wagtail_xlsx")}  # fmt: skip
    p_csv, raw, p_xlsx, wagtail = (
        results[k] for k in ("project_csv", "raw_csv", "project_xlsx", "wagtail_xlsx")
    )
    # A quick run's tiny exports can take less CPU than the clock's tick: no ratio then.
    csv_ratio = p_csv["cpu_s"] / raw["cpu_s"] if raw["cpu_s"] else float("nan")
    per_cell_project = p_xlsx["cpu_s"] / p_xlsx["cells"] * 1e6
    per_cell_wagtail = wagtail["cpu_s"] / wagtail["cells"] * 1e6
    speedup = per_cell_wagtail / per_cell_project if per_cell_project else float("nan")
    label = f"{count:,} {kind}s, {engine}"
    return [
        [
            f"CSV export, {label}: CPU s (peak RSS MiB) vs raw csv.writer",
            f"{p_csv['cpu_s']:.2f} ({p_csv['peak_rss_mib']:.0f})",
            f"{raw['cpu_s']:.2f} ({raw['peak_rss_mib']:.0f})",
            f"{csv_ratio:.2f}x" if math.isfinite(csv_ratio) else "too small to time",
            "<= 1.5x raw csv.writer; < 200 MB",
            "-"
            if not math.isfinite(csv_ratio)
            else "yes"
            if csv_ratio <= 1.5 and p_csv["peak_rss_mib"] < 200
            else "no",
        ],
        [
            f"XLSX export, {label}: CPU us/cell (s, {p_xlsx['columns']} vs {wagtail['columns']} "
            f"columns; peak RSS MiB) vs Wagtail's export",
            f"{per_cell_project:.1f} ({p_xlsx['cpu_s']:.1f} s; {p_xlsx['peak_rss_mib']:.0f})",
            f"{per_cell_wagtail:.1f} ({wagtail['cpu_s']:.1f} s; {wagtail['peak_rss_mib']:.0f})",
            f"{per_cell_project / per_cell_wagtail:.2f}x ({speedup:.2f}x as fast)"
            if per_cell_project and per_cell_wagtail
            else "too small to time",
            ">= 2x as fast per cell; < 200 MB",
            "-"
            if not (per_cell_project and per_cell_wagtail)
            else "yes"
            if speedup >= 2 and p_xlsx["peak_rss_mib"] < 200
            else "no",
        ],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--parts", default="exports,figures,workbook", help="also: plans")
    args = parser.parse_args()
    project_url = os.environ["DATABASE_URL"]
    engine = "sqlite" if project_url.startswith("sqlite") else "postgresql"
    evaluations, needs = prepare(args.scale, project_url)
    parts = args.parts.split(",")
    rows: list[list[str]] = []
    if "exports" in parts:
        for kind, count in (
            ("evaluation", evaluations // 10),
            ("evaluation", evaluations),
            ("need", needs // 2),
        ):
            if count:
                rows += export_rows(kind, count, engine)
                print(f"  exports of {count:,} {kind}s measured", file=sys.stderr, flush=True)
    size = f"{evaluations:,} evaluations + {needs:,} needs in {PERIOD}, {engine}"
    # The baseline, when run.py was given --baseline REV: that commit's code on the same data
    # with the figures' indexes that commit declares, measured in this run right before this
    # tree's.
    baseline_root = os.environ.get("BENCH_BASELINE_ROOT", "")
    baseline_name = os.environ.get("BENCH_BASELINE_NAME", "baseline")
    if "figures" in parts:
        repeats = "1" if args.quick else "3"
        before = (
            child("figures", repeats, "baseline", code_root=baseline_root)
            if (baseline_root)
            else None
        )
        result = child("figures", repeats, "this")
        goal = 2.0 if engine == "postgresql" else 8.0
        rows.append([
            f"report figures (compute_figures), {size}: wall s (CPU s)",
            f"{result['wall_s']:.2f} ({result['cpu_s']:.2f})",
            f"{before['wall_s']:.2f} ({before['cpu_s']:.2f}) ({baseline_name})" if before else "-",
            f"{result['wall_s'] / before['wall_s']:.2f}x" if before else "-",
            f"< {goal:g} s", "yes" if result["wall_s"] < goal else "no",
        ])  # fmt: skip
    if "plans" in parts:
        before = child("plans", "baseline", code_root=baseline_root) if baseline_root else None
        result = child("plans", "this")
        for label, found in (("this", result), (baseline_name, before)):
            if found:
                print(f"  plans ({label}): {found['statements']} statements, "
                      f"{found['total_s']:.2f} s one by one -> {found['path']}",
                      file=sys.stderr, flush=True)  # fmt: skip
        rows.append([
            f"report figures (compute_figures), {size}: SQL statements (s, re-run one by one)",
            f"{result['statements']} ({result['total_s']:.2f} s)",
            f"{before['statements']} ({before['total_s']:.2f} s) ({baseline_name})"
            if before else "-",
            f"{result['total_s'] / before['total_s']:.2f}x" if before else "-",
            "one pass per table where possible", "-",
        ])  # fmt: skip
    if "workbook" in parts:
        before = child("workbook", "baseline", code_root=baseline_root) if baseline_root else None
        result = child("workbook", "this")
        rows.append([
            f"report workbook (build_workbook, draft), {size}: wall s (peak RSS MiB)",
            f"{result['wall_s']:.1f} ({result['peak_rss_mib']:.0f})",
            f"{before['wall_s']:.1f} ({before['peak_rss_mib']:.0f}) ({baseline_name})"
            if before else "-",
            f"{result['wall_s'] / before['wall_s']:.2f}x" if before else "-",
            "< 60 s, memory flat", "yes" if result["wall_s"] < 60 else "no",
        ])  # fmt: skip
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        print(json.dumps(run_child(sys.argv[2:])))
    else:
        main()
