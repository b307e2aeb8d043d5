"""Staff two-factor authentication: a TOTP app (django-otp) and single-use recovery codes.

Production sets `STAFF_TWO_FACTOR_REQUIRED`: every signed-in staff member then reaches the
admin only after a code from their authenticator app (or a recovery code) in this session;
someone without a device is sent to enrol first. django-otp stores the devices (TOTP and a
"static" device for recovery codes) and throttles wrong codes; this module decides when a
code is required, and what enrolling, verifying and a superuser's reset do.
"""

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from cms.core.same_site import same_site_url

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
LOG_ENROLLED = "core.two_factor.enrolled"
LOG_RESET = "core.two_factor.reset"
LOG_RECOVERY_CODES = "core.two_factor.recovery_codes"


def is_required() -> bool:
    return bool(getattr(settings, "STAFF_TWO_FACTOR_REQUIRED", False))


def confirmed_totp(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: AbstractBaseUser) -> bool:
    return confirmed_totp(user) is not None


def pending_totp(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed device shown on the enrolment screen (one per user, kept until used)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for apps where the QR code cannot be scanned."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG drawn on the server: no image service, no script."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, dark="#000")


def normalised(token: str) -> str:
    return "".join(str(token or "").split()).replace("-", "").lower()


def verified_device(user: AbstractBaseUser, token: str) -> Device | None:
    """The device that accepts this code: six digits are the app's, anything else a recovery
    code (used up on success). Wrong codes are throttled by django-otp per device."""
    token = normalised(token)
    if not token:
        return None
    if token.isdigit() and len(token) == 6:
        device = confirmed_totp(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_is_allowed()[0]:
        return None
    return device if device.verify_token(token) else None


def new_recovery_codes(user: AbstractBaseUser, *, by: AbstractBaseUser | None = None) -> list[str]:
    """Replace the user's recovery codes with fresh ones (shown once, stored by django-otp)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log(instance=user, action=LOG_RECOVERY_CODES, user=by or user)
    return codes


def confirm_enrolment(request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app; returns the new recovery codes."""
    if not device.verify_is_allowed()[0] or not device.verify_token(normalised(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    log(instance=device.user, action=LOG_ENROLLED, user=device.user)
    return new_recovery_codes(device.user)


def reset(user: AbstractBaseUser, *, by: AbstractBaseUser | None) -> int:
    """A superuser's reset after a lost phone: every device goes; the next sign-in enrols."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[0]
    log(instance=user, action=LOG_RESET, user=by)
    return removed


@cache
def exempt_paths() -> frozenset[str]:
    """Admin paths a signed-in but unverified staff member may still reach."""
    names = (
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "core_two_factor:verify",
        "core_two_factor:enrol",
    )
    return frozenset(reverse(name) for name in names)


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    return same_site_url(request, target) or reverse("wagtailadmin_home")


class StaffTwoFactorMiddleware:
    """After OTPMiddleware: an unverified staff session reaches only the 2FA screens."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefix = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_required() and self.needs_code(request):
            user = request.user  # signed in: needs_code said so
            enrolled = user.is_authenticated and is_enrolled(user)
            name = "core_two_factor:verify" if enrolled else "core_two_factor:enrol"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(name)}?{query}")
        return self.get_response(request)

    def needs_code(self, request: HttpRequest) -> bool:
        self.admin_prefix = self.admin_prefix or reverse("wagtailadmin_home")
        path = request.path_info
        if not path.startswith(self.admin_prefix) or path in exempt_paths():
            return False
        user = request.user
        # OTPMiddleware adds is_verified to the user; the stubs' User lacks it.
        return user.is_authenticated and not user.is_verified()  # type: ignore[attr-defined]
