"""Page queries shared by the apps, with what they repeat read once per request."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Q, QuerySet

from cms.core.request_memo import remembered_rows

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
