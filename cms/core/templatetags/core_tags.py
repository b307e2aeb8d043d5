"""Template tags every public page uses: the language switcher."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils.translation import get_language_info, override
from wagtail.models import Page

from cms.core.i18n import active_language
from cms.core.translations import live_translation, nearest_translated_ancestor, untranslated_url

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


def translated_url(request: HttpRequest, page: Page | None, code: str) -> str:
    """The URL of this page in another language, never a 404: the page's translation when it
    is published; for an untranslated page, the page saying it exists only in its language
    (or, for a page not published yet, its nearest translated ancestor); for the site's own
    views (tracking), the same path under that language's prefix; else that language's home."""
    if page is not None and getattr(page, "pk", None):
        target = live_translation(page, code)
        if target is not None:
            url = target.get_url(request=request)
            page_url = page.get_url(request=request)
            if url and page_url and request.path.startswith(page_url):
                # Routable pages (a results report) keep their sub-path in the other language.
                return url + request.path[len(page_url) :]
            if url:
                return url
        if page.live and page.locale.language_code != code:
            return untranslated_url(page, code)
        ancestor = nearest_translated_ancestor(page, code)
        if ancestor is not None and (url := ancestor.get_url(request=request)):
            return url
        return home_url(code)
    url = translate_url(request.get_full_path(), code)
    try:
        with override(code):  # the other language's prefix is only recognised in it
            match = resolve(urlsplit(url).path)
    except Resolver404:
        return home_url(code)
    if match.url_name == "wagtail_serve":
        # A path Wagtail serves but no page answered (a 404 page): that language's home.
        return home_url(code)
    return url


def home_url(code: str) -> str:
    with override(code):
        return reverse("wagtail_serve", args=[""])


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
