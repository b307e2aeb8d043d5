"""Reusable queries of the programs app."""

from django.db import models


class SettlementQuerySet(models.QuerySet):
    def with_unit(self) -> "SettlementQuerySet":
        """Settlements with their unit loaded, for choice lists that show both."""
        return self.select_related("unit")
