"""Load the reference data files shipped in `programs/data/` into the taxonomy tables.

Loading is idempotent: rows are matched on their stable code and updated, never duplicated, so
the command can run again after staff corrected a name (the file wins only for rows it names).
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from programs.models import AdministrativeUnit, MunicipalService, ProgramCategory, Settlement

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


@transaction.atomic
def load_categories(path: Path = DATA_DIR / "categories.csv") -> LoadResult:
    created = updated = 0
    for row in read_rows(path):
        _obj, was_created = ProgramCategory.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name_ka": row["name_ka"],
                "name_en": row["name_en"],
                "sort_order": int(row["sort_order"] or 0),
            },
        )
        created += was_created
        updated += not was_created
    return LoadResult(created, updated)


@transaction.atomic
def load_services(path: Path = DATA_DIR / "services.csv") -> LoadResult:
    created = updated = 0
    for position, row in enumerate(read_rows(path), start=1):
        _obj, was_created = MunicipalService.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name_ka": row["name_ka"],
                "name_en": row["name_en"],
                "email": row["email"],
                "phone": row["phone"],
                "sort_order": position * 10,
            },
        )
        created += was_created
        updated += not was_created
    return LoadResult(created, updated)


@transaction.atomic
def load_administrative_units(path: Path = DATA_DIR / "administrative_units.csv") -> LoadResult:
    """Units keyed by their code, settlements by (unit, Georgian name)."""
    created = updated = 0
    units: dict[str, AdministrativeUnit] = {}
    for row in read_rows(path):
        code = row["unit_code"]
        if code not in units:
            unit, was_created = AdministrativeUnit.objects.update_or_create(
                code=code,
                defaults={
                    "name_ka": row["unit_name_ka"],
                    "name_en": row["unit_name_en"],
                    "sort_order": int(code),
                },
            )
            units[code] = unit
            created += was_created
            updated += not was_created
        _settlement, was_created = Settlement.objects.update_or_create(
            unit=units[code],
            name_ka=row["settlement_name_ka"],
            defaults={"name_en": row["settlement_name_en"], "kind": row["settlement_kind"]},
        )
        created += was_created
        updated += not was_created
    return LoadResult(created, updated)


def load_reference_data() -> dict[str, LoadResult]:
    """Everything the platform needs before the first page or submission exists."""
    return {
        "categories": load_categories(),
        "services": load_services(),
        "administrative units and settlements": load_administrative_units(),
    }
