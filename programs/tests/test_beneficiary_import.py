"""Beneficiary-list import: upload -> dry run -> confirm, as staff see it and as it is stored."""

import datetime
import io
import json
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.ui.menus.pages import get_page_header_buttons
from wagtail.log_actions import registry as log_registry
from wagtail.models import Locale, ModelLogEntry, PageLogEntry
from wagtail.users.models import UserProfile

from cms.core.personal_numbers import digest_personal_number
from cms.core.roles import (
    ANALYSTS,
    CONTENT_EDITORS,
    PLATFORM_MANAGERS,
    SERVICE_REPRESENTATIVES,
    ensure_role_groups,
)
from cms.core.tests.factories import staff_user
from programs import beneficiary_import
from programs.beneficiary_import import (
    DISCARD_ACTION,
    DRY_RUN_ACTION,
    IMPORT_ACTION,
    ImportNotPending,
    clean_personal_number,
    clean_service_date,
)
from programs.models import BeneficiaryImport, BeneficiaryRecord
from programs.tests.factories import ProgramPageFactory

SERVED = datetime.date(2024, 3, 5)
NUMBERS = ["01001012345", "01001012346", "12345678901"]
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


# --- Helpers ----------------------------------------------------------------------------------


def xlsx_bytes(rows, header=("personal number", "date of service")) -> bytes:
    """An .xlsx built like a person would: personal numbers as Text cells unless given as numbers."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for cell in sheet["A"][1:]:
        if isinstance(cell.value, str):
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=("personal_number", "served_on"), delimiter=",", bom=False) -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    text = "\r\n".join(lines) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def valid_rows():
    return [(number, SERVED) for number in NUMBERS]


def upload_url(page) -> str:
    return reverse("programs_beneficiaries:upload", args=[page.pk])


def upload(client: Client, page, content: bytes, name: str = "list.xlsx"):
    return client.post(upload_url(page), {"file": SimpleUploadedFile(name, content)})


def confirm(client: Client, page, batch):
    return client.post(reverse("programs_beneficiaries:confirm", args=[page.pk, batch.pk]))


def discard(client: Client, page, batch):
    return client.post(reverse("programs_beneficiaries:discard", args=[page.pk, batch.pk]))


def count_shown(html: str, label: str) -> int:
    """The number shown next to a label in the counts list (what the person reads)."""
    match = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(\d+)</dd>", html)
    assert match, f"{label!r} not shown"
    return int(match.group(1))


def login(user) -> Client:
    """Staff read the admin in English here so the assertions survive new Georgian texts."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def all_log_data() -> str:
    entries = [*PageLogEntry.objects.all(), *ModelLogEntry.objects.all()]
    return json.dumps([[entry.action, entry.label, entry.data] for entry in entries])


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def program(program_index):
    return ProgramPageFactory(parent=program_index)


@pytest.fixture
def other_program(program_index):
    return ProgramPageFactory(parent=program_index)


@pytest.fixture
def manager(db):
    return staff_user(PLATFORM_MANAGERS, username="manager")


@pytest.fixture
def representative(program):
    user = staff_user(SERVICE_REPRESENTATIVES, username="service")
    program.responsible_service.representatives.add(user)
    return user


@pytest.fixture
def manager_client(manager) -> Client:
    return login(manager)


@pytest.fixture
def representative_client(representative) -> Client:
    return login(representative)


@pytest.fixture
def pending(program, manager_client):
    """A clean list checked by the manager, waiting for confirmation."""
    response = upload(manager_client, program, xlsx_bytes(valid_rows()))
    assert response.status_code == 302
    return BeneficiaryImport.objects.get()


# --- Dry run ----------------------------------------------------------------------------------


def test_dry_run_stores_no_records_and_shows_counts(program, manager_client):
    response = upload(manager_client, program, xlsx_bytes(valid_rows()))

    batch = BeneficiaryImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("programs_beneficiaries:preview", args=[program.pk, batch.pk])
    assert BeneficiaryRecord.objects.count() == 0
    assert batch.status == BeneficiaryImport.Status.PENDING
    assert (batch.total_rows, batch.new_rows, batch.existing_rows) == (3, 3, 0)

    page = manager_client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert count_shown(html, "Rows in the file") == 3
    assert count_shown(html, "New beneficiaries") == 3
    assert count_shown(html, "Already on the list") == 0
    assert "Confirm import" in html
    assert "Discard" in html


def test_row_errors_name_the_row_the_column_and_the_problem(program, manager_client):
    today = timezone.localdate()
    rows = [
        ("01001012345", SERVED),  # row 2: fine
        (1001012345, SERVED),  # row 3: Excel number, leading zero lost
        ("010010123456", SERVED),  # row 4: 12 digits
        ("0100101234A", SERVED),  # row 5: a letter
        ("01001012347", "31.02.2024"),  # row 6: no such date
        ("01001012348", today + datetime.timedelta(days=1)),  # row 7: future
        (None, SERVED),  # row 8: personal number missing
        ("01001012349", None),  # row 9: date missing
        ("01001012340", datetime.date(1999, 12, 31)),  # row 10: before 2000
    ]
    response = upload(manager_client, program, xlsx_bytes(rows))
    html = response.content.decode()

    assert response.status_code == 200
    assert "The file was not imported" in html
    assert "Rows with errors: 8." in html
    assert "Row 3, personal number: must be 11 digits; this one has 10" in html
    assert "Format the column as Text" in html
    assert "Row 4, personal number: must be 11 digits (this one has 12)" in html
    assert "Row 5, personal number: must contain digits only" in html
    assert "Row 6, date of service: is not a date" in html
    assert "Row 7, date of service: is in the future" in html
    assert "Row 8, personal number: is missing" in html
    assert "Row 9, date of service: is missing" in html
    assert "Row 10, date of service: is before the year 2000" in html
    assert "Row 2," not in html
    for technical in ("ConversionSyntax", "Traceback", "ValidationError", "ValueError"):
        assert technical not in html
    assert "Confirm import" not in html
    assert BeneficiaryImport.objects.count() == 0
    assert BeneficiaryRecord.objects.count() == 0


def test_error_messages_never_repeat_the_personal_number(program, manager_client):
    response = upload(manager_client, program, xlsx_bytes([("010010123456", SERVED)]))

    assert "Row 2, personal number" in response.content.decode()
    assert "010010123456" not in response.content.decode()


def test_a_file_with_one_bad_row_stores_nothing(program, manager_client):
    rows = [*valid_rows(), ("123", SERVED)]

    response = upload(manager_client, program, xlsx_bytes(rows))

    assert response.status_code == 200
    assert "Row 5, personal number: must be 11 digits (this one has 3)" in response.content.decode()
    assert BeneficiaryImport.objects.count() == 0
    assert BeneficiaryRecord.objects.count() == 0
    entry = PageLogEntry.objects.get(action=DRY_RUN_ACTION)
    assert entry.data["error_rows"] == 1
    assert entry.data["total_rows"] == 4


def test_excel_numbers_and_dates_are_understood(program, manager_client):
    rows = [
        (12345678901, datetime.datetime(2024, 3, 5, 10, 30)),  # int, real Excel date-time
        (12345678902.0, SERVED),  # float as Excel stores numbers
    ]
    response = upload(manager_client, program, xlsx_bytes(rows))

    assert response.status_code == 302
    assert BeneficiaryImport.objects.get().new_rows == 2


def test_excel_float_with_lost_leading_zero_is_explained(program, manager_client):
    response = upload(manager_client, program, xlsx_bytes([(1001012345.0, SERVED)]))

    html = response.content.decode()
    assert "Row 2, personal number: must be 11 digits; this one has 10" in html
    assert "Excel dropped the leading zero" in html


def test_duplicate_rows_in_one_file_count_once(program, manager_client):
    rows = [
        ("01001012345", SERVED),
        ("010-0101-2345", SERVED),  # the same person, typed with dashes
        ("01001012345", datetime.date(2024, 4, 1)),  # the same person served again: new row
    ]
    response = upload(manager_client, program, xlsx_bytes(rows))
    html = manager_client.get(response.url).content.decode()

    assert count_shown(html, "Rows in the file") == 3
    assert count_shown(html, "New beneficiaries") == 2
    assert count_shown(html, "Repeated in the file (counted once)") == 1

    confirm(manager_client, program, BeneficiaryImport.objects.get())
    assert BeneficiaryRecord.objects.count() == 2


# --- Confirm, re-import, discard --------------------------------------------------------------


def test_confirm_imports_every_row(program, manager_client, pending):
    response = confirm(manager_client, program, pending)

    assert response.status_code == 302
    assert response.url == upload_url(program)
    pending.refresh_from_db()
    assert pending.status == BeneficiaryImport.Status.APPLIED
    assert pending.applied_at is not None
    assert pending.rows == []  # the records hold the digests now
    records = BeneficiaryRecord.objects.filter(program=program)
    assert records.count() == 3
    assert set(records.values_list("batch", flat=True)) == {pending.pk}
    assert set(records.values_list("served_on", flat=True)) == {SERVED}

    page = manager_client.get(response.url)
    html = page.content.decode()
    assert "Beneficiary list imported: 3 new, 0 already on the list." in html
    assert "Beneficiaries on the list: 3" in html
    assert "Imported" in html  # status in the recent imports table


def test_reimporting_the_same_file_adds_nothing(program, manager_client, pending):
    confirm(manager_client, program, pending)

    response = upload(manager_client, program, xlsx_bytes(valid_rows()))
    html = manager_client.get(response.url).content.decode()

    assert count_shown(html, "New beneficiaries") == 0
    assert count_shown(html, "Already on the list") == 3
    second = BeneficiaryImport.objects.get(status=BeneficiaryImport.Status.PENDING)
    confirm(manager_client, program, second)
    assert BeneficiaryRecord.objects.count() == 3
    second.refresh_from_db()
    assert (second.status, second.new_rows, second.existing_rows) == ("applied", 0, 3)


def test_confirm_twice_imports_once(program, manager_client, pending):
    confirm(manager_client, program, pending)
    response = confirm(manager_client, program, pending)

    assert response.status_code == 302
    assert BeneficiaryRecord.objects.count() == 3
    html = manager_client.get(response.url).content.decode()
    assert "This list has already been imported." in html
    with pytest.raises(ImportNotPending):
        beneficiary_import.apply_import(pending, pending.uploaded_by)
    assert BeneficiaryRecord.objects.count() == 3
    assert PageLogEntry.objects.filter(action=IMPORT_ACTION).count() == 1


def test_confirm_of_someone_elses_import_is_refused(program, pending):
    other_manager = staff_user(PLATFORM_MANAGERS, username="manager2")
    client = login(other_manager)

    assert confirm(client, program, pending).status_code == 403
    assert discard(client, program, pending).status_code == 403
    page = client.get(reverse("programs_beneficiaries:preview", args=[program.pk, pending.pk]))
    assert "Confirm import" not in page.content.decode()
    assert "Only the person who uploaded this list" in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == BeneficiaryImport.Status.PENDING
    assert BeneficiaryRecord.objects.count() == 0


def test_confirm_through_another_programs_url_is_not_found(
    program, other_program, manager_client, pending
):
    assert confirm(manager_client, other_program, pending).status_code == 404
    assert BeneficiaryRecord.objects.count() == 0


def test_confirm_needs_post(program, manager_client, pending):
    url = reverse("programs_beneficiaries:confirm", args=[program.pk, pending.pk])
    assert manager_client.get(url).status_code == 405
    assert BeneficiaryRecord.objects.count() == 0


def test_discard_drops_the_pending_list(program, manager_client, pending):
    response = discard(manager_client, program, pending)

    pending.refresh_from_db()
    assert pending.status == BeneficiaryImport.Status.DISCARDED
    assert pending.rows == []
    assert BeneficiaryRecord.objects.count() == 0
    assert "Beneficiary list discarded." in manager_client.get(response.url).content.decode()

    response = confirm(manager_client, program, pending)
    assert "This list was discarded." in manager_client.get(response.url).content.decode()
    assert BeneficiaryRecord.objects.count() == 0


def test_a_new_upload_replaces_the_earlier_pending_one(program, manager_client, pending):
    upload(manager_client, program, xlsx_bytes(valid_rows()[:1]))

    pending.refresh_from_db()
    assert pending.status == BeneficiaryImport.Status.DISCARDED
    confirm(manager_client, program, pending)
    assert BeneficiaryRecord.objects.count() == 0


# --- Bad files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "list.xlsx",
            xlsx_bytes(valid_rows(), header=("name", "date")),
            "The first row of the file must name the columns “personal number”, “date of "
            "service” (in Georgian or English). Missing: “personal number”.",
        ),
        (
            "list.csv",
            csv_bytes([("01001012345", "2024-03-05")], header=("personal number", "amount")),
            "Missing: “date of service”.",
        ),
        ("list.csv", b"", "The file is empty."),
        ("list.xlsx", xlsx_bytes([], header=None), "The file is empty."),
        ("list.csv", b"\r\n\r\n", "The file is empty."),
        ("list.xlsx", xlsx_bytes([]), "The file has column names but no beneficiaries."),
        ("list.csv", csv_bytes([]), "The file has column names but no beneficiaries."),
        ("list.xlsx", b"personal number,date\n01001012345,2024-03-05\n", "not a valid Excel"),
        ("list.xlsx", PNG_BYTES, "not a valid Excel"),
        ("list.png", PNG_BYTES, "Upload an Excel (.xlsx) or CSV (.csv) file."),
        ("list.xls", b"\xd0\xcf\x11\xe0", "Old Excel files (.xls) cannot be read."),
        ("list.csv", PNG_BYTES, "The CSV file is not UTF-8 text."),
        (
            "list.csv",
            "პირადი ნომერი,თარიღი\n".encode("utf-16"),
            "The CSV file is not UTF-8 text.",
        ),
    ],
)
def test_bad_files_get_a_clear_message_and_store_nothing(
    program, manager_client, name, content, message
):
    response = upload(manager_client, program, content, name=name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert BeneficiaryImport.objects.count() == 0
    assert BeneficiaryRecord.objects.count() == 0


def test_a_damaged_workbook_gets_a_message(program, manager_client):
    content = xlsx_bytes(valid_rows())
    damaged = content[: len(content) // 2]

    response = upload(manager_client, program, damaged)

    assert "not a valid Excel" in response.content.decode()


def test_an_oversized_file_is_refused(program, manager_client, settings):
    settings.BENEFICIARY_IMPORT_MAX_BYTES = 1000
    rows = [(f"{n:011d}", "2024-03-05") for n in range(1, 80)]

    response = upload(manager_client, program, csv_bytes(rows), name="list.csv")

    assert response.status_code == 200
    assert "The file is larger than 1000" in response.content.decode()
    assert BeneficiaryImport.objects.count() == 0


def test_too_many_rows_are_refused(program, manager_client, settings):
    settings.BENEFICIARY_IMPORT_MAX_ROWS = 2

    response = upload(manager_client, program, xlsx_bytes(valid_rows()))

    assert "The file has more than 2 rows." in response.content.decode()
    assert BeneficiaryImport.objects.count() == 0


def test_uploads_never_go_to_a_temporary_file(program, manager_client, settings, monkeypatch):
    """Django spools big uploads to disk; the import's handler keeps them in memory."""
    import django.core.files.uploadedfile as uploadedfile

    def no_temporary_files(*args, **kwargs):
        raise AssertionError("an uploaded list was written to a temporary file")

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    monkeypatch.setattr(uploadedfile.tempfile, "NamedTemporaryFile", no_temporary_files)

    response = upload(manager_client, program, xlsx_bytes(valid_rows()))

    assert response.status_code == 302
    assert BeneficiaryImport.objects.get().new_rows == 3


# --- Formats and headers ----------------------------------------------------------------------


def test_csv_with_bom_and_semicolons(program, manager_client):
    content = csv_bytes(
        [
            ("01001012345", "05.03.2024"),
            ("01001012346", "05/03/2024"),
            ("12345678901", "2024-03-05"),
        ],
        header=("Personal Number", "Date of service"),
        delimiter=";",
        bom=True,
    )

    response = upload(manager_client, program, content, name="list.csv")

    assert response.status_code == 302
    batch = BeneficiaryImport.objects.get()
    assert batch.new_rows == 3
    assert {row[2] for row in batch.rows} == {"2024-03-05"}


def test_georgian_headers(program, manager_client):
    content = xlsx_bytes(valid_rows(), header=("პირადი ნომერი", "მომსახურების თარიღი"))

    response = upload(manager_client, program, content)

    assert response.status_code == 302
    assert BeneficiaryImport.objects.get().new_rows == 3


@pytest.mark.parametrize(
    "header",
    [
        ("PERSONAL_NUMBER", "SERVED_ON"),
        ("  personal   number ", "date"),
        ("Personal number", "Date of Service"),
        ("ნომერი?", "პირადი ნომერი", "მომსახურების თარიღი"),  # extra columns are ignored
    ],
)
def test_header_names_are_case_and_space_insensitive(program, manager_client, header):
    rows = [(("x", *row) if len(header) == 3 else row) for row in valid_rows()]

    response = upload(manager_client, program, xlsx_bytes(rows, header=header))

    assert response.status_code == 302


# --- Privacy and audit ------------------------------------------------------------------------


def test_only_digests_are_stored_and_logged(program, manager_client):
    number = "01001012345"
    content = xlsx_bytes([(number, SERVED)])

    response = upload(manager_client, program, content, name=f"{number}.xlsx")
    batch = BeneficiaryImport.objects.get()
    assert number not in json.dumps(batch.rows)
    assert number not in batch.file_name
    confirm(manager_client, program, batch)

    record = BeneficiaryRecord.objects.get()
    expected = digest_personal_number(number)
    assert record.person_digest == expected.digest
    assert record.key_version == expected.key_version
    assert record.person_digest != number
    logged = all_log_data()
    assert number not in logged
    assert expected.digest not in logged
    assert response.status_code == 302


def test_dry_run_confirm_and_discard_are_in_the_audit_log(
    program, manager, manager_client, pending
):
    confirm(manager_client, program, pending)
    upload(manager_client, program, xlsx_bytes(valid_rows()))
    discard(manager_client, program, BeneficiaryImport.objects.get(status="pending"))

    entries = PageLogEntry.objects.filter(
        page=program, action__startswith="programs.beneficiaries."
    ).order_by("timestamp", "pk")
    actions = [entry.action for entry in entries]
    assert actions == [DRY_RUN_ACTION, IMPORT_ACTION, DRY_RUN_ACTION, DISCARD_ACTION]
    assert all(entry.user_id == manager.pk for entry in entries)
    imported = entries.get(action=IMPORT_ACTION)
    assert imported.data["new_rows"] == 3
    assert imported.data["import_id"] == pending.pk
    formatter = log_registry.get_formatter(imported)
    with translation.override("en"):
        assert formatter.format_message(imported) == (
            "Beneficiary list imported: 3 new, 0 already on the list"
        )
    for action in (DRY_RUN_ACTION, IMPORT_ACTION, DISCARD_ACTION):
        assert log_registry.action_exists(action)


def test_the_english_page_imports_into_the_georgian_program(program, representative_client):
    english = program.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )

    response = upload(representative_client, english, xlsx_bytes(valid_rows()))

    assert response.status_code == 302
    batch = BeneficiaryImport.objects.get()
    assert batch.program_id == program.pk
    confirm(representative_client, english, batch)
    assert BeneficiaryRecord.objects.filter(program=program).count() == 3


# --- Permissions ------------------------------------------------------------------------------


def test_platform_manager_imports_for_any_program(program, other_program, manager_client):
    for page in (program, other_program):
        assert manager_client.get(upload_url(page)).status_code == 200
        assert upload(manager_client, page, xlsx_bytes(valid_rows())).status_code == 302
    assert BeneficiaryImport.objects.count() == 2


def test_service_representative_imports_for_their_services_programs_only(
    program, other_program, representative_client, manager_client
):
    assert representative_client.get(upload_url(program)).status_code == 200
    assert upload(representative_client, program, xlsx_bytes(valid_rows())).status_code == 302
    own = BeneficiaryImport.objects.get(program=program)
    assert confirm(representative_client, program, own).status_code == 302
    assert BeneficiaryRecord.objects.filter(program=program).count() == 3

    upload(manager_client, other_program, xlsx_bytes(valid_rows()))
    foreign = BeneficiaryImport.objects.get(program=other_program)
    response = representative_client.get(upload_url(other_program))
    assert response.status_code == 403
    assert "You do not have permission to import beneficiary lists" in response.content.decode()
    assert upload(representative_client, other_program, xlsx_bytes(valid_rows())).status_code == 403
    preview = reverse("programs_beneficiaries:preview", args=[other_program.pk, foreign.pk])
    assert representative_client.get(preview).status_code == 403
    assert confirm(representative_client, other_program, foreign).status_code == 403
    assert discard(representative_client, other_program, foreign).status_code == 403
    foreign.refresh_from_db()
    assert foreign.status == BeneficiaryImport.Status.PENDING
    assert BeneficiaryImport.objects.filter(program=other_program).count() == 1
    assert BeneficiaryRecord.objects.filter(program=other_program).count() == 0


@pytest.mark.parametrize("role", [CONTENT_EDITORS, ANALYSTS])
def test_editors_and_analysts_are_refused(program, pending, role):
    client = login(staff_user(role, username=role.username))

    assert client.get(upload_url(program)).status_code == 403
    assert upload(client, program, xlsx_bytes(valid_rows())).status_code == 403
    assert confirm(client, program, pending).status_code == 403
    assert discard(client, program, pending).status_code == 403
    assert client.get(reverse("programs_beneficiaries:index")).status_code == 403
    assert BeneficiaryImport.objects.count() == 1
    assert BeneficiaryRecord.objects.count() == 0


def test_anonymous_visitors_are_sent_to_the_login(program, pending):
    client = Client()

    for response in (
        client.get(upload_url(program)),
        upload(client, program, xlsx_bytes(valid_rows())),
        confirm(client, program, pending),
        discard(client, program, pending),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))
    assert BeneficiaryRecord.objects.count() == 0


def test_a_missing_program_is_not_found(manager_client, program_index):
    assert manager_client.get(upload_url(program_index)).status_code == 404
    missing = reverse("programs_beneficiaries:upload", args=[999_999])
    assert manager_client.get(missing).status_code == 404


# --- Entry points -----------------------------------------------------------------------------


def test_the_import_button_appears_only_for_permitted_users(program, representative, manager):
    editor = staff_user(CONTENT_EDITORS, username="editor")
    analyst = staff_user(ANALYSTS, username="analyst")
    other_representative = staff_user(SERVICE_REPRESENTATIVES, username="service2")
    url = upload_url(program)

    def shown(page, user) -> bool:
        buttons = get_page_header_buttons(page, user, next_url=None, view_name="edit")
        return any(button.url == url for button in buttons)

    assert shown(program, manager)
    assert shown(program, representative)
    assert not shown(program, editor)
    assert not shown(program, analyst)
    assert not shown(program, other_representative)
    assert not shown(program.get_parent(), manager)  # not a program page


def test_the_import_button_is_on_the_program_edit_page(program):
    """A content editor who is also a platform manager sees the button in the page header."""
    user = staff_user(CONTENT_EDITORS, username="editor-manager")
    user.groups.add(ensure_role_groups()[PLATFORM_MANAGERS.username])
    editor = staff_user(CONTENT_EDITORS, username="editor")
    edit_url = reverse("wagtailadmin_pages:edit", args=[program.pk])

    assert upload_url(program) in login(user).get(edit_url).content.decode()
    assert upload_url(program) not in login(editor).get(edit_url).content.decode()


def test_the_beneficiary_lists_screen_shows_a_representatives_programs(
    program, other_program, representative_client, manager_client
):
    html = representative_client.get(reverse("programs_beneficiaries:index")).content.decode()
    assert upload_url(program) in html
    assert upload_url(other_program) not in html

    html = manager_client.get(reverse("programs_beneficiaries:index")).content.decode()
    assert upload_url(program) in html
    assert upload_url(other_program) in html


def test_the_upload_page_lists_recent_imports(program, manager_client, pending):
    confirm(manager_client, program, pending)

    html = manager_client.get(upload_url(program)).content.decode()

    assert "Recent imports" in html
    assert "list.xlsx" in html
    assert "manager" in html
    assert "Beneficiaries on the list: 3" in html


# --- Cell rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01001012345", "01001012345"),
        (" 0100 101 2345 ", "01001012345"),
        (12345678901, "12345678901"),
        (12345678901.0, "12345678901"),
        ("12345678901.0", "12345678901"),
        ("0100101234٥", "01001012345"),  # an Arabic-Indic digit: the public forms' rule
        ("０１００１０１２３４５", "01001012345"),  # full-width digits
    ],
)
def test_personal_numbers_accepted(value, expected):
    assert clean_personal_number(value) == expected


def test_the_import_and_the_forms_give_one_person_one_digest_in_every_script():
    """Finding 7: one rule (cms.core.personal_numbers) for the list and the forms."""
    import unicodedata

    from cms.core.personal_numbers import digest_canonical, digest_personal_number

    zeros = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Nd"]
    zeros = [zero for zero in zeros if unicodedata.decimal(zero) == 0]
    for zero in zeros:
        typed = "".join(chr(ord(zero) + int(digit)) for digit in "01001012345")
        assert digest_canonical(clean_personal_number(typed)) == digest_personal_number(typed)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "missing"),
        ("  ", "missing"),
        (1001012345, "leading_zero"),
        ("1001012345", "leading_zero"),
        ("1.00101E+10", "scientific"),
        ("0100101234²", "digits"),  # a superscript is not a decimal digit
        (True, "digits"),
        ("00000000000", "repeated"),
        (11111111111, "repeated"),
        ("7777-7777-777", "repeated"),
        (1234.5, "digits"),
        ("123456789012", "length"),
    ],
)
def test_personal_numbers_refused(value, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        clean_personal_number(value)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", SERVED),
        ("05.03.2024", SERVED),
        ("5.3.2024", SERVED),
        ("05/03/2024", SERVED),
        (datetime.datetime(2024, 3, 5, 12, 0), SERVED),
        (SERVED, SERVED),
    ],
)
def test_service_dates_accepted(value, expected):
    assert clean_service_date(value, today=datetime.date(2025, 1, 1)) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("03/15/2024", "invalid"),
        ("yesterday", "invalid"),
        (45356, "invalid"),
        (datetime.date(2025, 1, 2), "future"),
        ("1999-12-31", "too_early"),
        (None, "missing"),
    ],
)
def test_service_dates_refused(value, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        clean_service_date(value, today=datetime.date(2025, 1, 1))
    assert error.value.code == code


def test_upload_and_confirm_check_the_csrf_token(program, manager):
    """The upload view sets its own upload handler, so it checks CSRF itself: prove it does."""
    login(manager)
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    form = client.get(upload_url(program)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    content = xlsx_bytes(valid_rows())

    refused = client.post(upload_url(program), {"file": SimpleUploadedFile("list.xlsx", content)})
    accepted = client.post(
        upload_url(program),
        {"file": SimpleUploadedFile("list.xlsx", content), "csrfmiddlewaretoken": token},
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302
    batch = BeneficiaryImport.objects.get()
    assert confirm(client, program, batch).status_code == 403
    assert BeneficiaryRecord.objects.count() == 0


def test_the_georgian_admin_renders_the_pages(program, manager):
    """Staff who keep the default (Georgian) admin language get the same pages, never a 500."""
    client = Client()
    client.force_login(manager)

    with_errors = upload(client, program, xlsx_bytes([("123", SERVED)]))
    checked = upload(client, program, xlsx_bytes(valid_rows()))

    assert with_errors.status_code == 200
    assert "Row 2" in with_errors.content.decode() or "სტრიქონი 2" in with_errors.content.decode()
    assert checked.status_code == 302
    assert client.get(checked.url).status_code == 200
    assert client.get(upload_url(program)).status_code == 200
