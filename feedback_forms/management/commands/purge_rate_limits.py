"""Delete old rate-limit counters and spent form tokens, as the scheduled job of the same name
does (`feedback_forms.protection.purge_protection_records`); safe to run again."""

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from feedback_forms.protection import purge_protection_records

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Delete rate-limit counters of the database-backed limiter whose window started "
        "long ago (never sooner than the longest configured window), and spent time-trap "
        "tokens older than a form may stay open."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=2 * 86400,
            metavar="SECONDS",
            help="Age of the window start beyond which counters go (default: two days).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only print how many counters would go."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["older_than"] < 0:
            raise CommandError("--older-than must not be negative.")
        count, tokens = purge_protection_records(options["older_than"], dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"{count} rate-limit counters would be deleted (dry run).")
            self.stdout.write(f"{tokens} spent form tokens would be deleted (dry run).")
            return
        logger.info("Purged %d rate-limit counters and %d spent form tokens", count, tokens)
        self.stdout.write(f"Deleted {count} rate-limit counters.")
        self.stdout.write(f"Deleted {tokens} spent form tokens.")
