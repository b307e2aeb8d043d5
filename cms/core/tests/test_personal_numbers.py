"""The one rule for personal numbers (issue 10, finding 7): canonical before hashing, so one
person has one digest however the digits were typed, and numbers no one has are refused."""

import re
import sys
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cms.core.personal_numbers import (
    REPEATED_DIGITS,
    digest_personal_number,
    key_problem,
    normalise_personal_number,
)

NUMBER = "01001012345"
#: Every character Python's `\d` matches: all Unicode decimal digits (category Nd).
UNICODE_DIGITS = [chr(code) for code in range(sys.maxunicode + 1) if re.fullmatch(r"\d", chr(code))]
#: The zero of every digit script (Nd digits come in runs of ten, 0 to 9).
SCRIPT_ZEROS = [char for char in UNICODE_DIGITS if unicodedata.decimal(char) == 0]


def in_script(number: str, zero: str) -> str:
    return "".join(chr(ord(zero) + int(digit)) for digit in number)


def test_python_knows_many_digit_scripts() -> None:
    assert len(UNICODE_DIGITS) == 10 * len(SCRIPT_ZEROS)
    assert len(SCRIPT_ZEROS) > 60  # Arabic-Indic, Devanagari, full-width, Adlam, ...


@pytest.mark.parametrize("zero", SCRIPT_ZEROS, ids=lambda zero: f"U+{ord(zero):04X}")
def test_every_digit_script_is_one_person(zero: str) -> None:
    """The number in any script is the same ASCII number, so the same digest."""
    typed = in_script(NUMBER, zero)
    assert normalise_personal_number(typed) == NUMBER
    assert digest_personal_number(typed) == digest_personal_number(NUMBER)


def test_every_unicode_digit_becomes_its_ascii_digit() -> None:
    for char in UNICODE_DIGITS:
        typed = NUMBER[:-1] + char
        assert normalise_personal_number(typed) == NUMBER[:-1] + str(unicodedata.decimal(char))


@given(
    st.lists(st.sampled_from(SCRIPT_ZEROS), min_size=11, max_size=11),
    st.lists(st.sampled_from(["", " ", "-", "\u00a0", "\u2013"]), min_size=11, max_size=11),
)
def test_mixed_scripts_and_separators_are_still_one_person(zeros, separators) -> None:
    typed = "".join(
        separator + chr(ord(zero) + int(digit))
        for digit, zero, separator in zip(NUMBER, zeros, separators, strict=True)
    )
    assert normalise_personal_number(typed) == NUMBER


@pytest.mark.parametrize(
    "typed",
    [
        "0100101234²",  # a superscript two is a digit to str.isdigit, not a decimal digit
        "0100101234½",
        "01001O12345",  # a letter O
        "0100101234\u200b5",  # a zero-width space
        "0100101234٫5",  # an Arabic decimal separator
        "+01001012345",
        "1001012345",
        "010010123456",
        "",
    ],
)
def test_anything_else_is_refused(typed: str) -> None:
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            normalise_personal_number(typed)
        assert error.value.messages == ["The personal number must be exactly 11 digits."]


@pytest.mark.parametrize("number", REPEATED_DIGITS)
def test_numbers_of_one_repeated_digit_are_refused(number: str) -> None:
    for typed in (number, in_script(number, "٠"), f"{number[:3]} {number[3:]}"):
        with pytest.raises(ValidationError) as error:
            normalise_personal_number(typed)
        assert error.value.code == "repeated"


@given(st.from_regex(r"[0-9]{11}", fullmatch=True).filter(lambda n: n not in REPEATED_DIGITS))
def test_every_other_eleven_digit_number_is_accepted(number: str) -> None:
    assert normalise_personal_number(number) == number
    assert re.fullmatch(r"[0-9a-f]{64}", digest_personal_number(number).digest)


@pytest.mark.parametrize(
    ("key", "secret", "problem"),
    [
        ("", "s" * 50, "at least 32"),
        ("k" * 31, "s" * 50, "at least 32"),
        ("k" * 40, "k" * 40, "must not be the same"),
        ("k" * 32, "s" * 50, None),
    ],
)
def test_key_problem(key: str, secret: str, problem: str | None) -> None:
    found = key_problem(key, secret)
    assert (found is None) if problem is None else (problem in found)
