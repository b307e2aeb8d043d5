"""The review figures (per service, against the previous half-year) where people read them: the
public results page and open data (aggregates only, k-anonymous per service), and the
printable report; a report frozen before these figures existed still renders everywhere."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.core.roles import ANALYSTS, CONTENT_EDITORS, PLATFORM_MANAGERS
from cms.core.tests.factories import staff_user
from feedback_forms.models import Need, Status
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from programs.models import MunicipalService, ProgramCategory, Settlement
from reports.aggregation import COMPARISON_KEY, SERVICES_KEY, compute_figures
from reports.figures_schema import load_figures
from reports.models import ResultsReport
from reports.publication import public_comparison, public_services
from reports.tests.factories import ReportingPeriodFactory, ResultsReportFactory, results_pages

pytestmark = pytest.mark.django_db

CODE = "2026-H1"
PREVIOUS = "2025-H2"
TODAY = datetime.date(2026, 7, 10)


def add_need(service, status=Status.NEW, *, period=CODE, answered_after=None, category="water"):
    settlement = Settlement.objects.get(name_en="Tskaltubo")
    created = timezone.make_aware(
        datetime.datetime(2026, 3, 1, 10) if period == CODE else datetime.datetime(2025, 9, 1, 10)
    )
    answered = (
        created + datetime.timedelta(days=answered_after) if answered_after is not None else None
    )
    item = NeedFactory(
        service=service,
        status=status,
        reporting_period=period,
        budget_year=int(period[:4]),
        settlement=settlement,
        administrative_unit=settlement.unit,
        category=ProgramCategory.objects.get(slug=category),
        public_answer="answer" if answered_after is not None else "",
        created_at=created,
        answered_at=answered,
    )
    # `created_at` is set on the first save: write the past times again.
    Need.objects.filter(pk=item.pk).update(created_at=created, answered_at=answered)


@pytest.fixture
def figures(reference_data) -> dict:
    """Infrastructure: 6 needs (shown), 4 evaluations (withheld). Social: 2 needs (withheld),
    5 evaluations of which 2 low (shown). Last half-year: infrastructure 5 needs, social 1."""
    roads = MunicipalService.objects.get(slug="infrastructure")
    social = MunicipalService.objects.get(slug="social")
    for days in (2, 4, 6):
        add_need(roads, Status.RESOLVED, answered_after=days)
    for _ in range(3):
        add_need(roads, Status.ASSIGNED)
    add_need(social)
    add_need(social, category="social")
    for rating in (1, 2, 3, 4):
        EvaluationFactory(service=roads, overall_rating=rating, reporting_period=CODE)
    for rating in (1, 2, 4, 5, 5):
        EvaluationFactory(service=social, overall_rating=rating, reporting_period=CODE)
    for _ in range(5):
        add_need(roads, Status.RESOLVED, period=PREVIOUS, answered_after=10)
    add_need(social, period=PREVIOUS)
    return compute_figures(CODE, today=TODAY)


def frozen_before(figures: dict) -> dict:
    """The figures of a report sent before this change: no service or comparison keys."""
    return {k: v for k, v in figures.items() if k not in (SERVICES_KEY, COMPARISON_KEY)}


@pytest.fixture
def pages(site_content):
    return results_pages(site_content)


def publish(figures: dict, half: int = 1) -> ResultsReport:
    return ResultsReportFactory(
        period=ReportingPeriodFactory(budget_year=2026, half=half), figures=figures
    )


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def rows_of(table) -> dict[str, list[str]]:
    rows = {}
    for row in table.tbody.find_all("tr"):
        cells = [
            " ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["th", "td"])
        ]
        rows[cells[0]] = cells[1:]
    return rows


# --- k-anonymity, decided once ------------------------------------------------------------------


def test_public_services_withhold_figures_below_k(figures) -> None:
    services = {row["service"]["code"]: row for row in public_services(figures) if row["service"]}
    roads, social = services["infrastructure"], services["social"]
    assert roads["needs_shown"] and (roads["needs"], roads["answered"], roads["open"]) == (6, 3, 3)
    assert roads["median_days"] == 4.0
    assert not roads["evaluations_shown"]
    assert roads["evaluations"] is roads["low_rated"] is roads["low_share"] is None
    assert not social["needs_shown"]
    assert social["needs"] is social["answered"] is social["median_days"] is None
    assert social["evaluations_shown"] and (social["evaluations"], social["low_rated"]) == (5, 2)
    # Services nothing reached this half-year are left out; every other one is listed.
    assert set(services) == {"infrastructure", "social"}


def test_public_comparison_withholds_each_period_below_k(figures) -> None:
    comparison = public_comparison(figures)
    services = {row["service"]["code"]: row for row in comparison["services"] if row["service"]}
    roads, social = services["infrastructure"], services["social"]
    assert (roads["needs"]["current"], roads["needs"]["previous"], roads["needs"]["change"]) == (
        6,
        5,
        1,
    )
    assert roads["median_days"]["current"] == 4.0 and roads["median_days"]["previous"] == 10.0
    assert roads["low_rated"]["current"] is None  # 4 evaluations: withheld
    assert social["needs"] == {
        **social["needs"],
        "current": None,
        "previous": None,
        "change": None,
    }
    assert social["low_rated"]["current"] == 2 and social["low_rated"]["previous"] is None
    totals = comparison["totals"]
    assert (totals["needs"]["current"], totals["needs"]["previous"]) == (8, 6)
    assert totals["mean_rating"]["current"] == 3.0  # 9 evaluations: shown
    assert totals["mean_rating"]["previous"] is None  # none last half-year
    categories = {row["code"]: row for row in comparison["categories"]}
    assert (categories["water"]["current"], categories["water"]["previous"]) == (7, 6)


def test_old_reports_have_no_review_figures(figures) -> None:
    assert public_services(load_figures(frozen_before(figures))) is None
    assert public_comparison(load_figures(frozen_before(figures))) is None


# --- The public page ----------------------------------------------------------------------------


def test_the_results_page_shows_services_and_the_comparison(client: Client, pages, figures):
    publish(figures)
    page = soup(client.get(f"/en/results/{CODE}/"))
    services = rows_of(page.select_one("#services table"))
    roads = services["Infrastructure and Spatial Planning Service"]
    assert roads[:5] == ["6", "3", "3", "0", "4.0"]
    assert roads[5:] == ["fewer than 5 evaluations"]
    social = services["Social and Health Service"]
    assert social[0] == "fewer than 5 needs" and social[1:] == ["5", "2 (40%)"]
    assert "Finance and Budget Service" not in services

    compared = page.select("#comparison table")
    totals = rows_of(compared[0])
    assert totals["Needs recorded"] == ["8", "6", "+2"]
    assert totals["Average rating (1 to 5)"] == ["3.00", "fewer than 5", "—"]
    by_service = rows_of(compared[-1])
    assert by_service["Infrastructure and Spatial Planning Service"][:3] == ["6", "5", "+1"]
    assert by_service["Social and Health Service"][:3] == ["fewer than 5", "fewer than 5", "—"]
    assert page.select_one('a[href="#services"]') and page.select_one('a[href="#comparison"]')

    georgian = soup(client.get(f"/results/{CODE}/"))
    assert MunicipalService.objects.get(slug="infrastructure").name_ka in rows_of(
        georgian.select_one("#services table")
    )


def test_a_report_frozen_before_still_renders(client: Client, pages, figures) -> None:
    publish(frozen_before(figures))
    page = soup(client.get(f"/en/results/{CODE}/"))
    for section in ("#services", "#comparison"):
        text = page.select_one(section).get_text(" ", strip=True)
        assert "Not recorded in this report" in text, section
    assert soup(client.get(f"/results/{CODE}/")).select_one("#services .not-recorded")


# --- Open data ----------------------------------------------------------------------------------


@pytest.mark.urls("cms.urls")
def test_open_data_publishes_the_review_figures(client: Client, pages, figures) -> None:
    publish(figures)
    publish(frozen_before(compute_figures("2026-H2", today=TODAY)), half=2)
    reports = {row["period"]: row for row in client.get("/api/v1/reports").json()}
    old = reports["2026-H2"]
    assert old["services"] is None and old["comparison"] is None

    current = reports[CODE]
    services = {
        row["service"]["code"] if row["service"] else None: row for row in current["services"]
    }
    assert services["infrastructure"] == {
        "service": {
            "code": "infrastructure",
            "name": MunicipalService.objects.get(slug="infrastructure").name_ka,
            "name_ka": MunicipalService.objects.get(slug="infrastructure").name_ka,
            "name_en": "Infrastructure and Spatial Planning Service",
        },
        "needs_shown": True,
        "needs": 6,
        "answered": 3,
        "open": 3,
        "overdue": 0,
        "median_days": 4.0,
        "evaluations_shown": False,
        "evaluations": None,
        "low_rated": None,
    }
    social = services["social"]
    assert social["needs_shown"] is False and social["needs"] is None
    assert (social["evaluations"], social["low_rated"]) == (5, 2)

    comparison = current["comparison"]
    assert comparison["previous_period"] == PREVIOUS
    assert comparison["totals"]["needs"] == {"current": 8, "previous": 6, "change": 2}
    assert comparison["totals"]["mean_rating"] == {"current": 3.0, "previous": None, "change": None}
    water = next(row for row in comparison["categories"] if row["code"] == "water")
    assert (water["current"], water["previous"], water["change"]) == (7, 6, 1)
    english = client.get("/api/v1/reports", headers={"Accept-Language": "en"}).json()
    english_current = next(row for row in english if row["period"] == CODE)
    assert english_current["services"][0]["service"]["name"] == (
        "Infrastructure and Spatial Planning Service"
    )


@pytest.mark.urls("cms.urls")
def test_the_schema_documents_the_review_figures(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    report = components["ReportOut"]["properties"]
    assert {"services", "comparison"} <= set(report)
    assert "null for a report sent before" in report["services"]["description"]
    service = components["ServiceFiguresOut"]["properties"]
    assert {"needs_shown", "needs", "median_days", "evaluations_shown", "low_rated"} <= set(service)
    assert {"totals", "categories", "units", "services"} <= set(
        components["ComparisonOut"]["properties"]
    )


# --- The printable report -----------------------------------------------------------------------


def manager_user():
    user = staff_user(PLATFORM_MANAGERS, username="manager")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="reports", codename="view_resultsreport")
    )
    return type(user).objects.get(pk=user.pk)


def test_the_print_view_shows_services_comparison_and_export_links(client: Client, figures):
    report = ResultsReport.objects.create(period=ReportingPeriodFactory(budget_year=2026, half=1))
    ResultsReport.objects.filter(pk=report.pk).update(
        status=ResultsReport.Status.SENT, figures=figures
    )
    client.force_login(manager_user())
    page = soup(client.get(reverse("reports_admin:print", args=[report.pk]), {"lang": "en"}))
    services = rows_of(page.find(id="services").find_next("table"))
    # Staff see every figure: no k-anonymity inside City Hall.
    assert services["Social and Health Service"] == ["2", "0", "2", "0", "—", "5", "2 (40.0%)"]
    assert services["Infrastructure and Spatial Planning Service"][:5] == [
        "6",
        "3",
        "3",
        "0",
        "4.0",
    ]
    section = page.find(id="comparison").parent
    tables = section.find_all("table")
    totals = rows_of(tables[0])
    assert totals["Needs counted"] == ["8", "6", "+2"]
    assert totals["Median days to an answer"] == ["4.0", "10.0", "-6.0"]
    assert rows_of(tables[-1])["Infrastructure and Spatial Planning Service"][:3] == [
        "6",
        "5",
        "+1",
    ]
    links = [a["href"] for a in page.find(id="exports").parent.find_all("a")]
    assert f"/admin/feedback/exports/export/need/?reporting_period={CODE}&format=xlsx" in links
    assert f"/admin/feedback/exports/export/evaluation/?reporting_period={CODE}&format=csv" in links


def test_the_print_view_of_an_old_report_says_not_recorded(client: Client, figures) -> None:
    report = ResultsReport.objects.create(period=ReportingPeriodFactory(budget_year=2026, half=1))
    ResultsReport.objects.filter(pk=report.pk).update(
        status=ResultsReport.Status.SENT, figures=frozen_before(figures)
    )
    client.force_login(manager_user())
    for language in ("ka", "en"):
        page = soup(
            client.get(reverse("reports_admin:print", args=[report.pk]), {"lang": language})
        )
        for section in ("services", "comparison"):
            assert page.find(id=section).find_next("p", class_="muted"), (language, section)
    assert "Not recorded in this report" in page.find(id="services").parent.get_text()


def test_export_links_only_for_those_who_may_export(client: Client, figures) -> None:
    report = ResultsReport.objects.create(period=ReportingPeriodFactory(budget_year=2026, half=1))
    view = Permission.objects.get(content_type__app_label="reports", codename="view_resultsreport")
    for group, username, kinds in (
        (ANALYSTS, "analyst", {"evaluation", "need"}),
        (CONTENT_EDITORS, "editor", set()),
    ):
        user = staff_user(group, username=username)
        user.user_permissions.add(view)
        client.force_login(user)
        page = soup(client.get(reverse("reports_admin:print", args=[report.pk]), {"lang": "en"}))
        section = page.find(id="exports").parent
        links = [a["href"] for a in section.find_all("a")]
        assert {link.split("/export/")[1].split("/")[0] for link in links} == kinds, username
        if not kinds:
            assert "You do not have permission to export" in section.get_text()
