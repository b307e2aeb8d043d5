"""The results cycle: each step by the right role, logged, the figures frozen once sent."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.core.roles import ANALYSTS, CONTENT_EDITORS, MAYOR, PLATFORM_MANAGERS
from cms.core.tests.factories import staff_user
from feedback_forms.models import Need, Status
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from programs.models import MunicipalService
from reports import workflow
from reports.dashboard import compliance
from reports.figures import figures_for
from reports.models import BudgetCommitment, ReportingPeriod, ResultsReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return ReportingPeriod.objects.for_code("2026-H1")


@pytest.fixture
def manager(reference_data):
    return staff_user(PLATFORM_MANAGERS, username="manager")


@pytest.fixture
def mayor(reference_data):
    return staff_user(MAYOR, username="mayor")


def test_periods_have_the_default_due_dates(db) -> None:
    first, second = ReportingPeriod.objects.ensure_year(2026)
    assert (first.code, first.due_on) == ("2026-H1", datetime.date(2026, 8, 1))
    assert (second.code, second.due_on) == ("2026-H2", datetime.date(2027, 1, 31))
    assert ReportingPeriod.objects.ensure_year(2026) == [first, second]  # idempotent


def test_the_full_cycle_with_the_right_roles(period, manager, mayor) -> None:
    EvaluationFactory(reporting_period="2026-H1", overall_rating=5)
    report = workflow.compile_report(period, by=manager)
    with pytest.raises(ValidationError):
        workflow.send_to_mayor(report, by=manager)  # no analysis yet
    report.analysis_ka = "ანალიზი"
    report.save()
    with pytest.raises(PermissionDenied):
        workflow.send_to_mayor(report, by=mayor)
    workflow.send_to_mayor(report, by=manager, sent_on=datetime.date(2026, 7, 20))
    assert report.status == ResultsReport.Status.SENT
    assert report.figures["totals"]["evaluations"] == 1

    with pytest.raises(PermissionDenied):
        workflow.record_review(
            report, by=manager, meeting_on=datetime.date(2026, 7, 25), services=[], minutes="x"
        )
    with pytest.raises(ValidationError):
        workflow.record_review(
            report, by=mayor, meeting_on=datetime.date(2026, 7, 25), services=[], minutes=" "
        )
    services = list(MunicipalService.objects.filter(slug__in=["social", "infrastructure"]))
    workflow.record_review(
        report, by=mayor, meeting_on=datetime.date(2026, 7, 25), services=services, minutes="ოქმი"
    )
    assert set(report.services_present.all()) == set(services)

    with pytest.raises(PermissionDenied):
        workflow.publish(report, by=mayor)
    workflow.publish(report, by=manager)
    assert report.status == ResultsReport.Status.PUBLISHED and report.published_at
    actions = list(
        ModelLogEntry.objects.for_instance(report)
        .order_by("timestamp")
        .values_list("action", "user__username")
    )
    assert actions == [
        (workflow.LOG_COMPILE, "manager"),
        (workflow.LOG_SEND, "manager"),
        ("reports.workbook", "manager"),  # the workbook the mayor receives is built on sending
        (workflow.LOG_REVIEW, "mayor"),
        (workflow.LOG_PUBLISH, "manager"),
    ]


def test_steps_cannot_be_skipped(period, manager) -> None:
    report = workflow.compile_report(period, by=manager)
    with pytest.raises(ValidationError):
        workflow.publish(report, by=manager)


def test_a_sent_report_never_changes(period, manager) -> None:
    EvaluationFactory(reporting_period="2026-H1", overall_rating=2)
    report = workflow.compile_report(period, by=manager)
    report.analysis_ka = "ანალიზი"
    workflow.send_to_mayor(report, by=manager)
    EvaluationFactory(reporting_period="2026-H1", overall_rating=5)
    Need.objects.all().delete()
    assert figures_for(ResultsReport.objects.get(pk=report.pk))["totals"]["evaluations"] == 1
    draft = workflow.compile_report(ReportingPeriod.objects.for_code("2026-H2"), by=manager)
    EvaluationFactory(reporting_period="2026-H2")
    assert figures_for(draft)["totals"]["evaluations"] == 1  # drafts stay live


def test_linked_needs_follow_the_commitment_and_their_authors_see_it(
    client: Client, manager, mayor
) -> None:
    social = MunicipalService.objects.get(slug="social")
    need = NeedFactory(status=Status.ASSIGNED, service=social)
    answered = NeedFactory(status=Status.RESOLVED, service=social, public_answer="Done.")
    commitment = BudgetCommitment.objects.create(
        title_ka="განათება", title_en="Lighting", service=social, budget_year=2027
    )
    assert workflow.link_needs(commitment, [need, answered], by=mayor) == [need, answered]
    need.refresh_from_db()
    assert need.status == Status.IN_REVIEW  # proposed: under consideration, not planned
    workflow.change_commitment_status(commitment, "in_draft_budget", by=mayor)
    need.refresh_from_db()
    assert need.status == Status.PLANNED and "განათება" in need.public_answer
    html = client.get("/en/track/", {"reference": need.reference}).content.decode()
    assert "Answered: the work is planned" in html and "განათება" in html


def test_compliance_counters(manager) -> None:
    from reports.tests.factories import ResultsReportFactory

    social = MunicipalService.objects.get(slug="social")
    today = datetime.date(2026, 10, 20)
    state = compliance(today)
    assert (state["reports"], state["commitments"], state["remind"]) == (0, 0, True)
    for code in ("2026-H1", "2026-H2"):
        ResultsReportFactory(
            period=ReportingPeriod.objects.for_code(code), status=ResultsReport.Status.SENT
        )
    for title, status in (
        ("გზა", "in_draft_budget"),
        ("წყალი", "adopted"),
        ("სკოლა", "proposed"),
        ("უარი", "dropped"),
    ):
        BudgetCommitment.objects.create(
            title_ka=title, service=social, budget_year=2027, status=status
        )
    state = compliance(today)
    assert (state["reports"], state["commitments"], state["remind"]) == (2, 2, False)
    assert state["reports_ok"] and state["commitments_ok"]
    BudgetCommitment.objects.filter(title_ka="წყალი").update(status="dropped")
    state = compliance(today)
    assert (state["commitments"], state["commitments_ok"], state["remind"]) == (1, False, True)


def test_overdue_draft_reports_are_flagged(manager) -> None:
    workflow.compile_report(ReportingPeriod.objects.for_code("2025-H2"), by=manager)
    state = compliance(datetime.date(2026, 3, 1))  # 2025-H2 was due on 31 January 2026
    assert [report.period.code for report in state["overdue_reports"]] == ["2025-H2"]


class TestAdminScreens:
    def test_manager_compiles_sends_and_publishes_through_the_admin(
        self, client: Client, manager, mayor
    ) -> None:
        client.force_login(manager)
        period = ReportingPeriod.objects.for_code("2026-H1")
        response = client.post(
            reverse("reports_resultsreport:add"),
            {"period": period.pk, "analysis_ka": "ანალიზი", "analysis_en": ""},
        )
        assert response.status_code == 302
        report = ResultsReport.objects.get()
        assert (
            client.get(reverse("reports_resultsreport:inspect", args=[report.pk])).status_code
            == 200
        )
        response = client.post(
            reverse("reports_steps", args=[report.pk, "send"]), {"sent_on": "2026-07-20"}
        )
        assert response.status_code == 302
        assert (
            client.post(reverse("reports_steps", args=[report.pk, "review"]), {}).status_code == 403
        )

        client.force_login(mayor)
        social = MunicipalService.objects.get(slug="social")
        response = client.post(
            reverse("reports_steps", args=[report.pk, "review"]),
            {"meeting_on": "2026-07-25", "services": [social.pk], "minutes": "ოქმი"},
        )
        assert response.status_code == 302
        client.force_login(manager)
        client.post(reverse("reports_steps", args=[report.pk, "publish"]), {})
        report.refresh_from_db()
        assert report.status == ResultsReport.Status.PUBLISHED

    def test_opening_the_form_writes_nothing_and_a_new_report_is_logged_as_compiled(
        self, client: Client, manager
    ) -> None:
        """One path makes a report: the admin form saves through `workflow.compile_report`."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from wagtail.models import ModelLogEntry

        from cms.core.scheduler import run_scheduled_jobs
        from reports import workflow

        assert not run_scheduled_jobs(["ensure_reporting_periods"]).failed
        client.force_login(manager)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("reports_resultsreport:add"))
        assert page.status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE")]
        assert not [sql for sql in writes if "reports_" in sql], writes
        this_year = timezone.localdate().year
        offered = set(
            page.context["form"].fields["period"].queryset.values_list("budget_year", flat=True)
        )
        assert offered == {this_year - 1, this_year}
        period = ReportingPeriod.objects.get(budget_year=this_year - 1, half=2)
        response = client.post(
            reverse("reports_resultsreport:add"),
            {"period": period.pk, "analysis_ka": "ანალიზი", "analysis_en": "Analysis"},
        )
        assert response.status_code == 302
        report = ResultsReport.objects.get()
        assert (report.created_by, report.analysis_ka, report.analysis_en) == (
            manager,
            "ანალიზი",
            "Analysis",
        )
        logged = ModelLogEntry.objects.for_instance(report).filter(action=workflow.LOG_COMPILE)
        assert [(entry.user, entry.data["period"]) for entry in logged] == [(manager, period.code)]

    def test_the_mayor_records_a_commitment_with_need_references(
        self, client: Client, mayor
    ) -> None:
        social = MunicipalService.objects.get(slug="social")
        need = NeedFactory(status=Status.ASSIGNED, service=social)
        client.force_login(mayor)
        data = {
            "title_ka": "ქუჩის განათება",
            "title_en": "Street lighting",
            "description_ka": "",
            "description_en": "",
            "report": "",
            "service": social.pk,
            "budget_year": 2027,
            "estimated_cost": "15000",
            "status": "proposed",
            "evaluation_findings": "",
            "need_references": need.reference.lower(),
            "progress_ka": "პროექტი მზადდება",
            "progress_en": "",
        }
        response = client.post(reverse("reports_budgetcommitment:add"), data)
        assert response.status_code == 302, response.content.decode()[-2000:]
        commitment = BudgetCommitment.objects.get()
        assert list(commitment.needs.all()) == [need]
        assert commitment.progress_notes.get().text_ka == "პროექტი მზადდება"
        need.refresh_from_db()
        assert need.status == Status.IN_REVIEW  # a proposal is under consideration, no more

    def test_unknown_references_are_refused(self, client: Client, mayor) -> None:
        client.force_login(mayor)
        social = MunicipalService.objects.get(slug="social")
        response = client.post(
            reverse("reports_budgetcommitment:add"),
            {
                "title_ka": "x",
                "service": social.pk,
                "budget_year": 2027,
                "status": "proposed",
                "need_references": "ZZZZ-ZZZZ, nonsense",
            },
        )
        assert response.status_code == 200
        assert "ZZZZ-ZZZZ" in response.content.decode()
        assert not BudgetCommitment.objects.exists()

    @pytest.mark.parametrize("role", [CONTENT_EDITORS, ANALYSTS])
    def test_other_roles_cannot_take_steps(self, client: Client, period, manager, role) -> None:
        report = workflow.compile_report(period, by=manager)
        client.force_login(staff_user(role, username=role.username))
        assert (
            client.post(
                reverse("reports_steps", args=[report.pk, "send"]), {"sent_on": "2026-07-20"}
            ).status_code
            == 403
        )
        assert (
            client.post(reverse("reports_steps", args=[report.pk, "publish"]), {}).status_code
            == 403
        )
        report.refresh_from_db()
        assert report.status == ResultsReport.Status.DRAFT

    def test_dashboard_shows_the_obligations(self, client: Client, manager) -> None:
        client.force_login(manager)
        assert "compliance-title" in client.get(reverse("wagtailadmin_home")).content.decode()
