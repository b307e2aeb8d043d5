"""Who may take part (Art. 3.2, 3.3): citizens of Georgia aged 18 or older on the day they
submit, counted in Tbilisi time."""

import datetime

from django.utils import timezone

ADULT_AGE = 18
OLDEST_PLAUSIBLE_BIRTH_YEAR = 1900


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years on a day. Someone born on 29 February turns a year older on 1 March in
    common years (their birthday has not happened on 28 February)."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def today_in_tbilisi() -> datetime.date:
    return timezone.localdate()


def is_adult_on(birth_date: datetime.date, day: datetime.date | None = None) -> bool:
    return age_on(birth_date, day or today_in_tbilisi()) >= ADULT_AGE
