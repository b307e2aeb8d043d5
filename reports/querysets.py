"""Reusable queries of the results cycle."""

import datetime
from typing import TYPE_CHECKING

from django.db import models

from feedback_forms.periods import parse_period

if TYPE_CHECKING:
    from reports.models import ReportingPeriod


class ReportingPeriodQuerySet(models.QuerySet["ReportingPeriod"]):
    def ensure_year(self: "ReportingPeriodQuerySet", budget_year: int) -> list["ReportingPeriod"]:
        """Both halves of a budget year, created with the default due dates when missing."""
        periods = []
        for half in (1, 2):
            period = self.filter(budget_year=budget_year, half=half).first()
            if period is None:
                period = self.model(
                    budget_year=budget_year,
                    half=half,
                    starts_on=datetime.date(budget_year, 1 if half == 1 else 7, 1),
                    ends_on=datetime.date(budget_year, 6, 30)
                    if half == 1
                    else datetime.date(budget_year, 12, 31),
                    due_on=self.model.default_due_date(budget_year, half),
                )
                period.save()
            periods.append(period)
        return periods

    def ensure_reportable_years(
        self: "ReportingPeriodQuerySet", today: datetime.date | None = None
    ) -> list["ReportingPeriod"]:
        """Last year's and this year's halves: the periods staff may start a report for."""
        from django.utils import timezone

        year = (today or timezone.localdate()).year
        return [*self.ensure_year(year - 1), *self.ensure_year(year)]

    def reportable(self, today: datetime.date | None = None) -> "ReportingPeriodQuerySet":
        """Periods of last year and this year, as `ensure_reportable_years` keeps them."""
        from django.utils import timezone

        year = (today or timezone.localdate()).year
        return self.filter(budget_year__in=(year - 1, year))

    def for_code(self, code: str) -> "ReportingPeriod":
        year, half = parse_period(code)
        return self.ensure_year(year)[half - 1]


class ResultsReportQuerySet(models.QuerySet):
    def published(self) -> "ResultsReportQuerySet":
        return self.filter(status="published")

    def frozen(self) -> "ResultsReportQuerySet":
        """Sent to the mayor or further: their figures no longer change."""
        return self.exclude(status="draft")

    def frozen_period_codes_before(self, code: str) -> list[str]:
        """The periods before `code` whose report is already sent: a submission for one of them
        that no report has counted yet is a late arrival for the next report."""
        year, half = parse_period(code)
        earlier = models.Q(period__budget_year__lt=year) | models.Q(
            period__budget_year=year, period__half__lt=half
        )
        return list(self.frozen().filter(earlier).values_list("period__code", flat=True))

    def compiled_in_budget_year(self, budget_year: int) -> "ResultsReportQuerySet":
        """Reports sent to the mayor (or further) for a budget year: the rule wants >= 2."""
        return self.filter(period__budget_year=budget_year).exclude(status="draft")

    def overdue(self, today: datetime.date) -> "ResultsReportQuerySet":
        return self.filter(status="draft", period__due_on__lt=today)


class BudgetCommitmentQuerySet(models.QuerySet):
    def public(self) -> "BudgetCommitmentQuerySet":
        return self.select_related("service").prefetch_related("progress_notes")

    def for_budget_year(self, budget_year: int) -> "BudgetCommitmentQuerySet":
        return self.filter(budget_year=budget_year).exclude(status="dropped")

    def in_draft_budget_or_beyond(self, budget_year: int) -> "BudgetCommitmentQuerySet":
        """What Art. 4.7 counts: problems actually in the year's draft budget (or adopted, or
        done); a proposal under consideration or a dropped commitment is not."""
        return self.filter(
            budget_year=budget_year, status__in=["in_draft_budget", "adopted", "implemented"]
        )
