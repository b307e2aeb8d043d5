"""compose.yaml, validated as far as a machine without a Docker daemon allows: its structure
(parsed here), Docker Compose's own validation and Caddy's (when those tools are installed:
.ci/run installs them, so under CI=true their absence is a failure, not a skip).

That the same commands really run as two web processes on one PostgreSQL and Redis is
tests/test_deployment.py (PostgreSQL run).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
APP_SERVICES = {"release", "web1", "web2", "worker", "scheduler"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def entrypoint_commands() -> set[str]:
    script = (ROOT / "site" / "docker" / "entrypoint.sh").read_text()
    return set(re.findall(r"^  ([a-z]+)\)$", script, flags=re.MULTILINE))


def test_every_part_of_a_production_site_is_a_service(compose) -> None:
    assert set(compose["services"]) == APP_SERVICES | {"db", "redis", "proxy"}
    assert {compose["services"][name]["command"][0] for name in APP_SERVICES} <= (
        entrypoint_commands()
    )
    assert compose["services"]["web1"]["command"] == compose["services"]["web2"]["command"]


def test_application_containers_share_image_settings_database_cache_and_files(compose) -> None:
    services = compose["services"]
    first = services["web1"]
    for name in APP_SERVICES:
        service = services[name]
        assert service["image"] == first["image"]
        assert service["env_file"] == "prod.env"
        assert service["environment"]["DATABASE_URL"] == first["environment"]["DATABASE_URL"]
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        # The worker writes exports, the web containers serve them: one private volume.
        assert set(service["volumes"]) == {"media:/app/media", "private:/app/var/private"}
    assert "@db:5432/feedback" in first["environment"]["DATABASE_URL"]
    assert first["environment"]["FEEDBACK_TRUSTED_PROXY_COUNT"] == "1"
    assert set(compose["volumes"]) >= {"pgdata", "media", "private"}


def test_the_release_step_runs_before_anything_serves_or_schedules(compose) -> None:
    services = compose["services"]
    assert services["release"]["restart"] == "no"
    for name in APP_SERVICES - {"release"}:
        depends = services[name]["depends_on"]
        assert depends["release"]["condition"] == "service_completed_successfully"
        assert depends["db"]["condition"] == "service_healthy"
    for name in ("web1", "web2"):
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"])


def test_the_proxy_terminates_https_and_balances_both_web_containers(compose) -> None:
    proxy = compose["services"]["proxy"]
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "media:/srv/media:ro" in proxy["volumes"]
    mounted = next(volume for volume in proxy["volumes"] if "Caddyfile" in volume)
    caddyfile = ROOT / mounted.split(":")[0]
    assert caddyfile.is_file()
    text = caddyfile.read_text()
    assert re.search(r"reverse_proxy web1:8000 web2:8000", text)
    assert "health_uri /healthz" in text and "handle_path /media/*" in text
    assert proxy["depends_on"] == {
        "web1": {"condition": "service_healthy"},
        "web2": {"condition": "service_healthy"},
    }


def test_the_database_server_matches_the_images_pg_dump(compose) -> None:
    """manage.py backup refuses a pg_dump older than the server: keep the two in step."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.findall(r"^FROM python:3\.11-slim-(\w+)", dockerfile, re.MULTILINE) == [
        "bookworm",
        "bookworm",
    ]
    assert "postgresql-client" in dockerfile
    assert compose["services"]["db"]["image"] == "postgres:15"  # Debian bookworm's client


def test_the_environment_template_names_what_production_requires() -> None:
    template = (ROOT / "prod.env.example").read_text()
    names = set(re.findall(r"^#? ?([A-Z_]+)=", template, flags=re.MULTILINE))
    required = {"SECRET_KEY", "PERSONAL_NUMBER_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}
    assert required | {"EMAIL_BACKEND"} <= names
    for ignored in (".gitignore", ".dockerignore"):
        assert "prod.env" in (ROOT / ignored).read_text().split()


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing: .ci/run installs it")
        pytest.skip(f"{name} is not installed (apt-get install {name})")
    return path


def test_docker_compose_validates_the_file(tmp_path) -> None:
    executable = tool("docker-compose")
    shutil.copy(ROOT / "compose.yaml", tmp_path / "compose.yaml")
    (tmp_path / "site" / "docker").mkdir(parents=True)
    shutil.copy(ROOT / "site" / "docker" / "Caddyfile", tmp_path / "site" / "docker")
    (tmp_path / "prod.env").write_text((ROOT / "prod.env.example").read_text())
    env = {"PATH": os.environ["PATH"], "POSTGRES_PASSWORD": "compose-test"}
    result = subprocess.run(  # noqa: S603
        [executable, "config", "--quiet"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    missing = subprocess.run(  # noqa: S603
        [executable, "config", "--quiet"],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
    )
    assert missing.returncode != 0 and "POSTGRES_PASSWORD" in missing.stderr


def test_caddy_validates_the_proxy_configuration(tmp_path) -> None:
    executable = tool("caddy")
    result = subprocess.run(  # noqa: S603
        [
            executable,
            "validate",
            "--config",
            str(ROOT / "site" / "docker" / "Caddyfile"),
            "--adapter",
            "caddyfile",
        ],
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},  # Caddy keeps its state there
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr
