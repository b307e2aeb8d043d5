"""Records of the workflow: internal notes on needs, the public timeline of a need, and
background exports."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback_forms.models.submissions import Status


class NeedNote(models.Model):
    """An internal note on a need: for City Hall staff only, never shown to the public."""

    need = models.ForeignKey(
        "feedback_forms.Need",
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("need"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"{self.need_id}: {self.text[:40]}"


class NeedUpdate(models.Model):
    """One step of a need's public timeline: what the resident sees on the tracking page.

    Written by the workflow functions only, each time the public state of a need changes (its
    status, its public answer, a budget commitment's decision). The message is in the
    resident's language, like the e-mail that tells them; nothing here names a staff member.
    The full record, with who did what, is Wagtail's audit log.
    """

    need = models.ForeignKey(
        "feedback_forms.Need",
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("need"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    message = models.TextField(_("public message"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("public update")
        verbose_name_plural = _("public updates")

    def __str__(self) -> str:
        return f"{self.need_id} {self.at:%Y-%m-%d}: {self.status}"


def private_exports_storage():
    return storages["exports"]


class ExportJob(models.Model):
    """A large export prepared in the background and downloaded when ready.

    The file lives in private storage (not under MEDIA_URL) and is served only to the staff
    member who asked for it, through a permission-checked view.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (.xlsx)")
        CSV = "csv", _("CSV")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("what"), max_length=12)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    query = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(
        _("file"), storage=private_exports_storage, upload_to="exports/", blank=True
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_format} ({self.get_status_display()})"
