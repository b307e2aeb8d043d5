"""Signing in and resetting a password, throttled.

django-axes counts failed sign-ins and locks out a username or an address after
`AXES_FAILURE_LIMIT` failures for `AXES_COOLOFF_TIME` (the right password is refused meanwhile);
`lockout_response` is the translated page it shows. Password-reset mails are limited per
address and per client in the cache: above the limit the form answers exactly as usual but
sends nothing, so it tells nobody whether an address has an account. The cache keys are keyed
hashes (`cms.core.client_address.hash_key`, as the forms' rate limits): neither the e-mail
address nor the client's IP address is kept in the cache, where a plain SHA-256 of an IPv4
address or of a staff member's address could be reversed by trying them all.
"""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail.admin.forms.auth import PasswordResetForm

from cms.core.client_address import client_ip, hash_key

#: (mails, seconds) per e-mail address and per client address.
DEFAULT_RESET_LIMITS = {"email": (3, 3600), "ip": (10, 3600)}


def axes_client_ip(request: HttpRequest) -> str:
    return client_ip(request)


def lockout_response(
    request: HttpRequest,
    response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
    *args: Any,
    **kwargs: Any,
) -> HttpResponse:
    """django-axes' lockout page, in the staff member's language, with status 429."""
    cool_off: Any = getattr(settings, "AXES_COOLOFF_TIME", None)  # a timedelta, hours or a callable
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


def reset_key(scope: str, value: str) -> str:
    """The cache key of one budget: a keyed hash of the address, never the address itself."""
    return f"password-reset:{scope}:{hash_key(f'password-reset:{scope}:{value}')}"


def reset_limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_RESET_LIMITS, **getattr(settings, "PASSWORD_RESET_LIMITS", {})}


class ThrottledPasswordResetForm(PasswordResetForm):
    """Wagtail's reset form (`WAGTAILADMIN_USER_PASSWORD_RESET_FORM`) with a mail budget."""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def get_users(self, email: str) -> Iterator:
        limits = reset_limits()
        allowed = hit(reset_key("email", email.strip().lower()), limits["email"])
        if self.request is not None:
            allowed = hit(reset_key("ip", client_ip(self.request)), limits["ip"]) and allowed
        if not allowed:
            return iter(())
        return super().get_users(email)

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        self.request = request or self.request
        super().save(*args, request=request, **kwargs)
