"""Admin forms of the results cycle: every step delegates to reports.workflow."""

import re

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

    class Meta:
        model = ResultsReport
        fields = ["period", "analysis_ka", "analysis_en"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        for year in (this_year - 1, this_year):
            ReportingPeriod.objects.ensure_year(year)
        taken = ResultsReport.objects.exclude(pk=self.instance.pk).values("period")
        self.fields["period"].queryset = ReportingPeriod.objects.exclude(pk__in=taken)
        if self.instance.pk:
            self.fields["period"].disabled = True
            if self.instance.is_frozen:
                for name in ("analysis_ka", "analysis_en"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "The report was sent to the mayor: its text no longer changes."
                    )

    def save(self, commit: bool = True):
        if not self.instance.pk and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit)


class SendForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Sent to the mayor on"), widget=forms.DateInput(attrs={"type": "date"})
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = ProgramPage.objects.filter(locale__language_code="ka")
        self.fields["programs"].required = False
        if not self.instance.pk:
            self.fields["budget_year"].initial = timezone.localdate().year + 1
        else:
            self.fields["need_references"].initial = ", ".join(
                self.instance.needs.order_by("reference").values_list("reference", flat=True)
            )

    def clean_need_references(self) -> list[Need]:
        raw = [part for part in REFERENCE_SPLIT.split(self.cleaned_data["need_references"]) if part]
        references, unknown = [], []
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

    def save(self, commit: bool = True):
        is_new = not self.instance.pk
        if is_new and self.for_user is not None:
            self.instance.created_by = self.for_user
        commitment = super().save(commit)
        needs = self.cleaned_data["need_references"]
        new_needs = [need for need in needs if not commitment.needs.filter(pk=need.pk).exists()]
        removed = commitment.needs.exclude(pk__in=[need.pk for need in needs])
        commitment.needs.remove(*removed)
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
