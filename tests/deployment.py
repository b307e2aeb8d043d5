"""Run the project as the container does: production settings in subprocesses, a fresh
PostgreSQL database, `entrypoint.sh release`, real gunicorn processes on free local ports.

Used by the deployment tests (PostgreSQL run only); nothing here touches the test database.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
HOST = "feedback.example.gov.ge"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "deployment-test-secret-key-" + "s" * 40,
    "PERSONAL_NUMBER_KEY": "deployment-test-personal-number-key-" + "p" * 16,
    "ALLOWED_HOSTS": HOST,
    "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "WAGTAILADMIN_BASE_URL": f"https://{HOST}",
    "TASKS_BACKEND": "immediate",
    "LOG_LEVEL": "WARNING",
}
#: Variables of the developer's or CI's shell that must not leak into the "container".
SCRUBBED = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_url(database: dict) -> str:
    """A libpq URL of the test run's PostgreSQL server (any database on it)."""
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}"


@contextlib.contextmanager
def fresh_postgres_database(database: dict, label: str) -> Iterator[str]:
    """An empty database next to the test database, dropped afterwards; yields its URL."""
    import psycopg

    name = f"{database['NAME']}_{label}_{uuid.uuid4().hex[:8]}"[:63]
    admin_url = f"{server_url(database)}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url(database)}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    return {**env, **PRODUCTION_ENV, "PATH": f"{Path(sys.executable).parent}:{env['PATH']}"} | (
        overrides
    )


def run(args: list[str], env: dict[str, str], timeout: int = 240) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise AssertionError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
    return result


def manage(*args: str, env: dict[str, str], timeout: int = 240) -> str:
    return run([sys.executable, "manage.py", *args], env, timeout).stdout


def release(env: dict[str, str]) -> str:
    """The container's release step, exactly as the image runs it."""
    return run(["/bin/sh", "site/docker/entrypoint.sh", "release"], env).stdout


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
        return request(f"{self.url}{path}", headers=headers)

    def post_json(self, path: str, body: bytes, **headers: str) -> tuple[int, dict, str]:
        headers = {"Content-Type": "application/json", **headers}
        return request(f"{self.url}{path}", data=body, headers=headers)


def request(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """One request as the HTTPS proxy forwards it (public host name, X-Forwarded-Proto), with
    redirects returned, not followed."""
    parts = urlsplit(url)
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("POST" if data is not None else "GET", path, data, headers)
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read().decode()
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int = 1) -> Iterator[Server]:
    """`entrypoint.sh web` on a free port; stopped (by its own pid) when the block ends."""
    port = free_port()
    env = {**env, "PORT": str(port), "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": "2"}
    process = subprocess.Popen(  # noqa: S603
        ["/bin/sh", "site/docker/entrypoint.sh", "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {process.stderr.read().decode()}")
            try:
                if server.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.3)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
