"""django-import-export resource for beneficiary lists.

It only ever sees hashed rows (program, person_digest, key_version, served_on): the clear-text
file is parsed, validated and hashed in programs.beneficiary_import before a Dataset is built,
so nothing import-export logs or keeps in its results can contain a personal number.
"""

from collections.abc import Iterable
from typing import Any

from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from tablib import Dataset

from programs.models import BeneficiaryImport, BeneficiaryRecord

#: Column names of the hashed dataset, in order; they are also the resource's field names.
DATASET_HEADERS = ["program", "person_digest", "key_version", "served_on"]

#: Digests looked up per query: keeps each IN (...) far below SQLite's parameter limit.
LOOKUP_CHUNK_SIZE = 500


class ExistingRecordsLoader(BaseInstanceLoader):
    """Finds the records already on the list with one query per chunk of digests.

    The default loader runs one SELECT per row, which is 50 000 queries for a full list; loading
    the whole program would not scale with years of lists. Only the digests in the file matter.
    """

    def __init__(self, resource: "BeneficiaryRecordResource", dataset: Dataset | None = None):
        super().__init__(resource, dataset)
        self.existing: dict[tuple[Any, ...], BeneficiaryRecord] = {}
        if dataset is None or not dataset.height:
            return
        program_ids = set(dataset["program"])
        digests = sorted(set(dataset["person_digest"]))
        for start in range(0, len(digests), LOOKUP_CHUNK_SIZE):
            chunk = digests[start : start + LOOKUP_CHUNK_SIZE]
            records = BeneficiaryRecord.objects.filter(
                program_id__in=program_ids, person_digest__in=chunk
            )
            for record in records:
                self.existing[self.key_of_record(record)] = record

    def key_of_record(self, record: BeneficiaryRecord) -> tuple[Any, ...]:
        return tuple(
            self.resource.fields[name].get_value(record)
            for name in self.resource.get_import_id_fields()
        )

    def get_instance(self, row: dict[str, Any]) -> BeneficiaryRecord | None:
        key = tuple(
            self.resource.fields[name].clean(row) for name in self.resource.get_import_id_fields()
        )
        return self.existing.get(key)


class BeneficiaryRecordResource(resources.ModelResource):
    """One hashed row = one BeneficiaryRecord; a row already on the list is skipped, not updated.

    Every imported field is part of the natural key, so `skip_unchanged` turns "already there"
    into a skip and re-importing the same file adds nothing.
    """

    program = fields.Field(
        attribute="program_id", column_name="program", widget=widgets.IntegerWidget()
    )
    person_digest = fields.Field(
        attribute="person_digest", column_name="person_digest", widget=widgets.CharWidget()
    )
    key_version = fields.Field(
        attribute="key_version", column_name="key_version", widget=widgets.IntegerWidget()
    )
    served_on = fields.Field(
        attribute="served_on",
        column_name="served_on",
        widget=widgets.DateWidget(format="%Y-%m-%d"),
    )

    class Meta:
        model = BeneficiaryRecord
        fields = ("program", "person_digest", "key_version", "served_on")
        import_id_fields = ("program", "person_digest", "key_version", "served_on")
        skip_unchanged = True
        # The library's diff deep-copies every row to find "unchanged" ones, doubling the time of
        # a 50 000-row list; skip_row below decides without it (see its docstring).
        skip_diff = True
        report_skipped = False
        clean_model_instances = False
        use_bulk = True
        batch_size = 1000
        instance_loader_class = ExistingRecordsLoader

    def __init__(self, batch: BeneficiaryImport | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.batch = batch

    def skip_row(
        self,
        instance: BeneficiaryRecord,
        original: BeneficiaryRecord | None,
        row: Any,
        import_validation_errors: dict | None = None,
    ) -> bool:
        """Every imported field is part of the natural key, so a record the loader found by
        that key is unchanged by definition: skip it."""
        if not self._meta.skip_unchanged or import_validation_errors:
            return False
        return instance.pk is not None

    def before_save_instance(self, instance: BeneficiaryRecord, row: Any, **kwargs: Any) -> None:
        """New records remember the import they came from (existing ones are never touched)."""
        instance.batch = self.batch

    def bulk_create(
        self,
        using_transactions: bool,
        dry_run: bool,
        raise_errors: bool,
        batch_size: int | None = None,
        result: Any = None,
    ) -> None:
        """A dry run only needs the counts: do not insert and roll back thousands of rows."""
        if dry_run:
            self.create_instances.clear()
            return
        super().bulk_create(
            using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result
        )

    def after_import(self, dataset: Dataset, result: Any, **kwargs: Any) -> None:
        """Skip ModelResource's sequence reset: ids come from the sequence already, and a
        reset to MAX(id) inside a transaction could move the sequence back under a
        concurrent import."""


def hashed_dataset(program_id: int, rows: Iterable[tuple[str, int, Any]]) -> Dataset:
    """The tablib Dataset the resource imports: hashes and dates only."""
    dataset = Dataset(headers=DATASET_HEADERS)
    for digest, key_version, served_on in rows:
        dataset.append((program_id, digest, key_version, served_on))
    return dataset
