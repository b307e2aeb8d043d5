"""One format for numbers, money, dates and booleans per language (cms.core.formatting, the
format modules in cms/formats/), compared with a plain recount of what they must write."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cms.core import formatting

UTC = datetime.UTC
SEPARATORS = {"ka": ("\xa0", ","), "en": (",", ".")}


def grouped(number: int, thousands: str) -> str:
    digits = str(abs(number))
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ("-" if number < 0 else "") + thousands.join(groups)


@pytest.mark.parametrize("language", ["ka", "en"])
@given(lari=st.integers(min_value=-(10**9), max_value=10**12), tetri=st.integers(0, 99))
def test_money_is_grouped_with_the_languages_separators_and_lari_after(
    language: str, lari: int, tetri: int
) -> None:
    thousands, decimal = SEPARATORS[language]
    amount = Decimal(lari) + (Decimal(tetri) / 100 if lari >= 0 else -Decimal(tetri) / 100)
    with translation.override(language):
        text = formatting.format_money(amount)
    sign = "-" if amount < 0 else ""
    whole = sign + grouped(abs(int(amount)), thousands)
    expected = whole if tetri == 0 else f"{whole}{decimal}{tetri:02d}"
    if amount == 0:
        expected = "0"
    assert text == f"{expected}\xa0₾"


@pytest.mark.parametrize(
    ("language", "number", "money", "date", "moment", "yes", "no"),
    [
        ("ka", "3,90", "180\xa0000,50\xa0₾", "20 დეკემბერი 2026", "1 დეკემბერი 2026, 09:47",
         "დიახ", "არა"),
        ("en", "3.90", "180,000.50\xa0₾", "20 December 2026", "1 December 2026, 09:47",
         "Yes", "No"),
    ],
)  # fmt: skip
def test_each_value_in_words(language, number, money, date, moment, yes, no) -> None:
    with translation.override(language):
        assert formatting.format_number(3.9, 2) == number
        assert formatting.format_money(Decimal("180000.50")) == money
        assert formatting.format_date(datetime.date(2026, 12, 20)) == date
        assert formatting.format_date(datetime.date(2026, 12, 20), short=True) == "20.12.2026"
        # 05:47 UTC is 09:47 in Tbilisi: never "a.m.", never UTC.
        utc = datetime.datetime(2026, 12, 1, 5, 47, tzinfo=UTC)
        assert formatting.format_datetime(utc) == moment
        assert formatting.format_datetime(utc, short=True) == "01.12.2026 09:47"
        assert formatting.format_bool(True) == yes and formatting.format_bool(False) == no
        assert formatting.display(None) == formatting.display("") == "—"
        assert formatting.display(2026) == 2026  # years and counts are not grouped


def test_a_moment_late_in_the_utc_day_is_the_next_day_in_tbilisi() -> None:
    late = datetime.datetime(2026, 12, 31, 21, 30, tzinfo=UTC)
    with translation.override("ka"):
        assert formatting.format_date(late) == "1 იანვარი 2027"
        assert formatting.csv_date(late) == "01.01.2027 01:30"


@pytest.mark.parametrize("language", ["ka", "en"])
def test_the_template_filters_and_djangos_own_filters_agree(language: str) -> None:
    template = Template(
        "{% load values %}{{ amount|money }}|{{ amount|floatformat:'2g' }}|{{ mean|number:2 }}"
        "|{{ mean|floatformat:2 }}|{{ day|local_date:'short' }}|{{ day|date:'SHORT_DATE_FORMAT' }}"
    )
    context = Context(
        {"amount": Decimal("120000.25"), "mean": 2.666, "day": datetime.date(2026, 12, 1)}
    )
    with translation.override(language):
        money, floatformatted, mean, mean_django, day, day_django = template.render(context).split(
            "|"
        )
    assert money == f"{floatformatted}\xa0₾"
    assert mean == mean_django and day == day_django == "01.12.2026"
