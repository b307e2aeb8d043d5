"""Registration only: screens in viewsets.py and admin_views.py, rules in workflow/."""

from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.log_actions import LogActionRegistry, LogFormatter
from wagtail.models import BaseLogEntry

from reports import workflow
from reports.admin_views import ReportStepView
from reports.dashboard import CompliancePanel
from reports.models import BudgetCommitment
from reports.report_views import get_report_urls
from reports.tasks import register_workbook_log_actions
from reports.viewsets import results_viewset_group

hooks.register("register_admin_urls", get_report_urls)
hooks.register("register_log_actions", register_workbook_log_actions)


@hooks.register("register_admin_viewset")
def register_results_viewsets() -> ModelViewSetGroup:
    return results_viewset_group


@hooks.register("register_admin_urls")
def register_report_step_urls() -> list[URLPattern]:
    return [
        path("reports/steps/<int:pk>/<str:step>/", ReportStepView.as_view(), name="reports_steps")
    ]


@hooks.register("construct_homepage_panels")
def add_compliance_panel(request: HttpRequest, panels: list[Component]) -> None:
    if request.user.has_perm("reports.view_resultsreport"):
        panels.append(CompliancePanel())


@hooks.register("register_log_actions")
def register_results_log_actions(actions: LogActionRegistry) -> None:
    actions.register_action(workflow.LOG_COMPILE, _("Compile report"), _("Report started"))
    actions.register_action(workflow.LOG_SEND, _("Send to the mayor"), _("Sent to the mayor"))
    actions.register_action(workflow.LOG_REVIEW, _("Record review"), _("Mayor's review recorded"))
    actions.register_action(workflow.LOG_PUBLISH, _("Publish report"), _("Report published"))
    actions.register_action(
        workflow.LOG_COMMITMENT, _("Link needs"), _("Needs linked to the commitment")
    )
    actions.register_action(
        workflow.LOG_UNLINK, _("Unlink needs"), _("Needs removed from the commitment")
    )

    @actions.register_action(workflow.LOG_COMMITMENT_STATUS)
    class CommitmentStatusChanged(LogFormatter):
        label = _("Change the commitment's status")

        def format_message(self, log_entry: BaseLogEntry) -> str:
            data = log_entry.data or {}
            return _("Status: %(old)s → %(new)s") % {
                "old": commitment_status_label(data.get("from", "")),
                "new": commitment_status_label(data.get("to", "")),
            }


def commitment_status_label(code: str) -> str:
    try:
        return str(BudgetCommitment.Status(code).label)
    except ValueError:
        return code
