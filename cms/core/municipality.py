"""The municipality the platform serves, as data: no text in code names it.

Two sources, one order: the site settings (`MunicipalityContacts`, which staff edit in the admin)
and, behind any field left empty there, the selected data set's `municipality.json`
(`settings.MUNICIPALITY` under `settings.MUNICIPALITY_DATA_DIR`, with the reference CSVs next to
it). `setup_site` copies the data set's identity into empty settings fields, so a running site
reads the database; the file is what import-time settings (the admin's site name, the API title)
and a database without settings read.

Georgian texts need the name in more than one grammatical form, so a text asks for a *form*
(`%(municipality_in)s`: "წყალტუბოს მუნიციპალიტეტში" in Georgian, "Tskaltubo Municipality" in
English) and the translation puts it where the language wants it.
"""

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext

if TYPE_CHECKING:
    from django.http import HttpRequest

    from cms.core.models import MunicipalityContacts

#: Each form a text can ask for, and the settings field that holds it in Georgian and English.
#: English needs no case forms: its genitive and locative are the name itself.
FORMS: dict[str, tuple[str, str]] = {
    "municipality": ("municipality_ka", "municipality_en"),
    "municipality_of": ("municipality_genitive_ka", "municipality_en"),
    "municipality_in": ("municipality_locative_ka", "municipality_en"),
    "place": ("place_ka", "place_en"),
    "place_of": ("place_genitive_ka", "place_en"),
    "place_in": ("place_locative_ka", "place_en"),
    "city_hall": ("name_ka", "name_en"),
    "city_hall_of": ("name_genitive_ka", "name_en"),
}
#: The settings fields `setup_site` fills from the data set's "identity" when they are empty.
IDENTITY_FIELDS: tuple[str, ...] = (
    *sorted({field for pair in FORMS.values() for field in pair}),
    "rules_url",
)


def data_dir(code: str | None = None) -> Path:
    """The directory of a data set: municipality.json and the reference CSVs."""
    return Path(settings.MUNICIPALITY_DATA_DIR) / (code or settings.MUNICIPALITY)


@lru_cache(maxsize=8)
def read_data_set(directory: Path) -> dict[str, Any]:
    """The parsed municipality.json of a data set directory (settings read it before Django)."""
    with (directory / "municipality.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def data_set(code: str | None = None) -> dict[str, Any]:
    """The municipality.json of a data set (the selected one by default)."""
    return read_data_set(data_dir(code))


def language_of(language: str | None = None) -> str:
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return "ka" if code == "ka" else "en"


def names(
    source: "MunicipalityContacts | None" = None,
    language: str | None = None,
    code: str | None = None,
) -> dict[str, str]:
    """Every form of the name in one language (the active one), settings first, file behind."""
    identity = data_set(code)["identity"]
    index = 0 if language_of(language) == "ka" else 1
    result = {}
    for form, fields in FORMS.items():
        field = fields[index]
        result[form] = (getattr(source, field, "") if source is not None else "") or identity.get(
            field, ""
        )
    return result


def fill_names(value: Any, forms: dict[str, str]) -> Any:
    """`value` (text, or lists, tuples and dicts of texts) with {form} replaced by the name."""
    if isinstance(value, str):
        return value.format(**forms)
    if isinstance(value, dict):
        return {key: fill_names(item, forms) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(fill_names(item, forms) for item in value)
    return value


def site_settings(request: "HttpRequest | None" = None) -> "MunicipalityContacts | None":
    """The settings row of the request's site (cached on the request), or the default site's;
    None when there is no site yet (a fresh database)."""
    from wagtail.models import Site

    from cms.core.models import MunicipalityContacts

    try:
        if request is not None:
            return MunicipalityContacts.for_request(request)
        site = Site.objects.filter(is_default_site=True).first()
        return MunicipalityContacts.for_site(site) if site is not None else None
    except MunicipalityContacts.DoesNotExist:
        return None


def current_names(request: "HttpRequest | None" = None, language: str | None = None) -> dict:
    """The forms for a request (its site's settings) or, in a task, for the default site."""
    return names(site_settings(request), language)


def site_name(
    source: "MunicipalityContacts | None" = None,
    language: str | None = None,
    escape: Callable[[str], str] = str,
) -> str:
    """The platform's name ("Tskaltubo Citizens' Feedback") in the active language; `escape`
    is applied to the names only (a template escapes them, not the translated text)."""
    forms = {form: escape(name) for form, name in names(source, language).items()}
    return gettext("%(place_of)s Citizens' Feedback") % forms


def file_site_name() -> str:
    """The site name from the data set alone: for settings read before any request."""
    return site_name(None)


#: WAGTAIL_SITE_NAME: translated when it is shown, named from the selected data set.
lazy_site_name = lazy(file_site_name, str)
