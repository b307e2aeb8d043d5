"""Headless access to programs through Wagtail's API v2 (`/api/v2/programs/`).

Programs are filtered by stable codes (`?category=social&unit=05&status=active&year=2026`), so
a front-end never needs database ids, through the same FilterSet as the public index
(programs.filtering).
"""

from types import SimpleNamespace
from typing import Any

from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request
from rest_framework.views import APIView
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from cms.core.headless import PublicPageSerializer
from cms.core.i18n import request_language
from programs.filtering import ProgramFilterSet
from programs.models import ProgramPage
from programs.querysets import ProgramPageQuerySet

#: API parameter -> the ProgramFilterSet filter it feeds (the index calls the search `q`).
FILTER_PARAMETERS = {
    "category": "category",
    "unit": "unit",
    "service": "service",
    "status": "status",
    "year": "year",
    "search": "q",
}


class ProgramFilter(BaseFilterBackend):
    """The program index's ProgramFilterSet on the API: the same programs for the same
    parameters; a refused value gives 400 naming the parameter, with the index's message in
    the `Accept-Language` language."""

    def filter_queryset(
        self, request: HttpRequest, queryset: ProgramPageQuerySet, view: APIView
    ) -> ProgramPageQuerySet:
        data = QueryDict(mutable=True)
        for parameter, name in FILTER_PARAMETERS.items():
            if parameter in request.GET:
                data[name] = request.GET[parameter]
        filters = ProgramFilterSet(data, queryset=queryset, request=request)
        with translation.override(request_language(request)):
            errors = filters.error_messages()
        if errors:
            parameter_of = {name: parameter for parameter, name in FILTER_PARAMETERS.items()}
            raise BadRequestError(
                "; ".join(
                    f"{parameter_of.get(name, name)}: {' '.join(messages)}"
                    for name, messages in errors.items()
                )
            )
        return filters.qs


class ProgramFieldsFilter(FieldsFilter):
    """Wagtail's field filters, leaving the program filters to ProgramFilter."""

    def filter_queryset(
        self, request: HttpRequest, queryset: ProgramPageQuerySet, view: APIView
    ) -> ProgramPageQuerySet:
        other = request.GET.copy()
        for name in FILTER_PARAMETERS:
            other.pop(name, None)
        return super().filter_queryset(SimpleNamespace(GET=other), queryset, view)


class ProgramsAPIViewSet(PagesAPIViewSet):
    model = ProgramPage
    base_serializer_class = PublicPageSerializer  # html_url on PUBLIC_BASE_URL
    # Wagtail's backends, with its field filter told to leave ours alone and its search
    # replaced by the FilterSet's (the same stemming as the index).
    filter_backends = [
        ProgramFilter,
        *(
            {FieldsFilter: ProgramFieldsFilter}.get(backend, backend)
            for backend in PagesAPIViewSet.filter_backends
            if backend is not SearchFilter
        ),
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(FILTER_PARAMETERS)
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

    def get_queryset(self) -> ProgramPageQuerySet:
        return super().get_queryset().with_taxonomy()

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        """A refusal is worded in the `Accept-Language` language: caches must keep one each."""
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        return response
