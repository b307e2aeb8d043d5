"""Load reference data, demo pages and demo staff accounts; safe to run again."""

import os

from django.core.management.base import BaseCommand
from django.utils import timezone

from feedback_forms.demo import (
    ensure_demo_late_entries,
    ensure_demo_submissions,
    ensure_evaluation_forms,
    ensure_needs_form,
)
from home.demo import ensure_demo_users, load_site_content
from programs.demo import ensure_demo_programs
from programs.reference_data import load_reference_data
from reports.demo import demo_cycle, ensure_results_demo


class Command(BaseCommand):
    help = "Load reference data, demo content and demo staff accounts (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-users", action="store_true", help="Do not create or update demo staff accounts."
        )

    def handle(self, *args, **options) -> None:
        for name, result in load_reference_data().items():
            self.stdout.write(f"{name}: {result.created} created, {result.updated} updated")
        homes = load_site_content()
        created = ensure_demo_programs(homes)
        ensure_evaluation_forms()
        ensure_needs_form(homes)
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
        accounts = ensure_demo_users(os.environ.get("DEMO_PASSWORD"))
        self.stdout.write(f"Demo staff accounts: {', '.join(accounts.usernames)}")
        if accounts.generated:
            self.stdout.write(
                self.style.WARNING(f"Generated password for all of them: {accounts.password}")
            )
        else:
            self.stdout.write("Their password is the value of DEMO_PASSWORD.")
