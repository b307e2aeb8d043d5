"""Scheduled jobs of the feedback forms: rate-limit counters and the retention of contacts."""

from cms.core.scheduler import scheduled_job
from feedback_forms.protection import purge_protection_records
from feedback_forms.retention import erase_expired_contacts, retention_days


@scheduled_job(
    "purge_rate_limits",
    "Delete rate-limit counters whose window ended long ago and spent form tokens too old to pass.",
)
def purge_rate_limits() -> str:
    """The same function as `manage.py purge_rate_limits`, with its defaults."""
    purged = purge_protection_records()
    return (
        f"{purged.counters} rate-limit counters deleted, {purged.tokens} spent form tokens deleted"
    )


@scheduled_job(
    "erase_expired_contacts", "Erase the contact details of closed submissions past retention."
)
def erase_contacts() -> str:
    counts = erase_expired_contacts()
    return (
        f"contacts erased (older than {retention_days()} days): "
        f"{counts['needs']} needs, {counts['evaluations']} evaluations"
    )


@scheduled_job(
    "service_reminders",
    "Remind services of answers due soon and tell them of needs that became overdue.",
)
def service_reminders() -> str:
    """Queues one task per owed e-mail; each task claims its key, so a rerun sends nothing."""
    from django.utils import timezone

    from feedback_forms.notifications import reminders_due
    from feedback_forms.tasks import send_staff_notification

    owed = reminders_due(timezone.localdate())
    for due in owed:
        send_staff_notification.enqueue(due.kind, due.key, due.user_id, need_id=due.need_id)
    return f"{len(owed)} reminders queued"


@scheduled_job("service_digests", "Send this week's digest to representatives who chose it.")
def service_digests() -> str:
    from django.utils import timezone

    from feedback_forms.notifications import digests_due
    from feedback_forms.tasks import send_staff_notification

    owed = digests_due(timezone.localdate())
    for due in owed:
        send_staff_notification.enqueue(due.kind, due.key, due.user_id, service_id=due.service_id)
    return f"{len(owed)} digests queued"


@scheduled_job("fix_checks", "Ask residents whose need was resolved whether it is fixed.")
def fix_checks() -> str:
    from feedback_forms.followup import checks_due
    from feedback_forms.tasks import send_fix_check

    owed = checks_due()
    for need_id, trigger in owed:
        send_fix_check.enqueue(need_id, trigger)
    return f"{len(owed)} “is it fixed?” questions queued"


@scheduled_job(
    "purge_pending_photos", "Delete photos uploaded with a needs form that was never sent."
)
def purge_pending_photos() -> str:
    from feedback_forms.photos import purge_pending

    return f"{purge_pending()} unsent photos deleted"
