"""Load the municipality's units, settlements, categories and services (part of `release`)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from programs.reference_data import load_reference_data


class Command(BaseCommand):
    help = (
        "Create the reference rows of the municipality's data set that are missing; existing rows keep staff "
        "corrections (only their empty fields are filled) unless --overwrite is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace existing rows' values with the files' values (lists every change).",
        )
        parser.add_argument(
            "--municipality",
            help="Code of the data set to load (default: the MUNICIPALITY setting).",
        )

    def handle(self, *args: Any, overwrite: bool = False, **options: Any) -> None:
        results = load_reference_data(overwrite=overwrite, municipality=options["municipality"])
        for name, result in results.items():
            self.stdout.write(
                f"{name}: {result.created} created, {result.updated} updated, "
                f"{result.kept} kept as they are"
            )
            for change in result.changes:
                self.stdout.write(f"  {change}")
