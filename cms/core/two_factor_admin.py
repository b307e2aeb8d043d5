"""A superuser resets a staff member's two-step verification (lost or replaced phone).

The same reset as `manage.py reset_two_factor USERNAME`: every device of the user is removed
and written to the audit log; at their next sign-in they enrol a new phone.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django_otp import devices_for_user

from cms.core import two_factor
from cms.core.typing import AuthenticatedRequest


def has_devices(user: AbstractBaseUser) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=None))


class ResetView(View):
    template_name = "core/two_factor/reset.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_superuser:
            raise PermissionDenied
        self.target = get_object_or_404(get_user_model(), pk=kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, user_id: int) -> HttpResponse:
        return TemplateResponse(request, self.template_name, {"target": self.target})

    def post(self, request: AuthenticatedRequest, user_id: int) -> HttpResponse:
        two_factor.reset(self.target, by=request.user)
        messages.success(
            request,
            _(
                "Two-step verification of %(user)s was reset: they set it up again when they next sign in."
            )
            % {"user": self.target.get_username()},
        )
        return redirect("wagtailusers_users:index")
