"""Wagtail's sign-in form with a translated label for the password.

Wagtail 8.0.1 declares the password field without a label, so Django derives "Password" from
the field's name, untranslated, on the Georgian sign-in page."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"placeholder": _("Enter password")}),
        strip=False,
    )
