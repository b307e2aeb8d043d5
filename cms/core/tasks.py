"""Background delivery of SMS messages (cms.core.sms)."""

import datetime

from django_tasks import default_task_backend, task

from cms.core.models import SmsMessage


@task()
def deliver_sms(message_id: int) -> str:
    """Attempt a message; on failure, retry after the next delay.

    Where the task backend can defer (the database queue in production), the retry is a
    deferred task; otherwise (the inline backend of development and tests) the retry is left
    to the `deliver_pending_sms` scheduled job, which runs every few minutes.
    """
    from cms.core import sms

    message = sms.attempt_delivery(message_id)
    if message is None:
        return "not due"
    if message.status == SmsMessage.Status.PENDING and default_task_backend.supports_defer:
        run_after = message.next_attempt_at or datetime.datetime.now(datetime.UTC)
        sms.enqueue_delivery(message.pk, run_after=run_after)
    return message.status
