"""Staff listings of evaluations and needs (Wagtail SnippetViewSets), scoped per service.

Snippet viewsets give filters, search, an inspect view, history and bulk actions; the
SubmissionPermissionPolicy and `submissions_for` keep every one of them inside what the user may
see. Viewing a submission's details is written to the audit log.
"""

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
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

from cms.core.admin_display import (
    DueDateColumn,
    LocalDateColumn,
    ReadableIndexMixin,
    ReadableInspectMixin,
)
from cms.core.typing import AuthenticatedRequest
from feedback_forms import workflow
from feedback_forms.admin_forms import EvaluationWorkflowForm, NeedWorkflowForm
from feedback_forms.answer_templates import USE_TEMPLATE, templates_fitting
from feedback_forms.filters import SEARCH_FIELDS, EvaluationFilterSet, NeedFilterSet
from feedback_forms.loop_admin import AnswerTemplateViewSet
from feedback_forms.models import Evaluation, Need
from feedback_forms.permissions import submissions_for


class AuditedInspectView(ReadableInspectMixin, InspectView):
    """The detail view: scoped lookup (404 for another service's submission), all answers,
    notes and history, and an audit entry for every look."""

    template_name = "feedback_forms/admin/inspect.html"

    def get_object(self, queryset: QuerySet | None = None) -> Evaluation | Need:
        scoped = submissions_for(self.request.user, self.model, "view")
        return get_object_or_404(scoped, pk=self.pk)

    def get(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        workflow.log_view(self.object, request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
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
        if isinstance(submission, Need):
            from feedback_forms.models import NeedPhoto
            from feedback_forms.permissions import can

            context["photo"] = NeedPhoto.objects.filter(need=submission).first()
            context["can_publish_photo"] = can(self.request.user, "change", submission)
        return context


class ExportingIndexView(ReadableIndexMixin, IndexView):
    """The listing's "Export" buttons carry its filters and search term, so the file holds what
    the screen shows (Wagtail re-renders them when a search or filter refreshes the results)."""

    export_kind = ""

    @cached_property
    def header_more_buttons(self) -> list[Button]:
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

    def get_queryset(self) -> QuerySet:
        return submissions_for(self.request.user, self.model, "change")


class NeedEditView(ScopedEditView):
    """ "Use template" (the no-JavaScript path) fills the public answer with the chosen
    template in the resident's language and shows the form again, unsaved, to edit."""

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if USE_TEMPLATE not in request.POST:
            return super().post(request, *args, **kwargs)
        self.object = self.get_object()
        data = request.POST.copy()
        data.pop(USE_TEMPLATE, None)
        template = (
            templates_fitting(self.object, request.user)
            .filter(pk=data.get("answer_template") or None)
            .first()
            if str(data.get("answer_template", "")).isdigit()
            else None
        )
        if template is not None:
            data["public_answer"] = template.text_in(self.object.language)
        self.request.POST = data
        self.form = self.get_form()
        return self.render_to_response(self.get_context_data(form=self.form))


class ScopedHistoryView(HistoryView):
    def get_base_object_queryset(self) -> QuerySet:
        return submissions_for(self.request.user, self.model, "view")


class ScopedUsageView(UsageView):
    def get_base_object_queryset(self) -> QuerySet:
        return submissions_for(self.request.user, self.model, "view")


class ScopedChooserMixin:
    """Wagtail's snippet chooser lists `Model.objects.all()`; ours lists what the listing does."""

    request: HttpRequest  # of the chooser view it is mixed into
    model_class: type[Model]

    def get_object_list(self) -> QuerySet:
        return submissions_for(self.request.user, self.model_class, "view")


class ScopedChooseView(ScopedChooserMixin, ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooserMixin, ChooseResultsView):
    pass


class ScopedChosenView(SnippetChosenView):
    def get_object(self, pk: str) -> Evaluation | Need:
        return submissions_for(self.request.user, self.model_class, "view").get(pk=pk)


class ScopedChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks: list[str]) -> QuerySet:
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

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return submissions_for(request.user, self.model, "view").select_related(
            "service", "category"
        )


class NeedViewSet(SubmissionViewSet):
    model = Need
    index_view_class = NeedIndexView
    icon = "warning"
    menu_label = _("Needs")
    filterset_class = NeedFilterSet
    edit_view_class = NeedEditView
    search_fields = list(SEARCH_FIELDS["need"])  # exports search the same fields
    list_display = [
        "reference",
        "title",
        Column("place", label=_("Settlement")),
        "category",
        "status",
        Column("service", label=_("Service")),
        DueDateColumn("due_date", label=_("Answer due")),
        LocalDateColumn("created_at", with_time=True, label=_("Submitted")),
    ]
    inspect_view_fields = [
        "reference",
        "status",
        "title",
        "description",
        "category",
        "administrative_unit",
        "settlement",
        "other_place",
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
            FieldPanel("answer_template"),
            FieldPanel("public_answer"),
            FieldPanel("internal_note"),
        ],
        base_form_class=NeedWorkflowForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("settlement", "administrative_unit")


class EvaluationViewSet(SubmissionViewSet):
    model = Evaluation
    index_view_class = EvaluationIndexView
    icon = "pick"
    menu_label = _("Evaluations")
    filterset_class = EvaluationFilterSet
    search_fields = list(SEARCH_FIELDS["evaluation"])
    list_display = [
        "reference",
        "program_title",
        "overall_rating",
        "verified",
        "status",
        "channel",
        LocalDateColumn("created_at", with_time=True, label=_("Submitted")),
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
    items = (NeedViewSet, EvaluationViewSet, AnswerTemplateViewSet)
    menu_icon = "comment"
    menu_label = _("Feedback")
    menu_name = "feedback"
    menu_order = 120


feedback_viewset_group = FeedbackViewSetGroup()
