"""Georgian is written without capitals: Django's `capfirst` must leave it alone.

Python's `str.upper()` maps a Mkhedruli letter (U+10D0-U+10FF) to Mtavruli (U+1C90-U+1CBF), so
Django's `capfirst` (django.utils.text) and the template filter of the same name (its own
implementation in django.template.defaultfilters) turn "სტატუსი" into "Სტატუსი" in every admin
header, column, filter, message and export. Wagtail and Django import these functions by name
(`from django.utils.text import capfirst`) long before our apps are ready, so replacing the
module attribute would miss them: `install()` swaps the code of the two original functions
instead, once, in `CoreConfig.ready()`. Every caller, however it imported them, then gets the
Georgian-aware behaviour; other scripts are capitalised as before.
"""

from typing import Any

from django.template import defaultfilters
from django.utils import text

MTAVRULI_FIRST, MTAVRULI_LAST = "\u1c90", "\u1cbf"


def _capfirst_text(x: Any) -> Any:  # its code replaces django.utils.text.capfirst's
    if not x:
        return x
    if not isinstance(x, str):
        x = str(x)
    if "\u10d0" <= x[0] <= "\u10ff":
        return x
    return x[0].upper() + x[1:]


def _capfirst_filter(value: Any) -> Any:  # its code replaces the template filter's
    if value and "\u10d0" <= value[0] <= "\u10ff":
        return value
    return value and value[0].upper() + value[1:]


def capfirst(value: str) -> str:
    """Upper-case the first letter, except a Georgian one (which has no capital)."""
    return _capfirst_text(value)


def has_mtavruli(value: str) -> bool:
    """True when the text contains a Mtavruli letter (U+1C90-U+1CBF)."""
    return any(MTAVRULI_FIRST <= ch <= MTAVRULI_LAST for ch in value)


def to_mkhedruli(value: str) -> str:
    """Turn Mtavruli letters back into the lowercase Mkhedruli letters they were made from."""
    return "".join(
        chr(ord(ch) - 0x1C90 + 0x10D0) if MTAVRULI_FIRST <= ch <= MTAVRULI_LAST else ch
        for ch in value
    )


def _original(function: Any) -> Any:
    """The undecorated function behind Django's `keep_lazy` / `stringfilter` wrappers."""
    return function.__wrapped__


_ORIGINAL_CODE = (_original(text.capfirst).__code__, _original(defaultfilters.capfirst).__code__)


def install() -> None:
    """Give Django's two `capfirst` implementations the Georgian-aware code (idempotent)."""
    _original(text.capfirst).__code__ = _capfirst_text.__code__
    _original(defaultfilters.capfirst).__code__ = _capfirst_filter.__code__


def uninstall() -> None:
    """Put Django's own code back (for the test that proves the fix is what prevents it)."""
    _original(text.capfirst).__code__ = _ORIGINAL_CODE[0]
    _original(defaultfilters.capfirst).__code__ = _ORIGINAL_CODE[1]
