"""How one stored answer to an extra question is read (`reports.aggregation.answers`)."""

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from reports.aggregation.answers import answer_read

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
