"""Registration only: views live in admin_views.py and viewsets.py, rules in workflow.py."""

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogActionRegistry, LogFormatter
from wagtail.models import BaseLogEntry
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms.core.typing import AuthenticatedRequest
from feedback_forms import admin_views
from feedback_forms.answer_templates import AnswerTemplatePermissionPolicy
from feedback_forms.bulk_actions import (
    AssignBulkAction,
    MarkDuplicateBulkAction,
    MarkSpamBulkAction,
    NoDeleteBulkAction,
)
from feedback_forms.dashboard import FeedbackQueuesPanel
from feedback_forms.export_views import get_export_urls, register_export_log_actions
from feedback_forms.loop_admin import ServiceNotificationsPanel
from feedback_forms.models import (
    AnswerTemplate,
    Channel,
    Evaluation,
    Need,
    Status,
    SubmissionLogEntry,
)
from feedback_forms.page_deletion import (
    refuse_bulk_deleting_pages_with_submissions,
    refuse_deleting_pages_with_submissions,
)
from feedback_forms.policies import SubmissionPermissionPolicy
from feedback_forms.retention import LOG_ANONYMISE
from feedback_forms.viewsets import feedback_viewset_group
from feedback_forms.workflow import (
    LOG_ASSIGN,
    LOG_FIX_CONFIRMED,
    LOG_NOTE,
    LOG_PUBLIC_STATE,
    LOG_REOPENED,
    LOG_STATUS,
    LOG_VIEW,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

hooks.register("register_admin_urls", get_export_urls)
hooks.register("register_log_actions", register_export_log_actions)
register_permission_policy(Need, SubmissionPermissionPolicy(Need))
register_permission_policy(Evaluation, SubmissionPermissionPolicy(Evaluation))
register_permission_policy(AnswerTemplate, AnswerTemplatePermissionPolicy(AnswerTemplate))
register_snippet(feedback_viewset_group)
hooks.register("register_account_settings_panel", ServiceNotificationsPanel)
hooks.register("before_delete_page", refuse_deleting_pages_with_submissions)
hooks.register("before_bulk_action", refuse_bulk_deleting_pages_with_submissions)


@hooks.register("register_admin_urls")
def register_staff_entry_urls() -> list[URLResolver]:
    urls = [
        path("", admin_views.StaffEntryIndexView.as_view(), name="index"),
        path("<int:page_id>/", admin_views.StaffEntryFormView.as_view(), name="form"),
    ]
    return [path("feedback/enter/", include((urls, "feedback_staff_entry")))]


@hooks.register("register_admin_urls")
def register_need_photo_urls() -> list[URLResolver]:
    from feedback_forms import photo_views

    urls = [
        path("<int:pk>/", photo_views.staff_photo, name="view"),
        path("<int:pk>/publish/", photo_views.publish_photo, name="publish"),
    ]
    return [path("feedback/need-photos/", include((urls, "feedback_need_photo")))]


@hooks.register("register_log_actions")
def register_photo_log_actions(actions: LogActionRegistry) -> None:
    from feedback_forms.photo_views import LOG_PHOTO_PUBLISH

    @actions.register_action(LOG_PHOTO_PUBLISH)
    class PhotoPublishFormatter(LogFormatter):
        label = _("Publish or hide the photo")

        def format_message(self, log_entry: BaseLogEntry) -> "StrOrPromise":
            if (log_entry.data or {}).get("published"):
                return _("Photo shown on the public tracking page")
            return _("Photo hidden from the public")


class PermissionMenuItem(MenuItem):
    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_unlisted_places_urls() -> list[URLPattern]:
    from feedback_forms.unlisted_places import UnlistedPlacesView

    return [
        path(
            "feedback/unlisted-places/",
            UnlistedPlacesView.as_view(),
            name="feedback_unlisted_places",
        )
    ]


@hooks.register("register_admin_menu_item")
def register_unlisted_places_menu_item() -> PermissionMenuItem:
    from feedback_forms.unlisted_places import PERMISSION

    return PermissionMenuItem(
        _("Places not in the list"),
        reverse("feedback_unlisted_places"),
        icon_name="site",
        order=215,
        permission=PERMISSION,
    )


@hooks.register("register_admin_urls")
def register_data_request_urls() -> list[URLPattern]:
    from feedback_forms.data_request_views import DataRequestView

    return [
        path("feedback/data-requests/", DataRequestView.as_view(), name="feedback_data_requests")
    ]


@hooks.register("register_settings_menu_item")
def register_data_requests_menu_item() -> PermissionMenuItem:
    from feedback_forms.data_requests import DATA_REQUESTS_PERMISSION

    return PermissionMenuItem(
        _("Requests about personal data"),
        reverse("feedback_data_requests"),
        icon_name="user",
        order=900,
        permission=DATA_REQUESTS_PERMISSION,
    )


@hooks.register("register_log_actions")
def register_data_request_log_actions(actions: LogActionRegistry) -> None:
    from feedback_forms.data_requests import LOG_FOUND

    actions.register_action(
        LOG_FOUND,
        _("Found by a request about personal data"),
        _("Found by a look-up for a request about personal data"),
    )


@hooks.register("register_admin_menu_item")
def register_staff_entry_menu_item() -> PermissionMenuItem:
    return PermissionMenuItem(
        _("Enter on behalf"),
        reverse("feedback_staff_entry:index"),
        icon_name="form",
        order=210,
        permission=admin_views.ENTRY_PERMISSION,
    )


def status_label(code: str) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return code


@hooks.register("register_log_actions")
def register_workflow_log_actions(actions: LogActionRegistry) -> None:
    # Submissions log into their own table, read through the listings' scope.
    actions.register_model(Need, SubmissionLogEntry)
    actions.register_model(Evaluation, SubmissionLogEntry)

    @actions.register_action(LOG_STATUS)
    class StatusChanged(LogFormatter):
        label = _("Change status")

        def format_message(self, log_entry: BaseLogEntry) -> str:
            data = log_entry.data or {}
            return _("Status: %(old)s → %(new)s") % {
                "old": status_label(data.get("from", "")),
                "new": status_label(data.get("to", "")),
            }

    @actions.register_action(LOG_ASSIGN)
    class Assigned(LogFormatter):
        label = _("Assign to a service")

        def format_message(self, log_entry: BaseLogEntry) -> str:
            data = log_entry.data or {}
            return _("Assigned to %(service)s, answer due %(due)s") % {
                "service": data.get("service_name", ""),
                "due": data.get("due_date", ""),
            }

    @actions.register_action(LOG_PUBLIC_STATE)
    class PublicStateSet(LogFormatter):
        label = _("Follow a budget commitment")

        def format_message(self, log_entry: BaseLogEntry) -> str:
            data = log_entry.data or {}
            message = (
                _("Returned to where it stood before the commitment: %(old)s → %(new)s")
                if data.get("restored")
                else _("Budget commitment: %(old)s → %(new)s")
            )
            return message % {
                "old": status_label(data.get("from", "")),
                "new": status_label(data.get("to", "")),
            }

    actions.register_action(LOG_NOTE, _("Add internal note"), _("Internal note added"))
    actions.register_action(LOG_ANONYMISE, _("Erase contact details"), _("Contact details erased"))
    actions.register_action(LOG_VIEW, _("View details"), _("Details viewed"))
    actions.register_action(
        LOG_FIX_CONFIRMED, _("Resident confirmed it is fixed"), _("The resident confirmed the fix")
    )
    actions.register_action(
        LOG_REOPENED, _("Resident says it is not fixed"), _("The resident says it is not fixed")
    )

    @actions.register_action(admin_views.LOG_ENTERED)
    class EnteredOnBehalf(LogFormatter):
        label = _("Enter on a resident's behalf")

        def format_message(self, log_entry: BaseLogEntry) -> str:
            channel = (log_entry.data or {}).get("channel", "")
            try:
                channel_label = str(Channel(channel).label)
            except ValueError:
                channel_label = channel
            return _("Entered by staff on a resident's behalf (%(channel)s)") % {
                "channel": channel_label
            }


for bulk_action in (AssignBulkAction, MarkSpamBulkAction, MarkDuplicateBulkAction):
    hooks.register("register_bulk_action", bulk_action)
# After wagtail.snippets' own "delete" (order 0), so that ours takes its place for submissions.
hooks.register("register_bulk_action", NoDeleteBulkAction, order=100)


@hooks.register("construct_homepage_panels")
def add_feedback_queues_panel(request: AuthenticatedRequest, panels: list[Component]) -> None:
    if request.user.has_perm("feedback_forms.view_need"):
        panels.append(FeedbackQueuesPanel(request.user))


@hooks.register("construct_main_menu")
def hide_form_builder_submissions_menu(request: HttpRequest, menu_items: list) -> None:
    """Wagtail's "Forms" menu lists form-builder submissions, which this platform never stores
    (evaluations and needs live in "Feedback"): it would tell every role "There have been no
    submissions" for forms with hundreds of evaluations, so no role sees it."""
    menu_items[:] = [item for item in menu_items if item.name != "forms"]
