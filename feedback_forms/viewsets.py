"""Staff listings of evaluations and needs (Wagtail SnippetViewSets), scoped per service.

Snippet viewsets give filters, search, an inspect view, history and bulk actions; the
SubmissionPermissionPolicy and `submissions_for` keep every one of them inside what the user may
see. Viewing a submission's details is written to the audit log.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    EditView,
    HistoryView,
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
    UsageView,
)

from feedback_forms import workflow
from feedback_forms.admin_forms import EvaluationWorkflowForm, NeedWorkflowForm
from feedback_forms.filters import EvaluationFilterSet, NeedFilterSet
from feedback_forms.models import Evaluation, Need
from feedback_forms.permissions import submissions_for


class AuditedInspectView(InspectView):
    """The detail view: scoped lookup (404 for another service's submission), all answers,
    notes and history, and an audit entry for every look."""

    template_name = "feedback_forms/admin/inspect.html"

    def get_object(self, queryset=None):
        scoped = submissions_for(self.request.user, self.model, "view")
        return get_object_or_404(scoped, pk=self.pk)

    def get(self, request, *args, **kwargs):
        workflow.log_view(self.object, request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from wagtail.log_actions import registry as log_registry

        context = super().get_context_data(**kwargs)
        submission = self.object
        questions = submission.questions or {}
        context["extra_answers"] = [
            (questions.get(name, name), value) for name, value in (submission.answers or {}).items()
        ]
        context["notes"] = (
            submission.notes.select_related("author") if isinstance(submission, Need) else []
        )
        context["history"] = log_registry.get_logs_for_instance(submission).select_related("user")[
            :50
        ]
        return context


class ExportingIndexView(IndexView):
    """The listing's "Export" buttons carry its filters, so the file holds what the screen shows."""

    export_kind = ""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if not self.request.user.has_perm(f"feedback_forms.export_{self.export_kind}"):
            return buttons
        query = self.request.GET.copy()
        query.pop("p", None)
        url = reverse("feedback_exports:export", args=[self.export_kind])
        for file_format, label in (("xlsx", _("Export to Excel")), ("csv", _("Export to CSV"))):
            query["format"] = file_format
            buttons.append(Button(label, url=f"{url}?{query.urlencode()}", icon_name="download"))
        buttons.append(
            Button(_("My exports"), url=reverse("feedback_exports:jobs"), icon_name="list-ul")
        )
        return buttons


class NeedIndexView(ExportingIndexView):
    export_kind = "need"


class EvaluationIndexView(ExportingIndexView):
    export_kind = "evaluation"


class ScopedEditView(EditView):
    """Another service's submission is simply not there (404), whatever the URL says."""

    def get_queryset(self):
        return submissions_for(self.request.user, self.model, "change")


class ScopedHistoryView(HistoryView):
    def get_base_object_queryset(self):
        return submissions_for(self.request.user, self.model, "view")


class ScopedUsageView(UsageView):
    def get_base_object_queryset(self):
        return submissions_for(self.request.user, self.model, "view")


class ScopedChooserMixin:
    """Wagtail's snippet chooser lists `Model.objects.all()`; ours lists what the listing does."""

    def get_object_list(self):
        return submissions_for(self.request.user, self.model_class, "view")


class ScopedChooseView(ScopedChooserMixin, ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooserMixin, ChooseResultsView):
    pass


class ScopedChosenView(SnippetChosenView):
    def get_object(self, pk):
        return submissions_for(self.request.user, self.model_class, "view").get(pk=pk)


class ScopedChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        pks = [pk for pk in pks if str(pk).isdigit()]
        return submissions_for(self.request.user, self.model_class, "view").filter(pk__in=pks)


class SubmissionChooserViewSet(SnippetChooserViewSet):
    """The chooser modal and its JSON answers (`chosen/<pk>/`) are scoped like the listing:
    another service's submission is "not found", a role without the permission sees none."""

    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class SubmissionViewSet(SnippetViewSet):
    chooser_viewset_class = SubmissionChooserViewSet
    inspect_view_enabled = True
    inspect_view_class = AuditedInspectView
    edit_view_class = ScopedEditView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    add_to_admin_menu = False
    list_per_page = 50
    ordering = ["-created_at"]

    def get_queryset(self, request) -> QuerySet:
        return submissions_for(request.user, self.model, "view").select_related(
            "service", "category"
        )


class NeedViewSet(SubmissionViewSet):
    model = Need
    index_view_class = NeedIndexView
    icon = "warning"
    menu_label = _("Needs")
    filterset_class = NeedFilterSet
    search_fields = ["reference", "title", "description"]
    list_display = [
        "reference",
        "title",
        Column("settlement", label=_("Settlement")),
        "category",
        "status",
        Column("service", label=_("Service")),
        DateColumn("due_date", label=_("Answer due")),
        DateColumn("created_at", label=_("Submitted")),
    ]
    inspect_view_fields = [
        "reference",
        "status",
        "title",
        "description",
        "category",
        "administrative_unit",
        "settlement",
        "program",
        "service",
        "assignee",
        "due_date",
        "public_answer",
        "answered_at",
        "channel",
        "entered_by",
        "reporting_period",
        "reported_in",
        "birth_year",
        "contact_email",
        "contact_phone",
        "created_at",
        "updated_at",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("service"), FieldPanel("assignee"), FieldPanel("due_date")],
                heading=_("Routing"),
            ),
            FieldRowPanel([FieldPanel("status")]),
            FieldPanel("public_answer"),
            FieldPanel("internal_note"),
        ],
        base_form_class=NeedWorkflowForm,
    )

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).select_related("settlement", "administrative_unit")


class EvaluationViewSet(SubmissionViewSet):
    model = Evaluation
    index_view_class = EvaluationIndexView
    icon = "pick"
    menu_label = _("Evaluations")
    filterset_class = EvaluationFilterSet
    search_fields = ["reference", "program_title"]
    list_display = [
        "reference",
        "program_title",
        "overall_rating",
        "verified",
        "status",
        "channel",
        DateColumn("created_at", label=_("Submitted")),
    ]
    inspect_view_fields = [
        "reference",
        "status",
        "program_title",
        "category",
        "service",
        "overall_rating",
        "used_on",
        "verified",
        "channel",
        "entered_by",
        "reporting_period",
        "reported_in",
        "birth_year",
        "contact_email",
        "contact_phone",
        "created_at",
    ]
    edit_handler = ObjectList([FieldPanel("status")], base_form_class=EvaluationWorkflowForm)


class FeedbackViewSetGroup(SnippetViewSetGroup):
    items = (NeedViewSet, EvaluationViewSet)
    menu_icon = "comment"
    menu_label = _("Feedback")
    menu_name = "feedback"
    menu_order = 120


feedback_viewset_group = FeedbackViewSetGroup()
