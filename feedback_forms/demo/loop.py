"""The demo's part of the loop with residents and services (issue 15): a fresh `make run`
has something for `run_scheduled_jobs` to send, as a real half-year would.

- the demo service representative gets one need of their service due in two days and one two
  days overdue (the due-soon reminder and the overdue notice);
- the demo manager follows the infrastructure service in the weekly digest;
- two residents whose needs were resolved at least a fortnight ago left a contact, one an e-mail, one
  only a mobile ("is it fixed?" by e-mail and by SMS).

The contacts are made up: addresses under example.com (reserved for examples, RFC 2606) and
mobiles of the 555 00 00 xx block. Run again, it sets the same values (idempotent).
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.core.roles import PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from feedback_forms.followup import ASK_WINDOW_DAYS, after_days
from feedback_forms.models import Need, NotificationPreference, Status
from programs.models import MunicipalService

DEMO_RESIDENT_EMAIL = "resident.demo@example.com"
DEMO_RESIDENT_MOBILE = "+995555000001"


def ensure_demo_loop(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Due dates, a digest reader and residents' contacts for the scheduled jobs to act on."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        "due": set_due_dates(today),
        "digest readers": ensure_digest_reader(),
        "contacts": ensure_resident_contacts(now),
    }


def set_due_dates(today: datetime.date) -> int:
    """Two open needs of the representative's service: due in 2 days, and 2 days overdue."""
    service = MunicipalService.objects.filter(
        representatives__username=SERVICE_REPRESENTATIVES.username
    ).first()
    if service is None:
        return 0
    week_ago = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    week_ago -= datetime.timedelta(days=7)
    candidates = list(
        Need.objects.open_needs()
        .filter(service=service, created_at__lt=week_ago)
        .order_by("pk")[:2]
    )
    for need, days in zip(candidates, (2, -2), strict=False):
        need.due_date = today + datetime.timedelta(days=days)
        need.save(update_fields=["due_date", "updated_at"])
    return len(candidates)


def ensure_digest_reader() -> int:
    """The demo manager reads the infrastructure service's needs in the weekly digest."""
    manager = get_user_model().objects.filter(username=PLATFORM_MANAGERS.username).first()
    service = MunicipalService.objects.filter(slug="infrastructure").first()
    if manager is None or service is None:
        return 0
    service.representatives.add(manager)
    NotificationPreference.objects.update_or_create(
        user=manager, defaults={"mode": NotificationPreference.Mode.DIGEST}
    )
    return 1


def ensure_resident_contacts(now: datetime.datetime) -> int:
    """Contacts on the two needs resolved most recently of those old enough to be asked "is it
    fixed?"."""
    latest = now - datetime.timedelta(days=after_days())
    resolved = list(
        Need.objects.filter(
            status=Status.RESOLVED,
            answered_at__lte=latest,
            answered_at__gte=latest - datetime.timedelta(days=ASK_WINDOW_DAYS),
        ).order_by("-answered_at", "pk")[:2]
    )
    for need, (email, phone) in zip(
        resolved, ((DEMO_RESIDENT_EMAIL, ""), ("", DEMO_RESIDENT_MOBILE)), strict=False
    ):
        need.contact_email, need.contact_phone = email, phone
        need.save(update_fields=["contact_email", "contact_phone", "updated_at"])
    return len(resolved)
