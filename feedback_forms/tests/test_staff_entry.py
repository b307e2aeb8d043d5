"""Staff enter a submission on a resident's behalf; the same rules apply, the channel is kept."""

import pytest
from django.test import Client
from django.urls import reverse

from cms.core.roles import ANALYSTS, CONTENT_EDITORS, PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms.models import Channel, Evaluation, Need
from feedback_forms.tests.factories import evaluation_data, need_data
from programs.models import MunicipalService, ProgramCategory, Settlement

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
    representative = staff_user(SERVICE_REPRESENTATIVES, username="service")
    MunicipalService.objects.get(slug="infrastructure").representatives.add(representative)
    client.force_login(representative)
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


class TestEnteringOnBehalfIsBoundedAndAudited:
    """Issue 10, finding 6: own service only, a limit per staff member, an audit entry each."""

    @pytest.fixture
    def social_rep(self, client: Client, reference_data):
        user = staff_user(SERVICE_REPRESENTATIVES, username="nino")
        MunicipalService.objects.get(slug="social").representatives.add(user)
        client.force_login(user)
        return user

    def test_another_services_program_is_not_there(
        self, client: Client, social_rep, evaluation_form, needs_form
    ) -> None:
        html = client.get(reverse("feedback_staff_entry:index")).content.decode()
        assert entry_url(evaluation_form) not in html  # an infrastructure program
        assert entry_url(needs_form) in html  # municipality-wide: anyone with the permission
        assert client.get(entry_url(evaluation_form)).status_code == 404
        data = {**evaluation_data(ramdenad_martivi_iqo="3"), "channel": "phone"}
        assert client.post(entry_url(evaluation_form), data).status_code == 404
        assert not Evaluation.objects.exists()

    def test_managers_enter_for_every_program(self, client: Client, evaluation_form) -> None:
        client.force_login(staff_user(PLATFORM_MANAGERS, username="manager"))
        assert client.get(entry_url(evaluation_form)).status_code == 200

    def test_each_entry_is_audited_without_the_personal_number(
        self, client: Client, evaluation_form
    ) -> None:
        from feedback_forms.admin_views import LOG_ENTERED
        from feedback_forms.models import SubmissionLogEntry

        manager = staff_user(PLATFORM_MANAGERS, username="manager")
        client.force_login(manager)
        data = {**evaluation_data(ramdenad_martivi_iqo="3"), "channel": "visit"}
        client.post(entry_url(evaluation_form), data)
        evaluation = Evaluation.objects.get()
        entry = SubmissionLogEntry.objects.for_instance(evaluation).get(action=LOG_ENTERED)
        assert entry.user == manager
        assert entry.data == {"channel": "visit", "reference": evaluation.reference}
        assert entry.label == evaluation.reference
        stored = str(entry.data) + entry.label
        assert data["personal_number"] not in stored and evaluation.person_digest not in stored
        history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
        assert evaluation.reference in history

    def test_a_staff_member_is_limited_per_window(
        self, client: Client, settings, needs_form, social_rep
    ) -> None:
        settings.FEEDBACK_STAFF_ENTRY_LIMIT = (2, 3600)
        settlement, category = Settlement.objects.first(), ProgramCategory.objects.first()
        for number in ("01001012345", "01001012346", "01001012347"):
            data = {**need_data(settlement, category, personal_number=number), "channel": "phone"}
            response = client.post(entry_url(needs_form), data)
        assert response.status_code == 429
        assert "the most one person may" in response.content.decode() or (
            "ერთ" in response.content.decode()
        )
        assert Need.objects.filter(entered_by=social_rep).count() == 2
        other = staff_user(PLATFORM_MANAGERS, username="manager")
        client.force_login(other)  # the limit is per staff member
        data = {
            **need_data(settlement, category, personal_number="01001012348"),
            "channel": "paper",
        }
        client.post(entry_url(needs_form), data)
        assert Need.objects.count() == 3
