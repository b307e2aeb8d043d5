"""The site root finds a page by its URL path in one query, with Wagtail's own answers.

Generated paths (every slug in the tree, sub-routes of the routable form pages, unknown
components) are routed by the home page's `route` and by Wagtail's `Page.route` from the same
root: the page, the sub-route and a 404 must be the same for each.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page

from home.models import HomePage
from programs.tests.factories import ProgramIndexPageFactory, ProgramPageFactory

pytestmark = pytest.mark.django_db


def outcome(route: Any, request: Any, components: list[str]) -> tuple:
    """What a route answered, comparable between the two: the page and the sub-route."""
    try:
        page, args, kwargs = route(request, components)
    except Http404:
        return ("404",)
    if args and callable(args[0]):  # a routable page: (view, view args, view kwargs)
        view, view_args, view_kwargs = args
        return (page.pk, view.__name__, tuple(view_args), tuple(sorted(view_kwargs.items())))
    return (page.pk, tuple(args), tuple(sorted(kwargs.items())))


@pytest.fixture
def tree(evaluation_form, needs_form, site_content):
    """Programs and forms in both languages, a draft index holding a live program, a program
    that is not live, and one with the same slug as a page elsewhere."""
    draft_index = ProgramIndexPageFactory(parent=site_content["ka"], slug="draft-index")
    draft_index.unpublish()
    ProgramPageFactory(parent=draft_index, slug="under-a-draft")
    hidden = ProgramPageFactory(parent=site_content["ka"], slug="not-live-program")
    hidden.unpublish()
    ProgramPageFactory(parent=evaluation_form.get_parent().get_parent(), slug="evaluation")
    slugs = sorted(set(Page.objects.filter(depth__gt=2).values_list("slug", flat=True)))
    return slugs + ["thanks", "check", "missing", "1"]


def roots() -> list[HomePage]:
    return list(HomePage.objects.all())


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_path_routes_as_wagtail_routes_it(tree, data) -> None:
    components = data.draw(st.lists(st.sampled_from(tree), max_size=5))
    for root in roots():
        request = RequestFactory().get("/" + "/".join(components))
        ours = outcome(HomePage.objects.get(pk=root.pk).route, request, components)
        fresh_root = HomePage.objects.get(pk=root.pk)
        wagtails = outcome(
            lambda r, c, home=fresh_root: Page.route(home, r, c), request, components
        )
        assert ours == wagtails, components


def test_every_live_page_is_found_by_its_own_path(tree) -> None:
    for root in roots():
        for page in root.get_descendants().live():
            components = [part for part in page.url_path[len(root.url_path) :].split("/") if part]
            request = RequestFactory().get("/")
            found, _args, _kwargs = HomePage.objects.get(pk=root.pk).route(request, components)
            assert found.pk == page.pk
            assert found.get_parent().pk == page.get_parent().pk


def test_a_deep_page_costs_fewer_queries_than_wagtails_walk(tree) -> None:
    form = next(
        page
        for page in Page.objects.filter(depth__gte=5, live=True).specific()
        if getattr(page, "form_kind", "") == "evaluation"
    )
    root = HomePage.objects.get(pk=form.get_ancestors().get(depth=2).pk)
    components = [part for part in form.url_path[len(root.url_path) :].split("/") if part]
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as ours:
        HomePage.objects.get(pk=root.pk).route(request, components)
    with CaptureQueriesContext(connection) as wagtails:
        Page.route(HomePage.objects.get(pk=root.pk), request, components)
    assert len(ours) < len(wagtails)
