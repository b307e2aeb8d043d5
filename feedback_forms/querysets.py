"""Reusable queries over submissions."""

from collections.abc import Iterable

from django.db import models


class SubmissionQuerySet(models.QuerySet):
    def visible(self) -> "SubmissionQuerySet":
        """Submissions that count: not spam, duplicates or ineligible."""
        from feedback_forms.models.submissions import HIDDEN_STATUSES

        return self.exclude(status__in=HIDDEN_STATUSES)

    def in_period(self, code: str) -> "SubmissionQuerySet":
        return self.filter(reporting_period=code)

    def unreported(self) -> "SubmissionQuerySet":
        """Not yet counted by any sent report."""
        return self.filter(reported_in="")

    def received_late_for(self, code: str, frozen_codes: Iterable[str]) -> "SubmissionQuerySet":
        """The late arrivals the report of `code` counts: submissions of other periods that it
        counted when it was sent, or, while it is a draft, those of `frozen_codes` (earlier
        periods whose report was already sent) that no report has counted yet."""
        return self.exclude(reporting_period=code).filter(
            models.Q(reported_in=code)
            | models.Q(reported_in="", reporting_period__in=list(frozen_codes))
        )

    def counted_elsewhere_than(self, code: str) -> "SubmissionQuerySet":
        """Submissions of the period `code` that its sent report did not count: they arrived
        after it, and the next report counts them (or will)."""
        return self.in_period(code).exclude(reported_in=code)
