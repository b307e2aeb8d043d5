"""The SMS residents get: the receipt of a submission and the public answer to a need, through
the real HTTP gateway backend to the local gateway (tests/sms_gateway.py), each text within one
SMS segment on the municipality's address."""

import pytest
from django.test import Client

from cms.core.models import SmsMessage
from cms.core.roles import PLATFORM_MANAGERS
from cms.core.sms import segments
from cms.core.tests.factories import staff_user
from feedback_forms import sms_messages, workflow
from feedback_forms.models import Need, Status
from feedback_forms.tests.factories import NeedFactory, evaluation_data, need_data
from feedback_forms.tests.journey import send
from programs import invitations
from programs.models import MunicipalService, ProgramCategory, Settlement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_forms")]

#: The production address (prod.env.example has the same length class of host).
PRODUCTION_BASE = "https://feedback.tskaltubo.gov.ge"
REFERENCE = "K7QM-4XPA"
CODE = "ABCD2345"


def need_answers(**overrides) -> dict:
    return need_data(
        Settlement.objects.first(),
        ProgramCategory.objects.first(),
        ramden_adamians_ekheba="3",
        **overrides,
    )


class TestReceipt:
    def test_a_need_with_a_mobile_gets_its_receipt_at_the_gateway(
        self, client: Client, needs_form, sms_gateway, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = send(client, "/report-a-need/", need_answers(contact_phone="599 12 34 56"))
        assert response.status_code == 303
        need = Need.objects.get()
        assert need.contact_phone == "+995599123456"
        [delivered] = sms_gateway.messages()
        assert delivered["to"] == "+995599123456"
        assert need.reference in delivered["text"]
        assert delivered["text"].startswith("მიღებულია")
        assert segments(delivered["text"]).segments == 1
        message = SmsMessage.objects.get()
        assert (message.status, message.purpose) == (SmsMessage.Status.SENT, "receipt")

    def test_an_english_evaluation_gets_an_english_receipt(
        self, client: Client, evaluation_form, sms_outbox, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            send(
                client,
                "/en/programs/rural-roads/evaluation/",
                evaluation_data(ramdenad_martivi_iqo="4", contact_phone="+995 555 00 12 34"),
            )
        [message] = sms_outbox
        assert message.text.startswith("Received, no.")
        assert "/en/track/" in message.text

    def test_a_bad_number_is_a_translated_error_and_the_answers_stay(
        self, client: Client, needs_form
    ) -> None:
        response = send_review(client, need_answers(contact_phone="0431 22 22 22"))
        html = response.content.decode()
        assert "მიუთითეთ საქართველოს მობილურის ნომერი" in html
        assert "ქუჩის განათება" in html  # the title is kept
        assert not Need.objects.exists()

    def test_no_phone_no_sms(
        self, client: Client, needs_form, sms_outbox, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            send(client, "/report-a-need/", need_answers())
        assert sms_outbox == []


def send_review(client: Client, data: dict):
    from feedback_forms.tests.journey import review

    return review(client, "/report-a-need/", data)


class TestAnswer:
    def test_the_public_answer_is_sent_once(
        self, reference_data, sms_gateway, django_capture_on_commit_callbacks
    ) -> None:
        manager = staff_user(PLATFORM_MANAGERS, username="manager")
        need = NeedFactory(contact_phone="+995599123456")
        social = MunicipalService.objects.get(slug="social")
        with django_capture_on_commit_callbacks(execute=True):
            workflow.assign(need, service=social, by=manager)
        assert sms_gateway.messages() == []  # assignment is not an answer
        with django_capture_on_commit_callbacks(execute=True):
            workflow.change_status(need, Status.PLANNED, by=manager, public_answer="გაზაფხულზე.")
        [delivered] = sms_gateway.messages()
        assert delivered["text"] == sms_messages.answer_text(need)
        assert need.reference in delivered["text"]
        # Saving the same answer again sends nothing more; a new answer is a new message.
        sms_messages.queue_answer_sms(need)
        assert len(sms_gateway.messages()) == 1
        with django_capture_on_commit_callbacks(execute=True):
            workflow.change_status(need, Status.RESOLVED, by=manager, public_answer="შეკეთდა.")
        assert len(sms_gateway.messages()) == 2


class TestSegments:
    """Measured on the production address: every Georgian text fits one UCS-2 segment."""

    @pytest.mark.parametrize("language", ["ka", "en"])
    def test_every_text_fits_one_segment(self, settings, language: str) -> None:
        settings.WAGTAILADMIN_BASE_URL = PRODUCTION_BASE
        need = Need(reference=REFERENCE, language=language)
        texts = {
            "receipt": sms_messages.receipt_text(need),
            "answer": sms_messages.answer_text(need),
        }
        if language == "ka":
            texts["invitation"] = invitations.sms_text(CODE)
        for name, text in texts.items():
            count = segments(text)
            print(
                f"{language} {name}: {count.units} {count.encoding} units, {count.segments}: {text}"
            )
            assert count.segments == 1, (name, text, count)
            assert count.encoding == ("UCS-2" if language == "ka" else "GSM-7")
