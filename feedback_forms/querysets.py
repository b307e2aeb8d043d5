"""Reusable queries over submissions."""

from django.db import models


class SubmissionQuerySet(models.QuerySet):
    def visible(self) -> "SubmissionQuerySet":
        """Submissions that count: not spam, duplicates or ineligible."""
        from feedback_forms.models.submissions import HIDDEN_STATUSES

        return self.exclude(status__in=HIDDEN_STATUSES)

    def in_period(self, code: str) -> "SubmissionQuerySet":
        return self.filter(reporting_period=code)
