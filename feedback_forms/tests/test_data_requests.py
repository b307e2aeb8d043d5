"""Access and erasure requests: the DPO finds a person by personal number, e-mail or mobile,
erases their contacts on request, and nobody else can look anyone up."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.test import Client
from django.urls import reverse

from cms.core.personal_numbers import digest_personal_number
from cms.core.roles import ROLES
from cms.core.tests.factories import staff_user
from feedback_forms.data_requests import LOG_FOUND, Person, erase_contacts, find_person
from feedback_forms.models import Need, SubmissionLogEntry
from feedback_forms.retention import LOG_ANONYMISE
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from programs.models import BeneficiaryRecord, Invitation

pytestmark = pytest.mark.django_db

URL = "/admin/feedback/data-requests/"
NUMBER = "01001012345"
OTHER = "01001054321"


@pytest.fixture
def person(evaluation_form):
    """One resident's evaluation, two needs (one with contacts), a list entry, an invitation;
    and somebody else's need with the same e-mail domain."""
    digest = digest_personal_number(NUMBER)
    same = {"person_digest": digest.digest, "key_version": digest.key_version}
    program = evaluation_form.get_parent().specific
    records = {
        "evaluation": EvaluationFactory(program=program, **same),
        "need": NeedFactory(contact_email="nino@example.ge", contact_phone="+995599123456", **same),
        "bare_need": NeedFactory(**same),
        "by_email_only": NeedFactory(contact_email="Nino@Example.ge"),
        "stranger": NeedFactory(
            contact_email="someone@example.ge",
            **{"person_digest": digest_personal_number(OTHER).digest, "key_version": 1},
        ),
    }
    BeneficiaryRecord.objects.create(program=program, served_on="2026-01-15", **same)
    Invitation.objects.create(
        program=program,
        served_on=datetime.date(2026, 1, 15),
        contact_phone="+995599123456",
        **same,
    )
    return records


@pytest.fixture
def dpo_client(db) -> Client:
    user = get_user_model().objects.create_user("dpo", "dpo@example.gov.ge", "pw-12345678")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="answer_data_requests"),
    )
    client = Client()
    client.force_login(user)
    return client


def test_a_person_is_found_by_personal_number_everywhere(person) -> None:
    found = find_person(Person(digest=digest_personal_number(NUMBER)), by=AnonymousUser())
    assert {s.reference for s in found.submissions} == {
        person["evaluation"].reference,
        person["need"].reference,
        person["bare_need"].reference,
    }
    assert len(found.beneficiary_records) == 1 and len(found.invitations) == 1
    for submission in found.submissions:
        assert SubmissionLogEntry.objects.for_instance(submission).filter(action=LOG_FOUND).exists()
    assert not SubmissionLogEntry.objects.for_instance(person["stranger"]).exists()


def test_by_email_or_mobile_too_whatever_the_case_of_the_address(person) -> None:
    anonymous = AnonymousUser()
    by_email = find_person(Person(email="NINO@example.ge"), by=anonymous)
    assert {s.reference for s in by_email.submissions} == {
        person["need"].reference,
        person["by_email_only"].reference,
    }
    assert by_email.beneficiary_records == []  # lists know numbers only
    by_phone = find_person(Person(phone="+995599123456"), by=anonymous)
    assert [s.reference for s in by_phone.submissions] == [person["need"].reference]
    assert len(by_phone.invitations) == 1


def test_erasing_keeps_the_submission_and_writes_its_history(person) -> None:
    need = person["need"]
    assert erase_contacts([need, person["bare_need"]], by=AnonymousUser()) == 1
    need.refresh_from_db()
    assert (need.contact_email, need.contact_phone) == ("", "")
    assert Need.objects.filter(pk=need.pk).exists()
    entry = SubmissionLogEntry.objects.for_instance(need).get(action=LOG_ANONYMISE)
    assert entry.data == {"reason": "request"}


def test_the_dpo_screen_finds_and_erases_only_the_persons_contacts(dpo_client, person) -> None:
    page = dpo_client.get(URL)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    found = dpo_client.post(URL, {"personal_number": NUMBER, "action": "find"})
    body = found.content.decode()
    assert found.status_code == 200 and "no-store" in found["Cache-Control"]
    assert person["need"].reference in body and person["evaluation"].reference in body
    assert person["stranger"].reference not in body
    assert NUMBER not in body.replace(f'value="{NUMBER}"', "")  # only in the form's own box
    stranger = person["stranger"]
    erased = dpo_client.post(
        URL,
        {
            "personal_number": NUMBER,
            "action": "erase",
            "submission": [f"need:{person['need'].pk}", f"need:{stranger.pk}"],
            "invitations": "erase",
        },
    )
    assert erased.status_code == 200
    person["need"].refresh_from_db()
    stranger.refresh_from_db()
    assert person["need"].contact_email == ""
    assert stranger.contact_email == "someone@example.ge"  # not the person's: never touched
    invitation = Invitation.objects.get()
    assert invitation.contact_phone == "" and invitation.contact_erased_at is not None
    # Two requests (find, then erase): two look-ups in the history, not one more per erasure.
    history = SubmissionLogEntry.objects.for_instance(person["need"])
    assert history.filter(action=LOG_FOUND).count() == 2
    # The screen shows the records as they are now: the erased contact is gone from it.
    assert person["need"].reference in erased.content.decode()
    assert "nino@example.ge" not in erased.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Give the personal number, the e-mail address or the mobile number."),
        ({"personal_number": "123"}, "11"),
        ({"phone": "hello"}, "mobile"),
        ({"email": "not-an-address"}, "e-mail"),
    ],
)
def test_bad_identification_gets_a_clear_error_never_a_500(
    dpo_client, person, data, message
) -> None:
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(
        user=get_user_model().objects.get(username="dpo"), defaults={"preferred_language": "en"}
    )
    response = dpo_client.post(URL, {**data, "action": "find"})
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()


def test_the_screen_speaks_georgian(dpo_client, person) -> None:
    response = dpo_client.post(URL, {"action": "find"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "მოთხოვნები პერსონალურ მონაცემებზე" in body
    assert "მიუთითეთ პირადი ნომერი, ელფოსტის მისამართი ან მობილურის ნომერი." in body
    assert "Give the personal number" not in body


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.username)
def test_no_role_may_look_anyone_up(role, person) -> None:
    client = Client()
    client.force_login(staff_user(role))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"personal_number": NUMBER, "action": "find"})
    assert response.status_code == 403
    assert person["need"].reference.encode() not in response.content
    assert not SubmissionLogEntry.objects.filter(action=LOG_FOUND).exists()


def test_the_menu_shows_the_screen_to_the_dpo_only(dpo_client, person) -> None:
    assert reverse("feedback_data_requests") == URL
    assert URL in dpo_client.get("/admin/").content.decode()
    manager = Client()
    from cms.core.roles import PLATFORM_MANAGERS

    manager.force_login(staff_user(PLATFORM_MANAGERS))
    assert URL not in manager.get("/admin/").content.decode()
