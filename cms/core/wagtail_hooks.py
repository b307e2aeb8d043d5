"""Registration only: the staff 2FA screens, the superuser's reset, their audit actions, and the
admin stylesheet that keeps Georgian free of CSS upper-casing."""

from collections.abc import Iterator

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogActionRegistry
from wagtail.models import Page

from cms.core import page_cache, two_factor, two_factor_admin, two_factor_views
from cms.core.typing import AuthenticatedRequest


@hooks.register("register_admin_urls")
def register_two_factor_urls() -> list:
    urls = [
        path("verify/", two_factor_views.VerifyView.as_view(), name="verify"),
        path("enrol/", two_factor_views.EnrolView.as_view(), name="enrol"),
        path(
            "recovery-codes/", two_factor_views.RecoveryCodesView.as_view(), name="recovery_codes"
        ),
        path("reset/<int:user_id>/", two_factor_admin.ResetView.as_view(), name="reset"),
    ]
    return [path("two-factor/", include((urls, "core_two_factor")))]


@hooks.register("register_account_menu_item")
def two_factor_account_items(request: HttpRequest) -> dict:
    return {
        "url": reverse("core_two_factor:enrol"),
        "label": _("Two-step verification"),
        "help_text": _("Set up (or replace) the authenticator app on your phone."),
    }


@hooks.register("register_account_menu_item")
def recovery_codes_account_item(request: AuthenticatedRequest) -> dict | None:
    if not two_factor.is_enrolled(request.user):
        return None
    return {
        "url": reverse("core_two_factor:recovery_codes"),
        "label": _("Recovery codes"),
        "help_text": _("Make new single-use codes for when your phone is lost."),
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user: User, request_user: User) -> Iterator[Button]:
    if request_user.is_superuser and two_factor_admin.has_devices(user):
        yield Button(
            _("Reset two-step verification"),
            reverse("core_two_factor:reset", args=[user.pk]),
            icon_name="key",
            priority=90,
        )


@hooks.register("register_log_actions")
def register_two_factor_log_actions(actions: LogActionRegistry) -> None:
    actions.register_action(
        two_factor.LOG_ENROLLED,
        _("Set up two-step verification"),
        _("Two-step verification set up"),
    )
    actions.register_action(
        two_factor.LOG_RESET, _("Reset two-step verification"), _("Two-step verification reset")
    )
    actions.register_action(
        two_factor.LOG_RECOVERY_CODES, _("Make recovery codes"), _("New recovery codes made")
    )


@hooks.register("insert_global_admin_css")
def georgian_admin_css() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-georgian.css"))


@hooks.register("before_serve_page")
def allow_page_cache(
    page: Page, request: HttpRequest, serve_args: list, serve_kwargs: dict
) -> None:
    """Mark the request when this page may be kept for anonymous visitors (page_cache)."""
    page_cache.allow(page, request)
