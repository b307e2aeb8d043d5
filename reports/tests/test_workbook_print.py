"""The report workbook as the PR division prints it: LibreOffice converts it to PDF and the
pages of each sheet are counted (every printed page carries its sheet's name in its header).

Without LibreOffice or poppler's pdftotext these tests skip on a developer's machine but FAIL
under CI (CI=true), like the browser tests, so a broken setup can never pass silently.
"""

import io
import itertools
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import translation

from feedback_forms.models import Evaluation, Need, Status
from programs.models import AdministrativeUnit, MunicipalService, ProgramCategory, Settlement
from programs.tests.factories import ProgramPageFactory
from reports.models import BudgetCommitment, ReportingPeriod, ResultsReport
from reports.workbook import build_workbook, sheet_titles

pytestmark = pytest.mark.django_db

CODE = "2026-H1"
SOFFICE_CANDIDATES = ("/usr/bin/soffice", "/usr/bin/libreoffice")
CONVERSION_TIMEOUT = 300
#: The most pages any one sheet may take, and the whole summary: "a few", not 49.
MAX_PAGES_PER_SHEET = 3
MAX_PAGES = 20


def missing_tool(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"The workbook's print test cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def tool(name: str, candidates: tuple[str, ...] = (), package: str = "") -> str:
    for candidate in candidates:
        if Path(candidate).exists():
            return candidate
    found = shutil.which(name)
    if found is None:
        missing_tool(f"{name} is not installed (apt-get install {package or name})")
    return found


@pytest.fixture(scope="session")
def converters() -> dict[str, str]:
    return {
        "soffice": tool("soffice", SOFFICE_CANDIDATES, "libreoffice-calc-nogui"),
        "pdftotext": tool("pdftotext", package="poppler-utils"),
        "pdfinfo": tool("pdfinfo", package="poppler-utils"),
    }


def printed_pages(workbook: bytes, converters: dict[str, str], folder: Path) -> Counter:
    """Pages per sheet title when LibreOffice prints the workbook to PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "results.xlsx"
    source.write_bytes(workbook)
    # The tools' paths come from `tool` (fixed candidates or PATH), the files from tmp_path.
    subprocess.run(  # noqa: S603
        [
            converters["soffice"],
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",  # no clash with others
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=CONVERSION_TIMEOUT,
    )
    pdf = folder / "results.pdf"
    info = subprocess.run(  # noqa: S603
        [converters["pdfinfo"], str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    total = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    text = subprocess.run(  # noqa: S603
        [converters["pdftotext"], "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with translation.override("ka"):
        titles = sheet_titles()
    pages = Counter()
    for page in text.split("\f")[:total]:
        first_line = next((line.strip() for line in page.splitlines() if line.strip()), "")
        # The header's right part is the sheet's name; the longest title that ends the line.
        title = max((t for t in titles if first_line.endswith(t)), key=len, default=None)
        assert title is not None, f"a page without its sheet's header: {first_line!r}"
        pages[title] += 1
    assert sum(pages.values()) == total
    return pages


def save_all(submissions) -> None:
    with transaction.atomic():
        for submission in submissions:
            submission.save()


def add_period_rows(programs: list, needs: int, evaluations: int, offset: int) -> None:
    """Submissions spread over every settlement, category, service and program."""
    settlements = list(Settlement.objects.select_related("unit").order_by("pk"))
    categories = list(ProgramCategory.objects.order_by("pk"))
    services = [*MunicipalService.objects.order_by("pk"), None]
    statuses = [Status.NEW, Status.ASSIGNED, Status.IN_REVIEW, Status.RESOLVED, Status.SPAM]
    cycle = itertools.count(offset)
    # Saved one by one, not bulk-created: `save()` fills what a submission derives from its
    # creation time.
    save_all(
        Need(
            reference=f"N{n:07d}",
            title=f"საჭიროება {n}: ქუჩის განათება და ტროტუარის შეკეთება სკოლასთან",
            description="საღამოს ბნელა.",
            category=categories[n % len(categories)],
            settlement=settlements[n % len(settlements)],
            administrative_unit=settlements[n % len(settlements)].unit,
            service=services[n % len(services)],
            status=statuses[n % len(statuses)],
            public_answer="პასუხი" if statuses[n % len(statuses)] == Status.RESOLVED else "",
            reporting_period=CODE,
            budget_year=2026,
            person_digest=f"{n:064x}",
            key_version=1,
            birth_year=1980,
            is_adult=True,
        )
        for n in itertools.islice(cycle, needs)
    )
    save_all(
        Evaluation(
            reference=f"E{n:07d}",
            program=programs[n % len(programs)],
            program_title=programs[n % len(programs)].title,
            category=programs[n % len(programs)].category,
            service=programs[n % len(programs)].responsible_service,
            overall_rating=n % 5 + 1,
            used_on="2026-03-01",
            reporting_period=CODE,
            budget_year=2026,
            person_digest=f"{n + 10**9:064x}",
            key_version=1,
            birth_year=1980,
            is_adult=True,
        )
        for n in itertools.islice(cycle, evaluations)
    )


@pytest.fixture
def large_report(program_index, reference_data) -> tuple[ResultsReport, list]:
    services = list(MunicipalService.objects.order_by("pk"))
    programs = [
        ProgramPageFactory(
            parent=program_index,
            slug=f"program-{n}",
            title=f"მუნიციპალური პროგრამა ნომერი {n}: სოციალური დახმარება და მხარდაჭერა",
            responsible_service=services[n % len(services)],
        )
        for n in range(8)
    ]
    add_period_rows(programs, needs=400, evaluations=200, offset=0)
    report = ResultsReport.objects.create(
        period=ReportingPeriod.objects.for_code(CODE),
        analysis_ka="\n\n".join(["მოსახლეობის უმრავლესობა გზებსა და წყალს აფასებს. " * 8] * 6),
    )
    for n in range(6):
        commitment = BudgetCommitment.objects.create(
            title_ka=f"ვალდებულება {n}: სოფლის გზის რეაბილიტაცია და განათება",
            description_ka="აღწერა, რომელიც რამდენიმე წინადადებისგან შედგება. " * 5,
            report=report,
            service=services[n % len(services)],
            budget_year=2027,
            estimated_cost=150000,
        )
        commitment.needs.set(Need.objects.order_by("pk")[n * 5 : n * 5 + 5])
    return report, programs


def workbook_bytes(report: ResultsReport) -> bytes:
    buffer = io.BytesIO()
    build_workbook(ResultsReport.objects.get(pk=report.pk), buffer)
    return buffer.getvalue()


def test_the_workbook_prints_on_a_few_pages_whatever_the_number_of_submissions(
    large_report, converters, tmp_path
) -> None:
    report, programs = large_report
    with translation.override("ka"):
        titles = sheet_titles()
    first = printed_pages(workbook_bytes(report), converters, tmp_path / "first")
    assert set(first) == set(titles), "every sheet prints"
    assert max(first.values()) <= MAX_PAGES_PER_SHEET, first
    assert sum(first.values()) <= MAX_PAGES, first
    assert first[titles[0]] <= 2, first  # the summary

    # Five times the submissions (same places, programs and services): the same pages, as
    # the rows are in the exports, not in the workbook.
    add_period_rows(programs, needs=2000, evaluations=1000, offset=10_000)
    assert Need.objects.filter(reporting_period=CODE).count() == 2400
    again = printed_pages(workbook_bytes(report), converters, tmp_path / "again")
    assert again == first


def test_the_page_count_sees_a_sheet_that_grows(large_report, converters, tmp_path) -> None:
    """The counting itself: a sheet with more rows than a page holds prints on more pages."""
    report, _programs = large_report
    units = AdministrativeUnit.objects.count()
    baseline = printed_pages(workbook_bytes(report), converters, tmp_path / "before")
    # Forty more administrative units with needs: the two place tables grow past a page.
    for n in range(40):
        unit = AdministrativeUnit.objects.create(code=f"X{n:02d}", name_ka=f"ერთეული {n}")
        settlement = Settlement.objects.create(unit=unit, name_ka=f"დასახლება {n}")
        for k in range(2):
            Need.objects.create(
                reference=f"X{n:02d}{k}-TST",
                title="საჭიროება",
                description="აღწერა",
                category=ProgramCategory.objects.first(),
                settlement=settlement,
                administrative_unit=unit,
                reporting_period=CODE,
                budget_year=2026,
                person_digest=f"{n * 10 + k + 5 * 10**9:064x}",
                key_version=1,
                birth_year=1980,
                is_adult=True,
            )
    assert AdministrativeUnit.objects.count() == units + 40
    grown = printed_pages(workbook_bytes(report), converters, tmp_path / "after")
    with translation.override("ka"):
        from reports.workbook import NEEDS_BY_PLACE, sheet_title

        places = sheet_title(NEEDS_BY_PLACE)
    assert grown[places] > baseline[places]


def test_a_missing_converter_fails_under_ci_and_skips_elsewhere(monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run under CI"):
        tool("no-such-converter-here", ("/nonexistent/soffice",))
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        tool("no-such-converter-here")
