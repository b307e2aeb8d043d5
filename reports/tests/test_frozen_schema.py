"""A report frozen in the first, unversioned shape of the figures (`fixtures/figures_v1.json`,
generated on the code of that time) shows, on every surface, exactly what a report frozen now
shows: the staff inspect and print views, the public results page, the API, the workbook and
the publication helpers. The schema itself: versions, upgrades and the one naming rule."""

import datetime
import io
import json
import re
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cms.core.roles import PLATFORM_MANAGERS
from cms.core.tests.factories import staff_user
from reports.aggregation import compute_figures
from reports.figures_schema import (
    SCHEMA_VERSION,
    figure_name,
    figures_json,
    load_figures,
    name_and_lang,
)
from reports.models import ResultsReport
from reports.publication import (
    program_ratings_by_period,
    public_comparison,
    public_fix_checks,
    public_late_arrivals,
    public_program_ratings,
    public_services,
    public_totals,
)
from reports.tests.factories import ReportingPeriodFactory, ResultsReportFactory, results_pages
from reports.tests.frozen_world import CODE, FIXTURE, TODAY, build_world, v1_fixture
from reports.workbook import build_workbook

pytestmark = pytest.mark.django_db

#: What changes from one rendering to the next whatever the figures: CSRF tokens and "now".
VOLATILE = (
    (re.compile(r"\b[A-Za-z0-9]{64}\b"), "<csrf token>"),
    (re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4},? \d{1,2}:\d{2}"), "<now>"),
)


@pytest.fixture
def world(evaluation_form, needs_form, site_content) -> dict[str, Any]:
    results_pages(site_content)
    data = build_world(evaluation_form)
    report = ResultsReportFactory(
        period=ReportingPeriodFactory(budget_year=2026, half=1), figures=v1_fixture()
    )
    return {**data, "report": report}


@pytest.fixture
def manager(world):
    from django.contrib.auth.models import Permission

    user = staff_user(PLATFORM_MANAGERS, username="manager")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reports",
            codename__in=("view_resultsreport", "change_resultsreport"),
        )
    )
    return type(user).objects.get(pk=user.pk)


def fresh_json() -> dict[str, Any]:
    """The figures of the same data computed now, as a report sent now freezes them."""
    return figures_json(compute_figures(CODE, today=TODAY))


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def workbook_cells(report: ResultsReport) -> dict[str, list[tuple]]:
    buffer = io.BytesIO()
    build_workbook(report, buffer)
    buffer.seek(0)
    book = openpyxl.load_workbook(buffer)
    return {
        sheet.title: [
            tuple("<datetime>" if isinstance(value, datetime.datetime) else value for value in row)
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }


def publication(report: ResultsReport, world: dict[str, Any]) -> dict[str, Any]:
    from reports.figures import figures_for

    shown: dict[str, Any] = {}
    for language in ("ka", "en"):
        with translation.override(language):
            figures = figures_for(report)
            shown[language] = {
                "totals": public_totals(figures),
                "ratings": public_program_ratings(figures),
                "services": public_services(figures),
                "fix_checks": public_fix_checks(figures),
                "comparison": public_comparison(figures),
                "late_arrivals": public_late_arrivals(figures),
                "by_period": program_ratings_by_period(world["roads"]),
            }
    return shown


def surfaces(report: ResultsReport, world: dict[str, Any], staff: Client) -> dict[str, Any]:
    """Everything each surface shows of the report."""
    public = Client()
    return {
        "inspect": html(staff.get(reverse("reports_resultsreport:inspect", args=[report.pk]))),
        **{
            f"print {language}": html(
                staff.get(reverse("reports_admin:print", args=[report.pk]), {"lang": language})
            )
            for language in ("ka", "en")
        },
        "results page ka": html(public.get(f"/results/{CODE}/")),
        "results page en": html(public.get(f"/en/results/{CODE}/")),
        "api ka": public.get("/api/v1/reports").json(),
        "api en": public.get("/api/v1/reports", headers={"Accept-Language": "en"}).json(),
        "workbook": workbook_cells(report),
        "publication": publication(report, world),
    }


def test_the_fixture_is_the_first_shape() -> None:
    stored = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert "schema_version" not in stored
    assert "category__slug" in stored["needs_by_category"][0]
    assert fresh_shape_keys() == {"slug", "name_ka", "name_en", "count"}


def fresh_shape_keys() -> set[str]:
    return set(
        load_figures({"needs_by_category": [{"category__slug": "x", "count": 1}]})[
            "needs_by_category"
        ][0]
    )


def test_an_old_report_shows_on_every_surface_what_a_fresh_compute_shows(
    world, manager, client: Client
) -> None:
    report = world["report"]
    client.force_login(manager)
    old = v1_fixture()
    assert "schema_version" not in report.figures
    assert load_figures(old) == load_figures(fresh_json())
    before = surfaces(report, world, client)

    report.figures = fresh_json()
    report.save(update_fields=["figures"])
    report.refresh_from_db()
    assert report.figures["schema_version"] == SCHEMA_VERSION
    after = surfaces(report, world, client)

    for surface in before:
        assert before[surface] == after[surface], surface
    # And they are not empty: the old report's figures are really shown.
    assert after["api en"][0]["totals"]["evaluations"] == 9
    assert after["api en"][0]["totals"]["needs"] == 10
    assert "Tskaltubo (city)" in after["print en"] and "ქალაქი წყალტუბო" in after["print ka"]
    assert "Other places in this administrative unit" in after["print en"]
    assert "Infrastructure and roads" in after["results page en"]
    places = next(rows for title, rows in after["workbook"].items() if "ადგილ" in title)
    assert places[1][:3] == ("ქალაქი წყალტუბო", "01", 6)
    services = after["publication"]["en"]["services"]
    assert any(row["name"] == "Infrastructure and Spatial Planning Service" for row in services)


def test_a_report_without_later_sections_says_not_recorded() -> None:
    figures = load_figures({"period": CODE, "totals": {"evaluations": 3}})
    assert figures["schema_version"] == SCHEMA_VERSION
    assert figures["totals"]["evaluations"] == 3 and figures["totals"]["needs"] == 0
    assert figures["services"] is None and figures["comparison"] is None
    assert figures["fix_checks"] is None and figures["invitations"] is None
    assert figures["late_arrivals"]["by_period"] == []


def test_figures_newer_than_the_code_are_refused() -> None:
    with pytest.raises(ValueError):
        load_figures({"schema_version": SCHEMA_VERSION + 1})


def test_the_one_naming_rule() -> None:
    both = {"name_ka": "წყალტუბო", "name_en": "Tskaltubo"}
    georgian = {"name_ka": "წყალტუბო", "name_en": ""}
    nameless = {"name_ka": "", "name_en": ""}
    assert figure_name(both, "01", "en") == "Tskaltubo"
    assert figure_name(both, "01", "ka") == "წყალტუბო"
    assert name_and_lang(georgian, "01", "en") == ("წყალტუბო", "ka")
    assert name_and_lang(georgian, "01", "ka") == ("წყალტუბო", "")
    assert figure_name(nameless, "01", "en") == "01"
    with translation.override("en"):
        assert figure_name(both) == "Tskaltubo"
