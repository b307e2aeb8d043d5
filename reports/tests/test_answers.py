"""How one stored answer to an extra question is read (`reports.aggregation.answers`)."""

import json
import math
from unittest import mock

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from feedback_forms.models import Evaluation
from feedback_forms.tests.factories import EvaluationFactory
from reports.aggregation import answers
from reports.aggregation.answers import AnswerAsJson, answer_read

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.just(10**400) | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=5,
)


def test_absent_is_not_answered() -> None:
    assert answer_read(None) == (False, None)


@given(JSON_VALUES)
def test_any_stored_answer_is_answered_and_only_finite_numbers_have_a_value(value) -> None:
    answered, number = answer_read(json.dumps(value))
    assert answered
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        assert number is None
    elif isinstance(value, float):
        assert number == (value if math.isfinite(value) else None)
    elif isinstance(value, int):
        try:
            expected: float | None = float(value)
        except OverflowError:  # beyond a float's range: not a rating, no value
            expected = None
        assert number == expected
    else:
        assert number is None or math.isfinite(number)


def test_ratings_and_numbers_written_as_text_are_values() -> None:
    assert answer_read("4") == (True, 4.0)
    assert answer_read('"4"') == (True, 4.0)
    assert answer_read("4.5") == (True, 4.5)
    assert answer_read('"კარგი"') == (True, None)
    assert answer_read("null") == (True, None)


#: What can be stored: no NUL character (PostgreSQL's jsonb refuses it, SQLite's JSON functions
#: stop at it); the forms and the API refuse it first ("Null characters are not allowed",
#: feedback_forms/tests/test_api.py).
STORED_TEXT = st.text(alphabet=st.characters(blacklist_characters="\x00"))
STORED_KEYS = st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=3)
STORED_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | STORED_TEXT,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(STORED_KEYS, children, max_size=3)
    ),
    max_leaves=5,
)


def holds_a_float(value) -> bool:
    if isinstance(value, list):
        return any(holds_a_float(item) for item in value)
    if isinstance(value, dict):
        return any(holds_a_float(item) for item in value.values())
    return isinstance(value, float)


class AnswerAsJsonTest(TestCase):
    """What the database returns for a stored answer is that answer (SQLite: with `->` and,
    for SQLite before 3.38, without it; PostgreSQL: `->`). Keys are editors' field names
    (`clean_name`: letters, digits, underscores); a key with a double quote is not found by
    SQLite's JSON paths, Django's own lookups included."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.evaluation = EvaluationFactory()

    def read(self, name: str) -> str | None:
        return (
            Evaluation.objects.filter(pk=self.evaluation.pk)
            .annotate(raw=AnswerAsJson(name))
            .values_list("raw", flat=True)
            .get()
        )

    def read_both(self, name: str) -> list[str | None]:
        reads = [self.read(name)]
        if connection.vendor == "sqlite":
            with mock.patch.object(answers, "SQLITE_ARROW", (99, 0)):
                reads.append(self.read(name))
        return reads

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(value=STORED_VALUES, key=st.sampled_from(["rating", "ქულა", "two words"]))
    def test_the_stored_value_comes_back(self, value, key) -> None:
        Evaluation.objects.filter(pk=self.evaluation.pk).update(answers={key: value})
        for raw in self.read_both(key):
            assert raw is not None
            # SQLite without `->` turns a number through a REAL: 15 significant digits.
            (answered, number), (expected_answered, expected) = (
                answer_read(raw),
                answer_read(json.dumps(value)),
            )
            assert answered and expected_answered
            assert number == expected or number == pytest.approx(expected, rel=1e-14)
            if not holds_a_float(value):  # PostgreSQL keeps numbers as numeric: 1e16 -> 10**16
                assert json.loads(raw) == value
        assert set(self.read_both("absent")) == {None}
