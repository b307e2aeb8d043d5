"""The mayor proposes a budget commitment for a resident's need, then drops it; the resident's
tracking page tells both steps truthfully: first "under consideration", never "in the draft
budget", then the need back where it stood, with the mayor's reason."""

import datetime

import pytest
from django.utils import timezone

from cms.core.roles import MAYOR
from feedback_forms.models import Need, Status

pytestmark = pytest.mark.e2e

REASON = "The regional program pays for the street lights."


@pytest.fixture
def english_need(demo_site) -> Need:
    from cms.core.tests.factories import staff_user
    from feedback_forms.tests.factories import NeedFactory
    from programs.models import MunicipalService

    staff_user(MAYOR, username="mayor")
    return NeedFactory(
        title="Street lights on School Street",
        status=Status.ASSIGNED,
        service=MunicipalService.objects.get(slug="infrastructure"),
        language="en",
        created_at=timezone.now() - datetime.timedelta(days=12),
    )


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("staff-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def tracking_page(browser, live_server, need: Need) -> tuple[str, str]:
    """What the resident reads: the status line and the whole timeline."""
    resident = browser.new_context(locale="en-GB")
    page = resident.new_page()
    page.goto(f"{live_server.url}/en/track/?reference={need.reference}")
    status = page.locator(".track-result .facts strong").inner_text()
    timeline = page.locator(".timeline").inner_text()
    resident.close()
    return status, timeline


def test_the_mayor_proposes_then_drops_and_the_resident_reads_both_steps(
    live_server, english_need, browser
):
    need = english_need
    year = timezone.localdate().year + 1
    mayor = browser.new_context(locale="en-GB")
    page = mayor.new_page()
    log_in(page, live_server, "mayor")
    page.goto(live_server.url + "/admin/results/commitments/new/")
    page.locator("input[name=title_ka]").fill("ქუჩის განათება")
    page.locator("input[name=title_en]").fill("Street lighting")
    page.locator("select[name=service]").select_option(index=1)
    page.locator("select[name=status]").select_option("proposed")
    page.locator("textarea[name=need_references]").fill(need.reference)
    page.locator("button.action-save, button[type=submit]").last.click()
    page.wait_for_url("**/admin/results/commitments/")

    status, timeline = tracking_page(browser, live_server, need)
    assert status == "Being reviewed by the responsible service"
    assert f"Under consideration for the {year} draft budget" in timeline
    assert "Street lighting" in timeline and "ქუჩის განათება" not in timeline
    assert f"In the {year} draft budget" not in timeline

    page.locator("a[href*='/admin/results/commitments/edit/']").first.click()
    page.locator("select[name=status]").select_option("dropped")
    page.locator("textarea[name=reason_ka]").fill("სამუშაოს რეგიონული პროგრამა აფინანსებს.")
    page.locator("textarea[name=reason_en]").fill(REASON)
    page.locator("button.action-save, button[type=submit]").last.click()
    page.wait_for_url("**/admin/results/commitments/")
    mayor.close()

    status, timeline = tracking_page(browser, live_server, need)
    assert status == "Passed to the responsible City Hall service"  # where it stood before
    assert f"Under consideration for the {year} draft budget" in timeline  # step one, kept
    assert "The mayor dropped “Street lighting”" in timeline and REASON in timeline
    assert f"In the {year} draft budget" not in timeline
    need.refresh_from_db()
    assert (need.status, need.public_answer) == (Status.ASSIGNED, "")
