"""A platform manager compiles and sends the half-year report, the mayor records the review and
two budget commitments, and a visitor reads them on the accountability page."""

import datetime

import pytest

from cms.core.roles import MAYOR, PLATFORM_MANAGERS
from feedback_forms.models import Need, Status

pytestmark = pytest.mark.e2e


@pytest.fixture
def cycle_site(demo_site):
    from cms.core.tests.factories import staff_user
    from feedback_forms.tests.factories import NeedFactory
    from home.models import HomePage
    from reports.site_pages import ensure_results_pages

    staff_user(PLATFORM_MANAGERS, username="manager")
    staff_user(MAYOR, username="mayor")
    ensure_results_pages({page.locale.language_code: page for page in HomePage.objects.all()})
    today = datetime.date.today()
    period = f"{today.year}-H{1 if today.month <= 6 else 2}"
    return [
        NeedFactory(title=f"Need {n}", reporting_period=period, status=Status.ASSIGNED)
        for n in range(2)
    ]


@pytest.fixture
def ended_period(cycle_site):
    """The last half-year that has ended: a report covers a whole half-year."""
    from feedback_forms.periods import current_period, previous_period
    from reports.models import ReportingPeriod

    return ReportingPeriod.objects.for_code(previous_period(current_period()))


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("staff-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_report_review_commitments_and_the_public_accountability_page(
    live_server, cycle_site, ended_period, browser
):
    needs = cycle_site
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    log_in(page, live_server, "manager")
    page.goto(live_server.url + "/admin/results/reports/new/")
    page.locator("select[name=period]").select_option(str(ended_period.pk))
    page.locator("textarea[name=analysis_ka]").fill(
        "ნახევარწლის ანალიზი: ყველაზე ხშირად გზებზე წერენ."
    )
    page.locator("button.action-save, button[type=submit]").last.click()
    page.wait_for_url("**/admin/results/reports/**")
    page.goto(live_server.url + "/admin/results/reports/")
    page.locator("a[href*='/admin/results/reports/edit/']").first.click()
    report_id = page.url.rstrip("/").split("/")[-1]
    page.goto(f"{live_server.url}/admin/reports/steps/{report_id}/send/")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/admin/results/reports/inspect/{report_id}/")
    context.close()

    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    log_in(page, live_server, "mayor")
    page.goto(f"{live_server.url}/admin/reports/steps/{report_id}/review/")
    page.locator("input[name=meeting_on]").fill(datetime.date.today().isoformat())
    page.locator("input[name=services]").first.check()
    page.locator("textarea[name=minutes]").fill("ოქმი: ორი საკითხი შედის ბიუჯეტის პროექტში.")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/admin/results/reports/inspect/{report_id}/")

    for need, (title_ka, title_en) in zip(
        needs, [("გზის შეკეთება", "Road repair"), ("წყლის სათავე", "Water intake")], strict=True
    ):
        page.goto(live_server.url + "/admin/results/commitments/new/")
        page.locator("input[name=title_ka]").fill(title_ka)
        page.locator("input[name=title_en]").fill(title_en)
        page.locator("select[name=service]").select_option(index=1)
        page.locator("select[name=status]").select_option("in_draft_budget")
        page.locator("select[name=report]").select_option(index=1)
        page.locator("textarea[name=need_references]").fill(need.reference)
        page.locator("textarea[name=progress_ka]").fill("პროექტი მზადდება.")
        page.locator("textarea[name=progress_en]").fill("The design is being prepared.")
        page.locator("button.action-save, button[type=submit]").last.click()
        page.wait_for_url("**/admin/results/commitments/**")
    context.close()

    assert all(Need.objects.get(pk=need.pk).status == Status.PLANNED for need in needs)

    visitor = browser.new_context(locale="en-GB").new_page()
    visitor.goto(live_server.url + "/en/accountability/")
    text = visitor.locator("main").inner_text()
    assert "Road repair" in text and "Water intake" in text
    assert "The design is being prepared." in text
    assert needs[0].reference in text
