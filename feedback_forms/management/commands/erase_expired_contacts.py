"""Erase residents' contact details once they are no longer needed (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from feedback_forms.retention import erase_expired_contacts, retention_days


class Command(BaseCommand):
    help = "Erase the e-mail and phone of closed submissions older than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be erased."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        counts = erase_expired_contacts(dry_run=dry_run)
        verb = "would be erased" if dry_run else "erased"
        self.stdout.write(
            f"Contact details {verb} (older than {retention_days()} days): "
            f"{counts['needs']} needs, {counts['evaluations']} evaluations."
        )
