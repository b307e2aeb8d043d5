"""Health probes, request ids, JSON logs and the optional error tracker."""

import gzip
import io
import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from cms.core.logs import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parents[3]
HOST = "feedback.example.gov.ge"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "observability-test-secret-key-" + "s" * 40,
    "PERSONAL_NUMBER_KEY": "observability-test-personal-number-key-" + "p" * 10,
    "ALLOWED_HOSTS": HOST,
    "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


# --- /healthz and /readyz -------------------------------------------------------------------


def test_healthz_answers_without_touching_the_database(client: Client) -> None:
    # No django_db mark: any query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.django_db  # the refused host gets the site's own 400 page, which reads its settings
def test_probes_pass_host_checks_and_the_https_redirect(client: Client, settings) -> None:
    settings.ALLOWED_HOSTS = [HOST]
    settings.SECURE_SSL_REDIRECT = True
    # A kubelet or load balancer: plain HTTP, the container's address as the host.
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/healthz/", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/anything/", HTTP_HOST="10.1.2.3:8000").status_code == 400
    assert client.get("/anything/", HTTP_HOST=HOST).status_code == 301


def test_probes_only_answer_reads(client: Client) -> None:
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_readyz_reports_every_check(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "media_storage", "private_storage"}
    assert all(check["ok"] and check["ms"] >= 0 for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_down_and_names_no_secret(client: Client) -> None:
    secret = "password=hunter2 host=db.internal.example"
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError(secret)):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {
        "ok": False,
        "error": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
    }
    assert body["checks"]["cache"]["ok"]
    assert "hunter2" not in response.content.decode()
    assert "db.internal" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_is_unreachable(client: Client, settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://:cache-password@127.0.0.1:1/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["cache"]["ok"] and checks["database"]["ok"]
    assert "cache-password" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_is_503_when_private_storage_is_not_usable(
    client: Client, settings, tmp_path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker / "private"},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["private_storage"]["ok"] and checks["media_storage"]["ok"]
    assert str(tmp_path) not in response.content.decode()


# --- Request ids and JSON lines -------------------------------------------------------------


@pytest.fixture
def json_log() -> io.StringIO:
    """The production handler (JSON formatter, request-id filter) on the root logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root, request_logger = logging.getLogger(), logging.getLogger("cms.request")
    previous_level = request_logger.level
    root.addHandler(handler)
    request_logger.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    request_logger.setLevel(previous_level)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_in_logs_and_response(
    client: Client, site_content, json_log
) -> None:
    response = client.get("/no-such-page/", headers={"X-Request-ID": "proxy-4f1c2a9e"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-4f1c2a9e"
    records = lines(json_log)
    access = next(record for record in records if record["logger"] == "cms.request")
    assert access["request_id"] == "proxy-4f1c2a9e"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/no-such-page/", 404)
    assert access["duration_ms"] >= 0 and access["level"] == "INFO" and access["time"]
    not_found = next(record for record in records if record["logger"] == "django.request")
    assert not_found["request_id"] == "proxy-4f1c2a9e"


@pytest.mark.django_db  # the OpenAPI document is built from the live forms
@pytest.mark.parametrize("header", [None, "", "short", "x" * 200, "bad id with spaces", "é" * 10])
def test_a_missing_or_implausible_request_id_is_replaced(client: Client, header) -> None:
    headers = {} if header is None else {"X-Request-ID": header}
    response = client.get("/api/v1/openapi.json", headers=headers)
    generated = response["X-Request-ID"]
    assert generated != header and len(generated) == 32
    int(generated, 16)


@pytest.mark.django_db
def test_query_strings_stay_out_of_the_access_log(client: Client, json_log) -> None:
    client.get("/api/v1/openapi.json?reference=TSK-SECRET")
    assert "TSK-SECRET" not in json_log.getvalue()


def test_outside_a_request_the_request_id_is_null(json_log) -> None:
    logging.getLogger("cms.scheduler").warning("job done")
    assert lines(json_log)[-1]["request_id"] is None


# --- Production: JSON on stderr, Sentry only with a DSN -------------------------------------


def run_production(script: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "LOG_FORMAT", "SENTRY_DSN")
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


REQUEST_SCRIPT = f"""
import json, sys
from django.test import Client
response = Client().get("/robots.txt", HTTP_HOST="{HOST}", HTTP_X_FORWARDED_PROTO="https",
                        HTTP_X_REQUEST_ID="proxy-id-12345678")
print(json.dumps({{"status": response.status_code, "sentry": "sentry_sdk" in sys.modules,
                  "request_id": response.headers["X-Request-ID"]}}))
"""


def test_production_logs_json_lines_and_imports_no_error_tracker_without_a_dsn(tmp_path) -> None:
    (
        tmp_path / "static"
    ).mkdir()  # collected at build time in the image; WhiteNoise warns if absent
    result = run_production(REQUEST_SCRIPT, VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"status": 200, "sentry": False, "request_id": "proxy-id-12345678"}
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    access = [record for record in records if record.get("logger") == "cms.request"]
    assert access and access[0]["request_id"] == "proxy-id-12345678"
    assert all(line.startswith("{") for line in result.stderr.splitlines() if line.strip())


class Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802 -- http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args) -> None:
        pass


SENTRY_SCRIPT = """
import json, logging, sentry_sdk
options = sentry_sdk.get_client().options
logging.getLogger("cms.test").error("tracked failure", exc_info=ValueError("boom"))
sentry_sdk.flush(timeout=10)
print(json.dumps({key: options[key] for key in
                  ("send_default_pii", "max_request_body_size", "include_local_variables")}))
"""


def test_with_a_dsn_errors_reach_the_tracker_without_residents_data(tmp_path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Collector.received = []
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/1"
        result = run_production(SENTRY_SCRIPT, SENTRY_DSN=dsn, VAR_DIR=str(tmp_path))
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])
    assert options == {
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,
    }
    assert any(b"tracked failure" in body for body in Collector.received)
