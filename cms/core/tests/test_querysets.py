"""Shared page queries give Wagtail's own answers, with what they repeat read once per request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Locale, Page, PageViewRestriction

from cms.core.i18n import canonical_page, default_locale, page_in_language, page_language
from cms.core.querysets import public, view_restrictions
from cms.core.tests.test_request_memo import in_a_request

pytestmark = pytest.mark.django_db


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_public_pages_are_the_pages_wagtails_public_keeps(
    data, evaluation_form, needs_form
) -> None:
    pages = list(Page.objects.filter(depth__gt=1).order_by("path"))
    restricted = data.draw(st.lists(st.sampled_from(pages), max_size=4, unique=True))
    kinds = data.draw(
        st.lists(
            st.sampled_from([PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD]),
            min_size=len(restricted),
            max_size=len(restricted),
        )
    )
    made = [
        PageViewRestriction.objects.create(page=page, restriction_type=kind, password="x")
        for page, kind in zip(restricted, kinds, strict=True)
    ]
    try:
        ours = set(public(Page.objects.all()).values_list("pk", flat=True))
        wagtails = set(Page.objects.public().values_list("pk", flat=True))
        assert ours == wagtails
        live = set(public(Page.objects.live()).values_list("pk", flat=True))
        assert live == set(Page.objects.live().public().values_list("pk", flat=True))
    finally:
        for restriction in made:
            restriction.delete()


@pytest.fixture
def aliased(evaluation_form) -> Page:
    """An alias of the evaluation form's program elsewhere in the tree (with the form copied
    as an alias under it): its restrictions are its source's."""
    program = evaluation_form.get_parent()
    return program.create_alias(
        parent=program.get_parent().get_parent(), update_slug="alias-of-the-program", recursive=True
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_pages_view_restrictions_are_those_wagtail_finds(data, aliased, needs_form) -> None:
    pages = list(Page.objects.filter(depth__gt=1).order_by("path"))
    assert any(page.alias_of_id for page in pages)
    restricted = data.draw(st.lists(st.sampled_from(pages), max_size=4, unique=True))
    made = [
        PageViewRestriction.objects.create(page=page, restriction_type=kind, password="x")
        for page, kind in zip(
            restricted,
            data.draw(
                st.lists(
                    st.sampled_from([PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD]),
                    min_size=len(restricted),
                    max_size=len(restricted),
                )
            ),
            strict=True,
        )
    ]
    try:
        for page in Page.objects.all().specific():
            with CaptureQueriesContext(connection) as queries:
                ours = sorted(page.get_view_restrictions().values_list("pk", flat=True))
            wagtails = sorted(Page.get_view_restrictions(page).values_list("pk", flat=True))
            assert ours == wagtails, page.url_path
            assert sorted(view_restrictions(page).values_list("pk", flat=True)) == wagtails
            if type(page) is not Page:  # the root: Wagtail's own method
                assert len(queries) == 1
    finally:
        for restriction in made:
            restriction.delete()


def test_the_restrictions_are_read_once_in_a_request(evaluation_form) -> None:
    def twice() -> int:
        with CaptureQueriesContext(connection) as queries:
            public(Page.objects.all()).count()
            public(Page.objects.live()).count()
        return len(queries)

    assert in_a_request(twice) == 3  # the restrictions once, then the two counts
    assert twice() == 4


def test_a_restriction_added_in_the_request_is_seen_by_it(evaluation_form) -> None:
    program = evaluation_form.get_parent()

    def add_then_read() -> tuple[bool, bool]:
        before = public(Page.objects.filter(pk=evaluation_form.pk)).exists()
        PageViewRestriction.objects.create(page=program, restriction_type=PageViewRestriction.LOGIN)
        return before, public(Page.objects.filter(pk=evaluation_form.pk)).exists()

    assert in_a_request(add_then_read) == (True, False)


def test_locales_come_from_one_read_and_say_what_wagtail_says(evaluation_form) -> None:
    english = evaluation_form.get_translation(Locale.objects.get(language_code="en"))
    pages = [evaluation_form, english, evaluation_form.get_parent(), english.get_parent()]

    def read() -> tuple[int, list]:
        with CaptureQueriesContext(connection) as queries:
            default = default_locale()
            languages = [page_language(page) for page in pages]
            canonical = [canonical_page(page).pk for page in pages]
        return len(queries), [default, languages, canonical]

    fresh = [Page.objects.get(pk=page.pk) for page in pages]  # no locale fetched yet
    pages[:] = fresh
    count, (default, languages, canonical) = in_a_request(read)
    assert default == Locale.get_default()
    assert languages == [page.locale.language_code for page in fresh]
    assert canonical == [page.get_translation(Locale.get_default()).pk for page in fresh]
    assert count == 3  # the locales once, then the two English pages' Georgian translations
    assert page_in_language(evaluation_form, "en").pk == english.pk
    assert page_in_language(english, "ka").pk == evaluation_form.pk
