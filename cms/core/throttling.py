"""Signing in and resetting a password, throttled.

django-axes counts failed sign-ins and locks out a username or an address after
`AXES_FAILURE_LIMIT` failures for `AXES_COOLOFF_TIME` (the right password is refused meanwhile);
`lockout_response` is the translated page it shows. Password-reset mails are limited per
address and per client in the cache: above the limit the form answers exactly as usual but
sends nothing, so it tells nobody whether an address has an account.
"""

import hashlib
import ipaddress
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.response import TemplateResponse
from wagtail.admin.forms.auth import PasswordResetForm

#: (mails, seconds) per e-mail address and per client address.
DEFAULT_RESET_LIMITS = {"email": (3, 3600), "ip": (10, 3600)}


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting `FEEDBACK_TRUSTED_PROXY_COUNT` proxies (as the forms do)."""
    trusted = int(getattr(settings, "FEEDBACK_TRUSTED_PROXY_COUNT", 0))
    candidate = request.META.get("REMOTE_ADDR", "")
    if trusted > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        candidate = hops[-trusted] if len(hops) >= trusted else ""
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return "unknown"


def axes_client_ip(request: HttpRequest) -> str:
    return client_ip(request)


def lockout_response(request: HttpRequest, response=None, credentials=None, *args, **kwargs):
    """django-axes' lockout page, in the staff member's language, with status 429."""
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    minutes = int(cool_off.total_seconds() // 60) if hasattr(cool_off, "total_seconds") else None
    context = {"minutes": minutes}
    response = TemplateResponse(request, "core/lockout.html", context, status=429)
    return response.render()


def hit(key: str, limit: tuple[int, int]) -> bool:
    """Count one use of `key` in its window; False once the window's limit is passed."""
    count, seconds = limit
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        used = 1
    return used <= count


def reset_limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_RESET_LIMITS, **getattr(settings, "PASSWORD_RESET_LIMITS", {})}


class ThrottledPasswordResetForm(PasswordResetForm):
    """Wagtail's reset form (`WAGTAILADMIN_USER_PASSWORD_RESET_FORM`) with a mail budget."""

    def __init__(self, *args, request: HttpRequest | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def get_users(self, email: str) -> Iterator:
        limits = reset_limits()
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        allowed = hit(f"password-reset:email:{digest}", limits["email"])
        if self.request is not None:
            ip = client_ip(self.request)
            allowed = hit(f"password-reset:ip:{ip}", limits["ip"]) and allowed
        if not allowed:
            return iter(())
        return super().get_users(email)

    def save(self, *args, request: HttpRequest | None = None, **kwargs):
        self.request = request or self.request
        return super().save(*args, request=request, **kwargs)
