"""Erase residents' contact details once they are no longer needed (run daily)."""

from django.core.management.base import BaseCommand

from feedback_forms.retention import erase_expired_contacts, retention_days


class Command(BaseCommand):
    help = "Erase the e-mail and phone of closed submissions older than the retention period."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be erased."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        counts = erase_expired_contacts(dry_run=dry_run)
        verb = "would be erased" if dry_run else "erased"
        self.stdout.write(
            f"Contact details {verb} (older than {retention_days()} days): "
            f"{counts['needs']} needs, {counts['evaluations']} evaluations."
        )
