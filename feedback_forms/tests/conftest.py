"""Fixtures of the feedback_forms tests: the world of test_admin_scope (foreign and own
submissions per role), which test_admin_georgian walks in Georgian too, and the production task
backend for the loop's tests."""

import pytest
from django.test import override_settings

from feedback_forms.tests.loop_support import DATABASE_TASKS
from feedback_forms.tests.test_admin_scope import world  # noqa: F401


@pytest.fixture
def database_tasks():
    """The production task backend (django-tasks' database backend) instead of inline runs."""
    with override_settings(TASKS=DATABASE_TASKS):
        yield
