"""The audit log of submissions, in its own table so that reading it is scoped like the listings.

Wagtail keeps every model's history in one `ModelLogEntry` table and shows "Reports -> Site
history" to anyone with any permission on a content type: a service representative would read
who viewed or assigned every other service's submission. Wagtail lets a model have its own log
model (`register_log_actions` -> `actions.register_model`); ours answers `viewable_by_user` with
the entries of the submissions `submissions_for` lets the user see, so site history, its CSV/XLSX
export, its filters and each submission's history all follow one rule.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry
from wagtail.models.audit_log import ModelLogEntryManager


class SubmissionLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        from feedback_forms.models import Evaluation, Need
        from feedback_forms.permissions import submissions_for

        visible = models.Q(pk__in=[])
        for model in (Need, Evaluation):
            ids = (
                submissions_for(user, model, "view")
                .order_by()
                .annotate(object_key=Cast("pk", models.CharField()))
                .values("object_key")
            )
            content_type = ContentType.objects.get_for_model(model)
            visible |= models.Q(content_type=content_type, object_id__in=ids)
        return self.filter(visible)


class SubmissionLogEntry(BaseLogEntry):
    """One audited action on a need or an evaluation (viewed, assigned, answered, erased...)."""

    object_id = models.CharField(max_length=255, db_index=True)

    objects = SubmissionLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("submission log entry")
        verbose_name_plural = _("submission log entries")
        indexes = [
            models.Index(fields=["uuid", "action", "-timestamp"], name="submission_log_uuid"),
            models.Index(fields=["content_type", "object_id"], name="submission_log_object"),
        ]

    def __str__(self) -> str:
        return f"SubmissionLogEntry {self.pk}: {self.action} on {self.object_id}"
