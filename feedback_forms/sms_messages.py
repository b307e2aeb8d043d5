"""The SMS texts residents receive, in their language, each within one segment where possible
(Georgian is UCS-2: 70 characters; measured in feedback_forms/tests/test_sms_messages.py).

A text names the reference and a short address on this site; the public answer itself is on the
tracking page (an answer rarely fits 70 Georgian characters).
"""

import hashlib
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cms.core.sms import send_sms

if TYPE_CHECKING:
    from feedback_forms.models import Need
    from feedback_forms.models.submissions import Submission

logger = logging.getLogger(__name__)


def site_host() -> str:
    """The site's address without the scheme: "feedback.example.gov.ge" (short for an SMS)."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return parts.netloc or parts.path


def receipt_text(submission: "Submission") -> str:
    with translation.override(submission.language):
        return _("Received, no. %(reference)s. Status: %(url)s") % {
            "reference": submission.reference,
            "url": site_host() + reverse("track"),
        }


def answer_text(need: "Need") -> str:
    with translation.override(need.language):
        return _("City Hall answered %(reference)s: %(url)s") % {
            "reference": need.reference,
            "url": site_host() + reverse("track"),
        }


def fix_check_text(need: "Need", token: str) -> str:
    """ "Is it fixed?" with the short one-time link (/f/<token>/): one segment on the site's host."""
    with translation.override(need.language if need.language in {"ka", "en"} else "ka"):
        return _("Is it fixed? %(reference)s: %(url)s") % {
            "reference": need.reference,
            "url": site_host() + reverse("fix_check_short", kwargs={"token": token}),
        }


def queue_sms(to: str, text: str, *, key: str, purpose: str) -> None:
    """Queue one SMS; a bad stored number or a refusing queue is logged, never raised."""
    try:
        send_sms(to, text, key=key, purpose=purpose)
    except ValidationError:
        logger.warning("Not a Georgian mobile, no SMS for %s", key)
    except Exception:  # noqa: BLE001 -- the submission or the answer is already stored
        logger.exception("Could not queue the SMS %s", key)


def queue_receipt_sms(submission: "Submission") -> None:
    kind = type(submission).__name__.lower()
    if submission.contact_phone:
        queue_sms(
            submission.contact_phone,
            receipt_text(submission),
            key=f"receipt:{kind}:{submission.pk}",
            purpose="receipt",
        )


def queue_answer_sms(need: "Need") -> None:
    """One SMS per public answer: a changed answer is a new message, the same one is not."""
    if not need.contact_phone:
        return
    answer = hashlib.sha256(f"{need.status}:{need.public_answer}".encode()).hexdigest()[:16]
    queue_sms(
        need.contact_phone, answer_text(need), key=f"answer:{need.pk}:{answer}", purpose="answer"
    )
