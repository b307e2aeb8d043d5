"""Bulk actions on the submission listings: assign needs, mark spam or duplicates.

The ids in the URL are looked up only among the submissions the user may see, so a
confirmation page never names another service's submission (ids outside the scope are "not
found"); of those, only the rows the user may change are acted on (the others are listed as "no
permission"); and each row goes through feedback_forms.workflow, so it is validated and logged
one by one. Wagtail's own snippet "Delete" bulk action is replaced for submissions by one that
deletes nothing, with the same scoped lookup.
"""

import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.shortcuts import get_list_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from feedback_forms import workflow
from feedback_forms.admin_forms import ASSIGN_PERMISSION
from feedback_forms.models import Evaluation, Need, Status
from feedback_forms.permissions import submissions_for

if TYPE_CHECKING:
    from programs.models import MunicipalService


class SubmissionBulkAction(SnippetBulkAction):
    models = [Need, Evaluation]
    target_status = ""

    def get_queryset(self, model: type[Model], object_ids: list[str]) -> list[Need | Evaluation]:
        """Wagtail looks the ids up in the whole table; we look only inside the user's scope."""
        object_ids = [pk for pk in object_ids if str(pk).isdigit()]
        return get_list_or_404(submissions_for(self.request.user, model, "view"), pk__in=object_ids)

    def get_all_objects_in_listing_query(self, parent_id: str | None) -> QuerySet:
        return submissions_for(self.request.user, self.model, "change").values_list("pk", flat=True)

    def check_perm(self, submission: Need | Evaluation) -> bool:
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", submission
        ):
            return False
        return self.target_status in workflow.allowed_statuses(submission)

    def get_execution_context(self) -> dict:
        return {"user": self.request.user, "action": self}

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d submission updated.", "%(count)d submissions updated.", num_parent_objects
        ) % {"count": num_parent_objects}


class MarkStatusBulkAction(SubmissionBulkAction):
    template_name = "feedback_forms/admin/bulk_confirm.html"

    @classmethod
    def execute_action(
        cls, objects: list[Need | Evaluation], user: User | None = None, **kwargs: Any
    ) -> tuple[int, int]:
        done = 0
        for submission in objects:
            try:
                workflow.change_status(submission, cls.target_status, by=user)
            except ValidationError:
                continue
            done += 1
        return done, 0


class MarkSpamBulkAction(MarkStatusBulkAction):
    display_name = _("Mark as spam")
    action_type = "mark_spam"
    aria_label = _("Mark the selected submissions as spam")
    target_status = Status.SPAM
    action_priority = 40


class MarkDuplicateBulkAction(MarkStatusBulkAction):
    display_name = _("Mark as duplicate")
    action_type = "mark_duplicate"
    aria_label = _("Mark the selected submissions as duplicates")
    target_status = Status.DUPLICATE
    action_priority = 50


class AssignForm(forms.Form):
    service: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Service"), queryset=None)
    due_date = forms.DateField(
        label=_("Answer due"),
        required=False,
        help_text=_("Leave empty for the default number of days."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from programs.models import MunicipalService

        service = cast(forms.ModelChoiceField, self.fields["service"])  # declared above
        service.queryset = MunicipalService.objects.all()


class AssignBulkAction(SubmissionBulkAction):
    display_name = _("Assign to a service")
    action_type = "assign"
    aria_label = _("Assign the selected needs to a service")
    template_name = "feedback_forms/admin/bulk_confirm.html"
    form_class = AssignForm
    models = [Need]
    target_status = Status.ASSIGNED
    action_priority = 20

    def check_perm(self, submission: Need | Evaluation) -> bool:
        return self.request.user.has_perm(ASSIGN_PERMISSION) and super().check_perm(submission)

    def get_execution_context(self) -> dict:
        return {**super().get_execution_context(), **self.cleaned_form.cleaned_data}

    @classmethod
    def execute_action(
        cls,
        objects: list[Need],
        user: User | None = None,
        service: "MunicipalService | None" = None,
        due_date: datetime.date | None = None,
        **kwargs: Any,
    ) -> tuple[int, int]:
        if service is None:  # the form requires one; a guard for the type checker
            return 0, 0
        for need in objects:
            workflow.assign(need, service=service, due_date=due_date, by=user)
        return len(objects), 0


class NoDeleteBulkAction(SubmissionBulkAction):
    """Takes the place of Wagtail's snippet "Delete" for submissions: nobody deletes what a
    resident submitted, and the page lists only submissions the user may see."""

    display_name = _("Delete")
    action_type = "delete"
    aria_label = _("Submissions are never deleted")
    template_name = "feedback_forms/admin/bulk_confirm.html"
    action_priority = 90

    def check_perm(self, submission: Need | Evaluation) -> bool:
        return False

    @classmethod
    def execute_action(cls, objects: list[Need | Evaluation], **kwargs: Any) -> tuple[int, int]:
        return 0, 0
