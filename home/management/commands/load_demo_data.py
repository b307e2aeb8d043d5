"""Load reference data, demo pages, demo submissions and demo staff accounts; safe to run again.

Never on a production database by accident: with production settings it refuses unless given
`--force`, and even then the demo accounts get no usable password (no shared password there).
"""

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cms.core.municipality import data_set
from feedback_forms.demo import (
    ensure_demo_answer_templates,
    ensure_demo_late_entries,
    ensure_demo_submissions,
    ensure_evaluation_forms,
)
from feedback_forms.demo.loop import ensure_demo_loop
from home.demo import ensure_contacts, ensure_demo_users
from home.site_setup import setup_site
from programs.demo import ensure_demo_programs
from programs.reference_data import load_reference_data
from reports.demo import demo_cycle, ensure_results_demo


class Command(BaseCommand):
    help = "Load reference data, demo content and demo staff accounts (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-users", action="store_true", help="Do not create or update demo staff accounts."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even with production settings (accounts without passwords).",
        )
        parser.add_argument(
            "--municipality",
            help="Code of the data set to load (default: the MUNICIPALITY setting).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        production = getattr(settings, "PRODUCTION", False)
        if production and not options["force"]:
            raise CommandError(
                "These are production settings: load_demo_data would add about 340 fake "
                "submissions and demo accounts. Use load_reference_data and setup_site for a "
                "real site, or pass --force for a demonstration server."
            )
        municipality = options["municipality"]
        try:
            data_set(municipality)
        except FileNotFoundError as error:
            raise CommandError(f"No data set {municipality!r}: {error.filename}") from error
        for name, result in load_reference_data(municipality=municipality).items():
            self.stdout.write(f"{name}: {result.created} created, {result.updated} updated")
        homes = setup_site(municipality=municipality)
        ensure_contacts(municipality)
        created = ensure_demo_programs(homes)
        ensure_evaluation_forms()
        ensure_demo_answer_templates()
        # One "now" for the whole demo: every date it makes is derived from it.
        now = timezone.now()
        cycle = demo_cycle(now)
        submissions = ensure_demo_submissions(now=now, answered_by={cycle.period: cycle.sent_at})
        ensure_results_demo(homes, now=now)
        if submissions:
            submissions += ensure_demo_late_entries(now=now)
        self.stdout.write(
            f"Home, content and program pages ready in Georgian and English "
            f"({len(created)} programs created)."
        )
        self.stdout.write(f"Demo submissions: {submissions} created.")
        if options["no_users"]:
            return
        if production:
            accounts = ensure_demo_users(None, usable_password=False, municipality=municipality)
            self.write_loop(ensure_demo_loop(now=now))
            self.stdout.write(
                f"Demo staff accounts: {', '.join(accounts.usernames)}, without a usable "
                "password: give each its own with `manage.py changepassword <username>`."
            )
            return
        accounts = ensure_demo_users(os.environ.get("DEMO_PASSWORD"), municipality=municipality)
        self.write_loop(ensure_demo_loop(now=now))
        self.stdout.write(f"Demo staff accounts: {', '.join(accounts.usernames)}")
        if accounts.generated:
            self.stdout.write(
                self.style.WARNING(f"Generated password for all of them: {accounts.password}")
            )
        else:
            self.stdout.write("Their password is the value of DEMO_PASSWORD.")

    def write_loop(self, done: dict[str, int]) -> None:
        """What the demo left for `run_scheduled_jobs` to send (feedback_forms/demo/loop.py)."""
        self.stdout.write(
            f"For the scheduled jobs: {done['due']} needs due soon or overdue, "
            f"{done['digest readers']} digest reader, {done['contacts']} residents' contacts."
        )
