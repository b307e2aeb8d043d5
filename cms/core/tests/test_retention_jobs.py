"""The scheduled retention of what Django and its packages keep: expired sessions, django-axes'
sign-in records, finished background task results. Old rows go, recent ones stay, a second run
finds nothing (docs/data-protection.md, section 3)."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.core.scheduler import run_scheduled_jobs
from feedback_forms.tests.loop_support import DATABASE_TASKS

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def run(name: str) -> str:
    report = run_scheduled_jobs([name])
    assert report.locked and [outcome.name for outcome in report.outcomes] == [name]
    outcome = report.outcomes[0]
    assert outcome.ok, outcome.error
    return outcome.summary


def test_expired_sessions_go_and_live_ones_stay() -> None:
    live, expired = SessionStore(), SessionStore()
    for store in (live, expired):
        store["submitted"] = ["N-2025-0001"]
        store.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert run("clear_expired_sessions") == "1 expired sessions deleted"
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert run("clear_expired_sessions") == "0 expired sessions deleted"


def sign_in_records(age: datetime.timedelta, username: str = "nino") -> list:
    fields = {"username": username, "ip_address": "203.0.113.7", "user_agent": "Firefox"}
    rows = [
        AccessLog.objects.create(**fields),
        AccessFailureLog.objects.create(**fields),
        AccessAttempt.objects.create(**fields, failures_since_start=3),
    ]
    for row in rows:
        type(row).objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)
    return rows


def remaining(model) -> set[int]:
    return set(model.objects.values_list("pk", flat=True))


def test_sign_in_records_older_than_the_retention_go(settings) -> None:
    settings.SIGN_IN_RECORD_RETENTION_DAYS = 90
    old = sign_in_records(91 * DAY)
    recent = sign_in_records(89 * DAY, username="giorgi")

    summary = run("purge_sign_in_records")

    assert summary == (
        "sign-in records older than 90 days deleted: 1 sign-ins, 1 failure logs, 1 failure counters"
    )
    for old_row, recent_row in zip(old, recent, strict=True):
        assert remaining(type(recent_row)) == {recent_row.pk}, type(old_row).__name__
    assert run("purge_sign_in_records").endswith("0 sign-ins, 0 failure logs, 0 failure counters")


def test_a_counter_that_can_still_lock_out_is_kept(settings) -> None:
    settings.SIGN_IN_RECORD_RETENTION_DAYS = 1
    settings.AXES_COOLOFF_TIME = datetime.timedelta(days=3)
    _log, _failure, counter = sign_in_records(2 * DAY)
    run("purge_sign_in_records")
    assert remaining(AccessAttempt) == {counter.pk}
    assert not AccessLog.objects.exists()

    settings.AXES_COOLOFF_TIME = None  # locked until a superuser resets it: never deleted here
    AccessAttempt.objects.update(attempt_time=timezone.now() - 400 * DAY)
    run("purge_sign_in_records")
    assert remaining(AccessAttempt) == {counter.pk}


def test_a_retention_below_one_day_is_refused(settings) -> None:
    settings.SIGN_IN_RECORD_RETENTION_DAYS = 0
    sign_in_records(DAY)
    report = run_scheduled_jobs(["purge_sign_in_records"])
    assert not report.outcomes[0].ok
    assert "SIGN_IN_RECORD_RETENTION_DAYS must be at least 1" in report.outcomes[0].error
    assert AccessLog.objects.exists()


def task_result(status: str, finished_days_ago: float | None) -> DBTaskResult:
    now = timezone.now()
    finished = None if finished_days_ago is None else now - finished_days_ago * DAY
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="feedback_forms.tasks.send_staff_notification",
        backend_name="default",
        queue_name="default",
        run_after=now - 30 * DAY,
        started_at=finished,
        finished_at=finished,
        exception_class_path="builtins.RuntimeError" if status == "FAILED" else "",
        traceback="Traceback ..." if status == "FAILED" else "",
    )


def test_finished_task_results_older_than_the_retention_go(settings) -> None:
    settings.TASK_RESULT_RETENTION_DAYS = 14
    with override_settings(TASKS=DATABASE_TASKS):
        old_done = task_result("SUCCESSFUL", 15)
        old_failed = task_result("FAILED", 15)
        recent = task_result("SUCCESSFUL", 13)
        waiting = task_result("READY", None)  # queued long ago, never run: not finished

        assert run("prune_task_results") == "2 finished task results deleted (older than 14 days)"
        assert remaining(DBTaskResult) == {recent.pk, waiting.pk}
        assert not DBTaskResult.objects.filter(pk__in=[old_done.pk, old_failed.pk]).exists()
        assert run("prune_task_results").startswith("0 finished task results deleted")


def test_without_a_database_task_backend_nothing_is_pruned() -> None:
    row = task_result("SUCCESSFUL", 100)
    assert run("prune_task_results") == "no database task backend: nothing to prune"
    assert remaining(DBTaskResult) == {row.pk}
