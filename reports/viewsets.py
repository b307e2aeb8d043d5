"""Admin screens of the results cycle, under one "Results" menu."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from cms.core.admin_display import ReadableIndexMixin, ReadableInspectMixin
from reports.admin_forms import BudgetCommitmentForm, ReportingPeriodForm, ResultsReportForm
from reports.figures import figures_for
from reports.models import BudgetCommitment, ReportingPeriod, ResultsReport
from reports.workflow import PUBLISH_PERMISSION, REVIEW_PERMISSION, SEND_PERMISSION


class ReadableIndexView(ReadableIndexMixin, IndexView):
    """Booleans, dates and empty values in words (cms.core.admin_display)."""


class ReportInspectView(ReadableInspectMixin, InspectView):
    """The report at a glance: status, headline figures, the next step and the documents."""

    template_name = "reports/admin/report_inspect.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = self.object
        user = self.request.user
        next_steps = {
            ResultsReport.Status.DRAFT: ("send", SEND_PERMISSION, _("Send to the mayor")),
            ResultsReport.Status.SENT: (
                "review",
                REVIEW_PERMISSION,
                _("Record the mayor's review"),
            ),
            ResultsReport.Status.REVIEWED: ("publish", PUBLISH_PERMISSION, _("Publish the report")),
        }
        step = next_steps.get(report.status)
        context.update(
            figures=figures_for(report),
            next_step=step if step and user.has_perm(step[1]) else None,
            commitments=report.commitments.select_related("service"),
        )
        return context


class ResultsReportViewSet(ModelViewSet):
    model = ResultsReport
    name = "reports_resultsreport"
    url_prefix = "results/reports"
    icon = "doc-full"
    menu_label = _("Results reports")
    inspect_view_enabled = True
    inspect_view_class = ReportInspectView
    copy_view_enabled = False
    index_view_class = ReadableIndexView
    list_display = ["period", "status", "is_interim", "sent_on", "meeting_on", "published_at"]
    list_filter = ["status"]
    form_fields = ["period", "analysis_ka", "analysis_en"]
    edit_handler = ObjectList(
        [FieldPanel("period"), FieldPanel("analysis_ka"), FieldPanel("analysis_en")],
        base_form_class=ResultsReportForm,
    )


class BudgetCommitmentViewSet(ModelViewSet):
    model = BudgetCommitment
    name = "reports_budgetcommitment"
    url_prefix = "results/commitments"
    icon = "tick-inverse"
    menu_label = _("Budget commitments")
    copy_view_enabled = False
    index_view_class = ReadableIndexView
    list_display = ["title_ka", "service", "budget_year", "estimated_cost", "status"]
    list_filter = ["budget_year", "status", "service"]
    search_fields = ["title_ka", "title_en"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel([FieldPanel("title_ka"), FieldPanel("title_en")], heading=_("Title")),
            MultiFieldPanel(
                [FieldPanel("description_ka"), FieldPanel("description_en")],
                heading=_("Description"),
            ),
            FieldRowPanel(
                [FieldPanel("service"), FieldPanel("budget_year"), FieldPanel("estimated_cost")]
            ),
            FieldRowPanel([FieldPanel("status"), FieldPanel("report")]),
            MultiFieldPanel(
                [FieldPanel("reason_ka"), FieldPanel("reason_en")],
                heading=_("If the mayor drops it"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("need_references"),
                    FieldPanel("programs"),
                    FieldPanel("evaluation_findings"),
                ],
                heading=_("What residents raised"),
            ),
            MultiFieldPanel(
                [FieldPanel("progress_ka"), FieldPanel("progress_en")], heading=_("Progress")
            ),
        ],
        base_form_class=BudgetCommitmentForm,
    )


class ReportingPeriodViewSet(ModelViewSet):
    model = ReportingPeriod
    name = "reports_reportingperiod"
    url_prefix = "results/periods"
    icon = "date"
    menu_label = _("Reporting periods")
    copy_view_enabled = False
    index_view_class = ReadableIndexView
    list_display = ["code", "budget_year", "half", "due_on"]
    form_fields = ["due_on"]
    edit_handler = ObjectList([FieldPanel("due_on")], base_form_class=ReportingPeriodForm)


class ResultsViewSetGroup(ModelViewSetGroup):
    items = (ResultsReportViewSet, BudgetCommitmentViewSet, ReportingPeriodViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Results")
    menu_name = "results"
    menu_order = 130


results_viewset_group = ResultsViewSetGroup()
