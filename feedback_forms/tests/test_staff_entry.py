"""Staff enter a submission on a resident's behalf; the same rules apply, the channel is kept."""

import pytest
from django.test import Client
from django.urls import reverse

from cms.core.roles import ANALYSTS, CONTENT_EDITORS, PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms.models import Channel, Evaluation, Need
from feedback_forms.tests.factories import evaluation_data, need_data
from programs.models import ProgramCategory, Settlement

pytestmark = pytest.mark.django_db


def entry_url(page) -> str:
    return reverse("feedback_staff_entry:form", args=[page.pk])


def test_a_platform_manager_records_a_phoned_in_need(client: Client, needs_form) -> None:
    manager = staff_user(PLATFORM_MANAGERS, username="manager")
    client.force_login(manager)
    settlement, category = Settlement.objects.first(), ProgramCategory.objects.first()
    response = client.post(
        entry_url(needs_form), {**need_data(settlement, category), "channel": "phone"}, follow=True
    )
    assert response.status_code == 200
    need = Need.objects.get()
    assert need.channel == Channel.PHONE
    assert need.entered_by == manager
    assert need.reference in response.content.decode()


def test_a_service_representative_records_a_paper_evaluation(
    client: Client, evaluation_form
) -> None:
    client.force_login(staff_user(SERVICE_REPRESENTATIVES, username="service"))
    data = {**evaluation_data(ramdenad_martivi_iqo="3"), "channel": "paper"}
    client.post(entry_url(evaluation_form), data)
    evaluation = Evaluation.objects.get()
    assert evaluation.channel == Channel.PAPER and evaluation.overall_rating == 4


def test_the_rule_still_applies_and_nothing_is_stored(client: Client, needs_form) -> None:
    client.force_login(staff_user(PLATFORM_MANAGERS, username="manager"))
    settlement, category = Settlement.objects.first(), ProgramCategory.objects.first()
    data = {**need_data(settlement, category, personal_number="123"), "channel": "online"}
    response = client.post(entry_url(needs_form), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert not Need.objects.exists()


def test_the_english_form_id_records_against_the_georgian_form(client: Client, needs_form) -> None:
    client.force_login(staff_user(PLATFORM_MANAGERS, username="manager"))
    english = needs_form.get_translations().get()
    settlement, category = Settlement.objects.first(), ProgramCategory.objects.first()
    client.post(entry_url(english), {**need_data(settlement, category), "channel": "visit"})
    assert Need.objects.get().form_page_id == needs_form.pk


@pytest.mark.parametrize("role", [CONTENT_EDITORS, ANALYSTS])
def test_other_roles_cannot_enter_submissions(client: Client, needs_form, role) -> None:
    client.force_login(staff_user(role, username=role.username))
    assert client.get(reverse("feedback_staff_entry:index")).status_code in (302, 403)
    settlement, category = Settlement.objects.first(), ProgramCategory.objects.first()
    response = client.post(
        entry_url(needs_form), {**need_data(settlement, category), "channel": "phone"}
    )
    assert response.status_code in (302, 403)  # Wagtail sends refused staff to the dashboard
    assert not Need.objects.exists()


def test_the_menu_lists_the_forms(client: Client, needs_form, evaluation_form) -> None:
    client.force_login(staff_user(PLATFORM_MANAGERS, username="manager"))
    html = client.get(reverse("feedback_staff_entry:index")).content.decode()
    assert needs_form.title in html and "სოფლის გზების რეაბილიტაცია" in html
    assert (
        reverse("feedback_staff_entry:index")
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
