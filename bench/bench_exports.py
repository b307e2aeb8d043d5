"""Benchmark: streaming XLSX/CSV exports against a materialise-everything baseline.

Run with `.venv/bin/python bench/bench_exports.py` (or `make bench`). It builds a throwaway
SQLite database in a temporary folder (test settings, real migrations), bulk-creates needs with
Georgian text and answers to extra questions from three form versions, and measures, for each
size N, peak Python memory (tracemalloc) and wall time of:

- streaming XLSX: `exports.write_xlsx` (rows from `.iterator()`, write-only workbook, temp file);
- streaming CSV: `exports.stream_csv`, the generator the CSV response sends;
- baseline XLSX: every row materialised with `list(queryset)`, a normal openpyxl workbook,
  saved into memory (what a naive export, or Wagtail's list_export, effectively does);
- baseline CSV: every row materialised, the whole file built in memory.

Both sides build identical rows with the same column definitions, so the difference is only
streaming versus materialising. Wall time is measured without tracemalloc (it slows Python
down), memory in separate runs with it. Times are medians of `--repeats` runs (3); tracemalloc
peaks are deterministic to within a fraction of a MiB and a traced run is several times slower, so
they are medians of `--memory-repeats` runs (1 by default; the spread is printed).

Options: `--sizes 10000,50000`, `--repeats 3`, `--memory-repeats 1`; `--budget SECONDS` skips
200k when the smaller sizes suggest it would not fit (default 240 s of measuring in all).
"""

import argparse
import csv
import gc
import io
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 50_000, 100_000, 200_000)
OPTIONAL_SIZE = 200_000
MiB = 1024 * 1024

TOPICS = [
    ("გზის შეკეთება", "სოფლის მთავარ გზაზე ორმოებია, წვიმის შემდეგ მანქანა ვერ გადის."),
    ("გარე განათება", "ქუჩაზე საღამოს ბნელა, ბავშვები სკოლიდან სიბნელეში ბრუნდებიან."),
    ("სასმელი წყლის მიწოდება", "წყალი მხოლოდ დილით მოდის ორი საათით, ზაფხულში საერთოდ არ არის."),
    ("ნაგვის ურნების დამატება", "ურნები ივსება და ნაგავი ქუჩაში იყრება."),
    ("საბავშვო ბაღის რემონტი", "ბაღის სახურავი ჩამოდის და გათბობა არ მუშაობს."),
    ("ამბულატორიის სამუშაო საათები", "ექიმი კვირაში მხოლოდ ერთხელ მოდის სოფელში."),
    ("სპორტული მოედნის მოწყობა", "ახალგაზრდებს ფეხბურთის სათამაშო ადგილი არ აქვთ."),
    ("სარწყავი არხის გაწმენდა", "არხი ამოვსებულია და ბაღებს წყალი არ მიდის."),
]
MORE = [
    "გთხოვთ, საკითხი მალე განიხილოთ.",
    "პრობლემა რამდენიმე წელია არსებობს.",
    "მეზობლებიც იგივეს ითხოვენ.",
    "ზამთარში მდგომარეობა კიდევ უფრო უარესდება.",
    "",
]
ANSWERS = [
    "",
    "",
    "სამუშაოები შეტანილია მომავალი წლის ბიუჯეტის პროექტში.",
    "პრობლემა მოგვარებულია. გმადლობთ მიმართვისთვის.",
]
FORM_VERSIONS = [
    {"ramdeni": "რამდენ ადამიანს ეხება?"},
    {"ramdeni": "დაახლოებით რამდენ ადამიანს ეხება?", "shenishvna": "დამატებითი შენიშვნა"},
    {
        "ramdeni": "დაახლოებით რამდენ ადამიანს ეხება?",
        "shenishvna": "დამატებითი შენიშვნა",
        "skhva": "სხვა რამე, რაც უნდა ვიცოდეთ",
    },
]


def setup_django(directory: Path) -> None:
    """Test settings on a throwaway SQLite file: nothing touches var/ or a real database."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("VAR_DIR", str(directory / "var"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from programs.reference_data import load_reference_data

    load_reference_data()


def add_needs(count: int, rng: random.Random) -> None:
    """Bulk-create needs that look like the real ones (Georgian text, extra answers)."""
    from django.db import transaction
    from django.utils import timezone

    from feedback_forms.models import Need, Status
    from feedback_forms.references import new_reference
    from programs.models import MunicipalService, ProgramCategory, Settlement

    categories = list(ProgramCategory.objects.all())
    services = list(MunicipalService.objects.all())
    settlements = list(Settlement.objects.select_related("unit"))
    statuses = [value for value, _label in Status.choices]
    batch = []
    with transaction.atomic():
        for _ in range(count):
            title, description = rng.choice(TOPICS)
            settlement = rng.choice(settlements)
            version = rng.choice(FORM_VERSIONS)
            answers = {"ramdeni": rng.randrange(1, 500)}
            if "shenishvna" in version and rng.random() < 0.6:
                answers["shenishvna"] = f"{rng.choice(MORE)} {settlement.name_ka}".strip()
            if "skhva" in version and rng.random() < 0.3:
                answers["skhva"] = rng.choice(MORE) or "არა"
            batch.append(
                Need(
                    reference=new_reference(),
                    reporting_period=rng.choice(["2025-H1", "2025-H2"]),
                    submitted_on=timezone.localdate(),  # bulk_create skips Need.save()
                    budget_year=2025,
                    person_digest=f"{rng.getrandbits(256):064x}",
                    key_version=1,
                    birth_year=rng.randrange(1940, 2006),
                    is_adult=True,
                    status=rng.choice(statuses),
                    title=title,
                    description=f"{description} {rng.choice(MORE)}".strip(),
                    category=rng.choice(categories),
                    administrative_unit=settlement.unit,
                    settlement=settlement,
                    service=rng.choice(services),
                    public_answer=rng.choice(ANSWERS),
                    questions=version,
                    answers=answers,
                )
            )
            if len(batch) == 2000:
                Need.objects.bulk_create(batch)
                batch = []
        Need.objects.bulk_create(batch)


# What is measured


def streaming_xlsx(queryset) -> int:
    from feedback_forms.exports import write_xlsx

    with tempfile.TemporaryFile() as tmp:
        write_xlsx(queryset, "need", tmp)
        return tmp.tell()


def streaming_csv(queryset) -> int:
    from feedback_forms.exports import stream_csv

    return sum(len(chunk) for chunk in stream_csv(queryset, "need"))


def materialised_rows(queryset) -> tuple[list, list[list]]:
    """Same columns as the streaming export, from every row loaded at once."""
    from feedback_forms.exports import (
        answer_value,
        extra_questions,
        rows_queryset,
        submission_columns,
        yes_no_labels,
    )

    columns = submission_columns("need")
    questions = extra_questions(queryset)
    yes_no = yes_no_labels()
    submissions = list(rows_queryset(queryset, "need"))  # every model instance in memory
    header = [column.header for column in columns] + list(questions.values())
    rows = [
        [column.value(s) for column in columns]
        + [answer_value(s.answers.get(name), yes_no) for name in questions]
        for s in submissions
    ]
    return header, rows


def baseline_xlsx(queryset) -> int:
    from openpyxl import Workbook

    from feedback_forms.exports import clean_text

    header, rows = materialised_rows(queryset)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([clean_text(v) if isinstance(v, str) else v for v in row])
    output = io.BytesIO()
    workbook.save(output)
    return len(output.getvalue())


def baseline_csv(queryset) -> int:
    from feedback_forms.exports import csv_cell_writer

    csv_value = csv_cell_writer()

    header, rows = materialised_rows(queryset)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return len(("\ufeff" + output.getvalue()).encode("utf-8"))


VARIANTS: dict[str, Callable] = {
    "streaming XLSX": streaming_xlsx,
    "baseline XLSX": baseline_xlsx,
    "streaming CSV": streaming_csv,
    "baseline CSV": baseline_csv,
}


def timed(function: Callable, queryset) -> float:
    gc.collect()
    start = time.perf_counter()
    function(queryset)
    return time.perf_counter() - start


def peak_memory(function: Callable, queryset) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        function(queryset)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(queryset, repeats: int, memory_repeats: int) -> dict[str, tuple[float, float]]:
    """Median seconds and median peak MiB per variant (runs interleaved, to share the noise)."""
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    peaks: dict[str, list[int]] = {name: [] for name in VARIANTS}
    for _ in range(repeats):
        for name, function in VARIANTS.items():
            times[name].append(timed(function, queryset))
    for _ in range(memory_repeats):
        for name, function in VARIANTS.items():
            peaks[name].append(peak_memory(function, queryset))
    for name in VARIANTS:
        spread = (max(peaks[name]) - min(peaks[name])) / MiB
        print(
            f"  {name}: times {', '.join(f'{t:.1f}' for t in times[name])} s; "
            f"peaks {', '.join(f'{p / MiB:.1f}' for p in peaks[name])} MiB "
            f"(spread {spread:.2f})",
            flush=True,
        )
    return {
        name: (statistics.median(times[name]), statistics.median(peaks[name]) / MiB)
        for name in VARIANTS
    }


def table(results: dict[int, dict[str, tuple[float, float]]]) -> str:
    lines = [
        "| N | format | streaming peak MiB | baseline peak MiB | memory ratio | "
        "streaming s | baseline s | time ratio |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, result in results.items():
        for file_format in ("XLSX", "CSV"):
            s_time, s_mem = result[f"streaming {file_format}"]
            b_time, b_mem = result[f"baseline {file_format}"]
            lines.append(
                f"| {size:,} | {file_format} | {s_mem:.1f} | {b_mem:.1f} | "
                f"{s_mem / b_mem:.3f} | {s_time:.1f} | {b_time:.1f} | {s_time / b_time:.2f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in DEFAULT_SIZES))
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per variant")
    parser.add_argument(
        "--memory-repeats",
        type=int,
        default=1,
        help="tracemalloc runs per variant (deterministic, and several times slower)",
    )
    parser.add_argument("--budget", type=float, default=240.0)
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    with tempfile.TemporaryDirectory(prefix="bench-exports-") as directory:
        setup_django(Path(directory))
        from django.db import connection

        from feedback_forms.models import Need

        rng = random.Random(2026)  # noqa: S311 -- reproducible fake data
        results: dict[int, dict[str, tuple[float, float]]] = {}
        spent = 0.0
        per_row = 0.0
        for size in sizes:
            if size == OPTIONAL_SIZE and spent + per_row * size > args.budget:
                print(
                    f"skipping N={size:,}: about {per_row * size:.0f} s more would exceed "
                    f"the {args.budget:.0f} s budget",
                    flush=True,
                )
                continue
            add_needs(size - Need.objects.count(), rng)
            queryset = Need.objects.all()
            started = time.perf_counter()
            results[size] = measure(queryset, args.repeats, args.memory_repeats)
            elapsed = time.perf_counter() - started
            spent += elapsed
            per_row = elapsed / size
            print(f"N={size:,} measured in {elapsed:.0f} s", flush=True)
        connection.close()

    print()
    print(
        f"Python {sys.version.split()[0]}, SQLite, {os.cpu_count()} CPUs; "
        f"time: median of {args.repeats} runs; peak: median of {args.memory_repeats} "
        "tracemalloc runs (Python allocations only)."
    )
    print()
    print(table(results))


if __name__ == "__main__":
    main()
