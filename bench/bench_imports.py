"""CPU time to read (or refuse) beneficiary-list files, honest and hostile (issue 10, finding 10).

Run: .venv/bin/python bench/bench_imports.py [--repeats 3]
Prints the median CPU seconds of `parse_beneficiary_file` (this thread's CPU time, so other
processes on a shared machine do not count) and what the parser answered.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.utils import translation  # noqa: E402

from programs import beneficiary_import  # noqa: E402
from programs.tests import hostile_sheets  # noqa: E402


def honest_list(rows: int) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["personal number", "date of service"])
    for n in range(rows):
        sheet.append([f"{10_000_000_000 + n * 7919:011d}", datetime.date(2024, 3, 5)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FILES = {
    "118 KB of blank rows, one cell in column XFD (the finding)": lambda: (
        hostile_sheets.blank_rows_far_right(24_700)
    ),
    "0.54 MB of blank rows, one cell in column XFD": lambda: hostile_sheets.blank_rows_far_right(
        115_000
    ),
    "one empty row at row 1 048 576": hostile_sheets.one_row_at_the_bottom,
    "one row of 2 000 000 empty cells": lambda: hostile_sheets.one_very_wide_row(2_000_000),
    "honest list, 50 000 people": lambda: honest_list(50_000),
}


def measure(data: bytes) -> tuple[float, str]:
    upload = SimpleUploadedFile("list.xlsx", data)
    start = time.thread_time()
    try:
        parsed = beneficiary_import.parse_beneficiary_file(upload)
        answer = f"read: {parsed.total_rows} rows"
    except beneficiary_import.ImportFileError as error:
        with translation.override("en"):
            answer = f"refused: {str(error.message)[:60]}…"
    return time.thread_time() - start, answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    print(f"{'file':<60} {'bytes':>9} {'CPU s':>7}  answer")
    for name, make in FILES.items():
        data = make()
        runs = [measure(data) for _ in range(repeats)]
        seconds = statistics.median(run[0] for run in runs)
        print(f"{name:<60} {len(data):>9} {seconds:>7.2f}  {runs[0][1]}")


if __name__ == "__main__":
    main()
