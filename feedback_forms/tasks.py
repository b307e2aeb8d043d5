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


@task()
def send_status_update(need_id: int) -> bool:
    """Tell the resident, in their language, that their need moved on: the status as the
    tracking page words it, the latest message and the public answer."""
    from feedback_forms.models import Need, Status
    from feedback_forms.views import PUBLIC_STATUS_TEXT

    need = Need.objects.filter(pk=need_id).first()
    if need is None or not need.contact_email:
        return False
    with translation.override(need.language):
        context = {
            "submission": need,
            "public_status": PUBLIC_STATUS_TEXT[Status(need.status)],
            "update": need.updates.order_by("-at", "-pk").first(),
            "base_url": settings.WAGTAILADMIN_BASE_URL,
        }
        subject = render_to_string("feedback_forms/email/status_subject.txt", context).strip()
        body = render_to_string("feedback_forms/email/status.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [need.contact_email])
    except Exception:  # noqa: BLE001 -- a mail failure never undoes the workflow change
        logger.exception("Status e-mail for %s could not be sent", need.reference)
        return False
    return True


@task()
def alert_low_rating(evaluation_id: int) -> bool:
    """A rating of 1 or 2 goes straight to the program's service (its address and people)."""
    from feedback_forms.models import Evaluation

    evaluation = Evaluation.objects.select_related("service").filter(pk=evaluation_id).first()
    if evaluation is None or evaluation.service is None:
        return False
    service = evaluation.service
    recipients = {service.email} if service.email else set()
    recipients |= {
        user.email for user in service.representatives.filter(is_active=True) if user.email
    }
    if not recipients:
        return False
    context = {"evaluation": evaluation, "base_url": settings.WAGTAILADMIN_BASE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("feedback_forms/email/low_rating_subject.txt", context).strip()
        body = render_to_string("feedback_forms/email/low_rating.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients))
    except Exception:  # noqa: BLE001
        logger.exception("Low-rating alert for %s could not be sent", evaluation.reference)
        return False
    return True
