"""Beneficiary lists: who received a program, so that evaluations can be verified (Art. 3.2).

Only the keyed HMAC of a personal number is stored (cms.core.personal_numbers), never the number.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BeneficiaryImport(models.Model):
    """An uploaded list between its dry run and its confirmation.

    It holds the rows already hashed, so confirming never needs the clear-text file again and
    nothing of it is stored before the staff member confirms.
    """

    class Status(models.TextChoices):
        #: A large list being compared with the program's list in the background.
        CHECKING = "checking", _("Being checked")
        PENDING = "pending", _("Waiting for confirmation")
        #: A large, confirmed list being imported in the background.
        IMPORTING = "importing", _("Being imported")
        APPLIED = "applied", _("Imported")
        DISCARDED = "discarded", _("Discarded")
        FAILED = "failed", _("Not imported: the beneficiary list changed meanwhile")

    program = models.ForeignKey(
        "programs.ProgramPage",
        on_delete=models.CASCADE,
        related_name="beneficiary_imports",
        verbose_name=_("program"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rows = models.JSONField(_("hashed rows"), default=list, editable=False)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    new_rows = models.PositiveIntegerField(_("new beneficiaries"), default=0)
    existing_rows = models.PositiveIntegerField(_("already on the list"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("beneficiary list import")
        verbose_name_plural = _("beneficiary list imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class BeneficiaryRecord(models.Model):
    """One person who received a program on a date, known only by the hash of their number."""

    program = models.ForeignKey(
        "programs.ProgramPage",
        on_delete=models.CASCADE,
        related_name="beneficiaries",
        verbose_name=_("program"),
    )
    person_digest = models.CharField(_("personal number (keyed hash)"), max_length=64)
    key_version = models.PositiveSmallIntegerField(_("key version"))
    served_on = models.DateField(_("date of service"))
    batch = models.ForeignKey(
        BeneficiaryImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person_digest", "key_version", "served_on"],
                name="unique_beneficiary_service",
            )
        ]
        indexes = [models.Index(fields=["program", "person_digest"])]
        permissions = [
            ("import_beneficiaries", _("Can import beneficiary lists of own service's programs")),
            ("import_all_beneficiaries", _("Can import beneficiary lists of any program")),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}:{self.person_digest[:8]}…@{self.served_on}"
