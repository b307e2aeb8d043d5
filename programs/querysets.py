"""Reusable queries of the programs app."""

from typing import TYPE_CHECKING

from django.db import models
from wagtail.query import PageQuerySet

from cms.core.request_memo import remembered_rows

if TYPE_CHECKING:
    from programs.models import AdministrativeUnit, Settlement


class SettlementQuerySet(models.QuerySet):
    def with_unit(self) -> "SettlementQuerySet":
        """Settlements with their unit loaded, for choice lists that show both."""
        return self.select_related("unit")


def settlements_with_units() -> list["Settlement"]:
    """Every settlement with its unit, in the list's order, read once per request: a need's
    form lists them blank and bound, and its API schema checks each unit's own settlements."""
    from programs.models import Settlement

    return remembered_rows(Settlement.objects.with_unit())


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
