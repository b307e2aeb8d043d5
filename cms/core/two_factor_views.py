"""The staff 2FA screens: enrol (QR code, confirm, recovery codes), verify, new recovery codes.

They live under /admin/ (registered with `register_admin_urls`, so Wagtail's sign-in check
applies) and are the only admin screens an unverified session reaches (see
`cms.core.two_factor.StaffTwoFactorMiddleware`).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login

from cms.core import two_factor
from cms.core.typing import AuthenticatedRequest

VERIFY_TEMPLATE = "core/two_factor/verify.html"
ENROL_TEMPLATE = "core/two_factor/enrol.html"
CODES_TEMPLATE = "core/two_factor/recovery_codes.html"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        help_text=gettext_lazy(
            "The six digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def wrong_code(form: CodeForm) -> None:
    form.add_error(
        "code",
        _(
            "That code was not accepted. Check the time on your phone and try the newest code; "
            "after several wrong codes you must wait a little before the next try."
        ),
    )


class VerifyView(View):
    """The second step of signing in."""

    request: AuthenticatedRequest

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        if not two_factor.is_enrolled(request.user):
            return redirect("core_two_factor:enrol")
        return self.render(CodeForm())

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        if form.is_valid():
            device = two_factor.verified_device(request.user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                if device.persistent_id.startswith("otp_static"):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _("You signed in with a recovery code; %(left)d are left.")
                        % {"left": left},
                    )
                return redirect(two_factor.safe_next(request))
            wrong_code(form)
        return self.render(form, status=400)

    def render(self, form: CodeForm, status: int = 200) -> TemplateResponse:
        context = {"form": form, "next": two_factor.safe_next(self.request)}
        return TemplateResponse(self.request, VERIFY_TEMPLATE, context, status=status)


class EnrolView(View):
    """Scan the QR code (or type the key), confirm with a code, keep the recovery codes."""

    request: AuthenticatedRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        # OTPMiddleware adds is_verified to the user; the stubs' User lacks it.
        if (
            user.is_authenticated and two_factor.is_enrolled(user) and not user.is_verified()  # type: ignore[attr-defined]
        ):
            return redirect("core_two_factor:verify")  # a second device needs the first one
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        return self.render(CodeForm())

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        if form.is_valid():
            device = two_factor.pending_totp(request.user)
            codes = two_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
            if codes is not None:
                context = {"codes": codes, "next": two_factor.safe_next(request)}
                return TemplateResponse(request, CODES_TEMPLATE, context)
            wrong_code(form)
        return self.render(form, status=400)

    def render(self, form: CodeForm, status: int = 200) -> TemplateResponse:
        device = two_factor.pending_totp(self.request.user)
        context = {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_for_display(device),
            "next": two_factor.safe_next(self.request),
            "replacing": two_factor.is_enrolled(self.request.user),
        }
        response = TemplateResponse(self.request, ENROL_TEMPLATE, context, status=status)
        response["Cache-Control"] = "no-store"  # the page carries the secret
        return response


class RecoveryCodesView(View):
    """New recovery codes (the old ones stop working), from the account menu."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return TemplateResponse(request, CODES_TEMPLATE, {"confirm": True})

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        if not two_factor.is_enrolled(request.user):
            return redirect("core_two_factor:enrol")
        codes = two_factor.new_recovery_codes(request.user)
        response = TemplateResponse(request, CODES_TEMPLATE, {"codes": codes})
        response["Cache-Control"] = "no-store"
        return response
