"""Reading a beneficiary list is bounded (issue 10, finding 10): rows read, columns read, cells
per row and CPU time; hostile files are refused at once with a message the staff member can act
on, and large honest lists are checked and imported in the background."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cms.core.roles import PLATFORM_MANAGERS
from cms.core.tests.factories import staff_user
from programs import beneficiary_import as bi
from programs.beneficiary_import import applying
from programs.models import BeneficiaryImport, BeneficiaryRecord
from programs.tests import hostile_sheets
from programs.tests.factories import ProgramPageFactory
from programs.tests.test_beneficiary_import import (
    SERVED,
    confirm,
    csv_bytes,
    login,
    upload,
    xlsx_bytes,
)


@pytest.fixture
def program(program_index):
    return ProgramPageFactory(parent=program_index)


@pytest.fixture
def manager(db):
    return staff_user(PLATFORM_MANAGERS, username="manager")


@pytest.fixture
def manager_client(manager) -> Client:
    return login(manager)


def upload_file(data: bytes, name: str = "list.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refusal(data: bytes, name: str = "list.xlsx") -> str:
    with translation.override("en"), pytest.raises(bi.ImportFileError) as error:
        bi.parse_beneficiary_file(upload_file(data, name))
    with translation.override("en"):
        return str(error.value.message)


class CountingRows:
    """Wraps the row iterator to count how many rows the parser pulled."""

    def __init__(self, rows) -> None:
        self.rows, self.pulled = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.pulled += 1
            yield row


def test_the_118_kb_sheet_of_blank_rows_is_read_only_50_columns_wide() -> None:
    data = hostile_sheets.blank_rows_far_right(24_700)
    assert 110_000 < len(data) < 125_000
    widths = {len(values) for _number, values in bi.iter_xlsx_rows(data)}
    assert max(widths) <= bi.MAX_COLUMNS  # was 16 384 values per row
    assert "no beneficiaries" in refusal(data)


def test_rows_far_below_the_list_are_refused_without_reading_them_all(settings) -> None:
    settings.BENEFICIARY_IMPORT_MAX_ROWS = 100
    settings.BENEFICIARY_IMPORT_EXTRA_ROWS = 50
    data = hostile_sheets.one_row_at_the_bottom()
    rows = CountingRows(bi.iter_xlsx_rows(data))
    with translation.override("en"), pytest.raises(bi.ImportFileError) as error:
        bi.parse_rows(rows, datetime.date.today())
    assert "more than 150 rows, empty rows included" in str(error.value.message)
    assert rows.pulled == 151  # not the 1 048 576 the sheet pretends to have


def test_a_csv_of_empty_lines_is_refused_early(settings) -> None:
    settings.BENEFICIARY_IMPORT_MAX_ROWS = 100
    settings.BENEFICIARY_IMPORT_EXTRA_ROWS = 10
    data = b"personal_number,served_on\r\n" + b",,,\r\n" * 200_000
    assert "empty rows included" in refusal(data, "list.csv")


def test_a_row_of_a_million_cells_is_refused_before_it_is_built() -> None:
    data = hostile_sheets.one_very_wide_row(1_000_000)
    assert len(data) < 20_000
    assert "not a valid Excel workbook" in refusal(data)


def test_a_csv_row_is_read_only_50_columns_wide() -> None:
    data = csv_bytes([("01001012345", "2024-03-05" + ",x" * 10_000)])
    rows = list(bi.iter_csv_rows(data))
    assert max(len(values) for _number, values in rows) == bi.MAX_COLUMNS


def test_reading_stops_when_its_cpu_time_is_used_up(settings) -> None:
    settings.BENEFICIARY_IMPORT_MAX_SECONDS = 0
    rows = [(f"{10_000_000_000 + n:011d}", SERVED) for n in range(bi.CLOCK_EVERY_ROWS + 10)]
    assert "took too long to read" in refusal(xlsx_bytes(rows))


def test_an_honest_list_is_read_whole() -> None:
    rows = [(f"{10_000_000_000 + n * 7:011d}", SERVED) for n in range(1_000)]
    parsed = bi.parse_beneficiary_file(upload_file(xlsx_bytes(rows)))
    assert (parsed.total_rows, parsed.error_rows, len(parsed.rows)) == (1_000, 0, 1_000)


# --- Large lists in the background -------------------------------------------------------


@pytest.mark.django_db
def test_a_large_list_is_checked_and_imported_in_the_background(
    program, manager_client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.BENEFICIARY_IMPORT_INLINE_MAX_ROWS = 2
    rows = [("01001012345", SERVED), ("01001012346", SERVED), ("12345678901", SERVED)]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(manager_client, program, xlsx_bytes(rows))
    assert response.status_code == 302
    batch = BeneficiaryImport.objects.get()
    assert batch.status == BeneficiaryImport.Status.CHECKING
    preview = manager_client.get(response["Location"]).content.decode()
    assert "being compared with the program's list in the background" in preview
    assert "Confirm import" not in preview
    assert confirm(manager_client, program, batch).status_code == 302  # refused, a message
    assert BeneficiaryImport.objects.get().status == BeneficiaryImport.Status.CHECKING

    for callback in queued:  # the worker runs the task
        callback()
    batch.refresh_from_db()
    assert (batch.status, batch.new_rows, batch.existing_rows) == ("pending", 3, 0)
    assert "Confirm import" in manager_client.get(response["Location"]).content.decode()

    with django_capture_on_commit_callbacks(execute=False) as queued:
        done = confirm(manager_client, program, batch)
    assert done.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BeneficiaryImport.Status.IMPORTING
    assert not BeneficiaryRecord.objects.exists()
    message = manager_client.get(done["Location"]).content.decode()
    assert "being imported in the background" in message
    for callback in queued:
        callback()
    batch.refresh_from_db()
    assert (batch.status, batch.new_rows, batch.rows) == ("applied", 3, [])
    assert BeneficiaryRecord.objects.filter(program=program).count() == 3


@pytest.mark.django_db
def test_a_background_import_that_fails_imports_nothing(
    program, manager, settings, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    settings.BENEFICIARY_IMPORT_INLINE_MAX_ROWS = 1
    client = login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, program, xlsx_bytes([("01001012345", SERVED), ("01001012346", SERVED)]))
    batch = BeneficiaryImport.objects.get()
    assert batch.status == BeneficiaryImport.Status.PENDING

    def broken(*args, **kwargs):
        raise bi.ImportFailed(bi.MSG_FAILED)

    monkeypatch.setattr(applying, "import_rows", broken)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, program, batch)
    batch.refresh_from_db()
    assert (batch.status, batch.rows) == (BeneficiaryImport.Status.FAILED, [])
    assert not BeneficiaryRecord.objects.exists()
    page = client.get(reverse("programs_beneficiaries:preview", args=[program.pk, batch.pk]))
    assert "Nothing was imported" in page.content.decode()


@pytest.mark.django_db
def test_a_small_list_is_still_imported_at_once(program, manager_client) -> None:
    response = upload(manager_client, program, xlsx_bytes([("01001012345", SERVED)]))
    batch = BeneficiaryImport.objects.get()
    assert batch.status == BeneficiaryImport.Status.PENDING
    confirm(manager_client, program, batch)
    assert BeneficiaryRecord.objects.count() == 1
    assert response.status_code == 302
