"""A first deployment and two web containers, run for real (PostgreSQL run only).

The release step runs on an empty PostgreSQL database with production settings, exactly as the
container runs it (`site/docker/entrypoint.sh release`), and twice, since every deployment runs
it; then real gunicorn processes serve the site behind a simulated HTTPS proxy.
"""

import json
import os
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.deployment import environment, fresh_postgres_database, gunicorn, manage, release

pytestmark = pytest.mark.postgresql

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
PUBLIC_PATHS = [
    "/",
    "/en/",
    "/programs/",
    "/report-a-need/",
    "/en/report-a-need/",
    "/results/",
    "/en/results/",
    "/accountability/",
    "/privacy/",
    "/track/",
]
COUNTS = """
import json
from django.contrib.auth import get_user_model
from feedback_forms.models import Evaluation, Need
from programs.models import ProgramPage, Settlement
from reports.models import BudgetCommitment, ResultsReport
print(json.dumps({
    "needs": Need.objects.count(),
    "evaluations": Evaluation.objects.count(),
    "users": get_user_model().objects.count(),
    "programs": ProgramPage.objects.count(),
    "reports": ResultsReport.objects.count(),
    "commitments": BudgetCommitment.objects.count(),
    "settlements": Settlement.objects.count(),
}))
"""


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> dict:
    """An empty database after `release` (run twice), with collected static files."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("PostgreSQL only")
    var = tmp_path_factory.mktemp("deployment")
    # Keys of their own on the shared Redis server: counters left by an earlier run (the same
    # personal number submits in every run) must not refuse this run's needs.
    key_prefix = f"deployment-{uuid.uuid4().hex}:"
    with fresh_postgres_database(settings.DATABASES["default"], "release") as url:
        env = environment(
            DATABASE_URL=url,
            REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=key_prefix,
            VAR_DIR=str(var),
            STATIC_ROOT=str(var / "static"),
            MEDIA_ROOT=str(var / "media"),
            PRIVATE_ROOT=str(var / "private"),
        )
        manage("collectstatic", "--no-input", "--verbosity", "0", env=env)  # the image's build
        first = release(env)
        second = release(env)
        counts = json.loads(manage("shell", "--no-imports", "-c", COUNTS, env=env))
        try:
            yield {"env": env, "first": first, "second": second, "counts": counts, "var": Path(var)}
        finally:
            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(match=f"{key_prefix}*"):
                client.delete(key)
            client.close()


def test_release_on_an_empty_database_gives_a_working_site_without_demo_data(released) -> None:
    assert "categories: 11 created" in released["first"]
    assert "categories: 0 created, 0 updated, 11 kept" in released["second"]
    assert released["counts"] == {
        "needs": 0,
        "evaluations": 0,
        "users": 0,
        "programs": 0,
        "reports": 0,
        "commitments": 0,
        "settlements": 50,
    }
    with gunicorn(released["env"]) as web:
        for path in PUBLIC_PATHS:
            status, _headers, body = web.get(path)
            assert status == 200, (path, body[:500])
        status, _headers, body = web.get("/readyz")
        assert status == 200, body
        status, headers, _body = web.get("/", **{"X-Forwarded-Proto": "http"})
        assert status == 301 and headers["Location"].startswith("https://")


def need_body(form: dict) -> bytes:
    questions = {question["name"]: question for question in form["questions"]}
    settlement = questions["settlement"]["choices"][0]
    return json.dumps(
        {
            "citizen": True,
            "birth_date": "1980-05-17",
            "personal_number": "01001012345",
            "registered_resident": True,
            "administrative_unit": settlement["unit"],
            "settlement": settlement["value"],
            "category": questions["category"]["choices"][0]["value"],
            "title": "ქუჩის განათება",
            "description": "საღამოს ქუჩა ბნელა.",
            "consent": True,
        }
    ).encode()


def test_two_web_processes_on_one_database_and_cache_agree(released) -> None:
    env = released["env"]
    with gunicorn(env) as first, gunicorn(env) as second:
        status, _headers, body = first.get("/api/v1/needs-form")
        assert status == 200, body
        payload = need_body(json.loads(body))
        for submitted_to, read_from in ((first, second), (second, first)):
            key = f"deployment-{submitted_to.url[-5:]}"
            status, _headers, body = submitted_to.post_json(
                "/api/v1/needs", payload, **{"Idempotency-Key": key}
            )
            assert status == 201, body
            reference = json.loads(body)["reference"]
            status, _headers, page = read_from.get(f"/en/track/?reference={reference}")
            assert status == 200 and reference in page and "ქუჩის განათება" in page
            # A retried "Send" that lands on the other container returns the first result.
            status, _headers, body = read_from.post_json(
                "/api/v1/needs", payload, **{"Idempotency-Key": key}
            )
            assert status in (200, 201) and json.loads(body)["reference"] == reference
    counts = json.loads(manage("shell", "--no-imports", "-c", COUNTS, env=env))
    assert counts["needs"] == 2
