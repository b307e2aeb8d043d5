"""The SMS channel against a real local HTTP gateway (tests/sms_gateway.py): retries after
failures and timeouts, and no message delivered twice."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cms.core import phones, sms
from cms.core.models import SmsMessage
from cms.core.scheduled_jobs import deliver_pending_sms

pytestmark = pytest.mark.django_db

MOBILE = "+995599123456"


class TestPhones:
    @pytest.mark.parametrize(
        "written",
        ["599 12 34 56", "599123456", "0599-123-456", "+995 599 12 34 56", "(599) 123456"],
    )
    def test_one_mobile_in_many_spellings(self, written: str) -> None:
        assert phones.normalise_mobile(written) == MOBILE

    @pytest.mark.parametrize(
        "bad", ["", "12", "431 22 22 22", "+1 202 555 0100", "599 12 34 5", "<script>", "5" * 40]
    )
    def test_not_a_georgian_mobile_is_refused_with_a_translated_message(self, bad: str) -> None:
        from django.utils import translation

        with translation.override("ka"):
            with pytest.raises(ValidationError) as refused:
                phones.normalise_mobile(bad)
            text = str(refused.value.messages[0])
            assert str(phones.MSG_INVALID) in text
            assert "მობილური" in str(phones.MSG_INVALID)

    @given(st.from_regex(phones.json_pattern(), fullmatch=True))
    def test_every_number_the_api_schema_allows_is_accepted(self, value: str) -> None:
        if value:
            assert phones.normalise_mobile(value).startswith("+995")


class TestSegments:
    def test_georgian_is_ucs2_70_per_segment(self) -> None:
        assert sms.segments("ა" * 70) == sms.SegmentCount("UCS-2", 70, 1)
        assert sms.segments("ა" * 71).segments == 2
        assert sms.segments("ა" * 134).segments == 2
        assert sms.segments("ა" * 135).segments == 3

    def test_latin_is_gsm7_160_per_segment(self) -> None:
        assert sms.segments("a" * 160).segments == 1
        assert sms.segments("a" * 161).segments == 2
        assert sms.segments("[" * 80).units == 160

    @given(st.text(min_size=1, max_size=400))
    def test_segments_hold_the_text(self, text: str) -> None:
        count = sms.segments(text)
        per_part = (153 if count.encoding == "GSM-7" else 67) if count.segments > 1 else None
        if per_part is None:
            assert count.units <= (160 if count.encoding == "GSM-7" else 70)
        else:
            assert (count.segments - 1) * per_part < count.units <= count.segments * per_part


def queue(text: str = "გამარჯობა", key: str = "test:1", to: str = "599 12 34 56"):
    return sms.send_sms(to, text, key=key, purpose="test")


class TestGateway:
    def test_a_message_reaches_the_gateway_once(
        self, sms_gateway, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            message = queue()
            assert queue().pk == message.pk  # the same message asked twice
        message.refresh_from_db()
        assert message.status == SmsMessage.Status.SENT
        delivered = sms_gateway.messages()
        assert [(m["to"], m["text"]) for m in delivered] == [(MOBILE, "გამარჯობა")]
        assert delivered[0]["idempotency_key"] == message.idempotency_key
        assert delivered[0]["authorization"] == "Bearer test-gateway-token"
        assert message.gateway_id == delivered[0]["id"]
        deliver_pending_sms()  # the scheduled job finds nothing due
        assert len(sms_gateway.requests()) == 1

    def test_500s_are_retried_until_delivered(
        self, sms_gateway, django_capture_on_commit_callbacks
    ) -> None:
        sms_gateway.control(fail_first=2, fail_mode="500")
        with django_capture_on_commit_callbacks(execute=True):
            message = queue()
        message.refresh_from_db()
        assert (message.status, message.attempts) == (SmsMessage.Status.PENDING, 1)
        assert "500" in message.last_error
        assert sms_gateway.messages() == []
        assert "1 to retry" in deliver_pending_sms()
        assert "1 sent" in deliver_pending_sms()
        message.refresh_from_db()
        assert (message.status, message.attempts) == (SmsMessage.Status.SENT, 3)
        assert [r["status"] for r in sms_gateway.requests()] == [500, 500, 200]
        assert len(sms_gateway.messages()) == 1

    def test_a_timeout_after_delivery_is_retried_and_not_delivered_twice(
        self, sms_gateway, django_capture_on_commit_callbacks
    ) -> None:
        sms_gateway.control(fail_first=1, fail_mode="timeout")
        with django_capture_on_commit_callbacks(execute=True):
            message = queue()
        message.refresh_from_db()
        assert message.status == SmsMessage.Status.PENDING
        assert "timeout" in message.last_error.lower()
        deliver_pending_sms()
        message.refresh_from_db()
        assert message.status == SmsMessage.Status.SENT
        requests = sms_gateway.requests()
        assert len(requests) == 2
        assert {r["idempotency_key"] for r in requests} == {message.idempotency_key}
        assert len(sms_gateway.messages()) == 1  # the gateway delivered it once

    def test_after_the_last_attempt_the_message_is_failed(
        self, sms_gateway, settings, django_capture_on_commit_callbacks
    ) -> None:
        sms_gateway.control(fail_first=10, fail_mode="500")
        with django_capture_on_commit_callbacks(execute=True):
            message = queue()
        for _ in range(6):
            deliver_pending_sms()
        message.refresh_from_db()
        assert (message.status, message.attempts) == (SmsMessage.Status.FAILED, sms.max_attempts())
        assert len(sms_gateway.requests()) == sms.max_attempts()

    def test_an_unreachable_gateway_keeps_the_message(
        self, settings, django_capture_on_commit_callbacks
    ) -> None:
        settings.SMS_BACKEND = "cms.core.sms.HttpGatewayBackend"
        settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"
        with django_capture_on_commit_callbacks(execute=True):
            message = queue()
        message.refresh_from_db()
        assert message.status == SmsMessage.Status.PENDING
        assert "unreachable" in message.last_error

    def test_a_message_claimed_by_another_worker_is_not_sent(
        self, sms_gateway, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=False):
            message = queue()
        assert sms.claim(message.pk) is not None
        assert sms.attempt_delivery(message.pk) is None  # the other worker holds it
        assert sms_gateway.requests() == []


def test_switched_off_channel_queues_nothing(settings) -> None:
    settings.SMS_BACKEND = "cms.core.sms.DisabledBackend"
    assert queue() is None
    assert not SmsMessage.objects.exists()


def test_old_messages_are_erased(sms_outbox, django_capture_on_commit_callbacks) -> None:
    import datetime

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    assert sms_outbox[0].text == "გამარჯობა"
    SmsMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert sms.erase_old_messages(180) == 1
