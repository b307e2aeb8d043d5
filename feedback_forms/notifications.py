"""Messages that close the loop: services hear about their needs, residents are asked.

Every message is sent once: `send_once` writes a `SentNotification` row with a unique key and
sends in the same transaction, so a second scheduled run, a retried task or two workers racing
find the key taken and send nothing; a mail failure rolls the row back so the next run retries.

Staff read in their admin language (Wagtail's UserProfile); residents in the language they used.
`notify_resident` is the single place a message to a resident leaves: today by e-mail, and the
place an SMS channel adds the resident's phone number.
"""

import datetime
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from feedback_forms.models import Need, NotificationPreference, SentNotification

if TYPE_CHECKING:
    from feedback_forms.models.submissions import Submission
    from programs.models import MunicipalService

logger = logging.getLogger(__name__)
Kind = SentNotification.Kind

#: Days before the due date a representative is reminded (FEEDBACK_REMINDER_DAYS_BEFORE_DUE).
DEFAULT_REMINDER_DAYS = 3
#: Overdue needs older than this many days are not announced again (the digest lists them).
OVERDUE_ANNOUNCE_DAYS = 7
#: Weekday (Monday 0) from which the week's digest goes out (FEEDBACK_DIGEST_WEEKDAY).
DEFAULT_DIGEST_WEEKDAY = 0


def reminder_days() -> int:
    return int(getattr(settings, "FEEDBACK_REMINDER_DAYS_BEFORE_DUE", DEFAULT_REMINDER_DAYS))


def digest_weekday() -> int:
    return int(getattr(settings, "FEEDBACK_DIGEST_WEEKDAY", DEFAULT_DIGEST_WEEKDAY))


def admin_language(user: User) -> str:
    """The language the staff member chose for the admin (the site's default otherwise).

    Read from the profile itself: Wagtail's `get_preferred_language()` falls back to the
    language active in the thread, which is whoever's request queued the e-mail (a manager
    assigning in the English admin would send an English e-mail to a Georgian service)."""
    from wagtail.users.models import UserProfile

    language = UserProfile.get_for_user(user).preferred_language or ""
    return language if language in {"ka", "en"} else settings.LANGUAGE_CODE


def mode_of(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.mode if preference else NotificationPreference.Mode.IMMEDIATE


def representatives(service: "MunicipalService | None", mode: str | None = None) -> list:
    """The active representatives of a service with an e-mail address (in one mode)."""
    users = list(
        service.representatives.filter(is_active=True).exclude(email="").order_by("pk")
        if service is not None
        else get_user_model().objects.none()
    )
    if mode is None:
        return users
    digest = set(
        NotificationPreference.objects.filter(
            user__in=users, mode=NotificationPreference.Mode.DIGEST
        ).values_list("user_id", flat=True)
    )
    wanted_digest = mode == NotificationPreference.Mode.DIGEST
    return [user for user in users if (user.pk in digest) == wanted_digest]


def admin_need_url(need: Need) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL}/admin/snippets/feedback_forms/need/edit/{need.pk}/"


def already_sent(key: str) -> bool:
    return SentNotification.objects.filter(key=key).exists()


def send_once(
    key: str,
    kind: str,
    *,
    recipient: str,
    language: str,
    template: str,
    context: dict,
    user: User | None = None,
    need: Need | None = None,
    service: "MunicipalService | None" = None,
) -> bool:
    """Render `template` (and its `_subject`) in `language` and send it unless `key` was sent."""
    with translation.override(language):
        full = {**context, "base_url": settings.WAGTAILADMIN_BASE_URL}
        subject = render_to_string(f"feedback_forms/email/{template}_subject.txt", full).strip()
        body = render_to_string(f"feedback_forms/email/{template}.txt", full)
    try:
        with transaction.atomic():
            SentNotification.objects.create(
                key=key,
                kind=kind,
                user=user,
                need=need,
                service=service,
                subject=subject[:250],
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    except IntegrityError:
        return False  # sent before: the key is taken
    except Exception:  # noqa: BLE001 -- a mail failure is retried by the next run
        logger.exception("Notification %s could not be sent", key)
        return False
    return True


def notify_resident(submission: "Submission", subject: str, message: str) -> bool:
    """Send a message to the resident of a submission by the contact they left.

    Today: e-mail. The SMS channel (issue 15 item 5) extends this function for a resident who
    left only a phone number; callers pass the finished subject and text in the resident's
    language and never choose the channel themselves."""
    if not submission.contact_email:
        return False
    send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [submission.contact_email])
    return True


# --- What each scheduled run owes the services ------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One message the services are owed: kind, key, the staff member and what it is about."""

    kind: str
    key: str
    user_id: int
    need_id: int | None = None
    service_id: int | None = None


def assignment_key(need: Need, user: User) -> str:
    return f"assigned:{need.pk}:{need.service_id}:{need.due_date}:{user.pk}"


def reminders_due(today: datetime.date) -> list[Due]:
    """Due-soon reminders (within the reminder days) and overdue notices (the days after the
    due date), for representatives who want immediate e-mails; none already sent."""
    owed = []
    soon = Need.objects.due_between(today, today + datetime.timedelta(days=reminder_days()))
    late = Need.objects.due_between(
        today - datetime.timedelta(days=OVERDUE_ANNOUNCE_DAYS), today - datetime.timedelta(days=1)
    )
    for kind, needs in ((Kind.DUE_SOON, soon), (Kind.OVERDUE, late)):
        for need in needs.select_related("service").order_by("due_date", "pk"):
            for user in representatives(need.service, NotificationPreference.Mode.IMMEDIATE):
                key = f"{kind}:{need.pk}:{need.due_date}:{user.pk}"
                if not already_sent(key):
                    owed.append(Due(kind, key, user.pk, need_id=need.pk))
    return owed


def week_of(today: datetime.date) -> str:
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def digests_due(today: datetime.date) -> list[Due]:
    """This week's digest for every representative who chose the digest, once the digest day
    of the week has come."""
    from programs.models import MunicipalService

    if today.weekday() < digest_weekday():
        return []
    owed = []
    for service in MunicipalService.objects.order_by("pk"):
        for user in representatives(service, NotificationPreference.Mode.DIGEST):
            key = f"digest:{service.pk}:{week_of(today)}:{user.pk}"
            if not already_sent(key):
                owed.append(Due(Kind.DIGEST, key, user.pk, service_id=service.pk))
    return owed


def digest_context(service: "MunicipalService", today: datetime.date) -> dict:
    needs = Need.objects.filter(service=service).select_related("settlement")
    week_ago = timezone.now() - datetime.timedelta(days=7)
    return {
        "service": service,
        "new": list(needs.assigned_since(week_ago).order_by("due_date", "pk")),
        "due_this_week": list(
            needs.due_between(today, today + datetime.timedelta(days=6)).order_by("due_date", "pk")
        ),
        "overdue": list(needs.open_needs().filter(due_date__lt=today).order_by("due_date", "pk")),
    }
