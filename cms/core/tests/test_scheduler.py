"""`run_scheduled_jobs`: every job runs, twice is harmless, one run at a time, failures reported."""

import datetime
import logging
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from cms.core import scheduler
from cms.core.models import JobLock
from cms.core.scheduler import LOCK_NAME, Lock, ScheduledJob, run_scheduled_jobs
from feedback_forms.models import Need, RateLimitCounter, Status
from feedback_forms.protection import DatabaseRateLimiter
from feedback_forms.tests.factories import NeedFactory
from home.models import StandardPage

BUILT_IN = [
    "publish_scheduled",
    "deliver_pending_sms",
    "clear_expired_sessions",
    "purge_sign_in_records",
    "prune_task_results",
    "erase_invitation_contacts",
    "purge_rate_limits",
    "erase_expired_contacts",
    "service_reminders",
    "service_digests",
    "fix_checks",
    "purge_pending_photos",
    "ensure_reporting_periods",
]


def run_command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("run_scheduled_jobs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def extra_jobs(monkeypatch):
    """Register test jobs next to the real ones for the duration of a test."""
    scheduler.registered_jobs()  # the apps' own jobs first, as in a real run
    registry = dict(scheduler._registry)
    monkeypatch.setattr(scheduler, "_registry", registry)

    def add(name: str, function) -> None:
        registry[name] = ScheduledJob(name, function)

    return add


@pytest.fixture
def due_work(site_content, reference_data, settings):
    """One of each thing the built-in jobs exist for, all due now."""
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 30
    past = timezone.now() - datetime.timedelta(hours=1)
    page = StandardPage(title="ვაკანსიები", slug="vacancies", live=False)
    site_content["ka"].add_child(instance=page)
    revision = page.save_revision()
    revision.approved_go_live_at = past
    revision.save()
    DatabaseRateLimiter().hit("ip:203.0.113.7", 5, 3600, now=time.time() - 3 * 86400)
    # Submitted 50 days ago, answered 40 days ago: past the 30 days its contact is kept for.
    submitted = timezone.now() - datetime.timedelta(days=50)
    need = NeedFactory(
        status=Status.RESOLVED,
        public_answer="x",
        contact_email="a@example.ge",
        created_at=submitted,
        submitted_on=timezone.localdate(submitted),
        answered_at=timezone.now() - datetime.timedelta(days=40),
    )
    return {"page": page, "need": need}


@pytest.mark.django_db
def test_every_registered_job_runs_and_does_its_work(due_work) -> None:
    out, err = run_command()
    assert [line.split(":")[0] for line in out.splitlines()] == BUILT_IN
    assert "1 scheduled revisions published" in out
    assert "1 rate-limit counters deleted" in out
    assert "1 needs, 0 evaluations" in out
    assert not err
    assert StandardPage.objects.get(pk=due_work["page"].pk).live
    assert not RateLimitCounter.objects.exists()
    assert Need.objects.get(pk=due_work["need"].pk).contact_email == ""


@pytest.mark.django_db
def test_a_second_run_finds_nothing_left_to_do(due_work) -> None:
    run_command()
    published_at = StandardPage.objects.get(pk=due_work["page"].pk).last_published_at
    out, _err = run_command()
    assert "0 scheduled revisions published" in out
    assert "0 rate-limit counters deleted" in out
    assert "0 needs, 0 evaluations" in out
    assert StandardPage.objects.get(pk=due_work["page"].pk).last_published_at == published_at


@pytest.mark.django_db
def test_a_failing_job_is_reported_and_the_others_still_run(extra_jobs, caplog) -> None:
    ran = []

    def broken() -> str:
        raise RuntimeError("the mail server is down")

    extra_jobs("broken", broken)
    extra_jobs("after_broken", lambda: ran.append(1) or "ran")
    caplog.set_level(logging.INFO, logger="cms.scheduler")
    with pytest.raises(CommandError, match="Scheduled jobs failed: broken"):
        run_command()
    assert ran == [1]
    failure = next(record for record in caplog.records if record.levelno == logging.ERROR)
    assert failure.job == "broken" and failure.exc_info[0] is RuntimeError
    report = run_scheduled_jobs()
    assert [outcome.name for outcome in report.failed] == ["broken"]
    assert report.failed[0].error == "RuntimeError: the mail server is down"
    assert [outcome.name for outcome in report.outcomes if outcome.ok] == [
        *BUILT_IN,
        "after_broken",
    ]
    assert JobLock.objects.filter(holder="").exists() or connection.vendor == "postgresql"


@pytest.mark.django_db
def test_only_and_list_and_unknown_names() -> None:
    out, _err = run_command("--only", "purge_rate_limits")
    assert out.splitlines()[0].startswith("purge_rate_limits: ok")
    assert len(out.splitlines()) == 1
    listed, _err = run_command("--list")
    assert [line.split(":")[0] for line in listed.splitlines()] == BUILT_IN
    with pytest.raises(CommandError, match="Unknown scheduled jobs: nope"):
        run_command("--only", "nope")


# --- The lock row (SQLite and any database without advisory locks) -------------------------


@pytest.mark.django_db
def test_a_run_skips_while_another_process_holds_the_lock_row(extra_jobs, monkeypatch) -> None:
    monkeypatch.setattr(scheduler.Lock, "__init__", row_lock_init)
    ran = []
    extra_jobs("probe", lambda: ran.append(1) or "")
    JobLock.objects.create(
        name=LOCK_NAME,
        holder="web-2:4242:other",
        expires_at=timezone.now() + datetime.timedelta(minutes=30),
    )
    out, _err = run_command()
    assert "Skipped: another run of the scheduled jobs holds the lock." in out
    assert ran == []
    # A holder that died leaves its lease behind; once it has run out, the next run takes over.
    JobLock.objects.filter(name=LOCK_NAME).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    run_command()
    assert ran == [1]
    assert JobLock.objects.get(name=LOCK_NAME).holder == ""


def row_lock_init(self, *, advisory=None) -> None:
    self.holder = scheduler.holder_id()
    self.advisory = False


@pytest.mark.django_db
def test_the_row_lock_admits_one_holder_and_renews_its_lease(settings) -> None:
    settings.SCHEDULED_JOBS_LEASE_SECONDS = 60
    first, second = Lock(advisory=False), Lock(advisory=False)
    assert first.acquire()
    assert not second.acquire(wait_seconds=0.6)
    before = JobLock.objects.get().expires_at
    time.sleep(0.01)
    first.renew()
    assert JobLock.objects.get().expires_at > before
    second.renew()  # not the holder: changes nothing
    assert JobLock.objects.get().holder == first.holder
    first.release()
    assert second.acquire()
    second.release()


@pytest.mark.django_db(transaction=True)  # the loop closes stale connections between runs
def test_every_keeps_running_until_stopped_and_survives_a_failing_job(extra_jobs) -> None:
    runs = []

    def count_and_stop_after_two() -> str:
        runs.append(1)
        if len(runs) == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # what `docker stop` sends
        raise RuntimeError("failing every time")

    extra_jobs("counter", count_and_stop_after_two)
    previous = signal.getsignal(signal.SIGTERM)
    _out, err = run_command("--only", "counter", "--every", "0.05")
    assert len(runs) == 2
    assert err.count("counter: FAILED") == 2
    assert signal.getsignal(signal.SIGTERM) is previous


# --- Two real concurrent runs (PostgreSQL advisory lock) ------------------------------------


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_on_postgresql_one_waits_or_skips(extra_jobs) -> None:
    started, release = threading.Event(), threading.Event()
    runs: list[str] = []

    def slow() -> str:
        runs.append(threading.current_thread().name)
        started.set()
        assert release.wait(timeout=30)
        return "slow done"

    extra_jobs("slow", slow)

    def run(wait: float):
        try:
            return run_scheduled_jobs(["slow"], wait_seconds=wait)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="container") as pool:
        first = pool.submit(run, 0)
        assert started.wait(timeout=30)
        skipped = pool.submit(run, 0).result(timeout=30)
        waiting = pool.submit(run, 30)
        time.sleep(1.5)
        assert not waiting.done()  # blocked on the lock, not running the job
        assert len(runs) == 1
        release.set()
        assert first.result(timeout=30).locked
        waited = waiting.result(timeout=30)
    assert not skipped.locked and skipped.outcomes == []
    assert waited.locked and [outcome.summary for outcome in waited.outcomes] == ["slow done"]
    assert len(runs) == 2 and runs[0] != runs[1]
