"""Personal invitations to evaluate a program, made from an imported beneficiary list.

The contact (a Georgian mobile or an e-mail) is kept only for the invitation and erased once it
is used or expires (programs.invitations.erase_spent_contacts, a scheduled job). The one-time
code is stored only as a keyed hash; the code itself exists only in the message sent.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    program = models.ForeignKey(
        "programs.ProgramPage",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("program"),
    )
    batch = models.ForeignKey(
        "programs.BeneficiaryImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("import"),
    )
    person_digest = models.CharField(_("personal number (keyed hash)"), max_length=64)
    key_version = models.PositiveSmallIntegerField(_("key version"))
    served_on = models.DateField(_("date of service"))
    contact_phone = models.CharField(_("mobile phone"), max_length=16, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    code_digest = models.CharField(
        _("code (keyed hash)"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    #: The Tbilisi date it was sent: the reporting period that counts it as invited.
    sent_on = models.DateField(_("sent on"), null=True, blank=True, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    expires_at = models.DateTimeField(_("code valid until"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    contact_erased_at = models.DateTimeField(_("contact erased at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation to evaluate")
        verbose_name_plural = _("invitations to evaluate")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person_digest", "key_version", "served_on"],
                name="one_invitation_per_beneficiary_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.program_id}:{self.person_digest[:8]}…"
