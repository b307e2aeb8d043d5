"""`evaluation_facts` reads in one statement what the intake asked in three (the Georgian
program, the beneficiary list, the counted evaluation): generated people, lists and earlier
evaluations, compared with the separate queries the intake made before (issue 13)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Locale

from cms.core.i18n import canonical_page
from feedback_forms.models import Evaluation
from feedback_forms.querysets import evaluation_facts
from feedback_forms.tests.factories import EvaluationFactory
from programs.models import BeneficiaryRecord, ProgramPage

pytestmark = pytest.mark.django_db

PEOPLE = [f"{n:064x}" for n in (1, 2, 3)]
PERIODS = ["2026-H1", "2026-H2"]
earlier = st.tuples(
    st.sampled_from(PEOPLE), st.sampled_from([1, 2]), st.sampled_from(PERIODS), st.booleans()
)


def separately(program: ProgramPage, digest: str, version: int, period: str) -> tuple:
    """The three answers as the intake read them before: one query each."""
    georgian = canonical_page(program)
    on_list = BeneficiaryRecord.objects.filter(
        program=georgian, person_digest=digest, key_version=version
    ).exists()
    counted = (
        Evaluation.objects.filter(
            program=georgian,
            person_digest=digest,
            key_version=version,
            reporting_period=period,
            repeat_of__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    return georgian.pk, georgian.title, on_list, counted.pk if counted else None


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    listed=st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from([1, 2])), max_size=4),
    evaluations=st.lists(earlier, max_size=6),
    asked=st.tuples(st.sampled_from(PEOPLE), st.sampled_from([1, 2]), st.sampled_from(PERIODS)),
    in_english=st.booleans(),
)
def test_one_statement_says_what_the_three_queries_said(
    evaluation_form, listed, evaluations, asked, in_english
) -> None:
    georgian = evaluation_form.get_parent().specific
    BeneficiaryRecord.objects.all().delete()
    Evaluation.objects.filter(repeat_of__isnull=False).delete()  # repeats before their first
    Evaluation.objects.all().delete()
    for digest, version in set(listed):
        BeneficiaryRecord.objects.create(
            program=georgian,
            person_digest=digest,
            key_version=version,
            served_on=datetime.date(2026, 3, 1),
        )
    for digest, version, period, repeat in evaluations:
        first = Evaluation.objects.filter(
            program=georgian,
            person_digest=digest,
            key_version=version,
            reporting_period=period,
            repeat_of__isnull=True,
        ).first()
        if first is not None and not repeat:
            continue  # at most one counted evaluation (the conditional unique constraint)
        EvaluationFactory(
            program=georgian,
            person_digest=digest,
            key_version=version,
            reporting_period=period,
            repeat_of=first,  # None: the first, counted one
        )
    program = georgian
    if in_english:
        program = georgian.get_translation(Locale.objects.get(language_code="en"))
    with CaptureQueriesContext(connection) as queries:
        facts = evaluation_facts(program, *asked)
    assert facts is not None
    got = (facts.program.pk, facts.program.title, facts.on_list, facts.counted_id)
    assert got == separately(program, *asked)
    assert facts.program.category_id == georgian.category_id
    assert facts.program.responsible_service_id == georgian.responsible_service_id
    assert len(queries) <= 2  # the default locale, once per process outside a request; the row


def test_a_page_that_is_no_program_has_no_facts(evaluation_form) -> None:
    assert evaluation_facts(evaluation_form, PEOPLE[0], 1, PERIODS[0]) is None
