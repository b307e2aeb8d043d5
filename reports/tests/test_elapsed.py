"""The database's time between two datetimes (`reports.aggregation.elapsed.Elapsed`) is the
exact difference Python computes, to the microsecond, for any pair a need can hold."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from feedback_forms.models import Need
from feedback_forms.tests.factories import NeedFactory
from reports.aggregation.elapsed import Elapsed

UTC = datetime.UTC
MOMENTS = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2100, 1, 1)
).map(lambda moment: moment.replace(tzinfo=UTC))
DELAYS = st.one_of(
    st.timedeltas(min_value=datetime.timedelta(0), max_value=datetime.timedelta(days=3650)),
    # The fractions SQLite would round: just under a second, a microsecond either side.
    st.integers(0, 10).map(lambda n: datetime.timedelta(seconds=n, microseconds=999_999)),
    st.integers(0, 3).map(lambda n: datetime.timedelta(microseconds=n)),
)


def elapsed_in_database(need: Need) -> datetime.timedelta:
    return (
        Need.objects.filter(pk=need.pk)
        .annotate(duration=Elapsed("answered_at", "created_at"))
        .values_list("duration", flat=True)
        .get()
    )


class ElapsedTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.need = NeedFactory()

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(created=MOMENTS, delay=DELAYS)
    def test_same_microseconds_as_python(self, created, delay) -> None:
        Need.objects.filter(pk=self.need.pk).update(created_at=created, answered_at=created + delay)
        assert elapsed_in_database(self.need) == delay


@pytest.mark.django_db
def test_whole_seconds_and_no_fraction() -> None:
    created = datetime.datetime(2026, 3, 1, 10, 0, 0, tzinfo=UTC)
    need = NeedFactory()
    for answered, expected in (
        (created, datetime.timedelta(0)),
        (created.replace(second=59, microsecond=999_600), datetime.timedelta(seconds=59.9996)),
        (created + datetime.timedelta(days=2, hours=3), datetime.timedelta(days=2, hours=3)),
    ):
        Need.objects.filter(pk=need.pk).update(created_at=created, answered_at=answered)
        assert elapsed_in_database(need) == expected
