"""Answer templates in the admin: who keeps which, and which fit a need.

Scoped like submissions: a platform manager (who sees every service) keeps every template,
shared ones included; a service representative keeps and uses only their own services'
templates and uses the shared ones. The staff answer form offers the templates that fit the
need's category and service, in the resident's language.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy

from feedback_forms.models import AnswerTemplate, Need
from feedback_forms.permissions import User, sees_every_service


def templates_for(user: User, action: str = "view") -> QuerySet:
    """The templates `user` may `action`: all for managers; a representative's own services'
    ones (and, to view or use, the shared ones)."""
    queryset = AnswerTemplate.objects.all()
    if not (user.is_active and user.has_perm(f"feedback_forms.{action}_answertemplate")):
        return queryset.none()
    if sees_every_service(user):
        return queryset
    own = Q(service__representatives=user)
    if action == "view":
        own |= Q(service__isnull=True)
    return queryset.filter(own).distinct()


def templates_fitting(need: Need, user: User) -> QuerySet:
    """Templates for the need's category (or any) and service (or shared), that user may use."""
    return (
        templates_for(user, "view")
        .filter(Q(category__isnull=True) | Q(category_id=need.category_id))
        .filter(Q(service__isnull=True) | Q(service_id=need.service_id))
        .order_by("title_ka", "pk")
    )


class AnswerTemplatePermissionPolicy(ModelPermissionPolicy):
    def instances_user_has_permission_for(self, user: User, action: str) -> QuerySet:
        return templates_for(user, action)

    def instances_user_has_any_permission_for(self, user: User, actions: Iterable[str]) -> QuerySet:
        result = AnswerTemplate.objects.none()
        for action in actions:
            result = result | templates_for(user, action)
        return result.distinct()

    def user_has_permission_for_instance(self, user: User, action: str, instance: Model) -> bool:
        return templates_for(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(
        self, user: User, actions: Iterable[str], instance: Model
    ) -> bool:
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)


class AnswerTemplateForm(WagtailAdminModelForm):
    """A representative chooses one of their own services; only managers share templates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.for_user
        for name in ("service", "category"):  # a plain select lists exactly what may be chosen
            if name in self.fields:
                field = self.fields[name]
                field.widget = forms.Select(choices=field.choices)
        if user is not None and not sees_every_service(user) and "service" in self.fields:
            self.fields["service"].queryset = user.municipal_services.order_by("name_ka")
            self.fields["service"].widget.choices = self.fields["service"].choices
            self.fields["service"].required = True
            self.fields["service"].help_text = ""


class TemplateSelect(forms.Select):
    """A select whose options carry their text (a small script copies it into the answer), and
    a "Use template" submit button that does the same without JavaScript."""

    template_name = "feedback_forms/admin/template_select.html"

    def __init__(self, *args: Any, texts: dict | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.texts = texts or {}

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        key = getattr(value, "value", value)
        if key in self.texts:
            option["attrs"]["data-text"] = self.texts[key]
        return option

    class Media:
        js = ["feedback_forms/js/answer_templates.js"]


USE_TEMPLATE = "use_template"


def template_field(need: Need, user: User) -> forms.ModelChoiceField | None:
    """The answer form's template chooser for this need, or None when none fits."""
    choices = list(templates_fitting(need, user))
    if not choices:
        return None
    texts = {template.pk: template.text_in(need.language) for template in choices}
    return forms.ModelChoiceField(
        queryset=templates_fitting(need, user),
        required=False,
        label=_("Start from an answer template"),
        help_text=_("Fills the public answer in the resident's language; edit it before you save."),
        widget=TemplateSelect(texts=texts),
    )
