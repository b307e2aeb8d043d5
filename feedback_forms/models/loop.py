"""Closing the loop (issue 15): what services are told and when, the resident's "is it fixed?"
follow-up, and the answer templates staff start from.

`SentNotification` is the idempotence of every scheduled message: one row per message, its
`key` unique, written in the same transaction that decides to send it, so a second run of the
scheduled jobs (or a retried task) finds the row and sends nothing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.core.i18n import localized


class NotificationPreference(models.Model):
    """How a service representative wants to hear about their service's needs."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately, one e-mail per event")
        DIGEST = "digest", _("In a weekly digest only")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feedback_notification_preference",
        verbose_name=_("staff member"),
    )
    mode = models.CharField(
        _("service e-mails"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.mode}"


class SentNotification(models.Model):
    """One message sent to a staff member or a resident; the unique key makes sending once."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("A need was assigned to the service")
        DUE_SOON = "due_soon", _("An answer is due soon")
        OVERDUE = "overdue", _("An answer is overdue")
        DIGEST = "digest", _("Weekly digest")
        REOPENED = "reopened", _("A resident says it is not fixed")
        FIX_CHECK = "fix_check", _("Is it fixed? (to the resident)")

    key = models.CharField(_("key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    need = models.ForeignKey(
        "feedback_forms.Need",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sent_notifications",
        verbose_name=_("need"),
    )
    service = models.ForeignKey(
        "programs.MunicipalService",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")

    def __str__(self) -> str:
        return self.key


class FixCheck(models.Model):
    """The one-time "is it fixed?" question to a resident after their need was resolved.

    Only a SHA-256 of the link's token is stored; the token itself is in the e-mail alone.
    One check per need and trigger (the answer date of a resolution), so a need resolved again
    after a reopening gets a new question, and a second run never a second one.
    """

    class Answer(models.TextChoices):
        FIXED = "fixed", _("Yes, it is fixed")
        NOT_FIXED = "not_fixed", _("No, it is not fixed")

    need = models.ForeignKey(
        "feedback_forms.Need",
        on_delete=models.CASCADE,
        related_name="fix_checks",
        verbose_name=_("need"),
    )
    trigger = models.CharField(_("trigger"), max_length=64)
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("link expires at"))
    used_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.CharField(
        _("answer"), max_length=10, choices=Answer.choices, blank=True, db_index=True
    )
    reason = models.TextField(_("why it is not fixed"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("“is it fixed?” check")
        verbose_name_plural = _("“is it fixed?” checks")
        constraints = [
            models.UniqueConstraint(fields=["need", "trigger"], name="one_fix_check_per_trigger"),
            models.CheckConstraint(
                condition=models.Q(answer="") | models.Q(used_at__isnull=False),
                name="fix_check_answer_when_used",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} {self.trigger}: {self.answer or '-'}"


class AnswerTemplate(models.Model):
    """A reusable public answer for a category and service, in Georgian and English.

    Without a category it fits every category; without a service it is shared by all
    services (only platform managers keep shared ones)."""

    title_ka = models.CharField(_("title (Georgian)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    text_ka = models.TextField(_("answer (Georgian)"), max_length=5000)
    text_en = models.TextField(_("answer (English)"), max_length=5000, blank=True)
    category = models.ForeignKey(
        "programs.ProgramCategory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answer_templates",
        verbose_name=_("category"),
        help_text=_("Leave empty for a template that fits every category."),
    )
    service = models.ForeignKey(
        "programs.MunicipalService",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answer_templates",
        verbose_name=_("service"),
        help_text=_("Leave empty for a template every service may use."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["title_ka"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    def text_in(self, language: str) -> str:
        """The answer in the resident's language (Georgian when no English was written)."""
        if language == "en" and self.text_en.strip():
            return self.text_en
        return self.text_ka
