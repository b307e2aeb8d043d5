"""One entry point for the platform's periodic jobs: `manage.py run_scheduled_jobs`.

Apps register jobs in a `scheduled_jobs.py` module (found like `wagtail_hooks.py`):

    from cms.core.scheduler import scheduled_job

    @scheduled_job("send_reminders", "Remind services of needs due this week.")
    def send_reminders() -> str:
        ...
        return "12 reminders sent"

Every job must be idempotent: the scheduler runs every few minutes, so a job does what is due
now and nothing twice. A run holds one database-wide lock, so two containers that start it at the
same time never run the jobs concurrently: the second waits (`--wait`) or skips. PostgreSQL
uses a session advisory lock (released by the server even if the process dies); other databases
a lock row with a lease that the holder renews after each job. A job that fails is logged with
its traceback and reported; the other jobs still run.
"""

import contextlib
import datetime
import hashlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger("cms.scheduler")

LOCK_NAME = "scheduled-jobs"
#: PostgreSQL advisory locks take a 64-bit key; derived from the name so it never collides
#: with another application's locks by accident.
ADVISORY_KEY = int.from_bytes(
    hashlib.sha256(b"tskaltubo:" + LOCK_NAME.encode()).digest()[:8], "big", signed=True
)
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    run: Callable[[], str | None]
    description: str = ""


_registry: dict[str, ScheduledJob] = {}


def scheduled_job(name: str, description: str = "") -> Callable:
    """Register a function as a job; it returns a one-line summary of what it did (or None)."""

    def register(function: Callable[[], str | None]) -> Callable[[], str | None]:
        _registry[name] = ScheduledJob(name, function, description or (function.__doc__ or ""))
        return function

    return register


def registered_jobs() -> list[ScheduledJob]:
    """Every app's jobs, in the order of INSTALLED_APPS and then of registration."""
    autodiscover_modules("scheduled_jobs")
    return list(_registry.values())


@dataclass
class JobOutcome:
    name: str
    ok: bool
    summary: str = ""
    error: str = ""
    seconds: float = 0.0


@dataclass
class RunReport:
    """`locked` is False when another run held the lock and nothing was run."""

    locked: bool
    outcomes: list[JobOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[JobOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.ok]


def lease_seconds() -> int:
    return int(getattr(settings, "SCHEDULED_JOBS_LEASE_SECONDS", 3600))


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lock:
    """The run's lock: `acquire()` once (True if held), `renew()` between jobs, `release()`."""

    def __init__(self, *, advisory: bool | None = None) -> None:
        self.holder = holder_id()
        self.advisory = connection.vendor == "postgresql" if advisory is None else advisory

    def try_acquire(self) -> bool:
        if self.advisory:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
                return bool(cursor.fetchone()[0])
        from cms.core.models import JobLock

        now = timezone.now()
        JobLock.objects.get_or_create(name=LOCK_NAME)
        free = Q(expires_at__isnull=True) | Q(expires_at__lt=now)
        # One conditional UPDATE: the database lets exactly one of two racing runs match it.
        taken = JobLock.objects.filter(free, name=LOCK_NAME).update(
            holder=self.holder, expires_at=now + datetime.timedelta(seconds=lease_seconds())
        )
        return taken == 1

    def acquire(self, wait_seconds: float = 0) -> bool:
        deadline = time.monotonic() + max(wait_seconds, 0)
        while True:
            if self.try_acquire():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_SECONDS)

    def renew(self) -> None:
        if self.advisory:
            return
        from cms.core.models import JobLock

        expires = timezone.now() + datetime.timedelta(seconds=lease_seconds())
        JobLock.objects.filter(name=LOCK_NAME, holder=self.holder).update(expires_at=expires)

    def release(self) -> None:
        try:
            if self.advisory:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
                return
            from cms.core.models import JobLock

            JobLock.objects.filter(name=LOCK_NAME, holder=self.holder).update(
                holder="", expires_at=None
            )
        except Exception:  # noqa: BLE001 -- a lost connection released an advisory lock anyway
            logger.exception("Could not release the scheduler lock")


@contextlib.contextmanager
def scheduler_lock(wait_seconds: float = 0) -> Iterator[Lock | None]:
    """The lock while the block runs, or None if another run kept it for `wait_seconds`."""
    lock = Lock()
    if not lock.acquire(wait_seconds):
        yield None
        return
    try:
        yield lock
    finally:
        lock.release()


def run_job(job: ScheduledJob) -> JobOutcome:
    started = time.perf_counter()
    try:
        summary = job.run() or ""
    except Exception as exc:  # noqa: BLE001 -- one failing job must not stop the others
        seconds = time.perf_counter() - started
        logger.exception(
            "Scheduled job %s failed",
            job.name,
            extra={"job": job.name, "ok": False, "seconds": round(seconds, 3)},
        )
        return JobOutcome(job.name, False, error=f"{type(exc).__name__}: {exc}", seconds=seconds)
    seconds = time.perf_counter() - started
    logger.info(
        "Scheduled job %s done in %.2f s: %s",
        job.name,
        seconds,
        summary,
        extra={"job": job.name, "ok": True, "seconds": round(seconds, 3), "summary": summary},
    )
    return JobOutcome(job.name, True, summary=summary, seconds=seconds)


def run_scheduled_jobs(names: Iterable[str] | None = None, wait_seconds: float = 0) -> RunReport:
    """Run the registered jobs (or the named ones) under the lock, each whatever the others do."""
    jobs = registered_jobs()
    if names is not None:
        wanted = set(names)
        unknown = wanted - {job.name for job in jobs}
        if unknown:
            raise KeyError(f"Unknown scheduled jobs: {', '.join(sorted(unknown))}")
        jobs = [job for job in jobs if job.name in wanted]
    with scheduler_lock(wait_seconds) as lock:
        if lock is None:
            logger.info("Scheduled jobs skipped: another run holds the lock", extra={"ok": True})
            return RunReport(locked=False)
        report = RunReport(locked=True)
        for job in jobs:
            report.outcomes.append(run_job(job))
            lock.renew()
    return report
