"""Scheduled jobs of the site itself: Wagtail's scheduled publishing, SMS, and the retention of
what Django and its packages keep (sessions, sign-in records, finished background tasks).

The retention jobs run the packages' own commands or functions (`clearsessions`,
`axes_reset_logs`, `prune_db_task_results`), so they delete exactly what the manual commands do.
"""

import datetime
from io import StringIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision

from cms.core.scheduler import scheduled_job


@scheduled_job(
    "publish_scheduled", "Publish pages whose go-live time has come, unpublish expired ones."
)
def publish_scheduled() -> str:
    """Wagtail's own `publish_scheduled`: the editor's "Set schedule" depends on it."""
    now = timezone.now()
    due = Revision.objects.filter(approved_go_live_at__lt=now).count()
    expired = Page.objects.filter(live=True, expire_at__lt=now).count()
    call_command("publish_scheduled", stdout=StringIO())
    return f"{due} scheduled revisions published, {expired} expired pages unpublished"


@scheduled_job("deliver_pending_sms", "Send SMS messages that are due (first tries and retries).")
def deliver_pending_sms() -> str:
    from cms.core import sms

    counts = sms.deliver_due()
    erased = sms.erase_old_messages(int(getattr(settings, "FEEDBACK_CONTACT_RETENTION_DAYS", 180)))
    return (
        f"SMS: {counts['sent']} sent, {counts['retrying']} to retry, {counts['failed']} failed; "
        f"{erased} old messages erased"
    )


#: Defaults of the settings of the same names (cms/settings/base.py, docs/data-protection.md).
SIGN_IN_RECORD_RETENTION_DAYS = 90
TASK_RESULT_RETENTION_DAYS = 14


def retention_setting(name: str, default: int) -> int:
    """A number of days from the settings, read at run time; never zero or less (that would
    delete what was written a moment ago)."""
    days = int(getattr(settings, name, default))
    if days < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1 (days), not {days}.")
    return days


@scheduled_job("clear_expired_sessions", "Delete expired sessions (Django's clearsessions).")
def clear_expired_sessions() -> str:
    """A resident's session remembers the references it sent; a staff session, who signed in."""
    from django.contrib.sessions.models import Session

    expired = Session.objects.filter(expire_date__lt=timezone.now()).count()
    call_command("clearsessions")
    return f"{expired} expired sessions deleted"


@scheduled_job(
    "purge_sign_in_records",
    "Delete staff sign-in records (django-axes) older than SIGN_IN_RECORD_RETENTION_DAYS.",
)
def purge_sign_in_records() -> str:
    """`axes_reset_logs --age DAYS` and `axes_reset_failure_logs --age DAYS`, and the failure
    counters of the same age: usernames, addresses and browsers of every sign-in.

    A counter is kept while it can still lock someone out (`AXES_COOLOFF_TIME`); with no
    cool-off (lockouts until reset by hand) counters are never deleted here.
    """
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    days = retention_setting("SIGN_IN_RECORD_RETENTION_DAYS", SIGN_IN_RECORD_RETENTION_DAYS)
    logs = AxesProxyHandler.reset_logs(age_days=days)
    failures = AxesProxyHandler.reset_failure_logs(age_days=days)
    attempts = 0
    cool_off = get_cool_off()
    if cool_off is not None:
        cutoff = timezone.now() - max(datetime.timedelta(days=days), cool_off)
        attempts, _per_model = AccessAttempt.objects.filter(attempt_time__lte=cutoff).delete()
    return (
        f"sign-in records older than {days} days deleted: {logs} sign-ins, "
        f"{failures} failure logs, {attempts} failure counters"
    )


@scheduled_job(
    "prune_task_results",
    "Delete finished background task results older than TASK_RESULT_RETENTION_DAYS.",
)
def prune_task_results() -> str:
    """`prune_db_task_results` (django-tasks-db) on every database task backend, every queue.

    Tasks carry database ids only, but a failed one keeps its traceback. Without a database
    backend (development, tests) there is nothing to prune.
    """
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    days = retention_setting("TASK_RESULT_RETENTION_DAYS", TASK_RESULT_RETENTION_DAYS)
    aliases = [
        alias
        for alias in getattr(settings, "TASKS", {})
        if isinstance(task_backends[alias], DatabaseBackend)
    ]
    if not aliases:
        return "no database task backend: nothing to prune"
    cutoff = timezone.now() - datetime.timedelta(days=days)
    due = (
        DBTaskResult.objects.finished()
        .filter(backend_name__in=aliases, finished_at__lte=cutoff)
        .count()
    )
    for alias in aliases:
        call_command(
            "prune_db_task_results",
            *("--backend", alias, "--queue-name", "*", "--min-age-days", str(days)),
            verbosity=0,
            stdout=StringIO(),
        )
    return f"{due} finished task results deleted (older than {days} days)"
