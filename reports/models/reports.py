"""The results cycle (Art. 4.4-4.6): two reporting periods a budget year, and the report the
PR & Events Management Division compiles for each and sends to the mayor."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.core.i18n import active_language
from feedback_forms.models.workflow import private_exports_storage
from feedback_forms.periods import period_code
from reports.querysets import ReportingPeriodQuerySet, ResultsReportQuerySet


class ReportingPeriod(models.Model):
    """Half of a budget year (Georgia's budget year is the calendar year).

    Its code is the `reporting_period` column every submission carries, so a report selects the
    period's submissions with one indexed filter. The due date is editable: by default the first
    half is due on 1 August (in time for the draft budget the mayor submits by 15 November) and
    the second on 31 January.
    """

    class Half(models.IntegerChoices):
        FIRST = 1, _("January–June")
        SECOND = 2, _("July–December")

    code = models.CharField(_("code"), max_length=7, unique=True, editable=False)
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    half = models.PositiveSmallIntegerField(_("half of the year"), choices=Half.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    due_on = models.DateField(_("report due"))

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-budget_year", "-half"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "half"], name="one_period_per_half"),
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="period_starts_before_it_ends",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gt=models.F("ends_on")),
                name="period_report_due_after_it_ends",
                violation_error_message=_("The report can only be due after the period ends."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_year}, {self.get_half_display()}"

    def save(self, *args, **kwargs) -> None:
        self.code = period_code(self.budget_year, self.half)
        super().save(*args, **kwargs)

    @staticmethod
    def default_due_date(budget_year: int, half: int) -> datetime.date:
        return (
            datetime.date(budget_year, 8, 1) if half == 1 else datetime.date(budget_year + 1, 1, 31)
        )


class ResultsReport(models.Model):
    """One period's results: live figures while a draft, frozen the moment it is sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent to the mayor")
        REVIEWED = "reviewed", _("Reviewed by the mayor")
        PUBLISHED = "published", _("Published")

    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.PROTECT, related_name="report", verbose_name=_("period")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    analysis_ka = models.TextField(_("analysis (Georgian)"), blank=True)
    analysis_en = models.TextField(_("analysis (English)"), blank=True)
    figures = models.JSONField(_("frozen figures"), default=dict, blank=True, editable=False)
    frozen_at = models.DateTimeField(_("figures frozen at"), null=True, blank=True, editable=False)
    is_interim = models.BooleanField(
        _("interim report"),
        default=False,
        editable=False,
        help_text=_("Sent to the mayor before its half-year ended: it does not cover all of it."),
    )
    sent_on = models.DateField(_("sent to the mayor on"), null=True, blank=True)
    meeting_on = models.DateField(_("review meeting on"), null=True, blank=True)
    services_present = models.ManyToManyField(
        "programs.MunicipalService",
        blank=True,
        related_name="+",
        verbose_name=_("services present at the review"),
    )
    minutes = models.TextField(_("minutes of the review"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    workbook = models.FileField(
        _("workbook"), storage=private_exports_storage, upload_to="reports/", blank=True
    )
    workbook_generated_at = models.DateTimeField(_("workbook generated at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("compiled by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResultsReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period__budget_year", "-period__half"]
        verbose_name = _("results report")
        verbose_name_plural = _("results reports")
        permissions = [
            ("send_resultsreport", _("Can send a results report to the mayor")),
            ("review_resultsreport", _("Can record the mayor's review of a results report")),
            ("publish_resultsreport", _("Can publish a results report")),
        ]

    def __str__(self) -> str:
        if self.is_interim:
            return str(_("Interim results report, %(period)s") % {"period": self.period})
        return str(_("Results report, %(period)s") % {"period": self.period})

    @property
    def analysis(self) -> str:
        return getattr(self, f"analysis_{active_language()}", "") or self.analysis_ka

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT
