"""The staff form for working on a submission: every change goes through feedback_forms.workflow."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from feedback_forms import workflow
from feedback_forms.answer_templates import template_field
from feedback_forms.models import AnswerTemplate, Evaluation, Need, Status

ASSIGN_PERMISSION = "feedback_forms.assign_need"


class SubmissionWorkflowForm(WagtailAdminModelForm):
    """Shared behaviour: remember the state before the edit, validate the move, apply it."""

    internal_note = forms.CharField(
        label=_("Add an internal note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only City Hall staff see notes. They are never published."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before = {
            name: getattr(self.instance, name)
            for name in ("status", "service_id", "assignee_id", "due_date", "public_answer")
        }
        allowed = {self.instance.status, *workflow.allowed_statuses(self.instance)}
        self.fields["status"].choices = [c for c in Status.choices if c[0] in allowed]

    def original_instance(self) -> Need | Evaluation:
        original = type(self.instance)(pk=self.instance.pk)
        for name, value in self.before.items():
            setattr(original, name, value)
        return original

    def clean(self) -> dict:
        cleaned = super().clean()
        status = cleaned.get("status", self.before["status"])
        if status != self.before["status"] and status != Status.ASSIGNED:
            try:
                workflow.validate_transition(
                    self.original_instance(), status, cleaned.get("public_answer")
                )
            except ValidationError as error:
                self.add_error("status", error)
        return cleaned

    def save(self, commit: bool = True) -> Need | Evaluation:
        instance = self.instance
        wanted = {name: getattr(instance, name) for name in self.before}
        for name, value in self.before.items():
            setattr(instance, name, value)
        self.apply(instance, wanted)
        if note := self.cleaned_data.get("internal_note", "").strip():
            workflow.add_note(instance, note, by=self.for_user)
        instance.refresh_from_db()
        return instance

    def apply(self, instance: Any, wanted: dict) -> None:  # the Meta.model of the subclass
        if wanted["status"] != self.before["status"]:
            workflow.change_status(instance, wanted["status"], by=self.for_user)


class NeedWorkflowForm(SubmissionWorkflowForm):
    #: Replaced per need in __init__ (the templates that fit it), or removed when none does.
    answer_template = forms.ModelChoiceField(queryset=AnswerTemplate.objects.none(), required=False)

    class Meta:
        model = Need
        fields = ["service", "assignee", "due_date", "status", "public_answer"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.for_user
        chooser = template_field(self.instance, user) if user and self.instance.pk else None
        if chooser is None:
            self.fields.pop("answer_template", None)
        else:
            self.fields["answer_template"] = chooser
        if not (user and user.has_perm(ASSIGN_PERMISSION)):
            self.fields["service"].disabled = True
        # Any service's representative can be chosen; clean() checks they belong to the service.
        representatives = get_user_model().objects.filter(
            is_active=True, municipal_services__isnull=False
        )
        self.fields["assignee"].queryset = representatives.distinct().order_by("username")
        self.fields["public_answer"].help_text = _(
            "Published on the tracking page and sent to the resident."
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        service = cleaned.get("service")
        assignee = cleaned.get("assignee")
        if service and assignee:
            try:
                workflow.validate_assignee(service, assignee)
            except ValidationError as error:
                self.add_error("assignee", error)
        if cleaned.get("status") == Status.ASSIGNED and not service:
            self.add_error("service", _("Choose the service to assign the need to."))
        due_date = cleaned.get("due_date")
        if due_date != self.before["due_date"]:
            try:
                workflow.validate_due_date(self.instance, due_date)
            except ValidationError as error:
                self.add_error("due_date", error)
        return cleaned

    def apply(self, instance: Need, wanted: dict) -> None:
        routing_changed = any(
            wanted[name] != self.before[name] for name in ("service_id", "assignee_id", "due_date")
        )
        if wanted["service_id"] and (
            routing_changed or wanted["status"] == Status.ASSIGNED != self.before["status"]
        ):
            workflow.assign(
                instance,
                service=self.cleaned_data["service"],
                assignee=self.cleaned_data.get("assignee"),
                due_date=self.cleaned_data.get("due_date"),
                by=self.for_user,
            )
        new_status = wanted["status"]
        answer = wanted["public_answer"]
        if new_status not in (instance.status, Status.ASSIGNED):
            workflow.change_status(instance, new_status, by=self.for_user, public_answer=answer)
        elif answer != self.before["public_answer"]:
            workflow.change_status(
                instance, instance.status, by=self.for_user, public_answer=answer
            )


class EvaluationWorkflowForm(SubmissionWorkflowForm):
    class Meta:
        model = Evaluation
        fields = ["status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("internal_note")
        self.before = {"status": self.instance.status}

    def save(self, commit: bool = True) -> Evaluation:
        wanted = self.instance.status
        self.instance.status = self.before["status"]
        if wanted != self.before["status"]:
            workflow.change_status(self.instance, wanted, by=self.for_user)
        return self.instance
