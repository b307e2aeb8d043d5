"""Filters of the staff listings and exports (django-filter), one set per kind.

The same filter sets drive the admin listing, its exports and background export jobs, so an
export always contains exactly what the listing showed.
"""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

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


def filtered_submissions(queryset: QuerySet, kind: str, query: dict) -> QuerySet:
    """Apply a listing's query string (as a dict of lists) to an already permitted queryset."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, values in query.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    filterset = FILTER_SETS[kind](data, queryset=queryset)
    return filterset.qs if filterset.is_valid() else queryset.none()
