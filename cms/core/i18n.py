"""Helpers for reference data that carries its Georgian and English names side by side."""

from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation.trans_real import parse_accept_lang_header

from cms.core.request_memo import remembered_rows

if TYPE_CHECKING:
    from wagtail.models import Locale, Page

PageT = TypeVar("PageT", bound="Page")


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


def request_language(request: HttpRequest) -> str:
    """The language of `Accept-Language` we publish in, else Georgian.

    LocaleMiddleware cannot do this for the API: with `prefix_default_language=False` it
    activates Georgian for every path without a language prefix, `/api/v1/` included. The
    language cookie is ignored on purpose: apps say what they want in the header.
    """
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def locales_by_id() -> "dict[int, Locale]":
    """Every locale, read once per request (`cms.core.request_memo`): a submission asks for
    its page's locale and the default one several times, each a query of its own."""
    from wagtail.models import Locale

    return {locale.pk: locale for locale in remembered_rows(Locale.objects.order_by("pk"))}


def page_language(page: Any) -> str:
    """The language code of a page's locale, without fetching the locale again."""
    locale = locales_by_id().get(page.locale_id)
    return locale.language_code if locale is not None else page.locale.language_code


def default_locale() -> "Locale":
    """`Locale.get_default()` (the locale of `LANGUAGE_CODE`), from the request's locales."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale

    code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    for locale in locales_by_id().values():
        if locale.language_code == code:
            return locale
    return Locale.get_default()  # raises Locale.DoesNotExist, as Wagtail does


def page_in_language(page: Any, language: str) -> Any:
    """The page's live translation in a language, else the page itself (a program's English
    title where it exists, the Georgian one otherwise)."""
    if page_language(page) == language:
        return page
    translation = page.get_translations().live().filter(locale__language_code=language).first()
    return translation.specific if translation else page


def canonical_page(page: PageT) -> PageT:
    """The page in the default language (Georgian), else the page itself: submissions,
    beneficiary lists and a form's settings belong to it whatever language they came in."""
    default = default_locale()
    if page.locale_id == default.pk:
        return page
    return page.get_translation_or_none(default) or page
