"""Pages that submissions were sent through cannot be deleted from the admin (they can be
unpublished): the record of what residents said keeps its program."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail.users.models import UserProfile

from feedback_forms.page_deletion import submissions_sent_through
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from programs.models import ProgramPage, Settlement
from programs.tests.factories import ProgramPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db) -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.gov.ge", "pw-123456")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def english_admin_client(admin_client) -> Client:
    user = get_user_model().objects.get(username="root")
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    return admin_client


GEORGIAN_ADVICE = "ამის ნაცვლად გააუქმეთ გვერდის გამოქვეყნება"
ENGLISH_ADVICE = "Unpublish the page instead"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_program_with_evaluations_is_not_deleted_and_the_editor_is_told_why(
    english_admin_client, evaluation_form
) -> None:
    admin_client = english_admin_client
    program = evaluation_form.get_parent()
    EvaluationFactory(program=program.specific, form_page=evaluation_form)
    url = reverse("wagtailadmin_pages:delete", args=[program.pk])
    for response in (admin_client.get(url), admin_client.post(url, {"confirm_site_name": "x"})):
        assert response.status_code == 302
        assert any(ENGLISH_ADVICE in text for text in messages_of(response))
    assert Page.objects.filter(pk=program.pk).exists()
    assert Page.objects.filter(pk=evaluation_form.pk).exists()


def test_the_refusal_counts_what_hangs_below_the_page_in_georgian(
    admin_client, evaluation_form, program_index
) -> None:
    program = evaluation_form.get_parent().specific
    EvaluationFactory(program=None, form_page=evaluation_form)
    NeedFactory(program=program)
    assert submissions_sent_through([program_index]) == 2
    assert submissions_sent_through([evaluation_form]) == 1
    response = admin_client.get(reverse("wagtailadmin_pages:delete", args=[program_index.pk]))
    assert response.status_code == 302
    assert messages_of(response) == [
        "არ წაიშალა: ამ გვერდით ან მის ქვემოთ მდებარე გვერდებით გაიგზავნა 2 შეფასება და "
        "საჭიროება, რომელთა ჩანაწერსაც პროგრამა უნდა შერჩეს. " + GEORGIAN_ADVICE + "."
    ]
    assert Page.objects.filter(pk=program_index.pk).exists()


def test_a_program_nobody_used_can_still_be_deleted(admin_client, program_index) -> None:
    program = ProgramPageFactory(parent=program_index, slug="unused")
    url = reverse("wagtailadmin_pages:delete", args=[program.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not ProgramPage.objects.filter(pk=program.pk).exists()


def test_the_bulk_delete_refuses_too(admin_client, evaluation_form, program_index) -> None:
    program = evaluation_form.get_parent()
    unused = ProgramPageFactory(parent=program_index, slug="unused")
    NeedFactory(program=program.specific)
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
        + f"?id={program.pk}&id={unused.pk}"
    )
    response = admin_client.post(url)
    assert response.status_code == 302
    assert any(GEORGIAN_ADVICE in text for text in messages_of(response))
    assert Page.objects.filter(pk__in=[program.pk, unused.pk]).count() == 2


def test_a_settlement_a_need_names_is_not_deleted(english_admin_client, reference_data) -> None:
    """Wagtail's reference index knows the need's place: the delete screen says the settlement
    is in use and refuses the deletion, instead of failing on the protected foreign key."""
    need = NeedFactory()
    url = reverse("wagtailsnippets_programs_settlement:delete", args=[need.settlement_id])
    page = english_admin_client.get(url)
    assert page.status_code == 200
    assert page.context["is_protected"] is True
    assert english_admin_client.post(url).status_code in (302, 403)
    assert Settlement.objects.filter(pk=need.settlement_id).exists()


@pytest.mark.parametrize(
    ("referrer", "expected"),
    [
        ("http://testserver/admin/pages/search/?q=x", "http://testserver/admin/pages/search/?q=x"),
        ("https://elsewhere.example/phish", "explorer"),
        (None, "explorer"),
    ],
)
def test_the_refusal_sends_the_editor_back_but_never_off_the_admin(
    admin_client, evaluation_form, referrer, expected
) -> None:
    program = evaluation_form.get_parent()
    EvaluationFactory(program=program.specific, form_page=evaluation_form)
    headers = {"HTTP_REFERER": referrer} if referrer else {}
    response = admin_client.get(reverse("wagtailadmin_pages:delete", args=[program.pk]), **headers)
    explorer = reverse("wagtailadmin_explore", args=[program.get_parent().pk])
    assert response["Location"] == (explorer if expected == "explorer" else expected)


def test_a_bulk_refusal_without_a_referrer_goes_to_the_dashboard(
    admin_client, evaluation_form, program_index
) -> None:
    program = evaluation_form.get_parent()
    unused = ProgramPageFactory(parent=program_index, slug="unused")
    NeedFactory(program=program.specific)
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
        + f"?id={program.pk}&id={unused.pk}"
    )
    assert admin_client.post(url)["Location"] == reverse("wagtailadmin_home")
