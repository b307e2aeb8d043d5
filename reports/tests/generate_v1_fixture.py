"""Writes `fixtures/figures_v1.json` (run explicitly; not collected with the tests):

    .venv/bin/pytest -q -p no:cacheprovider reports/tests/generate_v1_fixture.py

It was run once on main (commit 2f70fa6) before the figures got a schema (issue 16): the file
is the record of the first, unversioned shape, so with later code (which computes a versioned
shape) this refuses to overwrite it.
"""

import json

import pytest

from reports.aggregation import compute_figures
from reports.tests.frozen_world import CODE, FIXTURE, TODAY, build_world

pytestmark = pytest.mark.django_db


def test_generate(evaluation_form, needs_form) -> None:
    build_world(evaluation_form)
    figures = compute_figures(CODE, today=TODAY)
    if "schema_version" in figures:
        pytest.skip("this code computes a versioned shape: the v1 record stays as it was")
    FIXTURE.write_text(
        json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
