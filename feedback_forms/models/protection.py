"""Storage for abuse protection: the database-backed rate limiter (used when Redis is not
configured) and the time-trap tokens already spent on a submission."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitCounter(models.Model):
    """Hits of one key (a hashed IP address or person) within one fixed time window.

    The key is a hash, so the table never holds an IP address or a personal number.
    """

    key = models.CharField(_("key"), max_length=64)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="unique_rate_limit_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key[:8]}… @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class UsedFormToken(models.Model):
    """A time-trap token that has been spent on a final submission: each token sends once.

    Only a hash of the token is kept. Rows older than the longest a token lives
    (FEEDBACK_FORM_MAX_AGE_SECONDS) are useless, and `purge_rate_limits` deletes them.
    """

    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    used_at = models.DateTimeField(_("used at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("used form token")
        verbose_name_plural = _("used form tokens")

    def __str__(self) -> str:
        return f"{self.token_hash[:8]}… @ {self.used_at:%Y-%m-%d %H:%M}"
