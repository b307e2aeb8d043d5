"""Run every scheduled job once (cron, a systemd timer, a Kubernetes CronJob), or every N
seconds (`--every`, the container's `scheduler` command). Exits non-zero if a job failed."""

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from cms.core.scheduler import RunReport, registered_jobs, run_scheduled_jobs


class Command(BaseCommand):
    help = (
        "Run the registered scheduled jobs (publish scheduled pages, purge rate limits, erase "
        "expired contacts, ...) under a database lock; a concurrent run waits or skips."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")
        parser.add_argument(
            "--only", action="append", metavar="JOB", help="Run only this job (repeatable)."
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="Wait this long for a concurrent run to finish instead of skipping (default 0).",
        )
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep running: start a run every SECONDS until stopped (SIGTERM or SIGINT).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in registered_jobs():
                self.stdout.write(f"{job.name}: {job.description.strip()}")
            return
        if options["every"] is None:
            report = self.run_once(options)
            if report.failed:
                names = ", ".join(outcome.name for outcome in report.failed)
                raise CommandError(f"Scheduled jobs failed: {names}")
            return
        if options["every"] <= 0:
            raise CommandError("--every must be a positive number of seconds.")
        stop = threading.Event()
        previous = {
            signum: signal.signal(signum, lambda *_: stop.set())
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            while not stop.is_set():
                self.run_once(options)  # a failure is logged and reported; the loop goes on
                close_old_connections()
                stop.wait(options["every"])
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def run_once(self, options: dict[str, Any]) -> RunReport:
        try:
            report = run_scheduled_jobs(options["only"], wait_seconds=options["wait"])
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        if not report.locked:
            self.stdout.write("Skipped: another run of the scheduled jobs holds the lock.")
            return report
        for outcome in report.outcomes:
            if outcome.ok:
                self.stdout.write(f"{outcome.name}: ok ({outcome.seconds:.2f} s) {outcome.summary}")
            else:
                self.stderr.write(
                    f"{outcome.name}: FAILED ({outcome.seconds:.2f} s) {outcome.error}"
                )
        return report
