"""The report workbook read back with openpyxl, its background task, and the admin views."""

import io

import openpyxl
import pytest
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry

from cms.core import formatting
from cms.core.roles import CONTENT_EDITORS, PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms import exports
from feedback_forms.models import Evaluation, EvaluationFormField, Need, Status
from feedback_forms.models.submissions import HIDDEN_STATUSES
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from programs.models import MunicipalService, ProgramCategory, Settlement
from reports import workbook as report_workbook
from reports.aggregation import compute_figures
from reports.models import BudgetCommitment, ReportingPeriod, ResultsReport
from reports.tasks import (
    DOWNLOAD_ACTION,
    WORKBOOK_ACTION,
    generate_report_workbook,
    request_workbook,
)
from reports.workbook import build_workbook, sheet_titles

pytestmark = pytest.mark.django_db

CODE = "2026-H1"
ANALYSIS = "მოსახლეობა ყველაზე ხშირად გზების მდგომარეობას აფასებს დაბლა.\n\nმეორე აბზაცი: წყალი."
MINUTES = "შეხვედრას ესწრებოდნენ სამსახურების წარმომადგენლები."
CONTACT_EMAIL = "resident@example.com"
CONTACT_PHONE = "599123456"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'


def grant(user, *codenames: str):
    """A permission beyond the user's role, to show it alone is not enough."""
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="reports", codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)  # drop the cached permissions


@pytest.fixture
def manager(reference_data):
    return staff_user(PLATFORM_MANAGERS, username="manager")


@pytest.fixture
def editor(reference_data):
    return staff_user(CONTENT_EDITORS, username="editor")


@pytest.fixture
def data(evaluation_form, needs_form):
    """Two programs' evaluations (one hidden, one last period) and needs in two places."""
    from programs.tests.factories import ProgramPageFactory

    roads = evaluation_form.get_parent().specific
    water = ProgramPageFactory(parent=roads.get_parent(), slug="water", title="სასმელი წყალი")
    question = EvaluationFormField.objects.filter(field_type="rating").first().clean_name

    def evaluate(program, rating, period=CODE, **extra):
        return EvaluationFactory(
            program=program,
            program_title=program.title,
            category=program.category,
            service=program.responsible_service,
            overall_rating=rating,
            reporting_period=period,
            **extra,
        )

    evaluate(roads, 5, verified=True, answers={question: 4}, questions={question: "მარტივი?"})
    evaluate(roads, 2, answers={question: 2}, contact_email=CONTACT_EMAIL)
    evaluate(roads, 1, contact_phone=CONTACT_PHONE)
    evaluate(roads, 4, status=Status.SPAM)  # hidden: not in the figures
    evaluate(roads, 3, period="2025-H2")  # previous period: only the "previous mean"
    evaluate(water, 4, verified=True)

    city = Settlement.objects.get(name_en="Tskaltubo")
    village = Settlement.objects.exclude(unit=city.unit).first()
    infrastructure = ProgramCategory.objects.get(slug="infrastructure")
    water_category = ProgramCategory.objects.get(slug="water")

    def need(settlement, category, **extra):
        return NeedFactory(
            settlement=settlement,
            administrative_unit=settlement.unit,
            category=category,
            reporting_period=CODE,
            **extra,
        )

    first = need(city, infrastructure, title=FORMULA_TITLE, contact_email=CONTACT_EMAIL)
    need(city, infrastructure, description="ბნელა\x07 საღამოს", contact_phone=CONTACT_PHONE)
    need(village, water_category, status=Status.ASSIGNED)
    need(village, water_category, status=Status.DUPLICATE)  # hidden
    NeedFactory(reporting_period="2025-H2")  # another period: nowhere in this report
    return {"roads": roads, "water": water, "question": question, "need": first}


@pytest.fixture
def report(data):
    period = ReportingPeriod.objects.for_code(CODE)
    report = ResultsReport.objects.create(period=period, analysis_ka=ANALYSIS, minutes=MINUTES)
    report.services_present.set(MunicipalService.objects.all()[:2])
    commitment = BudgetCommitment.objects.create(
        title_ka="გზის რეაბილიტაცია სოფელში",
        report=report,
        service=MunicipalService.objects.get(slug="infrastructure"),
        budget_year=2027,
        estimated_cost="150000.50",
    )
    commitment.needs.add(data["need"])
    return report


def build(report: ResultsReport) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    build_workbook(report, buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def ka(text) -> str:
    with translation.override("ka"):
        return str(text)


def summary_values(book: openpyxl.Workbook) -> dict:
    sheet = book[ka(report_workbook.SUMMARY)]
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row}


def header(sheet) -> list:
    return [cell.value for cell in sheet[1]]


# The workbook


def test_sheets_headers_frozen_panes_and_summary_totals_equal_the_database(report) -> None:
    book = build(report)
    with translation.override("ka"):
        assert book.sheetnames == sheet_titles()
    assert len(book.sheetnames) == 11
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].value and sheet["A1"].font.b, sheet.title
        assert sheet.column_dimensions["A"].width > 10, sheet.title

    values = summary_values(book)
    visible_evaluations = Evaluation.objects.filter(reporting_period=CODE).exclude(
        status__in=HIDDEN_STATUSES
    )
    visible_needs = Need.objects.filter(reporting_period=CODE).exclude(status__in=HIDDEN_STATUSES)
    assert values[ka(report_workbook.EVALUATIONS_COUNTED)] == visible_evaluations.count() == 4
    assert values[ka(report_workbook.NEEDS_COUNTED)] == visible_needs.count() == 3
    assert values[ka(report_workbook.HIDDEN_NEEDS)] == 1
    verified = visible_evaluations.filter(verified=True).count()
    assert values[ka(report_workbook.VERIFIED_SHARE)] == pytest.approx(verified / 4)
    ratings = list(visible_evaluations.values_list("overall_rating", flat=True))
    assert values[ka(report_workbook.MEAN_RATING)] == pytest.approx(sum(ratings) / len(ratings))
    assert values[ka(report_workbook.LOW_SHARE)] == pytest.approx(2 / 4)
    assert values[ka(report_workbook.COMMITMENTS_TOTAL)] == 1
    assert report.period.code in values.values()

    sheet = book[ka(report_workbook.SUMMARY)]
    by_label = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert by_label[ka(report_workbook.VERIFIED_SHARE)].number_format == "0.0%"
    assert by_label[ka(report_workbook.EVALUATIONS_COUNTED)].data_type == "n"


def test_programs_rows_equal_compute_figures_and_the_charts_are_there(report, data) -> None:
    book = build(report)
    figures = compute_figures(CODE)
    sheet = book[ka(report_workbook.PROGRAMS)]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    programs = figures["programs"]
    assert len(rows) == len(programs) + sum(len(p["questions"]) for p in programs)
    for row, program in zip(rows, programs, strict=False):
        assert row[0] == program["title"]
        assert row[4] == program["count"]
        assert row[5] == pytest.approx(program["verified_share"])
        assert row[6] == pytest.approx(program["mean"])
        assert list(row[7:12]) == [program["distribution"][str(r)] for r in range(1, 6)]
        assert row[12] == pytest.approx(program["low_share"])
        assert row[13] == program["previous_count"]
        assert row[14] == program["previous_mean"]
        assert row[15] == program["mean_change"]
    roads = next(p for p in programs if p["title"] == data["roads"].title)
    assert (roads["count"], roads["previous_mean"], roads["mean_change"]) == (3, 3.0, -0.33)
    question_row = rows[len(programs)]
    question = roads["questions"][0]
    assert question_row[0] == data["roads"].title
    assert (question_row[4], question_row[6]) == (question["count"], question["mean"])
    assert sheet.cell(row=2, column=6).number_format == "0.0%"
    assert sheet.cell(row=2, column=13).number_format == "0.0%"

    assert len(sheet._charts) == 1
    series = sheet._charts[0].series[0]
    assert series.val.numRef.f.endswith(f"$G$2:$G${len(programs) + 1}")
    for title in (report_workbook.NEEDS_BY_CATEGORY, report_workbook.NEEDS_BY_PLACE):
        assert len(book[ka(title)]._charts) == 1, title


def test_needs_sheets_and_georgian_text(report) -> None:
    book = build(report)
    figures = compute_figures(CODE)
    categories = book[ka(report_workbook.NEEDS_BY_CATEGORY)]
    counts = {row[0]: row[1] for row in categories.iter_rows(min_row=2, values_only=True)}
    georgian = dict(ProgramCategory.objects.values_list("slug", "name_ka"))
    assert counts == {georgian["infrastructure"]: 2, georgian["water"]: 1}
    assert counts == {row["name_ka"]: row["count"] for row in figures["needs_by_category"]}
    places = book[ka(report_workbook.NEEDS_BY_PLACE)]
    units = {row[0]: row[2] for row in places.iter_rows(min_row=2, values_only=True) if row[0]}
    assert units == {row["name_ka"]: row["count"] for row in figures["needs_by_unit"]}
    settlements = [row[5:8] for row in places.iter_rows(min_row=2, values_only=True) if row[5]]
    assert ("წყალტუბო" in {row[1] for row in settlements}) and sum(r[2] for r in settlements) == 3

    times = book[ka(report_workbook.RESPONSE_TIMES)]
    statuses = {row[3]: row[4] for row in times.iter_rows(min_row=2, values_only=True) if row[3]}
    with translation.override("ka"):
        assert statuses[str(Status.DUPLICATE.label)] == 1
        assert statuses[str(Status.ASSIGNED.label)] == 1

    summary = book[ka(report_workbook.SUMMARY)]
    texts = [row[1] for row in summary.iter_rows(min_row=2, values_only=True) if len(row) > 1]
    assert "მოსახლეობა ყველაზე ხშირად გზების მდგომარეობას აფასებს დაბლა." in texts
    assert "მეორე აბზაცი: წყალი." in texts and MINUTES in texts

    commitments = book[ka(report_workbook.COMMITMENTS)]
    title, service, year, cost, _status, needs, _description = next(
        commitments.iter_rows(min_row=2, values_only=True)
    )
    assert title == "გზის რეაბილიტაცია სოფელში"
    assert service == MunicipalService.objects.get(slug="infrastructure").name_ka
    assert (year, cost) == (2027, 150000.5)
    assert needs == Need.objects.get(title=FORMULA_TITLE).reference
    assert (
        commitments.cell(row=2, column=4).number_format == formatting.XLSX_MONEY_FORMAT
    )  # ₾ after


def test_no_raw_rows_but_links_to_the_exports_of_the_period(
    report, manager, client: Client
) -> None:
    """The workbook is a summary: the rows are in the streaming exports it links to."""
    book = build(report)
    values = {
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    }
    assert CONTACT_EMAIL not in values and CONTACT_PHONE not in values
    digests = set(Evaluation.objects.values_list("person_digest", flat=True))
    digests |= set(Need.objects.values_list("person_digest", flat=True))
    assert not digests & values
    linked = set(Need.objects.filter(commitments__isnull=False).values_list("reference", flat=True))
    others = set(Need.objects.values_list("reference", flat=True)) - linked
    others |= set(Evaluation.objects.values_list("reference", flat=True))
    assert not others & values  # only the commitments' linked needs are named

    summary = book[ka(report_workbook.SUMMARY)]
    links = {
        cell.hyperlink.target
        for row in summary.iter_rows()
        for cell in row
        if cell.hyperlink is not None
    }
    assert links == {
        f"http://testserver/admin/feedback/exports/export/{kind}/?reporting_period={CODE}&format={fmt}"
        for kind in ("evaluation", "need")
        for fmt in ("xlsx", "csv")
    }
    client.force_login(manager)
    for kind, model in (("evaluation", Evaluation), ("need", Need)):
        url = next(link for link in links if f"/{kind}/" in link and link.endswith("csv"))
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, kind
        lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
        # Every submission of the period, hidden ones too; nothing of another period.
        assert len(lines) - 1 == model.objects.filter(reporting_period=CODE).count(), kind


def test_a_sent_report_keeps_its_frozen_figures(report, data) -> None:
    report.figures = compute_figures(CODE)
    report.status = ResultsReport.Status.SENT
    report.save()
    frozen = report.figures["totals"]["evaluations"]
    frozen_water_service_evaluations = next(
        row["evaluations"]
        for row in report.figures["services"]
        if row["service_id"] == data["water"].responsible_service_id
    )
    EvaluationFactory(
        program=data["water"],
        program_title=data["water"].title,
        category=data["water"].category,
        service=data["water"].responsible_service,
        overall_rating=1,
        reporting_period=CODE,
    )
    assert compute_figures(CODE)["totals"]["evaluations"] == frozen + 1

    book = build(ResultsReport.objects.get(pk=report.pk))
    assert summary_values(book)[ka(report_workbook.EVALUATIONS_COUNTED)] == frozen
    programs = book[ka(report_workbook.PROGRAMS)]
    water_row = next(
        row for row in programs.iter_rows(min_row=2, values_only=True) if row[0] == "სასმელი წყალი"
    )
    assert water_row[4] == 1 and water_row[6] == 4.0  # as frozen, not the new rating of 1
    services = book[ka(report_workbook.SERVICES)]
    counted = {row[0]: row[7] for row in services.iter_rows(min_row=2, values_only=True)}
    water_service = data["water"].responsible_service
    assert counted[water_service.name_ka] == frozen_water_service_evaluations


# The task


def test_the_task_stores_the_file_and_sets_the_timestamp(
    report, manager, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request_workbook(report, manager)  # queued after commit, then run (tasks run inline)
    report.refresh_from_db()
    assert report.workbook.name == "reports/results-2026-H1.xlsx"
    assert report.workbook_generated_at is not None
    with report.workbook.open("rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    assert summary_values(book)[ka(report_workbook.EVALUATIONS_COUNTED)] == 4
    entry = ModelLogEntry.objects.get(action=WORKBOOK_ACTION)
    assert entry.user_id == manager.pk and entry.object_id == str(report.pk)

    # Regenerating replaces the file: the old one does not linger in private storage.
    first_name, first_time = report.workbook.name, report.workbook_generated_at
    assert generate_report_workbook.call(report.pk) is True
    report.refresh_from_db()
    assert report.workbook_generated_at > first_time
    assert report.workbook.storage.exists(report.workbook.name)
    if report.workbook.name != first_name:
        assert not report.workbook.storage.exists(first_name)


def test_the_task_logs_failures_and_never_raises(report, monkeypatch, caplog) -> None:
    report.workbook.save("results-2026-H1.xlsx", ContentFile(b"old"), save=True)

    def broken(report, fileobj):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_workbook, "build_workbook", broken)
    assert generate_report_workbook.call(report.pk) is False
    assert "could not be built" in caplog.text
    report.refresh_from_db()
    assert report.workbook_generated_at is None
    assert report.workbook.storage.exists(report.workbook.name)  # the old file is kept
    assert generate_report_workbook.call(987654) is False  # a deleted report


# The admin views


def test_the_print_view_shows_the_figures_and_the_analysis(client: Client, report, manager):
    client.force_login(manager)
    response = client.get(reverse("reports_admin:print", args=[report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ka">' in html and "@media print" in html
    assert "მოსახლეობა ყველაზე ხშირად გზების მდგომარეობას აფასებს დაბლა." in html
    assert MINUTES in html and "გზის რეაბილიტაცია სოფელში" in html
    assert "სოფლის გზების რეაბილიტაცია" in html and "სასმელი წყალი" in html
    assert "2,67" in html  # roads: (5 + 2 + 1) / 3, with the Georgian decimal comma
    assert "-0,33" in html  # and the change from 3.0 last period
    assert "66,7%" in html  # low-rating share of roads
    assert "wagtailadmin" not in html  # standalone: no admin chrome

    english = client.get(reverse("reports_admin:print", args=[report.pk]), {"lang": "en"})
    assert english.status_code == 200 and '<html lang="en">' in english.content.decode()


def test_the_print_view_is_refused_to_a_content_editor(client: Client, report, editor) -> None:
    client.force_login(editor)
    response = client.get(reverse("reports_admin:print", args=[report.pk]))
    assert response.status_code == 403
    assert ANALYSIS[:20] not in response.content.decode()


def test_download_404_before_generation_200_after_and_audited(
    client: Client, report, manager, django_capture_on_commit_callbacks
) -> None:
    client.force_login(manager)
    download = reverse("reports_admin:workbook_download", args=[report.pk])
    assert client.get(download).status_code == 404

    generate = reverse("reports_admin:workbook", args=[report.pk])
    assert client.get(generate).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(generate, {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports_resultsreport:inspect", args=[report.pk])
    sent = list(get_messages(response.wsgi_request))
    assert len(sent) == 1 and sent[0].level == messages.SUCCESS

    print_url = reverse("reports_admin:print", args=[report.pk])
    response = client.post(generate, {"next": print_url})
    assert response["Location"] == print_url

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert 'filename="results-2026-H1.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[0] == ka(report_workbook.SUMMARY)
    entry = ModelLogEntry.objects.get(action=DOWNLOAD_ACTION)
    assert entry.user_id == manager.pk and entry.object_id == str(report.pk)


def test_editors_and_service_representatives_cannot_generate_or_download(
    client: Client, report, editor, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request_workbook(report, None)
    client.force_login(editor)
    assert (
        client.get(reverse("reports_admin:workbook_download", args=[report.pk])).status_code == 403
    )
    assert client.post(reverse("reports_admin:workbook", args=[report.pk])).status_code == 403

    # The report permission alone is not enough for the figures of every service.
    service = grant(staff_user(SERVICE_REPRESENTATIVES, username="service"), "view_resultsreport")
    client.force_login(service)
    assert client.get(reverse("reports_admin:print", args=[report.pk])).status_code == 200
    assert (
        client.get(reverse("reports_admin:workbook_download", args=[report.pk])).status_code == 403
    )
    assert not ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION).exists()


# Review figures and printing


def test_the_services_and_comparison_sheets_equal_the_figures(report, data) -> None:
    book = build(report)
    figures = compute_figures(CODE)
    services = book[ka(report_workbook.SERVICES)]
    rows = list(services.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(figures["services"])
    for row, expected in zip(rows, figures["services"], strict=True):
        assert row[0] == (expected["name_ka"] or ka(gettext_lazy("Not yet assigned to a service")))
        assert list(row[1:3]) == [expected["needs"], expected["answered"]]
        assert list(row[4:6]) == [expected["open"], expected["overdue"]]
        assert row[6] == expected["median_days"]
        assert list(row[7:9]) == [expected["evaluations"], expected["low_rated"]]
    roads_service = data["roads"].responsible_service.name_ka
    roads = next(row for row in rows if row[0] == roads_service)
    assert (roads[7], roads[8]) == (3, 2)  # ratings 5, 2, 1 (the spam one is hidden)

    comparison = book[ka(report_workbook.COMPARISON)]
    assert header(comparison)[1:3] == [
        ka(gettext_lazy("This period (%(period)s)")) % {"period": CODE},
        ka(gettext_lazy("Previous period (%(period)s)")) % {"period": "2025-H2"},
    ]
    values = {row[0]: row[1:4] for row in comparison.iter_rows(min_row=2, values_only=True)}
    assert values[ka(report_workbook.EVALUATIONS_COUNTED)] == (4, 1, 3)
    assert values[ka(report_workbook.NEEDS_COUNTED)] == (3, 1, 2)  # one need in 2025-H2
    infrastructure = ProgramCategory.objects.get(slug="infrastructure").name_ka
    assert values[infrastructure] == (2, 1, 1)  # the 2025-H2 need is infrastructure too
    compared = book[ka(report_workbook.SERVICES_COMPARED)]
    names = [row[0] for row in compared.iter_rows(min_row=2, values_only=True)]
    assert roads_service in names and len(names) == len(figures["comparison"]["services"])


def test_a_report_frozen_before_the_review_figures_still_builds(report) -> None:
    figures = compute_figures(CODE)
    del figures["services"], figures["comparison"]
    ResultsReport.objects.filter(pk=report.pk).update(
        status=ResultsReport.Status.SENT, figures=figures
    )
    book = build(ResultsReport.objects.get(pk=report.pk))
    for title in (
        report_workbook.SERVICES,
        report_workbook.COMPARISON,
        report_workbook.SERVICES_COMPARED,
    ):
        sheet = book[ka(title)]
        assert sheet.cell(row=2, column=1).value == ka(report_workbook.NOT_RECORDED), title
        assert sheet.max_row == 2, title
    assert summary_values(book)[ka(report_workbook.EVALUATIONS_COUNTED)] == 4


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_its_header(report) -> None:
    book = build(report)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.paperSize) == report_workbook.PAPER_SIZE_A4, sheet.title
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert sheet.oddHeader.right.text == "&A", sheet.title
        assert str(report) in sheet.oddHeader.left.text, sheet.title


def test_no_text_is_clipped_and_no_header_word_is_cut(report) -> None:
    """Text cells wrap, each row is as tall as its longest wrapped text, and the columns are
    as wide as the longest word of their header."""
    ResultsReport.objects.filter(pk=report.pk).update(analysis_ka="ძალიან გრძელი ტექსტი " * 60)
    book = build(ResultsReport.objects.get(pk=report.pk))
    tall_rows = 0
    for sheet in book.worksheets:
        widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
        for row in sheet.iter_rows():
            needed = 1
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)
                width = widths.get(cell.column_letter) or report_workbook.DEFAULT_WIDTH
                needed = max(needed, report_workbook.lines_needed(cell.value, width))
                if cell.row == 1:
                    longest = max((len(word) for word in cell.value.split()), default=0)
                    assert longest <= width * report_workbook.CHARACTERS_PER_WIDTH, cell.value
            if needed > 1:
                tall_rows += 1
                height = sheet.row_dimensions[row[0].row].height
                assert height >= needed * report_workbook.LINE_HEIGHT_PT, (sheet.title, row[0].row)
    assert tall_rows > 5
    assert report_workbook.lines_needed("ა" * 10, 10) == 2  # 9 letters a line at width 10
    assert report_workbook.lines_needed("ერთი ორი\nსამი", 40) == 2


def test_every_chart_fits_on_one_printed_page(report) -> None:
    book = build(report)
    charted = 0
    for sheet in book.worksheets:
        breaks = {brk.id for brk in sheet.row_breaks.brk}
        for chart in sheet._charts:
            charted += 1
            assert chart.height <= report_workbook.CHART_MAX_HEIGHT_CM, sheet.title
            first_row = chart.anchor._from.row + 1  # openpyxl counts rows from 0 here
            # Either at the top of the sheet (beside its table) or after a page break.
            assert first_row == 2 or first_row - 1 in breaks, (sheet.title, first_row)
            if first_row > 2:
                assert first_row - 1 >= sheet.max_row, sheet.title  # under the whole table
    assert charted == 3
