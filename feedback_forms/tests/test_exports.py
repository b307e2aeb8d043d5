"""Exports of submissions: what is in the file, who gets which rows, jobs, downloads and audit."""

import csv
import datetime
import io
import itertools

import openpyxl
import pytest
import xlsxwriter
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.log_actions import LogActionRegistry
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from cms.core.roles import ANALYSTS, CONTENT_EDITORS, PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms import export_jobs, exports
from feedback_forms.export_jobs import DOWNLOAD_ACTION, EXPORT_ACTION, start_export
from feedback_forms.export_views import (
    register_export_log_actions,
)
from feedback_forms.exports.xlsx import row_writer
from feedback_forms.models import Evaluation, ExportJob, Need, Status
from feedback_forms.references import new_reference
from programs.models import MunicipalService, ProgramCategory, Settlement

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
_digests = itertools.count(1)


@pytest.fixture
def services(reference_data) -> dict[str, MunicipalService]:
    return {service.slug: service for service in MunicipalService.objects.all()}


def submission_fields(service, **overrides) -> dict:
    number = next(_digests)
    fields = {
        "reference": new_reference(),
        "reporting_period": "2025-H1",
        "budget_year": 2025,
        "person_digest": f"{number:064x}",
        "key_version": 1,
        "birth_year": 1980,
        "is_adult": True,
        "contact_email": "resident@example.com",
        "contact_phone": "599123456",
        "idempotency_key": f"idem-{number}",
        "service": service,
    }
    fields.update(overrides)
    return fields


def make_evaluation(service, created_at=None, **overrides) -> Evaluation:
    fields = {
        "program_title": "სოფლის გზების რეაბილიტაცია",
        "category": ProgramCategory.objects.get(slug="infrastructure"),
        "overall_rating": 4,
        "used_on": datetime.date(2025, 2, 1),
        **overrides,
    }
    evaluation = Evaluation.objects.create(**submission_fields(service, **fields))
    if created_at:
        Evaluation.objects.filter(pk=evaluation.pk).update(created_at=created_at)
        evaluation.refresh_from_db()
    return evaluation


def make_need(service, created_at=None, **overrides) -> Need:
    settlement = Settlement.objects.select_related("unit").first()
    fields = {
        "title": "ქუჩის განათება",
        "description": "რუსთაველის ქუჩაზე საღამოს ბნელა.",
        "category": ProgramCategory.objects.get(slug="infrastructure"),
        "administrative_unit": settlement.unit,
        "settlement": settlement,
        **overrides,
    }
    need = Need.objects.create(**submission_fields(service, **fields))
    if created_at:
        Need.objects.filter(pk=need.pk).update(created_at=created_at)
        need.refresh_from_db()
    return need


def export_url(kind: str, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('feedback_exports:export', args=[kind])}?{query}"


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def read_xlsx(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(content_of(response)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    raw = content_of(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def signed_in(client: Client, role, username: str):
    user = staff_user(role, username=username)
    client.force_login(user)
    return user


def header_of(model, name: str) -> str:
    return exports.field_header(model, name)


# What is in the file


def test_xlsx_has_the_rows_georgian_text_tbilisi_time_numbers_and_every_form_version(
    client: Client, services, evaluation_form
) -> None:
    signed_in(client, ANALYSTS, "analyst")
    easy, improve = evaluation_form.get_questions()  # the form's two questions, in its order
    old = make_evaluation(
        services["infrastructure"],
        created_at=datetime.datetime(2025, 1, 10, 9, 0, tzinfo=UTC),
        form_page=evaluation_form,
        questions=evaluation_form.get_questions(),
        answers={easy: 3, improve: "კარგი იყო"},
    )
    new = make_evaluation(
        services["social"],
        created_at=datetime.datetime(2025, 3, 1, 8, 30, tzinfo=UTC),
        form_page=evaluation_form,
        questions={easy: "რამდენად მარტივი იყო ჩართვა?", "people": "რამდენ ადამიანს ეხება?"},
        answers={easy: 5, "people": 12.5},
        overall_rating=2,
    )
    make_need(services["social"])  # another kind never leaks in

    rows = read_xlsx(client.get(export_url("evaluation", format="xlsx")))

    header, body = rows[0], rows[1:]
    assert len(body) == Evaluation.objects.count() == 2
    assert header[0] == header_of(Evaluation, "reference")
    # Extra questions of both form versions: order of first appearance, latest label.
    assert header[-3:] == [
        "რამდენად მარტივი იყო ჩართვა?",
        "რა უნდა გაუმჯობესდეს?",
        "რამდენ ადამიანს ეხება?",
    ]
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    newest = by_reference[new.reference]
    assert newest[header_of(Evaluation, "program_title")] == "სოფლის გზების რეაბილიტაცია"
    assert newest[header_of(Evaluation, "service")] == services["social"].name_ka
    assert newest[header_of(Evaluation, "created_at")] == datetime.datetime(2025, 3, 1, 12, 30)
    assert newest[header_of(Evaluation, "overall_rating")] == 2
    assert newest[header_of(Evaluation, "used_on")] == datetime.datetime(2025, 2, 1)
    assert newest["რამდენად მარტივი იყო ჩართვა?"] == 5
    assert newest["რამდენ ადამიანს ეხება?"] == 12.5
    assert newest["რა უნდა გაუმჯობესდეს?"] is None
    oldest = by_reference[old.reference]
    assert oldest["რა უნდა გაუმჯობესდეს?"] == "კარგი იყო"
    assert oldest["რამდენად მარტივი იყო ჩართვა?"] == 3
    assert [row[0] for row in body] == [new.reference, old.reference]  # newest first


def test_headers_follow_the_admin_language(client: Client, services) -> None:
    user = signed_in(client, ANALYSTS, "analyst")
    make_need(services["social"])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()

    header = read_csv(client.get(export_url("need", format="csv")))[0]

    assert header[:5] == ["Reference", "Submitted at", "Reporting period", "Budget year", "Status"]
    assert "Settlement" in header and "Description" in header


def test_csv_is_utf8_with_bom_and_neutralises_formulas(client: Client, services) -> None:
    signed_in(client, PLATFORM_MANAGERS, "manager")
    hostile = {
        "a": "=cmd|' /C calc'!A0",
        "b": "+1+2",
        "c": "-2+3",
        "d": "@SUM(A1)",
        "e": "\tTab",
        "f": "\rCR",
        "g": "bell\x07byte",
        "h": -7,
    }
    need = make_need(
        services["infrastructure"],
        title='=HYPERLINK("http://evil")',
        description="წყალი\x0b მხოლოდ დილით მოდის",
        questions={name: f"კითხვა {name}" for name in hostile},
        answers=hostile,
    )

    header, row = read_csv(client.get(export_url("need", format="csv")))

    cells = dict(zip(header, row, strict=True))
    assert cells[header_of(Need, "reference")] == need.reference
    assert cells[header_of(Need, "title")] == '\'=HYPERLINK("http://evil")'
    assert cells[header_of(Need, "description")] == "წყალი მხოლოდ დილით მოდის"
    assert cells["კითხვა a"] == "'=cmd|' /C calc'!A0"
    assert cells["კითხვა b"] == "'+1+2"
    assert cells["კითხვა c"] == "'-2+3"
    assert cells["კითხვა d"] == "'@SUM(A1)"
    assert cells["კითხვა e"] == "'\tTab"
    assert cells["კითხვა f"] == "'\rCR"
    assert cells["კითხვა g"] == "bellbyte"
    assert cells["კითხვა h"] == "-7"  # a number, not text: left alone


def test_xlsx_writes_formula_looking_text_as_strings_and_drops_control_characters(
    client: Client, services
) -> None:
    signed_in(client, PLATFORM_MANAGERS, "manager")
    make_need(
        services["infrastructure"],
        title="=cmd|' /C calc'!A0",
        description="ბნელა\x01 და\x0b ცივა\x1f",
        public_answer="@SUM(1)",
        questions={"count": "რამდენი?", "note": "შენიშვნა"},
        answers={"count": -3, "note": "+995 599"},
    )

    response = client.get(export_url("need", format="xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(content_of(response)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))

    title = cells[header_of(Need, "title")]
    assert title.value == "=cmd|' /C calc'!A0" and title.data_type == "s"
    assert cells[header_of(Need, "public_answer")].data_type == "s"
    assert cells["შენიშვნა"].value == "+995 599" and cells["შენიშვნა"].data_type == "s"
    assert cells[header_of(Need, "description")].value == "ბნელა და ცივა"
    assert cells["რამდენი?"].value == -3 and cells["რამდენი?"].data_type == "n"
    assert cells[header_of(Need, "birth_year")].value == 1980


def test_libreoffice_opens_the_xlsx_export_with_text_left_as_text(
    client: Client, services, tmp_path
) -> None:
    """What an analyst's LibreOffice reads (the file is written by XlsxWriter): the Georgian
    text, numbers as numbers, formula-looking text as text (never evaluated), dates by day.
    Skips without LibreOffice on a developer's machine, fails under CI=true."""
    import os
    import shutil
    import subprocess

    soffice = next(
        (path for path in ("/usr/bin/soffice", "/usr/bin/libreoffice") if os.path.exists(path)),
        shutil.which("soffice"),
    )
    if soffice is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("LibreOffice is needed under CI (apt-get install libreoffice-calc-nogui)")
        pytest.skip("LibreOffice is not installed")
    signed_in(client, PLATFORM_MANAGERS, "manager")
    need = make_need(
        services["infrastructure"],
        title="=1+1",
        description="წყალი მხოლოდ დილით მოდის",
        questions={"count": "რამდენი?"},
        answers={"count": 12},
    )
    workbook = tmp_path / "needs.xlsx"
    workbook.write_bytes(content_of(client.get(export_url("need", format="xlsx"))))
    subprocess.run(  # noqa: S603
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path),
         str(workbook)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO((tmp_path / "needs.csv").read_text("utf-8"))))
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells[header_of(Need, "reference")] == need.reference
    assert cells[header_of(Need, "title")] == "=1+1"  # not 2: text, not a formula
    assert cells[header_of(Need, "description")] == "წყალი მხოლოდ დილით მოდის"
    assert cells["რამდენი?"] == "12"
    created = exports.local_naive(need.created_at)
    assert cells[header_of(Need, "created_at")] == f"{created:%d.%m.%Y %H:%M}"


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_no_personal_data_leaves_in_an_export(client: Client, services, file_format) -> None:
    signed_in(client, ANALYSTS, "analyst")
    need = make_need(services["infrastructure"])
    evaluation = make_evaluation(services["infrastructure"])

    for kind, submission in (("need", need), ("evaluation", evaluation)):
        response = client.get(export_url(kind, format=file_format))
        reader = read_xlsx if file_format == "xlsx" else read_csv
        text = repr(reader(response))
        assert submission.reference in text
        for secret in (
            submission.person_digest,
            submission.contact_email,
            submission.contact_phone,
            submission.idempotency_key,
        ):
            assert secret not in text
        for field in ("person_digest", "key_version", "contact_email", "contact_phone"):
            assert header_of(type(submission), field) not in text


def test_questions_keep_the_order_they_first_appeared_in(services) -> None:
    service = services["social"]
    make_need(service, created_at=datetime.datetime(2025, 3, 1, tzinfo=UTC), questions={"b": "B"})
    make_need(service, created_at=datetime.datetime(2025, 1, 1, tzinfo=UTC), questions={"z": "Z1"})
    make_need(service, created_at=datetime.datetime(2025, 5, 1, tzinfo=UTC), questions={"z": "Z2"})
    make_need(service, questions={})

    assert exports.extra_questions(Need.objects.all()) == {"z": "Z2", "b": "B"}


def test_nul_and_other_control_characters_never_break_a_file() -> None:
    """PostgreSQL cannot even store NUL, but imported or SQLite data might carry it."""
    assert exports.clean_text("a\x00b\x0bc\x1fd\te\nf") == "abcd\te\nf"
    assert exports.csv_cell_writer()("\x00=1+1") == "'=1+1"
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = workbook.add_worksheet()
    row_writer(workbook, sheet)(0, ["x\x00y", "\x00=1+1", -1, None, "", "@SUM(A1)"])
    workbook.close()
    row = next(openpyxl.load_workbook(buffer).active.iter_rows())
    assert [cell.value for cell in row] == ["xy", "=1+1", -1, None, None, "@SUM(A1)"]
    assert row[1].data_type == "s"  # text, not a formula Excel would run


# Who gets which rows


def test_a_service_representative_exports_only_their_service(client: Client, services) -> None:
    representative = signed_in(client, SERVICE_REPRESENTATIVES, "service")
    own, other = services["infrastructure"], services["social"]
    own.representatives.add(representative)
    mine = {make_need(own).reference for _ in range(2)}
    make_need(other)
    make_need(None)

    rows = read_xlsx(client.get(export_url("need", format="xlsx")))
    assert {row[0] for row in rows[1:]} == mine

    rows = read_csv(client.get(export_url("need", format="csv", service=other.pk)))
    assert rows[1:] == []


def test_an_editor_cannot_export(client: Client, services) -> None:
    signed_in(client, CONTENT_EDITORS, "editor")
    make_need(services["social"])

    for kind in ("need", "evaluation"):
        response = client.get(export_url(kind, format="csv"))
        assert response.status_code == 403
        assert b"resident@example.com" not in response.content
    assert not ExportJob.objects.exists()


def test_an_analyst_exports_every_service(client: Client, services) -> None:
    signed_in(client, ANALYSTS, "analyst")
    for service in (services["social"], services["culture"], None):
        make_evaluation(service)

    rows = read_csv(client.get(export_url("evaluation", format="csv")))
    assert len(rows) - 1 == Evaluation.objects.count() == 3


def test_the_listing_filters_apply(client: Client, services) -> None:
    signed_in(client, ANALYSTS, "analyst")
    service = services["infrastructure"]
    jan = datetime.datetime(2025, 1, 15, 10, 0, tzinfo=UTC)
    jul = datetime.datetime(2025, 7, 15, 10, 0, tzinfo=UTC)
    new_h1 = make_need(service, created_at=jan)
    answered_h1 = make_need(service, created_at=jan, status=Status.RESOLVED)
    new_h2 = make_need(service, created_at=jul, reporting_period="2025-H2")

    def references(**params) -> set[str]:
        rows = read_csv(client.get(export_url("need", format="csv", **params)))
        return {row[0] for row in rows[1:]}

    assert references(status="new") == {new_h1.reference, new_h2.reference}
    assert references(reporting_period="2025-H1") == {new_h1.reference, answered_h1.reference}
    assert references(created_at_from="2025-07-01", created_at_to="2025-07-31") == {
        new_h2.reference
    }
    assert references(status="resolved", reporting_period="2025-H2") == set()


def test_bad_format_and_kind_are_refused_without_an_error(client: Client, services) -> None:
    signed_in(client, ANALYSTS, "analyst")
    assert client.get(export_url("need", format="pdf")).status_code == 400
    assert client.get(export_url("person", format="csv")).status_code == 404
    assert client.get(export_url("need", format="")).status_code == 400
    # An invalid filter value gives an empty file, not an error.
    make_need(services["social"])
    rows = read_csv(client.get(export_url("need", format="csv", reporting_period="nonsense")))
    assert rows[1:] == []


def test_xlsx_is_the_default_format(client: Client, services) -> None:
    signed_in(client, ANALYSTS, "analyst")
    make_need(services["social"])
    response = client.get(reverse("feedback_exports:export", args=["need"]))
    assert len(read_xlsx(response)) == 2


# Background jobs


def test_a_big_export_becomes_a_job_only_its_owner_downloads(
    client: Client, services, settings, django_capture_on_commit_callbacks
) -> None:
    settings.FEEDBACK_EXPORT_INLINE_MAX_ROWS = 2
    owner = signed_in(client, PLATFORM_MANAGERS, "manager")
    references = {make_need(services["social"]).reference for _ in range(3)}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(export_url("need", format="xlsx", status="new"))

    assert response.status_code == 302
    assert response.url == reverse("feedback_exports:jobs")
    job = ExportJob.objects.get()
    assert job.requested_by == owner
    assert (job.status, job.row_count, job.kind, job.file_format) == ("ready", 3, "need", "xlsx")
    assert job.query == {"status": ["new"]}
    assert job.finished_at is not None and job.file.name.startswith("exports/")

    listing = client.get(reverse("feedback_exports:jobs"))
    assert listing.status_code == 200
    download = reverse("feedback_exports:download", args=[job.pk])
    assert download in listing.content.decode()

    rows = read_xlsx(client.get(download))
    assert {row[0] for row in rows[1:]} == references

    other = staff_user(PLATFORM_MANAGERS, username="other-manager")
    client.force_login(other)
    assert client.get(download).status_code == 404
    assert download not in client.get(reverse("feedback_exports:jobs")).content.decode()


def test_a_job_rebuilds_the_rows_within_its_owners_scope(
    client: Client, services, settings, django_capture_on_commit_callbacks
) -> None:
    settings.FEEDBACK_EXPORT_INLINE_MAX_ROWS = 1
    representative = signed_in(client, SERVICE_REPRESENTATIVES, "service")
    own, other = services["infrastructure"], services["social"]
    own.representatives.add(representative)
    mine = {make_need(own).reference for _ in range(3)}
    for _ in range(2):
        make_need(other)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(export_url("need", format="csv"))
    assert response.status_code == 302

    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.READY and job.row_count == 3
    rows = read_csv(client.get(reverse("feedback_exports:download", args=[job.pk])))
    assert {row[0] for row in rows[1:]} == mine

    # Asking the job for another service's rows yields none, never foreign ones.
    with django_capture_on_commit_callbacks(execute=True):
        sneaky = start_export(representative, "need", "csv", {"service": [str(other.pk)]})
    sneaky.refresh_from_db()
    assert sneaky.status == ExportJob.Status.READY and sneaky.row_count == 0


def test_an_unfinished_job_is_not_downloadable(client: Client, services) -> None:
    owner = signed_in(client, ANALYSTS, "analyst")
    job = ExportJob.objects.create(requested_by=owner, kind="need", file_format="csv")
    assert client.get(reverse("feedback_exports:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("feedback_exports:download", args=[job.pk + 99])).status_code == 404


def test_a_failing_job_is_marked_failed_and_never_raises(
    services, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    analyst = staff_user(ANALYSTS, username="analyst")
    make_need(services["social"])

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_jobs, "write_xlsx", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_export(analyst, "need", "xlsx", {})

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "RuntimeError: disk full"
    assert not job.file
    assert not ModelLogEntry.objects.filter(action=EXPORT_ACTION).exists()


def test_start_export_refuses_unknown_kinds_and_formats(services) -> None:
    analyst = staff_user(ANALYSTS, username="analyst")
    with pytest.raises(ValueError):
        start_export(analyst, "person", "csv", {})
    with pytest.raises(ValueError):
        start_export(analyst, "need", "pdf", {})
    assert not ExportJob.objects.exists()


# Audit


def test_exports_and_downloads_are_in_the_audit_log(
    client: Client, services, settings, django_capture_on_commit_callbacks
) -> None:
    analyst = signed_in(client, ANALYSTS, "analyst")
    for _ in range(3):
        make_evaluation(services["social"])

    content_of(client.get(export_url("evaluation", format="csv", reporting_period="2025-H1")))
    settings.FEEDBACK_EXPORT_INLINE_MAX_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        client.get(export_url("evaluation", format="xlsx"))
    job = ExportJob.objects.exclude(file="").get()
    content_of(client.get(reverse("feedback_exports:download", args=[job.pk])))

    job_type = ContentType.objects.get_for_model(ExportJob)
    entries = ModelLogEntry.objects.filter(content_type=job_type).order_by("timestamp", "pk")
    assert [entry.action for entry in entries] == [EXPORT_ACTION, EXPORT_ACTION, DOWNLOAD_ACTION]
    assert all(entry.user_id == analyst.pk for entry in entries)
    inline, background, download = entries
    assert inline.data == {
        "kind": "evaluation",
        "format": "csv",
        "rows": 3,
        "filters": {"reporting_period": ["2025-H1"]},
        "job": int(inline.object_id),
        "inline": True,
    }
    assert background.data["rows"] == 3 and background.data["inline"] is False
    assert background.object_id == download.object_id == str(job.pk)
    assert download.data["format"] == "xlsx"


def test_the_log_actions_have_labels_and_messages(services) -> None:
    registry = LogActionRegistry()
    register_export_log_actions(registry)
    entry = ModelLogEntry(action=EXPORT_ACTION, data={"rows": 12, "kind": "need", "format": "csv"})
    with translation.override("en"):
        labels = dict(registry.choices)
        assert str(labels[EXPORT_ACTION]) == "Export submissions"
        assert str(labels[DOWNLOAD_ACTION]) == "Download export"
        message = registry.formatters[EXPORT_ACTION].format_message(entry)
        assert message == "Exported 12 rows (needs, csv)"


# Streaming


def test_rows_are_read_in_chunks(services, monkeypatch) -> None:
    """The export never asks for every row at once: it iterates the query in chunks."""
    for _ in range(5):
        make_need(services["social"])
    monkeypatch.setattr(exports.columns, "CHUNK_SIZE", 2)
    seen = []
    original = type(Need.objects.all()).iterator

    def spy(self, chunk_size=None):
        seen.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(type(Need.objects.all()), "iterator", spy)
    buffer = io.BytesIO()
    assert exports.write_csv(Need.objects.all(), "need", buffer) == 5
    assert seen == [2]
    assert buffer.getvalue().startswith(b"\xef\xbb\xbf")


def test_the_jobs_page_describes_each_export_in_the_listings_words(
    client: Client, services
) -> None:
    analyst = signed_in(client, ANALYSTS, "analyst")
    UserProfile.objects.update_or_create(user=analyst, defaults={"preferred_language": "en"})
    ExportJob.objects.create(
        requested_by=analyst,
        kind="need",
        file_format="csv",
        query={"status": ["new", "assigned"], "created_at_from": ["2025-01-01"], "p": ["2"]},
        status=ExportJob.Status.READY,
        row_count=7,
    )

    html = client.get(reverse("feedback_exports:jobs")).content.decode()

    assert "Status: New, Assigned to a service" in html  # names, not raw values (issue 12)
    assert "Submitted between (from): 2025-01-01" in html
    assert "p: 2" in html
    assert "Downloaded directly" in html
