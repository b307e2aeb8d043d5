"""The public program filters: one FilterSet validates and applies the query string for both the
HTML program index and `/api/v2/programs/`, so the two always list the same programs and refuse
the same values with the same (translated) message.

The index shows a refused filter as a message on the page and applies the others (a
hand-edited or stale shared URL still lists programs); the API answers 400 naming the parameter.
"""

from typing import Any

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from programs.models import AdministrativeUnit, MunicipalService, ProgramCategory, ProgramPage
from programs.querysets import ProgramPageQuerySet
from programs.search import filter_by_query

#: Longest search accepted (the index's input has the same maxlength).
SEARCH_MAX_LENGTH = 200


class ProgramFilterSet(django_filters.FilterSet):
    """Category slug, unit code (municipality-wide programs included), service slug, status,
    budget year and a search with Georgian stemming (programs.search)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        error_messages={"max_length": _("A search can be at most 200 characters long.")},
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=ProgramCategory.objects.all(),
        to_field_name="slug",
        empty_label=_("All categories"),
        error_messages={"invalid_choice": _("This category does not exist.")},
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Administrative unit"),
        queryset=AdministrativeUnit.objects.all(),
        to_field_name="code",
        method="in_unit",
        empty_label=_("All administrative units"),
        error_messages={"invalid_choice": _("This administrative unit does not exist.")},
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Responsible service"),
        field_name="responsible_service",
        queryset=MunicipalService.objects.all(),
        to_field_name="slug",
        empty_label=_("All services"),
        error_messages={"invalid_choice": _("This service does not exist.")},
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ProgramPage.Status.choices,
        empty_label=_("Any status"),
        error_messages={"invalid_choice": _("This status does not exist.")},
    )
    year = django_filters.TypedChoiceFilter(
        label=_("Budget year"),
        field_name="budget_year",
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("There are no programs for this year.")},
    )

    class Meta:
        model = ProgramPage
        fields: list[str] = []

    def __init__(
        self, data: QueryDict | None, queryset: ProgramPageQuerySet, **kwargs: Any
    ) -> None:
        super().__init__(data, queryset, **kwargs)
        # The years that have programs, known only once the queryset is.
        self.form.fields["year"].choices = [
            ("", _("Any year")),
            *((year, str(year)) for year in queryset.budget_years()),
        ]

    def search(self, queryset: ProgramPageQuerySet, name: str, value: str) -> ProgramPageQuerySet:
        return filter_by_query(queryset, value)

    def in_unit(
        self, queryset: ProgramPageQuerySet, name: str, value: AdministrativeUnit
    ) -> ProgramPageQuerySet:
        return queryset.in_unit(value)

    def error_messages(self) -> dict[str, list[str]]:
        """Each refused parameter with its messages, in the active language."""
        return {name: [str(message) for message in errors] for name, errors in self.errors.items()}

    def query_string_without_page(self) -> str:
        """The current filters as a query string, for pagination links that keep them."""
        query = QueryDict(mutable=True)
        for name in self.filters:
            if value := self.data.get(name):
                query[name] = value
        return query.urlencode()
