"""A backup restores into a fresh database with every submission, report and commitment, and
with the media and private files they refer to.

The backup is taken in-process from the test database (SQLite in the normal run, PostgreSQL in
CI's PostgreSQL run); the restore runs as an operator would run it, in another process with
production settings pointed at an empty database and empty storage folders.
"""

import contextlib
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.documents.models import Document
from wagtail.models import Collection

from feedback_forms.models import Evaluation, ExportJob, Need
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from reports.models import BudgetCommitment, ResultsReport
from reports.tests.factories import BudgetCommitmentFactory, ResultsReportFactory
from tests.deployment import ROOT, environment, fresh_postgres_database

VERIFY = """
import hashlib, json
from wagtail.documents.models import Document
from feedback_forms.models import Evaluation, ExportJob, Need
from reports.models import BudgetCommitment, ResultsReport

def digest(field):
    with field.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()

print(json.dumps({
    "needs": sorted(Need.objects.values_list("reference", "title", "contact_email")),
    "evaluations": sorted(Evaluation.objects.values_list("reference", "overall_rating")),
    "reports": sorted(ResultsReport.objects.values_list("pk", "status", "analysis_ka")),
    "commitments": sorted(BudgetCommitment.objects.values_list("title_ka", "report_id")),
    "workbooks": sorted(digest(r.workbook) for r in ResultsReport.objects.exclude(workbook="")),
    "exports": sorted(digest(job.file) for job in ExportJob.objects.exclude(file="")),
    "documents": sorted(digest(doc.file) for doc in Document.objects.all()),
}, default=str))
"""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def empty_private_storage(settings) -> None:
    """A new, empty in-memory `exports` storage: files earlier tests of this process left
    there (photos, exports) are not this backup's."""
    settings.STORAGES = {**settings.STORAGES}


@pytest.fixture
def records(reference_data, site_content, empty_private_storage, private_file_fields) -> dict:
    """Submissions, a report with its workbook, commitments, an export and a document."""
    needs = [NeedFactory(contact_email=f"n{i}@example.ge") for i in range(6)]
    evaluations = [EvaluationFactory(overall_rating=i % 5 + 1) for i in range(4)]
    report = ResultsReportFactory()
    workbook = b"PK\x03\x04 workbook of the half-year"
    report.workbook.save("results-2026-H1.xlsx", ContentFile(workbook), save=True)
    draft = ResultsReportFactory(
        status=ResultsReport.Status.DRAFT, period__half=2, published_at=None
    )
    commitments = [BudgetCommitmentFactory(report=report) for _ in range(2)]
    user = get_user_model().objects.create_user("manager", password="x")
    export = ExportJob.objects.create(requested_by=user, kind="needs", file_format="csv")
    export.file.save("needs.csv", ContentFile(b"reference;title\n"), save=True)
    if Collection.get_first_root_node() is None:  # a flushed database lost the migration's
        Collection.add_root(name="Root")
    Document.objects.create(title="წესი", file=ContentFile(b"%PDF-1.7 rule", name="rule.pdf"))
    return {
        "needs": needs,
        "evaluations": evaluations,
        "reports": [report, draft],
        "commitments": commitments,
        "files": {"workbooks": [sha(workbook)], "exports": [sha(b"reference;title\n")]},
    }


def expected(records: dict) -> dict:
    """A plain recount of what the source database holds, in the verifier's JSON shape."""
    return json.loads(
        json.dumps(
            {
                "needs": sorted(Need.objects.values_list("reference", "title", "contact_email")),
                "evaluations": sorted(
                    Evaluation.objects.values_list("reference", "overall_rating")
                ),
                "reports": sorted(ResultsReport.objects.values_list("pk", "status", "analysis_ka")),
                "commitments": sorted(
                    BudgetCommitment.objects.values_list("title_ka", "report_id")
                ),
                "workbooks": records["files"]["workbooks"],
                "exports": records["files"]["exports"],
                "documents": [sha(b"%PDF-1.7 rule")],
            },
            default=str,
        )
    )


@contextlib.contextmanager
def fresh_database(tmp_path: Path):
    if connection.vendor == "postgresql":
        with fresh_postgres_database(connection.settings_dict, "restore") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"


def operator(tmp_path: Path, database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = environment(
        DATABASE_URL=database_url,
        VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_ROOT=str(tmp_path / "private"),
        STATIC_ROOT=str(tmp_path / "static"),
        LOG_FORMAT="text",
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def take_backup(path: Path) -> str:
    out = StringIO()
    call_command("backup", "--output", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)  # pg_dump reads committed rows from its own session
def test_a_backup_restores_into_a_fresh_database_with_everything(records, tmp_path) -> None:
    archive = tmp_path / "backup.tar.gz"
    output = take_backup(archive)
    assert f"Backup written to {archive}" in output
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the owner's eyes only
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"]["feedback_forms_need"] == 6
    assert manifest["tables"]["reports_budgetcommitment"] == 2
    assert {entry["name"] for entry in manifest["storages"]["exports"]} == {
        records["reports"][0].workbook.name,
        ExportJob.objects.get().file.name,
    }
    with fresh_database(tmp_path) as url:
        restored = operator(tmp_path, url, "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        assert "Restored the backup" in restored.stdout
        verified = operator(tmp_path, url, "shell", "--no-imports", "-c", VERIFY)
        assert verified.returncode == 0, verified.stderr
        assert json.loads(verified.stdout.strip().splitlines()[-1]) == expected(records)
        # Restoring never merges into a database that has data.
        again = operator(tmp_path, url, "restore", str(archive))
        assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_before_anything_is_restored(records, tmp_path) -> None:
    archive = tmp_path / "backup.tar.gz"
    take_backup(archive)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("storage/exports/"):
                data = data + b"tampered"
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", "--check", str(damaged), stdout=StringIO())
    out = StringIO()
    call_command("restore", "--check", str(archive), stdout=out)
    assert "intact" in out.getvalue()
    with fresh_database(tmp_path) as url:
        result = operator(tmp_path, url, "restore", str(damaged))
        assert result.returncode != 0 and "checksum" in result.stderr
        tables = operator(
            tmp_path,
            url,
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection; print(len(connection.introspection.table_names()))",
        )
        assert tables.stdout.strip().splitlines()[-1] == "0"


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        tar.addfile(info)  # an empty member
    with pytest.raises(CommandError, match="no manifest"):
        call_command("restore", "--check", str(bogus), stdout=StringIO())
    with pytest.raises(CommandError, match="No such backup"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), stdout=StringIO())
