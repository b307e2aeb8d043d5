"""Storage for the database-backed rate limiter (used when Redis is not configured)."""

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
