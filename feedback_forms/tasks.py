"""Background work of the intake: the resident's receipt e-mail.

It runs through django_tasks after the submission is committed, so a mail server that is down
can neither lose, fail nor duplicate a submission: the task logs the failure and gives up.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_submission_receipt(kind: str, submission_id: int) -> bool:
    from feedback_forms.models import Evaluation, Need

    model = Evaluation if kind == "evaluation" else Need
    submission = model.objects.filter(pk=submission_id).first()
    if submission is None or not submission.contact_email:
        return False
    with translation.override(submission.language):
        context = {
            "submission": submission,
            "kind": kind,
            "base_url": settings.WAGTAILADMIN_BASE_URL,
        }
        subject = render_to_string("feedback_forms/email/receipt_subject.txt", context).strip()
        body = render_to_string("feedback_forms/email/receipt.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [submission.contact_email])
    except Exception:  # noqa: BLE001 -- any mail failure is logged, never raised to the resident
        logger.exception("Receipt e-mail for %s could not be sent", submission.reference)
        return False
    return True
