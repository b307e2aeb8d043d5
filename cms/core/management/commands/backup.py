"""Take a consistent backup: database, media and private files in one archive."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cms.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump custom format, or SQLite's online backup), the media and "
        "the private storage into one .tar.gz with a manifest of checksums and row counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Archive to write (default: VAR_DIR/backups/backup-<time>.tar.gz).",
        )

    def handle(self, *args: Any, output: Path | None = None, **options: Any) -> None:
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.VAR_DIR) / "backups" / f"backup-{stamp}.tar.gz"
        try:
            result = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        files = sum(len(entries) for entries in manifest["storages"].values())
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {result.path}: {manifest['database']['vendor']} database "
            f"({rows} rows in {len(manifest['tables'])} tables), {files} files."
        )
