"""A program's form of one kind, read in one query, is the one the program page shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from feedback_forms.querysets import attached_form
from feedback_forms.tests.factories import EvaluationFormPageFactory, NeedsFormPageFactory
from programs.models import ProgramPage
from programs.tests.factories import ProgramPageFactory

pytestmark = pytest.mark.django_db

KINDS = ("evaluation", "need", "unknown")


def shown(program: ProgramPage, kind: str) -> int | None:
    form = program.attached_forms().get(kind)
    return form.pk if form is not None else None


def found(program: ProgramPage, kind: str) -> int | None:
    form = attached_form(program, kind)
    return form.pk if form is not None else None


@pytest.fixture
def programs(evaluation_form, program_index):
    """Programs with a live form, a draft form, a restricted form, two needs forms, none."""
    with_form = evaluation_form.get_parent().specific
    NeedsFormPageFactory(parent=with_form, slug="needs")

    draft_form = ProgramPageFactory(parent=program_index, slug="draft-form")
    EvaluationFormPageFactory(parent=draft_form).unpublish()

    restricted = ProgramPageFactory(parent=program_index, slug="restricted-form")
    form = EvaluationFormPageFactory(parent=restricted)
    PageViewRestriction.objects.create(page=form, restriction_type=PageViewRestriction.LOGIN)

    two_needs = ProgramPageFactory(parent=program_index, slug="two-needs")
    NeedsFormPageFactory(parent=two_needs, slug="b-needs")
    NeedsFormPageFactory(parent=two_needs, slug="a-needs")

    none = ProgramPageFactory(parent=program_index, slug="no-forms")
    return [with_form, draft_form, restricted, two_needs, none]


def test_the_form_found_is_the_form_the_program_shows(programs) -> None:
    for program in ProgramPage.objects.filter(pk__in=[p.pk for p in programs]):
        for kind in KINDS:
            assert found(program, kind) == shown(program, kind), (program.slug, kind)
    assert found(programs[0], "evaluation") is not None
    assert found(programs[1], "evaluation") is None  # a draft
    assert found(programs[2], "evaluation") is None  # restricted


def test_one_query_and_the_parent_is_known(programs) -> None:
    program = programs[0]
    with CaptureQueriesContext(connection) as queries:
        form = attached_form(program, "evaluation")
        assert form.get_parent().pk == program.pk
    assert len(queries) == 2  # the restrictions (outside a request), then the form
    assert type(form).__name__ == "EvaluationFormPage"
