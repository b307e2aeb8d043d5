"""Reusable queries of the programs app."""

from typing import TYPE_CHECKING

from django.db import models
from wagtail.query import PageQuerySet

if TYPE_CHECKING:
    from programs.models import AdministrativeUnit


class SettlementQuerySet(models.QuerySet):
    def with_unit(self) -> "SettlementQuerySet":
        """Settlements with their unit loaded, for choice lists that show both."""
        return self.select_related("unit")


class ProgramPageQuerySet(PageQuerySet):
    """Queries over program pages shared by the public index, the API and the admin."""

    def in_unit(self, unit: "AdministrativeUnit") -> "ProgramPageQuerySet":
        """Programs that cover an administrative unit, including municipality-wide ones."""
        return self.filter(
            models.Q(administrative_units=unit) | models.Q(municipality_wide=True)
        ).distinct()

    def with_taxonomy(self) -> "ProgramPageQuerySet":
        return self.select_related("category", "responsible_service").prefetch_related(
            "administrative_units"
        )

    def budget_years(self) -> list[int]:
        return sorted(
            {year for year in self.values_list("budget_year", flat=True) if year}, reverse=True
        )
