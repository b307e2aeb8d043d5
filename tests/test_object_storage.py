"""S3-compatible object storage, tested against a real S3 HTTP server (moto's server mode,
started here on a free local port): public media, private exports and workbooks behind signed
URLs that only the permission-checked views hand out, readiness, backups."""

import json
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer
from wagtail.documents.models import Document
from wagtail.models import Collection, ModelLogEntry

from cms.core.backup import create_backup
from cms.core.roles import CONTENT_EDITORS, PLATFORM_MANAGERS
from cms.core.s3 import PrivateS3Storage
from cms.core.tests.factories import staff_user
from cms.settings.storage import storages_from_environment
from feedback_forms.export_jobs import DOWNLOAD_ACTION, run_export
from feedback_forms.models import ExportJob
from feedback_forms.tests.factories import NeedFactory
from reports.tasks import generate_report_workbook
from reports.tests.factories import ResultsReportFactory
from tests.deployment import free_port

pytestmark = pytest.mark.django_db

MEDIA_BUCKET, PRIVATE_BUCKET = "feedback-media", "feedback-private"
S3_ENV = {
    "STORAGE_BACKEND": "s3",
    "STORAGE_MEDIA_BUCKET": MEDIA_BUCKET,
    "STORAGE_PRIVATE_BUCKET": PRIVATE_BUCKET,
    "STORAGE_REGION": "us-east-1",
    "STORAGE_ACCESS_KEY_ID": "test-access-key",
    "STORAGE_SECRET_ACCESS_KEY": "test-secret-key-never-shown",
    "STORAGE_PRIVATE_URL_SECONDS": "60",
}


def fetch(url: str) -> tuple[int, Message, bytes]:
    """A browser following the link: no credentials, only what the URL itself carries."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 -- local server
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def object_storage(monkeypatch, settings, tmp_path, request):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{server._port}"
    # moto keeps its buckets in the process: every test starts from an empty server.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))  # noqa: S310
    for key, value in {**S3_ENV, "STORAGE_ENDPOINT_URL": endpoint}.items():
        monkeypatch.setenv(key, value)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-access-key",
        aws_secret_access_key="test-secret-key-never-shown",
    )
    for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
        client.create_bucket(Bucket=bucket)
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{MEDIA_BUCKET}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=MEDIA_BUCKET, Policy=json.dumps(public_read))
    settings.STORAGES = storages_from_environment(
        settings.STORAGES, tmp_path / "media", tmp_path / "private"
    )
    request.getfixturevalue("private_file_fields")  # the fields write to the buckets too
    yield SimpleNamespace(client=client, endpoint=endpoint, server=server)
    server.stop()


def keys(client, bucket: str) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


# --- Configuration --------------------------------------------------------------------------


def test_the_filesystem_is_the_default(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("STORAGE_BACKEND", raising=False)
    configured = storages_from_environment({}, tmp_path / "media", tmp_path / "private")
    assert configured["default"]["OPTIONS"]["location"] == tmp_path / "media"
    assert configured["exports"]["OPTIONS"] == {"location": tmp_path / "private", "base_url": None}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE_MEDIA_BUCKET": ""}, "STORAGE_MEDIA_BUCKET"),
        ({"STORAGE_PRIVATE_BUCKET": ""}, "STORAGE_PRIVATE_BUCKET"),
        ({"STORAGE_PRIVATE_BUCKET": MEDIA_BUCKET}, "must be different buckets"),
        ({"STORAGE_BACKEND": "ftp"}, "'filesystem' or 's3'"),
    ],
)
def test_object_storage_settings_say_what_is_missing(monkeypatch, tmp_path, env, message) -> None:
    for key, value in {**S3_ENV, **env}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        storages_from_environment({}, tmp_path, tmp_path)


# --- Against the S3 server ------------------------------------------------------------------


def test_media_goes_to_the_public_bucket_with_plain_urls(object_storage, client: Client) -> None:
    document = Document.objects.create(
        title="წესი", file=ContentFile(b"%PDF-1.7 the rule", name="rule.pdf")
    )
    assert keys(object_storage.client, MEDIA_BUCKET) == {document.file.name}
    assert keys(object_storage.client, PRIVATE_BUCKET) == set()
    url = document.file.url
    assert url.startswith(f"{object_storage.endpoint}/{MEDIA_BUCKET}/")
    assert "Signature" not in url and "X-Amz" not in url
    assert fetch(url)[0::2] == (200, b"%PDF-1.7 the rule")
    # Wagtail's document link sends the browser to the bucket.
    response = client.get(document.url)
    assert response.status_code == 302 and response["Location"] == url


@pytest.fixture
def export_job(object_storage, reference_data):
    owner = staff_user(PLATFORM_MANAGERS, username="manager")
    NeedFactory(title="გზის შეკეთება")
    job = ExportJob.objects.create(requested_by=owner, kind="need", file_format="csv")
    run_export(job)
    job.refresh_from_db()
    return job


def test_an_export_is_private_and_handed_out_as_a_signed_short_lived_url(
    object_storage, export_job, client: Client
) -> None:
    name = export_job.file.name
    assert keys(object_storage.client, PRIVATE_BUCKET) == {name}
    stored = object_storage.client.get_object(Bucket=PRIVATE_BUCKET, Key=name)["Body"].read()
    assert "გზის შეკეთება".encode() in stored
    # The object itself is not public.
    assert fetch(f"{object_storage.endpoint}/{PRIVATE_BUCKET}/{name}")[0] == 403

    download = reverse("feedback_exports:download", args=[export_job.pk])
    client.force_login(export_job.requested_by)
    response = client.get(download)
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "test-secret-key-never-shown" not in location
    status, headers, body = fetch(location)
    assert status == 200 and body == stored
    assert headers["Content-Disposition"].startswith("attachment;")
    assert Path(name).name in headers["Content-Disposition"]
    assert ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION).count() == 1

    # Someone else: no URL, nothing logged for them.
    client.force_login(staff_user(PLATFORM_MANAGERS, username="other-manager"))
    refused = client.get(download)
    assert refused.status_code == 404 and "Location" not in refused
    assert ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION).count() == 1


def test_a_report_workbook_is_downloaded_only_through_the_checked_view(
    object_storage, reference_data, client: Client
) -> None:
    report = ResultsReportFactory()
    generate_report_workbook.enqueue(report.pk)
    report.refresh_from_db()
    assert keys(object_storage.client, PRIVATE_BUCKET) == {report.workbook.name}
    download = reverse("reports_admin:workbook_download", args=[report.pk])

    client.force_login(staff_user(CONTENT_EDITORS, username="editor"))
    refused = client.get(download)
    assert refused.status_code == 403 and "Location" not in refused

    manager = staff_user(PLATFORM_MANAGERS, username="manager")
    client.force_login(manager)
    response = client.get(download)
    assert response.status_code == 302, response.content[:300]
    status, headers, body = fetch(response["Location"])
    assert status == 200 and body.startswith(b"PK")  # the .xlsx itself
    assert headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_a_vanished_object_is_a_404_not_a_dead_link(object_storage, export_job, client) -> None:
    object_storage.client.delete_object(Bucket=PRIVATE_BUCKET, Key=export_job.file.name)
    client.force_login(export_job.requested_by)
    response = client.get(reverse("feedback_exports:download", args=[export_job.pk]))
    assert response.status_code == 404


def test_readiness_reaches_both_buckets(
    object_storage, client: Client, settings, monkeypatch
) -> None:
    assert isinstance(storages["exports"], PrivateS3Storage)
    assert not isinstance(storages["default"], FileSystemStorage)
    assert client.get("/readyz").status_code == 200
    # The same configuration pointed at an address where no server listens.
    unreachable = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("STORAGE_ENDPOINT_URL", unreachable)
    settings.STORAGES = storages_from_environment(settings.STORAGES, Path("m"), Path("p"))
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["media_storage"]["ok"] and not checks["private_storage"]["ok"]
    assert checks["database"]["ok"] and checks["cache"]["ok"]
    assert unreachable not in response.content.decode()
    assert "test-access-key" not in response.content.decode()


@pytest.mark.django_db(transaction=True)  # a backup reads committed data, as in production
def test_a_backup_carries_the_buckets_files(
    object_storage, site_content, export_job, tmp_path
) -> None:
    if Collection.get_first_root_node() is None:  # a flushed database lost the migration's
        Collection.add_root(name="Root")
    Document.objects.create(title="წესი", file=ContentFile(b"%PDF rule", name="rule.pdf"))
    manifest = create_backup(tmp_path / "backup.tar.gz").manifest
    assert [entry["name"] for entry in manifest["storages"]["exports"]] == [export_job.file.name]
    assert [entry["name"] for entry in manifest["storages"]["default"]] == [
        Document.objects.get().file.name
    ]
