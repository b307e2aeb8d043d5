"""In-process parts of the benchmark, run by `bench/run.py` in subprocesses with the project's
bench settings (bench/project_settings.py) on a bench database.

- ``discover``: the URLs and request bodies the load generator sends (from the live forms'
  API schemas, so they follow the forms as they change), printed as JSON;
- ``queries``: SQL queries and write transactions of one API and one web submission of each kind
  (Django's test client in this process, every statement seen by `connection.execute_wrapper`).

- ``profile KIND [N]``: cProfile of N (default 40) submissions of KIND (``api_evaluation``,
  ``web_evaluation``, ``api_need``, ``web_need``) after two that warm caches; prints the
  functions with the most own and cumulative time (where a submission's CPU goes).

Usage: ``python bench/inproc.py discover|queries|profile ...`` with DJANGO_SETTINGS_MODULE and
DATABASE_URL set by run.py (`bench/run.py --profile KIND` does that).
"""

from __future__ import annotations

import datetime
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST = "feedback.example.gov.ge"
TEXT = "მეტი ინფორმაცია საჭიროა"
HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"')


def setup() -> None:
    import django

    django.setup()


def answer_for(question: dict) -> Any:
    """A valid answer to one of the form's questions, from its published schema."""
    kind = question["type"]
    choices = question.get("choices") or []
    if kind == "boolean":
        return True
    if kind in ("rating", "choice") and choices:
        return choices[0]["value"]
    if kind == "number":
        return 12
    if kind == "date":
        return datetime.date.today().replace(day=1).isoformat()
    if kind == "email":
        return None
    return TEXT[: question.get("max_length") or 5000]


def api_body(schema: dict) -> dict:
    """A JSON submission answering every required question (the personal number is a slot)."""
    body: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    for question in schema["questions"]:
        name = question["name"]
        if not question["required"] and question["in_answers"] is False:
            continue
        if name == "birth_date":
            value: Any = datetime.date(datetime.date.today().year - 30, 1, 15).isoformat()
        elif name == "personal_number":
            value = "{personal_number}"
        elif name == "settlement":
            value = None  # filled below, from the unit's settlements
        else:
            value = answer_for(question)
        if value is None and name != "settlement":
            continue
        (answers if question["in_answers"] else body)[name] = value
    if "settlement" in body or any(q["name"] == "settlement" for q in schema["questions"]):
        unit = body.get("administrative_unit")
        settlements = next(q for q in schema["questions"] if q["name"] == "settlement")["choices"]
        body["settlement"] = next(c["value"] for c in settlements if c.get("unit") == unit)
    if answers:
        body["answers"] = answers
    return body


def web_data(body: dict) -> dict[str, str]:
    """The same answers as the web form's POST fields (dates split, booleans as "on")."""
    data: dict[str, str] = {}
    for name, value in {**body, **body.get("answers", {})}.items():
        if name == "answers":
            continue
        if name == "birth_date":
            day = datetime.date.fromisoformat(value)
            data |= {
                "birth_date_day": str(day.day),
                "birth_date_month": str(day.month),
                "birth_date_year": str(day.year),
            }
        elif name == "used_on":
            day = datetime.date.fromisoformat(value)
            data |= {"used_on_month": str(day.month), "used_on_year": str(day.year)}
        elif value is True:
            data[name] = "on"
        elif name == "program":
            continue
        else:
            data[name] = str(value)
    return data


def discover() -> dict:
    from django.test import Client

    from feedback_forms.models import NeedsFormPage
    from programs.models import ProgramIndexPage, ProgramPage

    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", secure=True)
    program = ProgramPage.objects.live().filter(locale__language_code="ka").order_by("path")[0]
    evaluation_form = program.get_children().live().specific()[0]
    needs_form = NeedsFormPage.objects.live().filter(locale__language_code="ka").first()
    index = ProgramIndexPage.objects.live().filter(locale__language_code="ka").first()
    evaluation_schema = client.get(f"/api/v1/programs/{program.pk}/evaluation-form").json()
    need_schema = client.get("/api/v1/needs-form").json()
    evaluation = api_body(evaluation_schema) | {"program": program.pk}
    need = api_body(need_schema)
    return {
        "home": "/",
        "program_page": program.url,
        "program_index": index.url,
        "evaluation_form": evaluation_form.url,
        "needs_form": needs_form.url,
        "api_evaluation": evaluation,
        "api_need": need,
        "web_evaluation": web_data(evaluation),
        "web_need": web_data(need),
    }


class Counter:
    """Every SQL statement, and how many transactions wrote something."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.queries = 0
        self.write_transactions = 0
        self._wrote_in_atomic = False

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if verb in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            if self.connection.in_atomic_block:
                self._wrote_in_atomic = True
            else:
                self.write_transactions += 1  # autocommit: a transaction of its own
        return execute(sql, params, many, context)

    def committed(self) -> None:
        if self._wrote_in_atomic:
            self.write_transactions += 1
        self._wrote_in_atomic = False


def count(function) -> tuple[int, int, Any]:
    from django.db import connection

    counter = Counter(connection)
    original = connection.commit

    def commit() -> None:
        original()
        counter.committed()

    connection.commit = commit
    try:
        with connection.execute_wrapper(counter):
            result = function()
    finally:
        del connection.commit
    return counter.queries, counter.write_transactions, result


def personal_number(rng: random.Random) -> str:
    return f"{rng.randrange(10**10, 10**11 - 1):011d}"


def queries() -> dict:
    from django.test import Client

    spec = discover()
    rng = random.Random()  # noqa: S311 -- unique fake numbers, not secrets
    results = {}
    for kind in ("evaluation", "need"):
        client = Client(
            HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", secure=True, REMOTE_ADDR="127.0.0.1"
        )
        body = json.loads(
            json.dumps(spec[f"api_{kind}"]).replace("{personal_number}", personal_number(rng))
        )
        path = "/api/v1/evaluations" if kind == "evaluation" else "/api/v1/needs"
        client.post(path, json.dumps(body), content_type="application/json")  # warm caches
        body["personal_number"] = personal_number(rng)
        n, writes, response = count(
            lambda body=body, path=path, client=client: client.post(
                path, json.dumps(body), content_type="application/json"
            )
        )
        results[f"api_{kind}"] = {
            "queries": n,
            "write_transactions": writes,
            "status": response.status_code,
        }

        url = spec["evaluation_form" if kind == "evaluation" else "needs_form"]
        for _attempt in range(2):  # the first one warms caches
            web = Client(
                HTTP_HOST=HOST,
                HTTP_X_FORWARDED_PROTO="https",
                secure=True,
                REMOTE_ADDR="127.0.0.1",
                enforce_csrf_checks=False,
            )
            data = spec[f"web_{kind}"] | {"personal_number": personal_number(rng)}
            hidden = dict(HIDDEN.findall(web.get(url).content.decode()))
            checked = web.post(url, {**data, **hidden, "action": "review"})
            hidden = dict(HIDDEN.findall(checked.content.decode()))
            n, writes, response = count(
                lambda web=web, data=data, hidden=hidden, url=url: web.post(
                    url, {**data, **hidden, "action": "submit"}
                )
            )
        results[f"web_{kind}"] = {
            "queries": n,
            "write_transactions": writes,
            "status": response.status_code,
        }
    return results


def submitter(kind: str, spec: dict, rng: random.Random) -> Any:
    """A function that makes one submission of ``kind`` (the web one: its final "Send" only,
    the GET and "check answers" made first, as run.py times it)."""
    from django.test import Client

    def client() -> Any:
        return Client(
            HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", secure=True, REMOTE_ADDR="127.0.0.1"
        )

    if kind.startswith("api_"):
        path = "/api/v1/evaluations" if kind == "api_evaluation" else "/api/v1/needs"
        api = client()
        template = json.dumps(spec[kind])

        def send_api() -> Any:
            body = template.replace("{personal_number}", personal_number(rng))
            return api.post(path, body, content_type="application/json")

        return send_api
    url = spec["evaluation_form" if kind == "web_evaluation" else "needs_form"]

    def prepared() -> Any:
        web = client()
        data = spec[kind] | {"personal_number": personal_number(rng)}
        hidden = dict(HIDDEN.findall(web.get(url).content.decode()))
        checked = web.post(url, {**data, **hidden, "action": "review"})
        hidden = dict(HIDDEN.findall(checked.content.decode()))
        return lambda: web.post(url, {**data, **hidden, "action": "submit"})

    return prepared


def profile(kind: str, count: int = 40) -> dict:
    import cProfile
    import io
    import pstats

    spec = discover()
    rng = random.Random()  # noqa: S311 -- unique fake numbers, not secrets
    make = submitter(kind, spec, rng)
    sends = [make if kind.startswith("api_") else make() for _ in range(count + 2)]
    for send in sends[:2]:
        send()
    profiler = cProfile.Profile()
    statuses = []
    for send in sends[2:]:
        profiler.enable()
        response = send()
        profiler.disable()
        statuses.append(response.status_code)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = stats.total_tt  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("cumulative").print_stats(r"^(?!.*(\.venv|lib/python3)).*", 60)
    print(out.getvalue())
    return {
        "kind": kind,
        "count": count,
        "ms_per_request": 1000 * total / count,
        "statuses": statuses,
    }


if __name__ == "__main__":
    setup()
    command, *rest = sys.argv[1:]
    commands = {"discover": discover, "queries": queries, "profile": profile}
    arguments = [int(value) if value.isdigit() else value for value in rest]
    print(json.dumps(commands[command](*arguments), ensure_ascii=False))
