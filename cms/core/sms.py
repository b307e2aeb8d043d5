"""The SMS channel: `send_sms(to, text, key=...)` and pluggable backends (setting SMS_BACKEND).

Every message is first stored (`SmsMessage`: the outbox and the sent record), then delivered by
the `deliver_sms` task after the transaction commits. Delivery is at most once per message:

- a message is claimed (pending -> sending) by one conditional UPDATE, so two workers never
  send the same row;
- every attempt carries the message's `idempotency_key` to the gateway, so an attempt retried
  after a timeout (the gateway may have sent it) is not delivered again;
- failures are retried with growing delays (`SMS_RETRY_DELAYS`), by a deferred task where the
  task backend supports it and by the `deliver_pending_sms` scheduled job otherwise.

Backends: `ConsoleBackend` (development: prints), `LocmemBackend` (tests: `sms.outbox`),
`HttpGatewayBackend` (production: JSON POST to SMS_GATEWAY_URL with the credentials from the
environment). Georgian texts are UCS-2: 70 characters fit one segment (`segments()`).
"""

import base64
import datetime
import json
import logging
import sys
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from cms.core.models import SmsMessage
from cms.core.phones import normalise_mobile

logger = logging.getLogger(__name__)

#: GSM 03.38 basic character set; anything else makes the whole message UCS-2.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: Extension characters: two septets each.
GSM_EXTENDED = set("^{}\\[~]|€\f")
DEFAULT_RETRY_DELAYS = (30, 120, 600, 1800)
CLAIM_SECONDS = 120


class SmsDeliveryError(Exception):
    """The gateway did not confirm the message (HTTP error, timeout, refused connection)."""


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int
    segments: int


def segments(text: str) -> SegmentCount:
    """How many SMS segments a text takes: GSM-7 160/153 septets, UCS-2 70/67 UTF-16 units."""
    if all(char in GSM_BASIC or char in GSM_EXTENDED for char in text):
        units = sum(2 if char in GSM_EXTENDED else 1 for char in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    count = 1 if units <= single else -(-units // part)
    return SegmentCount(encoding, units, count)


# --- Backends ---------------------------------------------------------------------------------


class BaseSmsBackend:
    """Deliver one message or raise SmsDeliveryError; return the gateway's message id."""

    enabled = True

    def send(self, message: SmsMessage) -> str:
        raise NotImplementedError


class DisabledBackend(BaseSmsBackend):
    """No SMS channel configured (production without SMS_GATEWAY_URL): nothing is queued."""

    enabled = False

    def send(self, message: SmsMessage) -> str:
        raise SmsDeliveryError("the SMS channel is switched off")


class ConsoleBackend(BaseSmsBackend):
    """Development: the message is printed, nothing leaves the machine."""

    def send(self, message: SmsMessage) -> str:
        sys.stdout.write(f"SMS to {message.to} [{message.idempotency_key}]: {message.text}\n")
        return f"console-{message.pk}"


#: Messages the LocmemBackend "sent", like django.core.mail.outbox.
outbox: list[SmsMessage] = []


class LocmemBackend(BaseSmsBackend):
    """Tests: messages are kept in `cms.core.sms.outbox`."""

    def send(self, message: SmsMessage) -> str:
        outbox.append(message)
        return f"locmem-{message.pk}"


class HttpGatewayBackend(BaseSmsBackend):
    """Production: POST {"to", "text", "sender", "idempotency_key"} as JSON to SMS_GATEWAY_URL.

    Credentials come from the environment (SMS_GATEWAY_TOKEN as a bearer token, or
    SMS_GATEWAY_USER and SMS_GATEWAY_PASSWORD as basic auth). Any 2xx answer is a delivery;
    anything else, a timeout or a refused connection is an SmsDeliveryError (retried).
    """

    def send(self, message: SmsMessage) -> str:
        url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not url:
            raise SmsDeliveryError("SMS_GATEWAY_URL is not set")
        body = json.dumps(
            {
                "to": message.to,
                "text": message.text,
                "sender": settings.SMS_SENDER,
                "idempotency_key": message.idempotency_key,
            }
        ).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": message.idempotency_key,
        }
        token = getattr(settings, "SMS_GATEWAY_TOKEN", "")
        user = getattr(settings, "SMS_GATEWAY_USER", "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif user:
            password = getattr(settings, "SMS_GATEWAY_PASSWORD", "")
            pair = base64.b64encode(f"{user}:{password}".encode()).decode()
            headers["Authorization"] = f"Basic {pair}"
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        timeout = float(getattr(settings, "SMS_GATEWAY_TIMEOUT", 10))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                payload = response.read(10_000)
        except urllib.error.HTTPError as error:
            raise SmsDeliveryError(f"gateway answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsDeliveryError(f"gateway unreachable: {type(error).__name__}") from error
        try:
            return str(json.loads(payload or b"{}").get("id", ""))[:100]
        except (ValueError, AttributeError):
            return ""


def get_backend() -> BaseSmsBackend:
    path = getattr(settings, "SMS_BACKEND", "cms.core.sms.ConsoleBackend")
    return import_string(path)()


# --- Sending ----------------------------------------------------------------------------------


def retry_delays() -> tuple[int, ...]:
    return tuple(getattr(settings, "SMS_RETRY_DELAYS", DEFAULT_RETRY_DELAYS))


def max_attempts() -> int:
    return len(retry_delays()) + 1


def sms_enabled() -> bool:
    return get_backend().enabled


def send_sms(to: str, text: str, *, key: str, purpose: str = "") -> SmsMessage | None:
    """Queue one SMS to a Georgian mobile; the same `key` twice is the same message, sent once.

    Returns None when the channel is switched off. Raises django.core.exceptions.ValidationError
    for a number that is not a Georgian mobile.
    """
    number = normalise_mobile(to)
    if not sms_enabled():
        return None
    message, created = SmsMessage.objects.get_or_create(
        key=key[:100],
        defaults={
            "to": number,
            "text": text,
            "purpose": purpose or key.split(":", 1)[0],
            "segments": segments(text).segments,
            "idempotency_key": uuid.uuid4().hex,
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        message_id = message.pk
        transaction.on_commit(lambda: enqueue_delivery(message_id))
    return message


def enqueue_delivery(message_id: int, run_after: datetime.datetime | None = None) -> None:
    """Queue the delivery task; a queue that refuses work leaves the row for the scheduled job."""
    from cms.core.tasks import deliver_sms

    try:
        if run_after is not None:
            deliver_sms.using(run_after=run_after).enqueue(message_id)
        else:
            deliver_sms.enqueue(message_id)
    except Exception:  # noqa: BLE001 -- the message is stored; deliver_pending_sms picks it up
        logger.exception("Could not queue SMS %s", message_id)


def claim(message_id: int) -> SmsMessage | None:
    """Take a due message for one delivery attempt, or None if it is not ours to send."""
    now = timezone.now()
    due = Q(status=SmsMessage.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=SmsMessage.Status.SENDING, claimed_until__lt=now
    )
    claimed = (
        SmsMessage.objects.filter(due, pk=message_id)
        .filter(attempts__lt=max_attempts())
        .update(
            status=SmsMessage.Status.SENDING,
            claimed_until=now + datetime.timedelta(seconds=CLAIM_SECONDS),
        )
    )
    return SmsMessage.objects.get(pk=message_id) if claimed else None


def attempt_delivery(message_id: int) -> SmsMessage | None:
    """One attempt: sent, or scheduled for a retry (or failed after the last attempt)."""
    message = claim(message_id)
    if message is None:
        return None
    message.attempts += 1
    try:
        gateway_id = get_backend().send(message)
    except SmsDeliveryError as error:
        message.last_error = str(error)[:200]
        message.claimed_until = None
        delays = retry_delays()
        if message.attempts >= max_attempts():
            message.status = SmsMessage.Status.FAILED
            message.next_attempt_at = None
            logger.warning("SMS %s failed after %s attempts", message.key, message.attempts)
        else:
            message.status = SmsMessage.Status.PENDING
            message.next_attempt_at = timezone.now() + datetime.timedelta(
                seconds=delays[message.attempts - 1]
            )
        message.save(
            update_fields=["attempts", "last_error", "status", "next_attempt_at", "claimed_until"]
        )
        return message
    message.status = SmsMessage.Status.SENT
    message.sent_at = timezone.now()
    message.gateway_id = gateway_id or ""
    message.claimed_until = None
    message.next_attempt_at = None
    message.save(
        update_fields=[
            "attempts",
            "status",
            "sent_at",
            "gateway_id",
            "claimed_until",
            "next_attempt_at",
        ]
    )
    return message


def deliver_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """The scheduled job's work: every message due for an attempt gets one."""
    now = now or timezone.now()
    due = SmsMessage.objects.filter(
        Q(status=SmsMessage.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=SmsMessage.Status.SENDING, claimed_until__lt=now)
    ).values_list("pk", flat=True)
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    for message_id in list(due):
        message = attempt_delivery(message_id)
        if message is None:
            continue
        if message.status == SmsMessage.Status.SENT:
            counts["sent"] += 1
        elif message.status == SmsMessage.Status.FAILED:
            counts["failed"] += 1
        else:
            counts["retrying"] += 1
    return counts


def erase_old_messages(days: int, now: datetime.datetime | None = None) -> int:
    """Retention: sent and failed messages (recipient and text) are deleted after `days`."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _ = SmsMessage.objects.filter(
        status__in=[SmsMessage.Status.SENT, SmsMessage.Status.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted
