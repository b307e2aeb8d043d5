"""Registration only: the admin screens live in viewsets.py and admin_views.py."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from wagtail import hooks
from wagtail.log_actions import LogActionRegistry
from wagtail.models import BaseLogEntry, Page
from wagtail.snippets.models import register_snippet

from programs.viewsets import municipality_viewset_group, program_listing_viewset

if TYPE_CHECKING:
    from wagtail.admin.menu import MenuItem
    from wagtail.admin.viewsets.base import ViewSet
    from wagtail.admin.widgets import Button

register_snippet(municipality_viewset_group)


@hooks.register("register_admin_viewset")
def register_program_listing() -> "ViewSet":
    return program_listing_viewset


# --- Beneficiary-list import (programs.beneficiary_import, programs.admin_views) ---------------
# Imports are local: this block is appended to the registrations above.

BENEFICIARY_PERMISSIONS = ("programs.import_all_beneficiaries", "programs.import_beneficiaries")


@hooks.register("register_admin_urls")
def register_beneficiary_import_urls() -> list:
    from django.urls import include, path

    from programs import admin_urls

    return [path("", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_beneficiary_lists_menu_item() -> "MenuItem":
    """Service representatives have no page permissions, so this menu is their way in."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.menu import MenuItem

    class BeneficiaryListsMenuItem(MenuItem):
        def is_shown(self, request: HttpRequest) -> bool:
            return any(request.user.has_perm(name) for name in BENEFICIARY_PERMISSIONS)

    return BeneficiaryListsMenuItem(
        _("Beneficiary lists"),
        reverse("programs_beneficiaries:index"),
        name="beneficiary-lists",
        icon_name="group",
        order=160,
    )


def beneficiary_import_button(page: Page, user: User, priority: int) -> "Button | None":
    """The import button, only on program pages and only for people allowed to import."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.widgets import Button

    from programs.models import ProgramPage
    from programs.permissions import can_import_beneficiaries

    if not any(user.has_perm(name) for name in BENEFICIARY_PERMISSIONS):
        return None
    if not issubclass(page.specific_class or type(page), ProgramPage):
        return None
    program = page if isinstance(page, ProgramPage) else page.specific
    if not can_import_beneficiaries(user, program):
        return None
    return Button(
        _("Import beneficiaries"),
        reverse("programs_beneficiaries:upload", args=[program.pk]),
        icon_name="group",
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def beneficiary_import_header_button(
    page: Page, user: User, view_name: str, next_url: str | None = None
) -> Iterator["Button"]:
    button = beneficiary_import_button(page, user, priority=75)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def beneficiary_import_listing_button(
    page: Page, user: User, next_url: str | None = None
) -> Iterator["Button"]:
    button = beneficiary_import_button(page, user, priority=70)
    if button:
        yield button


@hooks.register("register_log_actions")
def register_beneficiary_log_actions(actions: LogActionRegistry) -> None:
    """Audit-log actions of the import; messages show counts only, never personal data."""
    from django.utils.translation import gettext_lazy as _

    from cms.core.audit_log import TemplatedLogFormatter
    from programs.beneficiary_import import (
        DISCARD_ACTION,
        DRY_RUN_ACTION,
        FAILED_ACTION,
        IMPORT_ACTION,
    )

    class BeneficiaryLogFormatter(TemplatedLogFormatter):
        def values(self, data: dict[str, Any]) -> dict[str, Any]:
            return {
                "total": data.get("total_rows", 0),
                "new": data.get("new_rows", 0),
                "existing": data.get("existing_rows", 0),
                "errors": data.get("error_rows", 0),
            }

    @actions.register_action(DRY_RUN_ACTION)
    class DryRunFormatter(BeneficiaryLogFormatter):
        label = _("Check beneficiary list")
        message = _("Beneficiary list checked")
        template = _(
            "Beneficiary list checked: %(total)s rows, %(new)s new, %(existing)s already on "
            "the list, %(errors)s with errors"
        )

    @actions.register_action(IMPORT_ACTION)
    class ImportFormatter(BeneficiaryLogFormatter):
        label = _("Import beneficiary list")
        message = _("Beneficiary list imported")
        template = _("Beneficiary list imported: %(new)s new, %(existing)s already on the list")

    @actions.register_action(DISCARD_ACTION)
    class DiscardFormatter(BeneficiaryLogFormatter):
        label = _("Discard beneficiary list")
        message = _("Beneficiary list discarded")
        template = _("Beneficiary list discarded")

    @actions.register_action(FAILED_ACTION)
    class FailedFormatter(BeneficiaryLogFormatter):
        label = _("Beneficiary list not imported")
        message = _("Beneficiary list not imported: the list changed meanwhile")
        template = _("Beneficiary list not imported: the list changed meanwhile")


@hooks.register("register_log_actions")
def register_invitation_log_actions(actions: LogActionRegistry) -> None:
    """Sending invitations is audited with counts only (never a contact or a code)."""
    from django.utils.translation import gettext_lazy as _
    from wagtail.log_actions import LogFormatter

    from programs.invitations import SEND_ACTION

    @actions.register_action(SEND_ACTION)
    class InvitationsSentFormatter(LogFormatter):
        label = _("Send invitations to evaluate")

        def format_message(self, log_entry: BaseLogEntry) -> str:
            data = log_entry.data or {}
            return _("Invitations to evaluate sent: %(sms)s by SMS, %(email)s by e-mail") % {
                "sms": data.get("sms", 0),
                "email": data.get("email", 0),
            }
