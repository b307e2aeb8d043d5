"""Page queries shared by the apps, with what they repeat read once per request."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q, QuerySet

from cms.core.request_memo import remembered_rows

if TYPE_CHECKING:
    from wagtail.models import Page

QuerySetT = TypeVar("QuerySetT", bound=QuerySet)


def restricted_paths() -> list[str]:
    """The tree paths of every page with a view restriction, read once per request.

    Wagtail's `PageQuerySet.public()` reads the restrictions afresh each time it is called: a
    submission through the API called it twice (the program, then its forms)."""
    from wagtail.models import PageViewRestriction

    restrictions = PageViewRestriction.objects.select_related("page").order_by("pk")
    return [restriction.page.path for restriction in remembered_rows(restrictions)]


def public(pages: QuerySetT) -> QuerySetT:
    """The pages outside every restricted section, as `PageQuerySet.public()` filters them
    (a restricted page and all its descendants are left out)."""
    hidden = Q()
    for path in restricted_paths():
        hidden |= Q(path__startswith=path)
    return pages.exclude(hidden) if hidden else pages


def view_restrictions(page: Page) -> QuerySet:
    """The view restrictions that apply to a page, as Wagtail's `Page.get_view_restrictions`
    finds them (the page's and its ancestors', an alias's from its source page), in one
    statement instead of two: the ancestors are the prefixes of the page's tree path."""
    from django.db.models.functions import Coalesce
    from wagtail.models import Page, PageViewRestriction

    step = Page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    sources = (
        Page.objects.filter(path__in=paths)
        .annotate(source=Coalesce("alias_of_id", "id"))
        .values("source")
    )
    return PageViewRestriction.objects.filter(page_id__in=sources)
