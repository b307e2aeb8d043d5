"""A report covers its whole half-year: sending before the end is refused unless it is an
explicit interim report (labelled wherever it appears), and a submission that arrives for an
already reported half-year is never lost: the next report counts it as "received after the
previous report".

Which submissions can be late, and how each is covered here:
- submitted (online, API, staff) for a half-year after its interim report was sent;
- entered by staff for an earlier day (a paper form, a phone call) whose half-year's report was
  already sent, interim or not;
- committed while a report's figures are being counted (a concurrent request): it is either in
  the figures and marked, or in neither and then counted by the next report.
A hidden submission (spam, duplicate, not eligible) is marked like any other and counted among
the hidden; changing a status after a report was sent is not an arrival (the report keeps the
state it was sent with). Dates are relative to today, so the tests hold on any day.
"""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.core.roles import MAYOR, PLATFORM_MANAGERS
from cms.core.tests.factories import staff_user
from feedback_forms.models import Evaluation, Need, Status
from feedback_forms.periods import period_bounds, period_for_date, previous_period
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory, need_data
from programs.models import ProgramCategory, Settlement
from reports import workflow
from reports.aggregation import compute_figures
from reports.figures import figures_for
from reports.models import ReportingPeriod, ResultsReport
from reports.tests.factories import results_pages
from reports.workbook import build_workbook, workbook_filename
from reports.workflow import cycle

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CURRENT = period_for_date(TODAY)
PREVIOUS = previous_period(CURRENT)


def next_period(code: str) -> str:
    year, half = (int(part) for part in code.split("-H"))
    return f"{year}-H2" if half == 1 else f"{year + 1}-H1"


NEXT = next_period(CURRENT)


@pytest.fixture
def manager(reference_data):
    return staff_user(PLATFORM_MANAGERS, username="manager")


@pytest.fixture
def mayor(reference_data):
    return staff_user(MAYOR, username="mayor")


def report_for(code: str, by) -> ResultsReport:
    report = workflow.compile_report(ReportingPeriod.objects.for_code(code), by=by)
    report.analysis_ka = "ანალიზი"
    report.save()
    return report


def need_in(code: str, **extra) -> Need:
    first_day = period_bounds(code)[0]
    created = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time(10)))
    return NeedFactory(reporting_period=code, created_at=min(created, timezone.now()), **extra)


def late(figures: dict) -> dict:
    return {row["period"]: row for row in figures["late_arrivals"]["by_period"]}


class TestSending:
    def test_before_the_half_year_ends_the_report_is_refused(self, manager) -> None:
        need_in(CURRENT)
        report = report_for(CURRENT, manager)
        with pytest.raises(ValidationError) as refused:
            workflow.send_to_mayor(report, by=manager)
        assert refused.value.code == "period_not_ended"
        report.refresh_from_db()
        assert report.status == ResultsReport.Status.DRAFT and not report.figures
        assert not Need.objects.exclude(reported_in="").exists()

    def test_the_admin_step_says_why_and_offers_the_interim_report(
        self, client: Client, manager
    ) -> None:
        report = report_for(CURRENT, manager)
        client.force_login(manager)
        url = reverse("reports_steps", args=[report.pk, "send"])
        assert "შუალედური ანგარიშის" in client.get(url).content.decode()  # admin is Georgian
        response = client.post(url, {"sent_on": TODAY.isoformat()})
        assert response.status_code == 400
        assert "გააგზავნეთ შუალედური ანგარიშის სახით" in response.content.decode()
        assert ResultsReport.objects.get().status == ResultsReport.Status.DRAFT

    def test_after_the_half_year_ended_the_whole_report_is_sent(self, manager) -> None:
        need_in(PREVIOUS)
        report = report_for(PREVIOUS, manager)
        with pytest.raises(ValidationError) as refused:
            workflow.send_to_mayor(report, by=manager, interim=True)
        assert refused.value.code == "not_interim"
        with pytest.raises(ValidationError) as refused:
            workflow.send_to_mayor(report, by=manager, sent_on=period_bounds(PREVIOUS)[1])
        assert refused.value.code == "sent_before_end"
        with pytest.raises(ValidationError) as refused:
            workflow.send_to_mayor(report, by=manager, sent_on=TODAY + datetime.timedelta(days=1))
        assert refused.value.code == "future"
        workflow.send_to_mayor(report, by=manager)
        report.refresh_from_db()
        assert (report.status, report.is_interim) == (ResultsReport.Status.SENT, False)
        assert report.frozen_at and report.figures["totals"]["needs"] == 1
        assert Need.objects.get().reported_in == PREVIOUS

    def test_the_review_cannot_be_recorded_before_the_meeting(self, manager, mayor) -> None:
        report = report_for(PREVIOUS, manager)
        workflow.send_to_mayor(report, by=manager)
        with pytest.raises(ValidationError) as refused:
            workflow.record_review(
                report,
                by=mayor,
                meeting_on=TODAY + datetime.timedelta(days=2),
                services=[],
                minutes="ოქმი",
            )
        assert refused.value.code == "meeting_future"


class TestAnInterimReport:
    @pytest.fixture
    def interim(self, manager, mayor, site_content) -> ResultsReport:
        results_pages(site_content)
        need_in(CURRENT)
        EvaluationFactory(reporting_period=CURRENT, overall_rating=4)
        report = report_for(CURRENT, manager)
        workflow.send_to_mayor(report, by=manager, interim=True)
        return report

    def test_it_is_logged_and_counts_what_was_there(self, interim) -> None:
        entry = ModelLogEntry.objects.for_instance(interim).get(action=workflow.LOG_SEND)
        assert entry.data["interim"] is True and entry.user.username == "manager"
        assert interim.is_interim and interim.figures["totals"]["needs"] == 1
        assert str(interim).startswith("შედეგების შუალედური ანგარიში")

    def test_it_is_labelled_in_the_admin_the_print_view_and_the_workbook(
        self, client: Client, interim, manager
    ) -> None:
        client.force_login(manager)
        inspect = client.get(reverse("reports_resultsreport:inspect", args=[interim.pk]))
        assert "შუალედური ანგარიში: გაიგზავნა" in inspect.content.decode()
        listing = client.get(reverse("reports_resultsreport:index")).content.decode()
        assert "შედეგების შუალედური ანგარიში" in listing
        printed = client.get(reverse("reports_admin:print", args=[interim.pk]), {"lang": "en"})
        text = printed.content.decode()
        assert "<title>Interim results report" in text and "Interim report" in text
        assert (
            "შედეგების შუალედური ანგარიში"
            in client.get(reverse("reports_admin:print", args=[interim.pk])).content.decode()
        )
        buffer = io.BytesIO()
        build_workbook(interim, buffer)
        book = openpyxl.load_workbook(buffer)
        assert book.properties.title.startswith("შედეგების შუალედური ანგარიში")
        first_rows = list(book.worksheets[0].iter_rows(values_only=True))[:3]
        assert any("შუალედური" in str(value) for row in first_rows for value in row)
        assert workbook_filename(interim).endswith("-interim.xlsx")

    def test_it_is_labelled_on_the_public_page_and_in_open_data(
        self, client: Client, interim, manager, mayor
    ) -> None:
        workflow.record_review(interim, by=mayor, meeting_on=TODAY, services=[], minutes="ოქმი")
        workflow.publish(interim, by=manager)
        page = client.get(f"/en/results/{CURRENT}/").content.decode()
        assert "Interim results for" in page and 'id="interim-notice"' in page
        assert "interim report" in client.get("/en/results/").content.decode()
        assert "შუალედური შედეგები" in client.get(f"/results/{CURRENT}/").content.decode()
        (item,) = client.get("/api/v1/reports").json()
        assert item["interim"] is True and item["counts_until"]

    def test_what_arrives_after_it_is_in_the_next_report(
        self, client: Client, interim, manager, mayor
    ) -> None:
        later = need_in(CURRENT)
        later_evaluation = EvaluationFactory(reporting_period=CURRENT, overall_rating=2)
        hidden = need_in(CURRENT, status=Status.SPAM)
        assert figures_for(interim)["totals"]["needs"] == 1  # the interim report is frozen
        upcoming = compute_figures(NEXT)  # the next report while it is still a draft
        assert late(upcoming) == {
            CURRENT: {"period": CURRENT, "evaluations": 1, "needs": 1, "hidden": 1}
        }
        workflow.record_review(interim, by=mayor, meeting_on=TODAY, services=[], minutes="ოქმი")
        workflow.publish(interim, by=manager)
        page = client.get(f"/en/results/{CURRENT}/").content.decode()
        assert 'id="arrived-after"' in page and "to be counted in the next report" in page
        # The next half-year's report is sent (simulated: its half-year has not begun yet).
        next_report = report_for(NEXT, manager)
        workflow.freeze_figures(next_report, interim=False)
        next_report.status = ResultsReport.Status.SENT
        next_report.save()
        for submission in (later, later_evaluation, hidden):
            submission.refresh_from_db()
            assert submission.reported_in == NEXT
        assert late(next_report.figures)[CURRENT]["needs"] == 1
        page = client.get(f"/en/results/{CURRENT}/").content.decode()
        assert "counted in the report for" in page


def test_a_paper_form_for_a_reported_half_year_is_counted_by_the_next_report(
    client: Client, manager, needs_form
) -> None:
    sent = report_for(PREVIOUS, manager)
    workflow.send_to_mayor(sent, by=manager)
    settlement = Settlement.objects.select_related("unit").first()
    category = ProgramCategory.objects.get(slug="infrastructure")
    received_on = period_bounds(PREVIOUS)[1]
    client.force_login(manager)
    response = client.post(
        reverse("feedback_staff_entry:form", args=[needs_form.pk]),
        {
            **need_data(settlement, category),
            "channel": "paper",
            "received_on": received_on.isoformat(),
        },
    )
    assert response.status_code == 302
    paper = Need.objects.get()
    assert (paper.reporting_period, paper.submitted_on, paper.reported_in) == (
        PREVIOUS,
        received_on,
        "",
    )
    assert timezone.localdate(paper.created_at) == received_on
    assert figures_for(ResultsReport.objects.get(pk=sent.pk))["totals"]["needs"] == 0
    current = report_for(CURRENT, manager)
    assert late(figures_for(current))[PREVIOUS]["needs"] == 1


def test_a_submission_committed_while_the_figures_are_counted_is_counted_once(
    manager, monkeypatch
) -> None:
    """A concurrent request that commits between the marking and the counting."""
    need_in(PREVIOUS)
    report = report_for(PREVIOUS, manager)
    real = cycle.compute_figures
    arrivals = []

    def counting_while_one_arrives(code, today=None):
        if not arrivals:
            arrivals.append(need_in(PREVIOUS))
        return real(code, today=today)

    monkeypatch.setattr(cycle, "compute_figures", counting_while_one_arrives)
    workflow.send_to_mayor(report, by=manager)
    arrivals[0].refresh_from_db()
    assert arrivals[0].reported_in == PREVIOUS
    assert report.figures["totals"]["needs"] == Need.objects.filter(reported_in=PREVIOUS).count()
    assert report.figures["totals"]["needs"] == 2


def test_no_submission_falls_outside_every_report(manager) -> None:
    """After a report of the previous half-year, an interim one of this half-year and more
    arrivals, every submission is counted by a sent report or waits for a draft that will."""
    for code in (PREVIOUS, PREVIOUS, CURRENT):
        need_in(code)
        EvaluationFactory(reporting_period=code)
    workflow.send_to_mayor(report_for(PREVIOUS, manager), by=manager)
    need_in(PREVIOUS)  # a paper form entered late
    workflow.send_to_mayor(report_for(CURRENT, manager), by=manager, interim=True)
    need_in(CURRENT)
    EvaluationFactory(reporting_period=CURRENT)
    upcoming = compute_figures(NEXT)
    counted = {}
    for report in ResultsReport.objects.select_related("period"):
        totals, arrived = report.figures["totals"], report.figures["late_arrivals"]
        counted[report.period.code] = sum(
            part["needs"] + part["hidden"] + part["evaluations"] for part in (totals, arrived)
        )
    arrivals = upcoming["late_arrivals"]
    in_next = arrivals["needs"] + arrivals["hidden"] + arrivals["evaluations"]
    late_to_current = late(figures_for(ResultsReport.objects.get(period__code=CURRENT)))
    assert sum(counted.values()) + in_next == Need.objects.count() + Evaluation.objects.count()
    assert late_to_current[PREVIOUS]["needs"] == 1 and in_next == 2


class TestPeriodDates:
    def test_the_database_refuses_disordered_period_dates(self, db) -> None:
        first, _second = ReportingPeriod.objects.ensure_year(2026)
        for change in (
            {"due_on": first.ends_on},
            {"starts_on": first.ends_on + datetime.timedelta(days=1)},
        ):
            with pytest.raises(IntegrityError), transaction.atomic():
                ReportingPeriod.objects.filter(pk=first.pk).update(**change)

    def test_the_admin_refuses_a_due_date_before_the_end(self, client: Client, manager) -> None:
        first, _second = ReportingPeriod.objects.ensure_year(2026)
        client.force_login(manager)
        url = reverse("reports_reportingperiod:edit", args=[first.pk])
        response = client.post(url, {"due_on": "2026-06-01"})
        assert response.status_code == 200
        assert "ანგარიშის ვადა მხოლოდ პერიოდის დასრულების (30.06.2026)" in (
            response.content.decode()
        )
        first.refresh_from_db()
        assert first.due_on == datetime.date(2026, 8, 1)
