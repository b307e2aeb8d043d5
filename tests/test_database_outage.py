"""A real outage: the production web process started against a database that cannot be
reached (a PostgreSQL port nothing listens on, an SQLite file in a folder that does not exist).
Pages answer 503 with Retry-After in the site's words, the API answers JSON 503, /healthz still
says the process is alive and /readyz says it is not ready (issue 13, point 4)."""

import json

import pytest

from tests.deployment import environment, free_port, gunicorn

UNREACHABLE = {
    "postgresql": lambda: f"postgres://postgres@127.0.0.1:{free_port()}/nowhere",
    "sqlite": lambda: "sqlite:////nonexistent-folder-for-the-outage-test/db.sqlite3",
}


@pytest.mark.parametrize("engine", sorted(UNREACHABLE))
def test_a_web_process_whose_database_is_down_tells_the_truth(engine: str) -> None:
    env = environment(DATABASE_URL=UNREACHABLE[engine](), TASKS_BACKEND="immediate")
    with gunicorn(env) as web:
        assert web.get("/healthz")[0] == 200
        assert web.get("/readyz")[0] == 503

        status, headers, html = web.get("/programs/")
        assert status == 503
        assert headers["Retry-After"] == "60"
        assert "სერვისი დროებით მიუწვდომელია" in html
        assert "Traceback" not in html and "nowhere" not in html

        body = json.dumps({"program": 1, "consent": True}).encode()
        status, headers, text = web.post_json(
            "/api/v1/evaluations", body, **{"Accept-Language": "en"}
        )
        assert status == 503
        assert headers["Content-Type"] == "application/json"
        assert headers["Retry-After"] == "60"
        answer = json.loads(text)
        assert answer["code"] == "service_unavailable"
        assert "nothing was stored" in answer["message"]
