"""Registration only: views live in admin_views.py and viewsets.py, rules in workflow.py."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from feedback_forms import admin_views
from feedback_forms.bulk_actions import (
    AssignBulkAction,
    MarkDuplicateBulkAction,
    MarkSpamBulkAction,
    NoDeleteBulkAction,
)
from feedback_forms.dashboard import FeedbackQueuesPanel
from feedback_forms.export_views import get_export_urls, register_export_log_actions
from feedback_forms.models import Channel, Evaluation, Need, Status, SubmissionLogEntry
from feedback_forms.policies import SubmissionPermissionPolicy
from feedback_forms.retention import LOG_ANONYMISE
from feedback_forms.viewsets import feedback_viewset_group
from feedback_forms.workflow import LOG_ASSIGN, LOG_NOTE, LOG_PUBLIC_STATE, LOG_STATUS, LOG_VIEW

hooks.register("register_admin_urls", get_export_urls)
hooks.register("register_log_actions", register_export_log_actions)
register_permission_policy(Need, SubmissionPermissionPolicy(Need))
register_permission_policy(Evaluation, SubmissionPermissionPolicy(Evaluation))
register_snippet(feedback_viewset_group)


@hooks.register("register_admin_urls")
def register_staff_entry_urls():
    urls = [
        path("", admin_views.StaffEntryIndexView.as_view(), name="index"),
        path("<int:page_id>/", admin_views.StaffEntryFormView.as_view(), name="form"),
    ]
    return [path("feedback/enter/", include((urls, "feedback_staff_entry")))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request) -> bool:
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_staff_entry_menu_item():
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
def register_workflow_log_actions(actions):
    # Submissions log into their own table, read through the listings' scope.
    actions.register_model(Need, SubmissionLogEntry)
    actions.register_model(Evaluation, SubmissionLogEntry)

    @actions.register_action(LOG_STATUS)
    class StatusChanged(LogFormatter):
        label = _("Change status")

        def format_message(self, log_entry) -> str:
            data = log_entry.data or {}
            return _("Status: %(old)s → %(new)s") % {
                "old": status_label(data.get("from", "")),
                "new": status_label(data.get("to", "")),
            }

    @actions.register_action(LOG_ASSIGN)
    class Assigned(LogFormatter):
        label = _("Assign to a service")

        def format_message(self, log_entry) -> str:
            data = log_entry.data or {}
            return _("Assigned to %(service)s, answer due %(due)s") % {
                "service": data.get("service_name", ""),
                "due": data.get("due_date", ""),
            }

    @actions.register_action(LOG_PUBLIC_STATE)
    class PublicStateSet(LogFormatter):
        label = _("Follow a budget commitment")

        def format_message(self, log_entry) -> str:
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

    @actions.register_action(admin_views.LOG_ENTERED)
    class EnteredOnBehalf(LogFormatter):
        label = _("Enter on a resident's behalf")

        def format_message(self, log_entry) -> str:
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
def add_feedback_queues_panel(request, panels) -> None:
    if request.user.has_perm("feedback_forms.view_need"):
        panels.append(FeedbackQueuesPanel(request.user))
