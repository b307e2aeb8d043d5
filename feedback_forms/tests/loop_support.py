"""Shared set-up of the issue-15 tests: the real database task backend and its worker."""

from io import StringIO
from unittest import mock

from django.core.management import call_command

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def run_worker() -> None:
    """Process every queued task the way the production `worker` container does, then stop.

    The worker closes "old" connections between tasks; inside a test's transaction Django
    counts the test's own connection as one (its autocommit differs from the settings) and
    PostgreSQL's would be closed under the test, so here the worker keeps it."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())


def run_jobs(*names: str) -> str:
    """`manage.py run_scheduled_jobs --only …`, the documented entry point."""
    out = StringIO()
    args = [arg for name in names for arg in ("--only", name)]
    call_command("run_scheduled_jobs", *args, stdout=out, stderr=StringIO())
    return out.getvalue()
