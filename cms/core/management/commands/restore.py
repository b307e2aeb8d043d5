"""Restore a backup into a fresh (empty) database and the configured storages."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cms.core.backup import BackupError, restore_backup, verify_archive


class Command(BaseCommand):
    help = (
        "Check a backup archive's checksums, then restore it into the configured database, "
        "which must be empty, and the configured storages; compares the row counts at the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="A file written by `manage.py backup`.")
        parser.add_argument(
            "--check", action="store_true", help="Only verify the archive; restore nothing."
        )

    def handle(self, *args: Any, archive: Path, check: bool = False, **options: Any) -> None:
        if not archive.is_file():
            raise CommandError(f"No such backup: {archive}")
        try:
            if check:
                manifest = verify_archive(archive)
                self.stdout.write(f"{archive}: intact (taken {manifest['created_at']}).")
                return
            result = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.mismatched_tables:
            details = ", ".join(
                f"{table} {expected} -> {found}"
                for table, (expected, found) in sorted(result.mismatched_tables.items())
            )
            raise CommandError(f"Restored, but row counts differ from the backup: {details}")
        rows = sum(result.manifest["tables"].values())
        self.stdout.write(
            f"Restored the backup of {result.manifest['created_at']}: {rows} rows, "
            f"{result.files} files written. Run `manage.py migrate` if this release is newer."
        )
