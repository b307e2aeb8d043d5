"""Helpers for reference data that carries its Georgian and English names side by side."""

from typing import Any

from django.conf import settings
from django.utils.translation import get_language


def active_language() -> str:
    """The active language code reduced to one we publish in ("ka" or "en")."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    published = {code for code, _name in settings.LANGUAGES}
    return language if language in published else settings.LANGUAGE_CODE


def localized(obj: Any, field: str) -> str:
    """Return `<field>_<language>` for the active language, falling back to Georgian.

    Reference data (units, services, categories) is one row per thing with both names, so that
    reports group by one key whatever language the reader uses.
    """
    value = getattr(obj, f"{field}_{active_language()}", "") or ""
    return value or getattr(obj, f"{field}_{settings.LANGUAGE_CODE}", "") or ""
