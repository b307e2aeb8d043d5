"""Where the language switcher sends a reader when a page has no translation in their language.

Editors translate pages one by one (wagtail.contrib.simple_translation), so a new Georgian
program can exist before its English page. The switcher then never links to a 404: it links to
a page that says, in the reader's language, that this page exists only in Georgian, with a link
to the original and to the nearest translated page above it (the programs list, the home page).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.models import Page, Site

from cms.core.i18n import active_language


def live_translation(page: Page, language: str) -> Page | None:
    """The page itself in that language, when it is published."""
    return (
        page.get_translations(inclusive=True)
        .live()
        .filter(locale__language_code=language)
        .specific()
        .first()
    )


def nearest_translated_ancestor(page: Page, language: str) -> Page | None:
    """The closest page above this one that is published in that language."""
    for ancestor in page.get_ancestors().filter(depth__gt=1).live().order_by("-depth"):
        if (found := live_translation(ancestor, language)) is not None:
            return found
    return None


def untranslated_url(page: Page, language: str) -> str:
    """The switcher's link for a page that has no published translation in `language`."""
    with translation.override(language):
        return reverse("page_not_translated", args=[page.pk])


def page_not_translated(request: HttpRequest, page_id: int) -> HttpResponse:
    """ "This page exists only in Georgian", in the reader's language, with the way on."""
    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    if page is None:
        raise Http404
    language = active_language()
    if (existing := live_translation(page, language)) is not None:
        # In the reader's language (the switcher of this very notice, or translated since the
        # link was made): go to it.
        return redirect(existing.get_url(request=request) or "/")
    ancestor = nearest_translated_ancestor(page, language)
    if ancestor is None:
        site = Site.find_for_request(request)
        ancestor = live_translation(site.root_page, language) if site else None
    original_language = page.locale.language_code
    context = {
        "original": page,
        "original_language": original_language,
        "original_language_name": get_language_info(original_language)["name_translated"],
        "original_url": page.get_url(request=request),
        "ancestor": ancestor,
        "ancestor_url": ancestor.get_url(request=request) if ancestor else "/",
    }
    response = render(request, "core/page_not_translated.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
