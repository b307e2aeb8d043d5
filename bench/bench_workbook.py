"""Benchmark: the report workbook's build time as a period grows, with and without raw rows.

Run with `.venv/bin/python bench/bench_workbook.py` (or `make bench`). Same throwaway SQLite
database as `bench_exports.py` (test settings, real migrations, reference data, needs with
Georgian text bulk-created over two periods). For each size N of needs, it measures the median
wall time of `--repeats` runs (3) of:

- the workbook as built now (`reports.workbook.build_workbook`, a draft report, so the figures,
  per service and compared with the previous half-year, are computed live);
- the raw Needs sheet the workbook carried before (every need of the period streamed into a
  write-only sheet through the analysts' export rows, as the removed `write_raw` did): what
  building the old workbook cost on top of its summary sheets.

Options: `--sizes 2000,10000,40000`, `--repeats 3`.
"""

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_exports import add_needs, setup_django  # noqa: E402

DEFAULT_SIZES = (2_000, 10_000, 40_000)
PERIOD = "2025-H2"


def timed(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build_now(report) -> int:
    from reports.workbook import build_workbook

    output = io.BytesIO()
    build_workbook(report, output)
    return len(output.getvalue())


def old_raw_sheet() -> int:
    """The removed raw Needs sheet: every need of the period, one row each, streamed."""
    from django.utils import translation
    from openpyxl import Workbook

    from feedback_forms import exports
    from feedback_forms.models import Need
    from reports.workbook import cell, header_row

    with translation.override("ka"), tempfile.TemporaryFile() as output:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("raw")
        rows = exports.export_rows(
            Need.objects.in_period(PERIOD).order_by("created_at", "pk"), "need"
        )
        sheet.append(header_row(sheet, next(rows)))
        for row in rows:
            sheet.append([cell(sheet, value) for value in row])
        workbook.save(output)
        return output.tell()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in DEFAULT_SIZES))
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]

    with tempfile.TemporaryDirectory() as directory:
        setup_django(Path(directory))
        from feedback_forms.models import Need
        from reports.models import ReportingPeriod, ResultsReport

        report = ResultsReport.objects.create(period=ReportingPeriod.objects.for_code(PERIOD))
        rng = random.Random(2026)
        created = 0
        print("| needs in the period | workbook now, s | old raw Needs sheet alone, s |")
        print("|---:|---:|---:|")
        for size in sizes:
            add_needs(size - created, rng)
            created = size
            in_period = Need.objects.in_period(PERIOD).count()
            now = timed(lambda: build_now(report), options.repeats)
            raw = timed(old_raw_sheet, options.repeats)
            print(f"| {in_period:,} | {now:.2f} | {raw:.2f} |", flush=True)


if __name__ == "__main__":
    main()
