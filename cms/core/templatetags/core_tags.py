"""Template tags every public page uses: the language switcher."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.models import Page

from cms.core.i18n import active_language

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


def translated_url(request: HttpRequest, page: Page | None, code: str) -> str:
    """The URL of this page in another language: the page's translation when it exists,
    otherwise the same path under that language's prefix, otherwise that language's home."""
    if page is not None and getattr(page, "pk", None):
        translation = page.get_translations(inclusive=True).filter(locale__language_code=code)
        target = translation.first()
        if target is not None and target.live:
            url = target.get_url(request=request)
            page_url = page.get_url(request=request)
            if url and page_url and request.path.startswith(page_url):
                # Routable pages (a results report) keep their sub-path in the other language.
                return url + request.path[len(page_url) :]
            if url:
                return url
    return translate_url(request.get_full_path(), code)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[LanguageLink]:
    """One link per published language, marking the current one."""
    request = context.get("request")
    page = context.get("page")
    current = active_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = translated_url(request, page, code) if request is not None else "/"
        links.append(LanguageLink(code, info["name_local"], url, code == current))
    return links


@dataclass(frozen=True)
class NavigationLink:
    title: str
    url: str


@register.simple_tag(takes_context=True)
def primary_navigation(context: template.Context) -> list[NavigationLink]:
    """The home page's children marked "show in menus", in the reader's language, plus the
    tracking page every resident with a reference needs."""
    request = context.get("request")
    if request is None:
        return []
    from django.urls import reverse
    from django.utils.translation import gettext
    from wagtail.models import Site

    site = Site.find_for_request(request)
    links = []
    if site is not None:
        home = site.root_page.localized
        for child in home.get_children().live().public().in_menu():
            links.append(NavigationLink(child.title, child.get_url(request=request)))
    links.append(NavigationLink(gettext("Follow your submission"), reverse("track")))
    return links
