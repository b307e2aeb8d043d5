"""The project's shape and the settings that protect residents' data and submissions."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from cms.settings import base

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 64 + "-production-test-key-with-enough-entropy",
    "PERSONAL_NUMBER_KEY": "personal-number-key-for-the-test",
    "ALLOWED_HOSTS": "feedback.tskaltubo.gov.ge",
    "CSRF_TRUSTED_ORIGINS": "https://feedback.tskaltubo.gov.ge",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV
        and key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "cms.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_site_folder_is_not_a_python_package() -> None:
    # A site/__init__.py would shadow the standard library's `site` module.
    assert (ROOT / "site").is_dir()
    assert not (ROOT / "site" / "__init__.py").exists()


def test_layout_has_the_clients_top_level() -> None:
    for name in ("cms", "home", "programs", "feedback_forms", "reports", "templates", "site"):
        assert (ROOT / name).is_dir(), name
    for name in ("requirements.txt", "Dockerfile", "README.md", "Makefile", ".ci/run"):
        assert (ROOT / name).is_file(), name


def test_georgian_first_in_tbilisi_time() -> None:
    assert settings.LANGUAGE_CODE == "ka"
    assert [code for code, _name in settings.LANGUAGES] == ["ka", "en"]
    assert settings.TIME_ZONE == "Asia/Tbilisi"
    assert settings.USE_TZ


def test_embedded_sqlite_is_configured_for_concurrent_writes(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(base, "VAR_DIR", tmp_path / "var")
    config = base.database_from_environment()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "var" / "db.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "synchronous=FULL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5


def test_postgresql_keeps_healthy_persistent_connections(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://user:pw@db.example:5432/feedback")
    config = base.database_from_environment()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["CONN_MAX_AGE"] >= 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_sqlite_database_url_keeps_the_locking_options(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/other.sqlite3")
    config = base.database_from_environment()
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_its_secrets(missing: str) -> None:
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_passes_the_deployment_checklist() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["", "   "])
def test_production_never_falls_back_to_the_console_for_e_mail(value: str) -> None:
    """The console backend would put every e-mail and address into the container log."""
    result = run_manage("check", env={**PRODUCTION_ENV, "EMAIL_BACKEND": value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EMAIL_BACKEND must be set in production" in result.stderr
    assert "written to the log" in result.stderr


def test_an_explicit_e_mail_backend_is_kept() -> None:
    dummy = "django.core.mail.backends.dummy.EmailBackend"
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        env={**PRODUCTION_ENV, "EMAIL_BACKEND": dummy},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == dummy


def test_the_personal_number_key_is_not_the_secret_key() -> None:
    assert settings.PERSONAL_NUMBER_KEY
    assert settings.PERSONAL_NUMBER_KEY != settings.SECRET_KEY


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("k", "at least 32 characters"),
        ("k" * 31, "at least 32 characters"),
        (PRODUCTION_ENV["SECRET_KEY"], "must not be the same as SECRET_KEY"),
    ],
    ids=["one-character", "31-characters", "equal-to-secret-key"],
)
def test_production_refuses_a_weak_personal_number_key(key: str, message: str) -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, "PERSONAL_NUMBER_KEY": key})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    if len(key) > 8:
        assert key not in result.stderr  # the error names the problem, never the key
