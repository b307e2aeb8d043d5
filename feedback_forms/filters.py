"""Filters and search of the staff listings and exports (django-filter), one set per kind.

The same filter sets and search fields drive the admin listing, its exports and background
export jobs, so an export always contains exactly what the listing showed: the staff member's
scope, the filters and the search box.
"""

from collections.abc import Mapping

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.search import SearchForm

from feedback_forms.models import Channel, Evaluation, Need, Status


def period_choices() -> list[tuple[str, str]]:
    codes = set(Evaluation.objects.values_list("reporting_period", flat=True).distinct())
    codes |= set(Need.objects.values_list("reporting_period", flat=True).distinct())
    return [(code, code) for code in sorted(codes, reverse=True)]


class SubmissionFilterSet(WagtailFilterSet):
    reporting_period = django_filters.ChoiceFilter(
        label=_("Reporting period"), choices=period_choices
    )
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Status.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Submitted between"), widget=DateRangePickerWidget
    )


class EvaluationFilterSet(SubmissionFilterSet):
    overall_rating = django_filters.MultipleChoiceFilter(
        label=_("Overall rating"), choices=[(n, str(n)) for n in range(1, 6)]
    )
    verified = django_filters.BooleanFilter(label=_("On the beneficiary list"))

    class Meta:
        model = Evaluation
        fields = [
            "reporting_period",
            "program",
            "category",
            "service",
            "status",
            "channel",
            "verified",
            "overall_rating",
            "created_at",
        ]


class NeedFilterSet(SubmissionFilterSet):
    class Meta:
        model = Need
        fields = [
            "reporting_period",
            "category",
            "administrative_unit",
            "settlement",
            "status",
            "service",
            "assignee",
            "channel",
            "created_at",
        ]


FILTER_SETS = {"evaluation": EvaluationFilterSet, "need": NeedFilterSet}
MODELS = {"evaluation": Evaluation, "need": Need}
#: The listings' search box: its query key (Wagtail's) and the fields it looks in, which the
#: viewsets use as their `search_fields`.
SEARCH_KEY = "q"
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "evaluation": ("reference", "program_title"),
    "need": ("reference", "title", "description"),
}


def query_dict(query: Mapping[str, object]) -> QueryDict:
    """A stored query (a dict of lists, as jobs keep it) as the request's QueryDict was."""
    data = QueryDict(mutable=True)
    for key, values in query.items():
        data.setlist(
            key, [str(value) for value in values] if isinstance(values, list) else [str(values)]
        )
    return data


def search_term(query: Mapping[str, object]) -> str:
    """The search box's term as the listing reads it: Wagtail's own search form (stripped)."""
    form = SearchForm(query_dict(query))
    return str(form.cleaned_data[SEARCH_KEY]) if form.is_valid() else ""


def searched(queryset: QuerySet, kind: str, term: str) -> QuerySet:
    """What the listing's search does for these models (they are not in a search index):
    the whole term, case-insensitively, in any of the search fields."""
    if not term:
        return queryset
    condition = Q()
    for field in SEARCH_FIELDS[kind]:
        condition |= Q(**{f"{field}__icontains": term})
    return queryset.filter(condition)


def filtered_submissions(queryset: QuerySet, kind: str, query: Mapping[str, object]) -> QuerySet:
    """Apply a listing's query string (as a dict of lists) to an already permitted queryset:
    its filters, then its search box, as the listing does."""
    filterset = FILTER_SETS[kind](query_dict(query), queryset=queryset)
    if not filterset.is_valid():
        return queryset.none()
    return searched(filterset.qs, kind, search_term(query))
