"""`load_reference_data`: creates what the files add, keeps what staff corrected.

The rule under test (programs/reference_data.py): rows are matched by code; missing ones are
created; existing ones keep every value; only empty text fields are filled; --overwrite makes the
files win and lists each change; nothing is ever deleted.
"""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.core.municipality import data_dir
from programs.models import AdministrativeUnit, MunicipalService, ProgramCategory, Settlement
from programs.reference_data import load_reference_data

pytestmark = pytest.mark.django_db

MODELS = {
    "category": (ProgramCategory, ["name_ka", "name_en", "sort_order"]),
    "service": (MunicipalService, ["name_ka", "name_en", "email", "phone", "sort_order"]),
    "unit": (AdministrativeUnit, ["name_ka", "name_en", "sort_order"]),
    "settlement": (Settlement, ["name_ka", "name_en", "kind"]),
}


def file_rows(name: str) -> list[dict[str, str]]:
    with (data_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def snapshot() -> dict[str, dict]:
    """Every reference row's values, by model and primary key (a plain recount of the tables)."""
    return {
        label: {
            obj.pk: {name: getattr(obj, name) for name in fields} for obj in model.objects.all()
        }
        for label, (model, fields) in MODELS.items()
    }


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


def test_first_run_creates_every_row_of_the_files() -> None:
    # The tests' shared baseline holds the reference data already: start as a new install does.
    for model in (Settlement, AdministrativeUnit, ProgramCategory, MunicipalService):
        model.objects.all().delete()
    results = load_reference_data()
    units = file_rows("administrative_units.csv")
    assert AdministrativeUnit.objects.count() == len({row["unit_code"] for row in units}) == 17
    assert Settlement.objects.count() == len(units) == 50
    assert ProgramCategory.objects.count() == len(file_rows("categories.csv"))
    assert MunicipalService.objects.count() == len(file_rows("services.csv"))
    assert sum(result.created for result in results.values()) == 17 + 50 + 11 + 7
    for row in units:
        settlement = Settlement.objects.get(code=row["settlement_code"])
        assert settlement.unit.code == row["unit_code"]
        assert (settlement.name_ka, settlement.name_en) == (
            row["settlement_name_ka"],
            row["settlement_name_en"],
        )


def test_second_run_changes_nothing_and_says_so() -> None:
    load_reference_data()
    before = snapshot()
    output = run_command()
    assert snapshot() == before
    assert "categories: 0 created, 0 updated, 11 kept as they are" in output
    assert "administrative units and settlements: 0 created, 0 updated, 67 kept" in output


edits = st.lists(
    st.tuples(
        st.sampled_from(sorted(MODELS)),
        st.integers(min_value=0, max_value=49),
        st.text(alphabet="აბგდევზთიკლმნოპ ABCxyz", min_size=1, max_size=12).map(str.strip),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=edits)
def test_staff_corrections_survive_a_rerun(edits) -> None:
    load_reference_data()
    for label, index, text in edits:
        model, fields = MODELS[label]
        rows = list(model.objects.order_by("pk"))
        obj = rows[index % len(rows)]
        name = fields[index % len(fields)]
        if name == "sort_order":
            value = index + 1000
        elif name == "kind":
            value = "city" if obj.kind == "village" else "village"
        elif name == "email":
            value = f"x{index}@example.org"
        else:
            value = text or "შესწორება"
        if name == "name_ka" and label == "settlement":
            value = f"{value} {obj.pk}"  # stays unique within the unit
        setattr(obj, name, value)
        obj.save()
    corrected = snapshot()
    load_reference_data()
    assert snapshot() == corrected
    Settlement.objects.all().delete()  # the next example starts from a clean table
    for model in (AdministrativeUnit, ProgramCategory, MunicipalService):
        model.objects.all().delete()


def test_an_empty_field_is_filled_from_the_file() -> None:
    load_reference_data()
    unit = AdministrativeUnit.objects.get(code="02")
    unit.name_en = ""
    unit.save()
    service = MunicipalService.objects.get(slug="social")
    service.email = ""
    service.name_ka = "შესწორებული სახელი"
    service.save()
    output = run_command()
    assert AdministrativeUnit.objects.get(code="02").name_en == "Gvishtibi"
    service.refresh_from_db()
    assert service.email == "social@tskaltubo.gov.ge"
    assert service.name_ka == "შესწორებული სახელი"  # not empty, so kept
    assert "AdministrativeUnit 02: name_en '' -> 'Gvishtibi'" in output


def test_overwrite_makes_the_files_win_and_lists_every_change() -> None:
    load_reference_data()
    category = ProgramCategory.objects.get(slug="water")
    category.name_en = "Water"
    category.save()
    settlement = Settlement.objects.get(code="02-02")
    settlement.name_ka = "გუბისწყალი (შესწორებული)"
    settlement.save()
    output = run_command("--overwrite")
    assert ProgramCategory.objects.get(slug="water").name_en == "Water supply"
    assert Settlement.objects.get(code="02-02").name_ka == "გუბისწყალი"
    assert "ProgramCategory water: name_en 'Water' -> 'Water supply'" in output
    assert "Settlement 02-02: name_ka" in output
    assert Settlement.objects.count() == 50


def test_rows_staff_added_are_kept_and_missing_rows_come_back() -> None:
    load_reference_data()
    unit = AdministrativeUnit.objects.get(code="05")
    Settlement.objects.create(unit=unit, name_ka="ახალი უბანი", name_en="New quarter")
    ProgramCategory.objects.get(slug="sport").delete()
    load_reference_data()
    assert Settlement.objects.filter(name_ka="ახალი უბანი", code="").exists()
    assert ProgramCategory.objects.filter(slug="sport").exists()
    assert Settlement.objects.count() == 51


def test_a_settlement_loaded_before_codes_existed_is_adopted_not_duplicated() -> None:
    load_reference_data()
    Settlement.objects.update(code="")
    load_reference_data()
    assert Settlement.objects.count() == 50
    assert not Settlement.objects.filter(code="").exists()
    assert Settlement.objects.get(code="01-01").name_en == "Tskaltubo"
