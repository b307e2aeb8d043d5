"""A resident's photo of a need: stripped of its metadata, re-encoded, stored privately.

The file lives in the private storage of exports (never under MEDIA_URL). Staff of the need's
service see it through a permission-checked view; the public sees it only once staff publish it.
A photo is first stored "pending" when the resident presses Continue (the journey keeps no other
state: only its random token travels in the form) and is attached to the need on Send; pending
photos never sent are deleted by the `purge_pending_photos` scheduled job.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from feedback_forms.models.workflow import private_exports_storage


class NeedPhoto(models.Model):
    need = models.OneToOneField(
        "feedback_forms.Need",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photo",
        verbose_name=_("need"),
    )
    token_digest = models.CharField(_("upload token (hash)"), max_length=64, unique=True)
    file = models.FileField(
        _("photo"), storage=private_exports_storage, upload_to="need-photos/", max_length=200
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    published = models.BooleanField(
        _("shown on the public tracking page"), default=False, db_index=True
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("photo of a need")
        verbose_name_plural = _("photos of needs")

    def __str__(self) -> str:
        return f"photo {self.pk}"
