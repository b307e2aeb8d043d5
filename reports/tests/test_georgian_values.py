"""The printable report and the workbook speak the platform's one format and no Mtavruli
(issue 11, items 2-3): "150 000,50 ₾" and "2,67" in Georgian, "150,000.50 ₾" and "2.67" in
English, dates as 20.12.2026, every sheet name, header and label in lowercase Georgian."""

import io
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from cms.core import formatting
from cms.core.georgian import has_mtavruli
from reports.tests import test_workbook as workbook_tests
from reports.workbook import build_workbook

pytestmark = pytest.mark.django_db

# The workbook tests' report, its data and a manager allowed to print it.
data = workbook_tests.data
manager = workbook_tests.manager
report = workbook_tests.report


@pytest.mark.parametrize(
    ("language", "money", "mean"),
    [("ka", "150\xa0000,50\xa0₾", "2,67"), ("en", "150,000.50\xa0₾", "2.67")],
)
def test_the_print_view_writes_money_means_and_dates_in_one_format(
    client: Client, report, manager, language, money, mean
) -> None:
    client.force_login(manager)
    response = client.get(reverse("reports_admin:print", args=[report.pk]), {"lang": language})
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert money in html  # the commitment's estimated cost
    assert mean in html  # the roads' mean rating
    due = report.period.due_on.strftime("%d.%m.%Y")
    assert due in html
    assert not re.search(
        r"\d{1,2}/\d{1,2}/\d{4}|\d\.[^\W\d]{3}\.\d{4}", html
    )  # 12/31/2026, 1.დეკ.2026
    assert not has_mtavruli(html)


def test_the_workbook_has_no_mtavruli_and_the_platforms_formats(report) -> None:
    buffer = io.BytesIO()
    build_workbook(report, buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        xml = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert not has_mtavruli(xml)
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    formats = {cell.number_format for sheet in book for row in sheet.iter_rows() for cell in row}
    assert formatting.XLSX_MONEY_FORMAT in formats  # the commitment's cost, ₾ after it
    assert "yyyy-mm-dd" not in formats and "yyyy-mm-dd hh:mm" not in formats
    labels = [sheet.title for sheet in book] + [
        str(cell.value) for sheet in book for cell in sheet[1] if cell.value
    ]
    assert labels and not any(has_mtavruli(label) for label in labels)


def test_the_public_program_page_and_the_print_view_write_money_alike(
    client: Client, demo_programs
) -> None:
    from programs.models import ProgramPage

    program = ProgramPage.objects.get(slug="rural-roads", locale__language_code="ka")
    html = client.get("/programs/rural-roads/").content.decode()
    assert formatting.format_money(program.budget_amount) in html
    english = client.get("/en/programs/rural-roads/").content.decode()
    assert "2,400,000\xa0₾" in english
