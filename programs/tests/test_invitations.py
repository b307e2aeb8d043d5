"""Invitations to evaluate: contacts imported with a beneficiary list, a personal one-time code
sent by staff, and the evaluation made with it verified without the personal number."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.core.personal_numbers import digest_personal_number
from cms.core.roles import PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.scheduler import registered_jobs
from cms.core.sms import segments
from cms.core.tests.factories import staff_user
from feedback_forms.models import Evaluation, Status
from feedback_forms.tests.factories import evaluation_data
from feedback_forms.tests.journey import hidden_fields
from programs import invitations
from programs.models import BeneficiaryImport, Invitation, MunicipalService, ProgramPage
from programs.tests.test_beneficiary_import import confirm, login, upload, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_forms")]

SERVED = datetime.date.today() - datetime.timedelta(days=20)
HEADER = ("პირადი ნომერი", "მომსახურების თარიღი", "მობილური", "ელ. ფოსტა")
ROWS = [
    ("01001012345", SERVED, "599 12 34 56", None),
    ("01001012346", SERVED, None, "nino@example.ge"),
    ("01001012347", SERVED, None, None),
]


@pytest.fixture
def program(evaluation_form) -> ProgramPage:
    return evaluation_form.get_parent().specific


@pytest.fixture
def manager(db):
    return staff_user(PLATFORM_MANAGERS, username="manager")


@pytest.fixture
def manager_client(manager) -> Client:
    return login(manager)


@pytest.fixture
def imported(program, manager_client) -> BeneficiaryImport:
    response = upload(manager_client, program, xlsx_bytes(ROWS, header=HEADER))
    assert response.status_code == 302, response.content.decode()[:3000]
    batch = BeneficiaryImport.objects.get()
    assert confirm(manager_client, program, batch).status_code == 302
    return batch


def send_url(program) -> str:
    return reverse("programs_beneficiaries:invite", args=[program.pk])


@pytest.fixture
def sent(program, imported, manager_client, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(send_url(program), follow=True)
    assert "Invitations sent: 1 by SMS, 1 by e-mail." in response.content.decode()
    return response


def code_from_sms(outbox) -> str:
    match = re.search(r"/e/([A-Z0-9]{8})/", outbox[-1].text)
    assert match, outbox[-1].text
    return match.group(1)


class TestImport:
    def test_contacts_become_invitations_and_leave_the_import(self, program, imported) -> None:
        invited = Invitation.objects.order_by("contact_phone")
        assert [(i.contact_phone, i.contact_email) for i in invited] == [
            ("", "nino@example.ge"),
            ("+995599123456", ""),
        ]
        assert invited[1].person_digest == digest_personal_number("01001012345").digest
        imported.refresh_from_db()
        assert imported.rows == []  # no copy of a contact is kept on the import
        assert program.beneficiaries.count() == 3

    def test_a_bad_contact_is_a_row_error_and_nothing_is_stored(
        self, program, manager_client
    ) -> None:
        rows = [("01001012345", SERVED, "12345", "not-mail")]
        response = upload(manager_client, program, xlsx_bytes(rows, header=HEADER))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Row 2, mobile phone: Enter a Georgian mobile number" in html
        assert "Row 2, e-mail: is not an e-mail address like name@example.ge" in html
        assert not BeneficiaryImport.objects.exists()
        assert not Invitation.objects.exists()

    def test_the_list_without_contact_columns_still_imports(self, program, manager_client) -> None:
        response = upload(manager_client, program, xlsx_bytes([("01001012345", SERVED)]))
        assert response.status_code == 302
        assert not Invitation.objects.exists()


class TestSending:
    def test_each_beneficiary_gets_one_personal_code(
        self, program, sent, sms_outbox, manager_client, django_capture_on_commit_callbacks
    ) -> None:
        assert len(sms_outbox) == 1
        message = sms_outbox[0]
        assert message.to == "+995599123456"
        assert message.purpose == "invitation"
        code = code_from_sms(sms_outbox)
        assert segments(message.text).segments == 1
        [email] = mail.outbox
        assert email.to == ["nino@example.ge"]
        assert "შეაფასოთ" in email.subject or "შეაფასეთ" in email.subject
        email_code = re.search(r": ([A-Z0-9]{8}) ", email.body).group(1)
        stored = " ".join(str(v) for v in Invitation.objects.values_list("code_digest", flat=True))
        assert code not in stored and email_code not in stored
        assert Invitation.objects.get(contact_phone="+995599123456").code_digest == (
            invitations.code_digest(code)
        )
        # Pressing "Send" again sends nobody twice.
        with django_capture_on_commit_callbacks(execute=True):
            again = manager_client.post(send_url(program), follow=True)
        assert "There is nobody left to invite" in again.content.decode()
        assert len(sms_outbox) == 1 and len(mail.outbox) == 1

    def test_another_services_representative_cannot_send(self, program, imported) -> None:
        other = MunicipalService.objects.exclude(pk=program.responsible_service_id).first()
        user = staff_user(SERVICE_REPRESENTATIVES, username="other")
        other.representatives.add(user)
        response = login(user).post(send_url(program))
        assert response.status_code == 403
        assert not Invitation.objects.filter(sent_at__isnull=False).exists()

    def test_the_services_own_representative_can_send(
        self, program, imported, sms_outbox, django_capture_on_commit_callbacks
    ) -> None:
        user = staff_user(SERVICE_REPRESENTATIVES, username="own")
        program.responsible_service.representatives.add(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = login(user).post(send_url(program))
        assert response.status_code == 302
        assert Invitation.objects.filter(sent_at__isnull=False).count() == 2


def evaluate_with_code(client: Client, code: str, **overrides):
    """Follow the invitation link, then questions -> check answers -> send, as a browser."""
    landing = client.get(f"/e/{code}/")
    assert landing.status_code == 303, landing.status_code
    form = client.get(landing["Location"])
    html = form.content.decode()
    assert 'name="personal_number"' not in html
    assert f'value="{code}"' in html
    data = evaluation_data(ramdenad_martivi_iqo="5", **overrides)
    data.pop("personal_number")
    data["invitation_code"] = code
    url = landing["Location"].split("?")[0]
    checked = client.post(url, {**data, **hidden_fields(html), "action": "review"})
    assert checked.status_code == 200
    return client.post(url, {**data, **hidden_fields(checked.content.decode()), "action": "submit"})


class TestEvaluatingWithTheCode:
    def test_the_code_verifies_the_evaluation_once(self, client: Client, sent, sms_outbox) -> None:
        code = code_from_sms(sms_outbox)
        response = evaluate_with_code(client, code)
        assert response.status_code == 303
        evaluation = Evaluation.objects.get()
        assert evaluation.verified is True
        assert evaluation.status == Status.NEW
        assert evaluation.person_digest == digest_personal_number("01001012345").digest
        invitation = evaluation.invitation
        assert invitation.used_at is not None
        assert (invitation.contact_phone, invitation.contact_email) == ("", "")  # erased
        # The code works once.
        again = client.get(f"/e/{code}/")
        assert again.status_code == 404
        assert "ამ მოსაწვევის გამოყენება შეუძლებელია" in again.content.decode()

    def test_a_used_code_on_the_form_is_a_clear_error_and_answers_are_kept(
        self, client: Client, sent, sms_outbox, program
    ) -> None:
        code = code_from_sms(sms_outbox)
        evaluate_with_code(client, code)
        form_url = program.attached_forms()["evaluation"].url
        data = evaluation_data(overall_rating="2", ramdenad_martivi_iqo="5")
        data.pop("personal_number")
        data["invitation_code"] = code
        html = client.get(f"{form_url}?code={code}").content.decode()
        response = client.post(
            form_url, {**data, **hidden_fields(html), "action": "review"}, HTTP_ACCEPT_LANGUAGE="ka"
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "ეს მოსაწვევის კოდი არ მოქმედებს" in page
        assert Evaluation.objects.count() == 1

    def test_the_rule_still_applies_with_a_code(self, client: Client, sent, sms_outbox) -> None:
        code = code_from_sms(sms_outbox)
        young = (timezone.localdate() - datetime.timedelta(days=365 * 17)).strftime("%d %m %Y")
        day, month, year = young.split()
        landing = client.get(f"/e/{code}/")
        url = landing["Location"].split("?")[0]
        html = client.get(landing["Location"]).content.decode()
        data = evaluation_data(birth_date_day=day, birth_date_month=month, birth_date_year=year)
        data.pop("personal_number")
        data.pop("used_program")
        data["invitation_code"] = code
        response = client.post(url, {**data, **hidden_fields(html), "action": "review"})
        page = response.content.decode()
        assert "18" in page and "error-message" in page
        assert "id_used_program_error" in page  # the "I used the program" box is still required
        assert not Evaluation.objects.exists()
        assert Invitation.objects.get(contact_phone="+995599123456").used_at is None

    def test_an_unknown_code_is_a_translated_page(self, client: Client, sent) -> None:
        response = client.get("/en/e/AAAAAAAA/")
        assert response.status_code == 404
        assert "This invitation cannot be used" in response.content.decode()


class TestRetention:
    def test_expired_and_never_sent_contacts_are_erased_by_the_scheduled_job(
        self, sent, program
    ) -> None:
        job = {job.name: job for job in registered_jobs()}["erase_invitation_contacts"]
        assert job.run() == "0 invitation contacts erased"
        Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        assert job.run() == "2 invitation contacts erased"
        assert not Invitation.objects.exclude(contact_phone="", contact_email="").exists()
        unsent = Invitation.objects.create(
            program=program,
            person_digest="x" * 64,
            key_version=1,
            served_on=SERVED,
            contact_phone="+995599000000",
        )
        Invitation.objects.filter(pk=unsent.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=invitations.valid_days() + 1)
        )
        assert job.run() == "1 invitation contacts erased"
