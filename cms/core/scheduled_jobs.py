"""Scheduled jobs of the site itself: Wagtail's scheduled publishing."""

from io import StringIO

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
