"""Admin forms of the results cycle: every step delegates to reports.workflow."""

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from feedback_forms.models import Need
from feedback_forms.references import normalise_reference
from programs.models import MunicipalService, ProgramPage
from reports import workflow
from reports.models import BudgetCommitment, ReportingPeriod, ResultsReport


class ResultsReportForm(WagtailAdminModelForm):
    """Choose the period and write the analysis; a sent report's text is part of the record."""

    instance: ResultsReport

    class Meta:
        model = ResultsReport
        fields = ["period", "analysis_ka", "analysis_en"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Reads only: the periods are kept by the release step and a daily job
        (`ensure_reporting_periods`), not by opening a form."""
        super().__init__(*args, **kwargs)
        taken = ResultsReport.objects.exclude(pk=self.instance.pk).values("period")
        periods = ReportingPeriod.objects.exclude(pk__in=taken)
        if not self.instance.pk:
            periods = periods.reportable()
        self.fields["period"].queryset = periods
        if self.instance.pk:
            self.fields["period"].disabled = True
            if self.instance.is_frozen:
                for name in ("analysis_ka", "analysis_en"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "The report was sent to the mayor: its text no longer changes."
                    )

    def save(self, commit: bool = True) -> ResultsReport:
        """A new report starts through `workflow.compile_report` (permission, audit log), the
        one path by which a report comes to exist; then its analysis is saved."""
        if not self.instance.pk and commit and self.for_user is not None:
            report = workflow.compile_report(self.cleaned_data["period"], by=self.for_user)
            report.analysis_ka = self.cleaned_data.get("analysis_ka", "")
            report.analysis_en = self.cleaned_data.get("analysis_en", "")
            report.save(update_fields=["analysis_ka", "analysis_en"])
            self.instance = report
            return report
        return super().save(commit)


class ReportingPeriodForm(WagtailAdminModelForm):
    """The due date of a period's report: after the period ends (a database check too)."""

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        if self.instance.ends_on and due_on <= self.instance.ends_on:
            raise ValidationError(
                _("The report can only be due after the period ends (%(end)s).")
                % {"end": self.instance.ends_on.strftime("%d.%m.%Y")},
                code="due_before_end",
            )
        return due_on


class SendForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Sent to the mayor on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    interim = forms.BooleanField(
        label=_("Send as an interim report"),
        required=False,
        help_text=_(
            "Only before the half-year has ended. An interim report does not cover the whole "
            "half-year: it is labelled “interim” wherever it appears, and what is submitted "
            "after it is counted in the next report."
        ),
    )


class ReviewForm(forms.Form):
    meeting_on = forms.DateField(
        label=_("Review meeting on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services present"),
        queryset=MunicipalService.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )


class PublishForm(forms.Form):
    pass


REFERENCE_SPLIT = re.compile(r"[\s,;]+")


class BudgetCommitmentForm(WagtailAdminModelForm):
    """The mayor's decision, with the needs it answers given by their public references."""

    need_references = forms.CharField(
        label=_("References of the needs it answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Copy them from the report, separated by commas or spaces, e.g. K7QM-4XPA, 2XH9-PQ7M."
        ),
    )
    progress_ka = forms.CharField(
        label=_("Add a progress note (Georgian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Progress notes are public on the accountability page."),
    )
    progress_en = forms.CharField(
        label=_("Add a progress note (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason_ka = forms.CharField(
        label=_("Why the mayor drops it (Georgian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when the status becomes “Dropped”. Public, and sent to the residents "
            "whose needs it answered; their needs return to where they stood before."
        ),
    )
    reason_en = forms.CharField(
        label=_("Why the mayor drops it (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = BudgetCommitment
        fields = [
            "title_ka",
            "title_en",
            "description_ka",
            "description_en",
            "report",
            "service",
            "budget_year",
            "estimated_cost",
            "status",
            "programs",
            "evaluation_findings",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = ProgramPage.objects.filter(locale__language_code="ka")
        self.fields["programs"].required = False
        self.status_before = self.instance.status or BudgetCommitment.Status.PROPOSED
        if not self.instance.pk:
            self.fields["budget_year"].initial = timezone.localdate().year + 1
            self.instance.status = BudgetCommitment.Status.PROPOSED
        else:
            self.fields["need_references"].initial = ", ".join(
                self.instance.needs.order_by("reference").values_list("reference", flat=True)
            )
        # The status is the mayor's decision: only the next steps, through reports.workflow.
        status = self.fields["status"]
        allowed = {self.status_before, *workflow.allowed_commitment_statuses(self.instance)}
        if not self.instance.pk:
            allowed.discard(BudgetCommitment.Status.DROPPED)
        status.choices = [choice for choice in status.choices if choice[0] in allowed]
        status.initial = self.status_before
        if not (self.for_user and self.for_user.has_perm(workflow.DECIDE_PERMISSION)):
            status.disabled = True
            status.help_text = _("Only the mayor changes the status of a commitment.")
        if self.status_before == BudgetCommitment.Status.DROPPED:
            self.fields["need_references"].disabled = True

    def clean_need_references(self) -> list[Need]:
        raw = [part for part in REFERENCE_SPLIT.split(self.cleaned_data["need_references"]) if part]
        references: list[str] = []
        unknown: list[str] = []
        for part in raw:
            reference = normalise_reference(part)
            (references if reference else unknown).append(reference or part)
        needs = list(Need.objects.filter(reference__in=references))
        unknown += sorted(set(references) - {need.reference for need in needs})
        if unknown:
            raise ValidationError(
                _("No need has these references: %(refs)s") % {"refs": ", ".join(unknown[:10])},
                code="unknown_reference",
            )
        return needs

    def clean(self) -> dict:
        cleaned = super().clean()
        status = cleaned.get("status") or self.status_before
        try:
            workflow.validate_commitment_status(
                self.original_status_holder(), status, reason_ka=cleaned.get("reason_ka", "")
            )
        except ValidationError as error:
            self.add_error("reason_ka" if error.code == "no_reason" else "status", error)
        needs = cleaned.get("need_references") or []
        linked = (
            set(self.instance.needs.values_list("pk", flat=True)) if self.instance.pk else set()
        )
        try:
            workflow.validate_linkable(
                BudgetCommitment(pk=self.instance.pk, status=status),
                [need for need in needs if need.pk not in linked],
            )
        except ValidationError as error:
            self.add_error("need_references", error)
        if not cleaned.get("need_references") and not (
            cleaned.get("programs") or cleaned.get("evaluation_findings")
        ):
            raise ValidationError(
                _(
                    "Link the commitment to at least one need, or to a program and its evaluation findings."
                ),
                code="unlinked",
            )
        return cleaned

    def original_status_holder(self) -> BudgetCommitment:
        """The commitment as it was before this edit (the form writes the new status on it)."""
        return BudgetCommitment(pk=self.instance.pk, status=self.status_before)

    def save(self, commit: bool = True) -> BudgetCommitment:
        is_new = not self.instance.pk
        if is_new and self.for_user is not None:
            self.instance.created_by = self.for_user
        wanted_status = self.instance.status
        self.instance.status = self.status_before
        commitment = super().save(commit)
        needs = self.cleaned_data["need_references"]
        linked = set(commitment.needs.values_list("pk", flat=True))
        removed = list(commitment.needs.exclude(pk__in=[need.pk for need in needs]))
        if removed:
            workflow.unlink_needs(commitment, removed, by=self.for_user)
        if wanted_status != self.status_before:
            workflow.change_commitment_status(
                commitment,
                wanted_status,
                by=self.for_user,
                reason_ka=self.cleaned_data.get("reason_ka", ""),
                reason_en=self.cleaned_data.get("reason_en", ""),
            )
        new_needs = [need for need in needs if need.pk not in linked]
        if new_needs:
            workflow.link_needs(commitment, new_needs, by=self.for_user)
        if self.cleaned_data.get("progress_ka", "").strip():
            workflow.add_progress_note(
                commitment,
                by=self.for_user,
                text_ka=self.cleaned_data["progress_ka"],
                text_en=self.cleaned_data.get("progress_en", ""),
            )
        return commitment
