"""A platform manager assigns a need, the service representative answers it, and the resident
reads the answer on the tracking page."""

import pytest

from cms.core.roles import PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from feedback_forms.models import Need, Status
from tests.e2e.waiting import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def staff(demo_site):
    from cms.core.tests.factories import staff_user
    from programs.models import MunicipalService

    manager = staff_user(PLATFORM_MANAGERS, username="manager")
    nino = staff_user(
        SERVICE_REPRESENTATIVES, username="nino", first_name="Nino", last_name="Beridze"
    )
    MunicipalService.objects.get(slug="infrastructure").representatives.add(nino)
    return manager, nino


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("staff-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_a_need_is_assigned_answered_and_the_answer_is_public(live_server, staff, browser):
    from feedback_forms.tests.factories import NeedFactory

    need = NeedFactory(title="Water only two hours a day")
    edit_url = f"{live_server.url}/admin/snippets/feedback_forms/need/edit/{need.pk}/"

    manager_context = browser.new_context(locale="en-GB")
    page = manager_context.new_page()
    log_in(page, live_server, "manager")
    page.goto(edit_url)
    page.locator("select[name=service]").select_option(
        label="ინფრასტრუქტურისა და სივრცითი მოწყობის სამსახური"
    )
    page.locator("select[name=assignee]").select_option(label="nino")
    page.locator("select[name=status]").select_option(Status.ASSIGNED)
    page.locator("textarea[name=internal_note]").fill("Check the intake in Maghlaki.")
    page.locator("button.action-save").click()
    page.wait_for_url("**/admin/snippets/feedback_forms/need/**")
    manager_context.close()

    need.refresh_from_db()
    assert need.status == Status.ASSIGNED and need.assignee.username == "nino"

    representative_context = browser.new_context(locale="en-GB")
    page = representative_context.new_page()
    log_in(page, live_server, "nino")
    page.goto(live_server.url + "/admin/snippets/feedback_forms/need/")
    expect(page.get_by_text("Water only two hours a day").first).to_be_visible()
    page.goto(edit_url)
    page.locator("select[name=status]").select_option(Status.PLANNED)
    page.locator("textarea[name=public_answer]").fill(
        "A new water intake is in next year's draft budget."
    )
    page.locator("button.action-save").click()
    page.wait_for_url("**/admin/snippets/feedback_forms/need/**")
    representative_context.close()

    need = Need.objects.get(pk=need.pk)
    assert need.status == Status.PLANNED

    resident = browser.new_context(locale="en-GB").new_page()
    resident.goto(f"{live_server.url}/en/track/?reference={need.reference}")
    result = resident.locator(".track-result").inner_text()
    assert "Answered: the work is planned" in result
    assert "A new water intake is in next year's draft budget." in result
    assert "Check the intake in Maghlaki." not in resident.content()
