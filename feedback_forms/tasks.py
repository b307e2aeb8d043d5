"""Background work of the intake: the resident's receipt e-mail.

It runs through django_tasks after the submission is committed, so a mail server that is down
can neither lose, fail nor duplicate a submission: the task logs the failure and gives up.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
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
    from feedback_forms.public_status import PUBLIC_STATUS_TEXT

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


# --- Closing the loop (issue 15): services' notifications and the resident's follow-up --------


@task()
def notify_assignment(need_id: int) -> int:
    """Tell the service's representatives who want immediate e-mails about a new assignment."""
    from feedback_forms import notifications
    from feedback_forms.models import Need, NotificationPreference

    need = Need.objects.select_related("service", "settlement").filter(pk=need_id).first()
    if need is None or need.service is None:
        return 0
    sent = 0
    for user in notifications.representatives(need.service, NotificationPreference.Mode.IMMEDIATE):
        sent += notifications.send_once(
            notifications.assignment_key(need, user),
            notifications.Kind.ASSIGNED,
            recipient=user.email,
            language=notifications.admin_language(user),
            template="service_assigned",
            context={"need": need, "user": user, "url": notifications.admin_need_url(need)},
            user=user,
            need=need,
            service=need.service,
        )
    return sent


@task()
def send_staff_notification(
    kind: str, key: str, user_id: int, need_id: int | None = None, service_id: int | None = None
) -> bool:
    """One reminder, overdue notice or digest, sent once (the key is claimed when sending)."""
    from django.contrib.auth import get_user_model

    from feedback_forms import notifications
    from feedback_forms.models import Need
    from programs.models import MunicipalService

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    need = service = None
    if kind == notifications.Kind.DIGEST:
        service = (
            MunicipalService.objects.filter(pk=service_id).first()
            if service_id is not None
            else None
        )
        if service is None:
            return False
        context = notifications.digest_context(service, timezone.localdate())
        if not (context["new"] or context["due_this_week"] or context["overdue"]):
            return False  # nothing to tell this week: no empty e-mail
        context["base_url"] = settings.WAGTAILADMIN_BASE_URL
    else:
        need = (
            Need.objects.select_related("service", "settlement").filter(pk=need_id).first()
            if need_id is not None
            else None
        )
        if need is None or need.service is None:
            return False
        service = need.service
        context = {"need": need, "url": notifications.admin_need_url(need)}
    return notifications.send_once(
        key,
        kind,
        recipient=user.email,
        language=notifications.admin_language(user),
        template=f"service_{kind}",
        context={**context, "user": user},
        user=user,
        need=need,
        service=service,
    )


@task()
def send_fix_check(need_id: int, trigger: str) -> bool:
    """Ask the resident "is it fixed?" with a one-time link (created here, sent once)."""
    from feedback_forms import followup

    return followup.send_check(need_id, trigger)


@task()
def notify_reopened(check_id: int) -> int:
    """Every representative of the service hears at once that a resident says it is not fixed."""
    from feedback_forms import notifications
    from feedback_forms.models import FixCheck

    check = FixCheck.objects.select_related("need__service").filter(pk=check_id).first()
    if check is None or check.need.service is None:
        return 0
    need = check.need
    sent = 0
    for user in notifications.representatives(need.service):
        sent += notifications.send_once(
            f"reopened:{check.pk}:{user.pk}",
            notifications.Kind.REOPENED,
            recipient=user.email,
            language=notifications.admin_language(user),
            template="service_reopened",
            context={"need": need, "check": check, "url": notifications.admin_need_url(need)},
            user=user,
            need=need,
            service=need.service,
        )
    return sent
