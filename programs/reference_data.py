"""Load the reference data files of the municipality's data set into the taxonomy tables.

The files are the CSVs next to municipality.json in the selected data set's directory
(`programs/data/municipalities/<code>/`, settings.MUNICIPALITY; cms.core.municipality).

What a run does, precisely (the `load_reference_data` command, `release` and `load_demo_data`):

- **Key.** A row of a file is the database row with the same key: a category's or service's
  code (`slug`), an administrative unit's `code`, a settlement's `code` (`02-03`). A settlement
  loaded before it had a code is recognised by its unit and Georgian name and gets the code.
- **Created.** A key that is not in the database becomes a row with every value of the file.
- **Kept.** An existing row keeps every value staff gave it in the admin: names in both
  languages, e-mail, phone, order, kind, unit, representatives. Rows staff added, and rows a file
  no longer names, are never deleted.
- **Filled.** The only change to an existing row: a text field that is empty (e.g. an English
  name or an e-mail nobody entered) takes the file's value.
- **Overwritten** only when asked (`overwrite=True`, `load_reference_data --overwrite`): then the
  file's values replace the row's for the fields the file carries, and each change is listed.

So the command can run on every deployment: it adds what a new data file brings and never undoes
a correction made in the admin.
"""

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import models, transaction

from cms.core.municipality import data_dir
from programs.models import AdministrativeUnit, MunicipalService, ProgramCategory, Settlement

if TYPE_CHECKING:
    from programs.models.taxonomy import NamedReference


@dataclass
class LoadResult:
    """Counts of one table's run; `changes` names every value that was filled or overwritten."""

    created: int = 0
    updated: int = 0
    kept: int = 0
    changes: list[str] = field(default_factory=list)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def apply_file_values(
    instance: models.Model,
    values: Mapping[str, object],
    *,
    overwrite: bool,
    result: LoadResult,
    label: str,
) -> None:
    """Fill the row's empty text fields from the file (or, with overwrite, every field)."""
    changed = []
    for name, value in values.items():
        current = getattr(instance, name)
        if current == value:
            continue
        if overwrite or (isinstance(current, str) and not current and value):
            setattr(instance, name, value)
            changed.append(name)
            result.changes.append(f"{label}: {name} {current!r} -> {value!r}")
    if changed:
        instance.save(update_fields=changed)
        result.updated += 1
    else:
        result.kept += 1


def load_keyed(
    model: "type[NamedReference]",
    key_field: str,
    rows: Iterable[tuple[str, dict[str, object]]],
    *,
    overwrite: bool,
) -> LoadResult:
    result = LoadResult()
    existing = {getattr(obj, key_field): obj for obj in model.objects.all()}
    for key, values in rows:
        instance = existing.get(key)
        if instance is None:
            existing[key] = model.objects.create(**{key_field: key}, **values)
            result.created += 1
            continue
        apply_file_values(
            instance, values, overwrite=overwrite, result=result, label=f"{model.__name__} {key}"
        )
    return result


@transaction.atomic
def load_categories(path: Path | None = None, *, overwrite: bool = False) -> LoadResult:
    rows = (
        (
            row["slug"],
            {
                "name_ka": row["name_ka"],
                "name_en": row["name_en"],
                "sort_order": int(row["sort_order"] or 0),
            },
        )
        for row in read_rows(path or data_dir() / "categories.csv")
    )
    return load_keyed(ProgramCategory, "slug", rows, overwrite=overwrite)


@transaction.atomic
def load_services(path: Path | None = None, *, overwrite: bool = False) -> LoadResult:
    rows = (
        (
            row["slug"],
            {
                "name_ka": row["name_ka"],
                "name_en": row["name_en"],
                "email": row["email"],
                "phone": row["phone"],
                "sort_order": position * 10,
            },
        )
        for position, row in enumerate(read_rows(path or data_dir() / "services.csv"), start=1)
    )
    return load_keyed(MunicipalService, "slug", rows, overwrite=overwrite)


@transaction.atomic
def load_administrative_units(path: Path | None = None, *, overwrite: bool = False) -> LoadResult:
    """Units keyed by their code, settlements by theirs (one file, one row per settlement)."""
    rows = read_rows(path or data_dir() / "administrative_units.csv")
    unit_rows: dict[str, dict[str, object]] = {}
    for row in rows:
        unit_rows.setdefault(
            row["unit_code"],
            {
                "name_ka": row["unit_name_ka"],
                "name_en": row["unit_name_en"],
                "sort_order": int(row["unit_code"]),
            },
        )
    result = load_keyed(AdministrativeUnit, "code", unit_rows.items(), overwrite=overwrite)
    units = {unit.code: unit for unit in AdministrativeUnit.objects.all()}
    settlements = load_settlements(rows, units, overwrite=overwrite)
    return LoadResult(
        created=result.created + settlements.created,
        updated=result.updated + settlements.updated,
        kept=result.kept + settlements.kept,
        changes=result.changes + settlements.changes,
    )


def load_settlements(
    rows: list[dict[str, str]], units: dict[str, AdministrativeUnit], *, overwrite: bool
) -> LoadResult:
    result = LoadResult()
    by_code = {s.code: s for s in Settlement.objects.exclude(code="")}
    uncoded = {(s.unit_id, s.name_ka): s for s in Settlement.objects.filter(code="")}
    for row in rows:
        code = row["settlement_code"]
        unit = units[row["unit_code"]]
        values = {"name_ka": row["settlement_name_ka"], "name_en": row["settlement_name_en"]}
        values["kind"] = row["settlement_kind"]
        settlement = by_code.get(code)
        if settlement is None:
            # Loaded before settlements had codes: adopt the row instead of adding a twin.
            settlement = uncoded.pop((unit.pk, row["settlement_name_ka"]), None)
            if settlement is not None:
                settlement.code = code
                settlement.save(update_fields=["code"])
        if settlement is None:
            by_code[code] = Settlement.objects.create(code=code, unit=unit, **values)
            result.created += 1
            continue
        if overwrite and settlement.unit_id != unit.pk:
            result.changes.append(f"Settlement {code}: unit -> {unit.code}")
            settlement.unit = unit
            settlement.save(update_fields=["unit"])
        apply_file_values(
            settlement, values, overwrite=overwrite, result=result, label=f"Settlement {code}"
        )
    return result


def load_reference_data(
    *, overwrite: bool = False, municipality: str | None = None
) -> dict[str, LoadResult]:
    """Everything the platform needs before the first page or submission exists, from the
    data set of `municipality` (a code; the selected one, settings.MUNICIPALITY, by default)."""
    directory = data_dir(municipality)
    return {
        "categories": load_categories(directory / "categories.csv", overwrite=overwrite),
        "services": load_services(directory / "services.csv", overwrite=overwrite),
        "administrative units and settlements": load_administrative_units(
            directory / "administrative_units.csv", overwrite=overwrite
        ),
    }
