"""Headless access to programs through Wagtail's API v2 (`/api/v2/programs/`).

Taxonomy is filtered by its stable codes (`?category=social&unit=05&status=active&year=2026`),
so a front-end never needs database ids.
"""

from types import SimpleNamespace

from django.db.models import QuerySet
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from programs.models import AdministrativeUnit, ProgramCategory, ProgramPage

TAXONOMY_PARAMETERS = {"category": "slug", "unit": "code", "service": "slug", "year": None}


class ProgramTaxonomyFilter(BaseFilterBackend):
    """Filters by category slug, unit code (municipality-wide programs included), service slug
    and budget year; unknown values give 400 with the parameter's name."""

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        params = request.GET
        if slug := params.get("category"):
            category = ProgramCategory.objects.filter(slug=slug).first()
            if category is None:
                raise BadRequestError(f"category: no category with code '{slug}'")
            queryset = queryset.filter(category=category)
        if code := params.get("unit"):
            unit = AdministrativeUnit.objects.filter(code=code).first()
            if unit is None:
                raise BadRequestError(f"unit: no administrative unit with code '{code}'")
            queryset = queryset.in_unit(unit)
        if slug := params.get("service"):
            queryset = queryset.filter(responsible_service__slug=slug)
        if year := params.get("year"):
            if not year.isdigit():
                raise BadRequestError("year: must be a year such as 2026")
            queryset = queryset.filter(budget_year=int(year))
        if (status := params.get("status")) and status not in ProgramPage.Status.values:
            allowed = ", ".join(ProgramPage.Status.values)
            raise BadRequestError(f"status: must be one of {allowed}")
        return queryset


class ProgramFieldsFilter(FieldsFilter):
    """Wagtail's field filters, leaving the taxonomy parameters to ProgramTaxonomyFilter."""

    def filter_queryset(self, request, queryset, view):
        other = request.GET.copy()
        for name in TAXONOMY_PARAMETERS:
            other.pop(name, None)
        return super().filter_queryset(SimpleNamespace(GET=other), queryset, view)


class ProgramsAPIViewSet(PagesAPIViewSet):
    model = ProgramPage
    filter_backends = [
        ProgramTaxonomyFilter,
        ProgramFieldsFilter,
        *PagesAPIViewSet.filter_backends[1:],
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(TAXONOMY_PARAMETERS)
    listing_default_fields = [
        *PagesAPIViewSet.listing_default_fields,
        "summary",
        "category",
        "responsible_service",
        "administrative_units",
        "municipality_wide",
        "status",
        "budget_amount",
        "budget_year",
        "start_date",
        "end_date",
    ]

    def get_queryset(self):
        return super().get_queryset().with_taxonomy()
