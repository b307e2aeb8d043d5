"""A site root that finds the requested page by its URL path in one query (issue 13).

Wagtail's `Page.route` walks one level per query pair (the child by slug, then its specific
row): the walk to a program's form took six page queries on every request, two this way
(measured, bench/README.md). The site root instead looks up every page whose `url_path` is a
prefix of the request's path in one statement and hands the rest to the deepest one, so the result is Wagtail's own: the deepest page's `route` decides (a
page type with its own `route`, a routable page, is handed its remaining components as Wagtail
would), a missing child is a 404, and only the page served must be live.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail.models import Page


def has_default_route(page: Page) -> bool:
    """Whether the page type routes its children as `Page.route` does (so it can be skipped)."""
    specific_class = page.specific_class
    return specific_class is not None and specific_class.route is Page.route


class PathRoutingMixin:
    """For the site root's page type: `route` in one query for the pages on the path."""

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        if not path_components:
            return super().route(request, path_components)  # type: ignore[misc]
        root: Page = self
        prefixes = []
        url_path = root.url_path
        for slug in path_components:
            url_path = f"{url_path}{slug}/"
            prefixes.append(url_path)
        on_path = {
            page.url_path: page
            for page in Page.objects.filter(
                path__startswith=root.path, depth__gt=root.depth, url_path__in=prefixes
            )
        }
        node: Page = root
        walked = 0
        for prefix in prefixes:
            child = on_path.get(prefix)
            if child is None or child.depth != node.depth + 1:
                break  # the node's own route answers: a 404, or its own sub-route
            child._cached_parent_obj = node  # as Wagtail's route does: get_parent() is free
            node, walked = child, walked + 1
            if not has_default_route(node):
                break
        if node is root:
            return super().route(request, path_components)  # type: ignore[misc]
        return node.specific.route(request, path_components[walked:])
