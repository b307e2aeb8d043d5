"""Admin screens of issue 15: answer templates (a scoped snippet) and the representative's
choice between immediate e-mails and the weekly digest (an account settings panel)."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    HistoryView,
    SnippetViewSet,
    UsageView,
)

from cms.core.typing import AuthenticatedRequest
from feedback_forms.answer_templates import AnswerTemplateForm, templates_for
from feedback_forms.models import AnswerTemplate, NotificationPreference


class ScopedTemplateEditView(EditView):
    """Another service's template is simply not there (404)."""

    def get_queryset(self) -> QuerySet:
        return templates_for(self.request.user, "change")


class ScopedTemplateDeleteView(DeleteView):
    def get_queryset(self) -> QuerySet:
        return templates_for(self.request.user, "delete")


class ScopedTemplateHistoryView(HistoryView):
    def get_base_object_queryset(self) -> QuerySet:
        return templates_for(self.request.user, "view")


class ScopedTemplateUsageView(UsageView):
    def get_base_object_queryset(self) -> QuerySet:
        return templates_for(self.request.user, "view")


class TemplateChooserMixin:
    request: AuthenticatedRequest

    def get_object_list(self) -> QuerySet:
        return templates_for(self.request.user, "view")


class TemplateChooseView(TemplateChooserMixin, ChooseView):
    pass


class TemplateChooseResultsView(TemplateChooserMixin, ChooseResultsView):
    pass


class TemplateChosenView(SnippetChosenView):
    def get_object(self, pk: Any) -> AnswerTemplate:
        return templates_for(self.request.user, "view").get(pk=pk)


class TemplateChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks: Iterable[Any]) -> QuerySet:
        pks = [pk for pk in pks if str(pk).isdigit()]
        return templates_for(self.request.user, "view").filter(pk__in=pks)


class TemplateChooserViewSet(SnippetChooserViewSet):
    """The chooser lists and returns only the templates the listing shows."""

    choose_view_class = TemplateChooseView
    choose_results_view_class = TemplateChooseResultsView
    chosen_view_class = TemplateChosenView
    chosen_multiple_view_class = TemplateChosenMultipleView


class AnswerTemplateViewSet(SnippetViewSet):
    model = AnswerTemplate
    icon = "doc-full"
    menu_label = _("Answer templates")
    menu_name = "answer_templates"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_view_class = ScopedTemplateEditView
    delete_view_class = ScopedTemplateDeleteView
    history_view_class = ScopedTemplateHistoryView
    usage_view_class = ScopedTemplateUsageView
    chooser_viewset_class = TemplateChooserViewSet
    list_display = ["title_ka", "title_en", "category", "service"]
    list_filter = ["category", "service"]
    search_fields = ["title_ka", "title_en", "text_ka", "text_en"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("title_ka"), FieldPanel("title_en")]),
            FieldRowPanel([FieldPanel("category"), FieldPanel("service")]),
            FieldPanel("text_ka"),
            FieldPanel("text_en"),
        ],
        base_form_class=AnswerTemplateForm,
    )

    def get_queryset(self, request: AuthenticatedRequest) -> QuerySet:
        return templates_for(request.user, "view").select_related("category", "service")


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["mode"]
        widgets = {"mode": forms.RadioSelect}
        help_texts = {
            "mode": _(
                "How you hear about needs assigned to your service, answers due soon and "
                "overdue ones. A resident's “not fixed” always arrives at once."
            )
        }


class ServiceNotificationsPanel(BaseSettingsPanel):
    """Shown to service representatives only."""

    name = "service_notifications"
    title = _("E-mails about your service's needs")
    tab = notifications_tab
    order = 200
    form_class = NotificationPreferenceForm

    def is_active(self) -> bool:
        return self.user.municipal_services.exists()

    def get_form(self) -> NotificationPreferenceForm:
        instance = NotificationPreference.objects.filter(
            user=self.user
        ).first() or NotificationPreference(user=self.user)
        if self.request.method == "POST":
            return self.form_class(self.request.POST, instance=instance, prefix=self.name)
        return self.form_class(instance=instance, prefix=self.name)
