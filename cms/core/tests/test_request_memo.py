"""Values read once per request: the same answers as a fresh query, forgotten when changed."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.core.request_memo import RequestMemoMiddleware, memo_scope, remembered_rows
from feedback_forms.fields import LocalizedModelChoiceField
from programs.models import AdministrativeUnit, ProgramCategory, Settlement
from programs.querysets import settlements_with_units

pytestmark = pytest.mark.django_db


def in_a_request(view):
    """Run `view()` inside the middleware, as a request would, and return what it returned."""
    seen = {}

    def get_response(request):
        seen["value"] = view()
        return HttpResponse()

    RequestMemoMiddleware(get_response)(RequestFactory().get("/"))
    return seen["value"]


def test_rows_are_read_once_in_a_request_and_every_time_outside(reference_data) -> None:
    def read_three_times() -> int:
        with CaptureQueriesContext(connection) as queries:
            for _ in range(3):
                settlements_with_units()
        return len(queries)

    assert in_a_request(read_three_times) == 1
    assert read_three_times() == 3


def test_a_change_in_the_request_is_seen_by_the_same_request(reference_data) -> None:
    def add_then_read() -> tuple[int, int]:
        before = len(settlements_with_units())
        unit = AdministrativeUnit.objects.first()
        Settlement.objects.create(unit=unit, name_ka="ახალი სოფელი", name_en="New village")
        return before, len(settlements_with_units())

    before, after = in_a_request(add_then_read)
    assert after == before + 1


def test_a_change_to_an_unrelated_model_keeps_what_was_read(reference_data) -> None:
    def read_change_read() -> int:
        settlements_with_units()
        ProgramCategory.objects.first().save()
        with CaptureQueriesContext(connection) as queries:
            settlements_with_units()
        return len(queries)

    assert in_a_request(read_change_read) == 0


def test_a_memo_scope_reads_once_and_forgets_at_its_end(reference_data) -> None:
    """Outside a request (a report's figures computed by a task), `memo_scope` remembers
    until the block ends; a save inside it is seen, and a scope inside a request uses the
    request's memo."""

    def reads(action) -> int:
        with CaptureQueriesContext(connection) as queries:
            action()
        return len(queries)

    def read_three_times() -> None:
        for _ in range(3):
            settlements_with_units()

    with memo_scope():
        assert reads(read_three_times) == 1
        before = len(settlements_with_units())
        unit = AdministrativeUnit.objects.first()
        Settlement.objects.create(unit=unit, name_ka="ახალი სოფელი", name_en="New village")
        assert len(settlements_with_units()) == before + 1
    assert reads(read_three_times) == 3  # the scope has ended

    def scope_in_a_request() -> int:
        settlements_with_units()
        with memo_scope():
            return reads(settlements_with_units)

    assert in_a_request(scope_in_a_request) == 0


def field_pairs() -> list[tuple[forms.ModelChoiceField, forms.ModelChoiceField]]:
    """Each reference-data choice as the forms declare it, and Django's own field on it."""
    return [
        (
            LocalizedModelChoiceField(
                queryset=AdministrativeUnit.objects.all(), to_field_name="code"
            ),
            forms.ModelChoiceField(queryset=AdministrativeUnit.objects.all(), to_field_name="code"),
        ),
        (
            LocalizedModelChoiceField(queryset=Settlement.objects.with_unit()),
            forms.ModelChoiceField(queryset=Settlement.objects.with_unit()),
        ),
        (
            LocalizedModelChoiceField(queryset=ProgramCategory.objects.all()),
            forms.ModelChoiceField(queryset=ProgramCategory.objects.all()),
        ),
    ]


def answer(field: forms.Field, value: object) -> object:
    try:
        found = field.clean(value)
    except ValidationError as error:
        return ("invalid", error.code)
    return None if found is None else found.pk


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_remembered_choice_accepts_and_refuses_what_djangos_field_does(
    reference_data, data
) -> None:
    pairs = field_pairs()
    known = [
        *Settlement.objects.values_list("pk", flat=True),
        *ProgramCategory.objects.values_list("pk", flat=True),
        *AdministrativeUnit.objects.values_list("code", flat=True),
    ]
    base = data.draw(st.sampled_from(known) | st.integers(-3, 10**6) | st.text(max_size=6))
    value = data.draw(
        st.sampled_from([base, str(base), f" {base}", f"{base} ", f"{base}.0", f"+{base}", ""])
    )

    def compare() -> None:
        for ours, djangos in pairs:
            assert answer(ours, value) == answer(djangos, value), value

    in_a_request(compare)


def test_a_filtered_choice_still_asks_the_database(reference_data) -> None:
    unit = AdministrativeUnit.objects.first()
    field = LocalizedModelChoiceField(queryset=Settlement.objects.filter(unit=unit))
    elsewhere = Settlement.objects.exclude(unit=unit).first()
    with pytest.raises(ValidationError):
        in_a_request(lambda: field.clean(str(elsewhere.pk)))
    assert remembered_rows(Settlement.objects.filter(unit=unit))  # outside a request: a query


def memo_querysets() -> list:
    """Queries of whole tables and queries of parts of them, as the forms and schemas ask."""
    from django.db.models import Count
    from wagtail.models import Locale

    return [
        AdministrativeUnit.objects.all(),
        AdministrativeUnit.objects.order_by("pk"),
        AdministrativeUnit.objects.order_by("-pk"),
        AdministrativeUnit.objects.order_by("name_en"),
        AdministrativeUnit.objects.all().reverse(),
        ProgramCategory.objects.all(),
        Settlement.objects.all(),
        Settlement.objects.with_unit(),
        Settlement.objects.select_related(),
        Settlement.objects.prefetch_related("unit"),
        Locale.objects.order_by("pk"),
        Locale.objects.all(),
        Settlement.objects.filter(unit__isnull=False),
        Settlement.objects.exclude(pk=0),
        Settlement.objects.all()[:3],
        Settlement.objects.distinct(),
        Settlement.objects.only("name_ka"),
        Settlement.objects.defer("name_ka"),
        Settlement.objects.annotate(n=Count("pk")),
        Settlement.objects.values("pk"),
        Settlement.objects.values_list("pk", flat=True),
        AdministrativeUnit.objects.all().union(AdministrativeUnit.objects.all()),
        AdministrativeUnit.objects.extra(select={"one": "1"}),
        AdministrativeUnit.objects.select_for_update(),
    ]


def test_a_whole_tables_key_is_shared_only_by_queries_with_its_sql() -> None:
    from cms.core.request_memo import whole_table_key

    keyed: dict = {}
    for queryset in memo_querysets():
        key = whole_table_key(queryset)
        if key is None:
            continue
        sql = (str(queryset.query), tuple(queryset._prefetch_related_lookups))
        assert keyed.setdefault(key, sql) == sql, key
    assert len(keyed) == 12  # every whole-table query above is keyed, each with its own key
    for queryset in memo_querysets()[12:]:
        assert whole_table_key(queryset) is None, queryset.query
    assert whole_table_key(AdministrativeUnit.objects.all()) == whole_table_key(
        AdministrativeUnit.objects.all()
    )
