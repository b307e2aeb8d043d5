"""The benchmark of issue 13: this project against a stock Wagtail 8 site, in one run.

`make bench` (or `.venv/bin/python bench/run.py`) builds everything it needs under bench/var/:

- the stock baseline (`bench/stock/`: a home page and an 8-field `AbstractForm` page, the same
  Wagtail), migrated and seeded on SQLite and on PostgreSQL (`wt_bench_stock`);
- the project, migrated and seeded with `load_demo_data`, on SQLite and on PostgreSQL
  (`wt_bench`), served with production settings (`bench/project_settings.py`);

then serves each pair with gunicorn (2 sync workers, one database at a time) and sends them the
same kind of load from a bounded pool of client threads (8 and 32 at once), in interleaved
rounds (project, stock, project, stock ...). Server CPU per request is the gunicorn workers'
utime+stime (`/proc/<pid>/stat`) over the round divided by its requests; the table shows the
median over rounds and the ratio project / stock. Submissions use a fresh valid personal number
each; the web journey's GET and "check answers" steps are made before the round, so only the
final "Send" is measured (as stock's POST is). Queries per submission come from
`bench/inproc.py queries`; exports and report figures from `bench/bench_data.py`.

Options: `--quick` (CI smoke: a few requests per scenario, one round, small data; asserts
nothing about speed, only that every request got its expected answer), `--rounds`, `--requests`,
`--databases sqlite,postgresql`, `--scale 0.1` (the big-data scenarios at a tenth of 1M/200k),
`--only http,queries,data`, `--data-parts exports,figures,workbook`, `--plans` (the report
figures' SQL, timed, with query plans), `--baseline REV` (the figures and workbook of that
commit's code too, on the same data with the figures' indexes that commit declares), `--profile KIND` (only a
cProfile of 40 submissions of KIND, in process), `--fresh` (rebuild the
databases), `--json FILE`.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "bench" / "var"
PYTHON = sys.executable
HOST = "feedback.example.gov.ge"
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_PROJECT = os.environ.get("BENCH_PG_PROJECT", "wt_bench")
PG_STOCK = os.environ.get("BENCH_PG_STOCK", "wt_bench_stock")
CLK_TCK = os.sysconf("SC_CLK_TCK")

PROJECT_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.project_settings",
    "SECRET_KEY": "bench-secret-key-" + "s" * 40,
    "PERSONAL_NUMBER_KEY": "bench-personal-number-key-" + "p" * 24,
    "ALLOWED_HOSTS": HOST,
    "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "WAGTAILADMIN_BASE_URL": f"https://{HOST}",
    "TASKS_BACKEND": "immediate",
    "LOG_LEVEL": "WARNING",
    "LOG_FORMAT": "text",
    "DEMO_PASSWORD": "bench-demo-password-1",
}
SCRUBBED = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "VAR_DIR")


# --- Databases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    kind: str  # "sqlite" or "postgresql"

    def url(self, side: str) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{VAR / f'{side}.sqlite3'}"
        return f"{PG_SERVER}/{PG_PROJECT if side == 'project' else PG_STOCK}"


def base_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    env["PATH"] = f"{Path(PYTHON).parent}:{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    return env | extra


def project_env(database: Database) -> dict[str, str]:
    return base_env(
        **PROJECT_ENV,
        DATABASE_URL=database.url("project"),
        VAR_DIR=str(VAR / "project"),
    )


def stock_env(database: Database) -> dict[str, str]:
    return base_env(
        DJANGO_SETTINGS_MODULE="bench.stock.settings", DATABASE_URL=database.url("stock")
    )


def run(args: list[str], env: dict[str, str], timeout: float = 3600) -> str:
    result = subprocess.run(  # noqa: S603
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        )
    return result.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return run([PYTHON, "manage.py", *args], env)


def django_admin(env: dict[str, str], *args: str) -> str:
    return run([PYTHON, "-m", "django", *args], env)


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def prepare(database: Database, fresh: bool) -> None:
    """Create, migrate and seed both sides on one database engine, unless already done."""
    VAR.mkdir(parents=True, exist_ok=True)
    for side in ("project", "stock"):
        marker = VAR / f"{side}-{database.kind}.ready"
        if fresh:
            marker.unlink(missing_ok=True)
        name = PG_PROJECT if side == "project" else PG_STOCK
        if marker.exists() and (database.kind == "sqlite" or pg_exists(name)):
            if side == "project":  # migrations added since it was built (a no-op otherwise)
                manage(project_env(database), "migrate", "--no-input", "-v0")
            continue
        started = time.monotonic()
        if database.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{VAR / f'{side}.sqlite3'}{suffix}").unlink(missing_ok=True)
        else:
            if pg_exists(name):
                pg_admin(f'DROP DATABASE "{name}" WITH (FORCE)')
            pg_admin(f'CREATE DATABASE "{name}"')
        if side == "project":
            env = project_env(database)
            manage(env, "migrate", "--no-input", "-v0")
            manage(env, "ensure_roles")
            # The demo refuses production settings: it is loaded with the development ones.
            manage(env | {"DJANGO_SETTINGS_MODULE": "cms.settings.dev"}, "load_demo_data")
            manage(env, "collectstatic", "--no-input", "-v0")
        else:
            env = stock_env(database)
            django_admin(env, "migrate", "--no-input", "-v0")
            django_admin(env, "bench_seed_stock")
        marker.write_text(time.strftime("%Y-%m-%d %H:%M:%S"))
        print(
            f"  prepared {side} on {database.kind} in {time.monotonic() - started:.0f} s",
            flush=True,
        )


# --- Servers -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    host: str

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def cpu_seconds(self) -> float:
        """utime + stime of the workers (the master only supervises)."""
        total = 0
        for pid in self.workers():
            with contextlib.suppress(FileNotFoundError):
                stat = Path(f"/proc/{pid}/stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                total += int(fields[11]) + int(fields[12])
        return total / CLK_TCK


@contextlib.contextmanager
def gunicorn(name: str, app: str, env: dict[str, str], health: str) -> Iterator[Server]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            PYTHON,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--timeout",
            "300",
            "--max-requests",
            "0",
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(VAR / f"{name}.log", "ab"),  # noqa: SIM115
        start_new_session=True,
    )
    server = Server(name, port, process, HOST if name.startswith("project") else "localhost")
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn {name} exited; see {VAR / f'{name}.log'}")
            with contextlib.suppress(OSError):
                if request(server, "GET", health).status == 200 and len(server.workers()) == 2:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn {name} did not answer {health} within 120 s")
            time.sleep(0.5)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- HTTP --------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def cookies(self) -> dict[str, str]:
        jar: dict[str, str] = {}
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                parsed = SimpleCookie()
                parsed.load(value)
                jar |= {key: morsel.value for key, morsel in parsed.items()}
        return jar


def request(
    server: Server,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
) -> Response:
    """One request as the HTTPS proxy forwards it (public host, X-Forwarded-Proto)."""
    origin = f"https://{server.host}"
    all_headers = {"Host": server.host, "X-Forwarded-Proto": "https", "Origin": origin}
    all_headers["Referer"] = origin + path
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    all_headers |= headers or {}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
    try:
        connection.request(method, path, body, all_headers)
        response = connection.getresponse()
        return Response(
            response.status, response.getheaders(), response.read().decode("utf-8", "replace")
        )
    finally:
        connection.close()


def form_post(server: Server, path: str, data: dict[str, str], cookies: dict[str, str]) -> Response:
    body = urllib.parse.urlencode(data).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return request(server, "POST", path, body, headers, cookies)


def hidden_fields(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', html))


# --- Load --------------------------------------------------------------------------------------

#: A prepared request: sends itself, returns True when the answer is the expected one.
Job = Callable[[], bool]


@dataclass
class Round:
    cpu_ms_per_request: float
    wall_s: float
    requests: int
    failed: int


def load(server: Server, jobs: list[Job], clients: int) -> Round:
    """Send the jobs from `clients` threads at once; server CPU and wall time of the round."""
    workers_before = server.workers()
    cpu_before = server.cpu_seconds()
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        outcomes = list(pool.map(lambda job: job(), jobs))
    wall = time.monotonic() - started
    cpu = server.cpu_seconds() - cpu_before
    if server.workers() != workers_before:
        raise SystemExit(f"{server.name}: a gunicorn worker was replaced during a round")
    failed = outcomes.count(False)
    return Round(cpu * 1000 / len(jobs), wall, len(jobs), failed)


class Numbers:
    """Valid personal numbers, never the same one twice in a run (nor, very likely, across runs)."""

    def __init__(self) -> None:
        self.next = random.SystemRandom().randrange(10**10, 9 * 10**10)
        self.lock = threading.Lock()

    def __call__(self) -> str:
        with self.lock:
            self.next += 1
            return f"{self.next:011d}"


NUMBERS = Numbers()


# --- Scenarios ---------------------------------------------------------------------------------


@dataclass
class Scenario:
    key: str
    label: str
    baseline_label: str
    target: str
    target_ratio: float
    project: Callable[[Server, dict, int], list[Job]]
    stock: Callable[[Server, dict, int], list[Job]]
    submissions: bool = False
    results: dict[tuple[str, int], dict[str, list[Round]]] = field(default_factory=dict)


def get_jobs(path_key: str) -> Callable[[Server, dict, int], list[Job]]:
    def build(server: Server, spec: dict, count: int) -> list[Job]:
        path = spec.get(path_key, path_key)
        return [lambda: request(server, "GET", path).status == 200 for _ in range(count)]

    return build


def api_jobs(kind: str) -> Callable[[Server, dict, int], list[Job]]:
    path = "/api/v1/evaluations" if kind == "evaluation" else "/api/v1/needs"

    def build(server: Server, spec: dict, count: int) -> list[Job]:
        template = json.dumps(spec[f"api_{kind}"])
        jobs = []
        for _ in range(count):
            body = template.replace("{personal_number}", NUMBERS()).encode()
            headers = {
                "Content-Type": "application/json",
                "Idempotency-Key": f"bench-{random.getrandbits(64):016x}",
            }
            jobs.append(
                lambda body=body, headers=headers: (
                    request(server, "POST", path, body, headers).status == 201
                )
            )
        return jobs

    return build


def web_jobs(kind: str) -> Callable[[Server, dict, int], list[Job]]:
    """The final "Send": the form's GET and "check answers" are made here, before the round."""

    def build(server: Server, spec: dict, count: int) -> list[Job]:
        path = spec["evaluation_form" if kind == "evaluation" else "needs_form"]
        jobs = []
        for _ in range(count):
            data = spec[f"web_{kind}"] | {"personal_number": NUMBERS()}
            page = request(server, "GET", path)
            cookies = page.cookies()
            hidden = hidden_fields(page.body)
            checked = form_post(server, path, {**data, **hidden, "action": "review"}, cookies)
            if checked.status != 200:
                raise SystemExit(f"check answers answered {checked.status}: {checked.body[:500]}")
            cookies |= checked.cookies()
            final = {**data, **hidden_fields(checked.body), "action": "submit"}
            jobs.append(
                lambda final=final, cookies=cookies: (
                    form_post(server, path, final, cookies).status == 303
                )
            )
        return jobs

    return build


STOCK_FORM = "/evaluate/"
STOCK_DATA = {
    "citizen_of_georgia": "on",
    "birth_date": "1996-01-15",
    "used_the_program": "on",
    "overall_rating": "4",
    "how_easy_was_it": "5",
    "what_should_improve": "მეტი ინფორმაცია საჭიროა",
}


def stock_post_jobs(server: Server, spec: dict, count: int) -> list[Job]:
    """Stock's form POST (a FormSubmission stored); its GET is made before the round."""
    jobs = []
    for _ in range(count):
        page = request(server, "GET", STOCK_FORM)
        cookies = page.cookies()
        data = STOCK_DATA | hidden_fields(page.body) | {"personal_number": NUMBERS()}
        jobs.append(
            lambda data=data, cookies=cookies: (
                "BENCH-THANKS" in (response := form_post(server, STOCK_FORM, data, cookies)).body
                and response.status == 200
            )
        )
    return jobs


def scenarios() -> list[Scenario]:
    submit_target = "<= 1.0x stock POST CPU"
    page_target = "<= 1.0x stock home CPU"
    return [
        Scenario("api_evaluation", "evaluation POST /api/v1/evaluations", "stock FormPage POST",
                 submit_target, 1.0, api_jobs("evaluation"), stock_post_jobs, submissions=True),
        Scenario("web_evaluation", "evaluation web POST (check answers -> send)", "stock FormPage POST",
                 submit_target, 1.0, web_jobs("evaluation"), stock_post_jobs, submissions=True),
        Scenario("api_need", "need POST /api/v1/needs", "stock FormPage POST",
                 submit_target, 1.0, api_jobs("need"), stock_post_jobs, submissions=True),
        Scenario("web_need", "need web POST (check answers -> send)", "stock FormPage POST",
                 submit_target, 1.0, web_jobs("need"), stock_post_jobs, submissions=True),
        Scenario("program_page", "program page GET", "stock home GET",
                 page_target, 1.0, get_jobs("program_page"), get_jobs("/")),
        Scenario("program_index", "program index GET", "stock home GET",
                 page_target, 1.0, get_jobs("program_index"), get_jobs("/")),
        Scenario("home", "home page GET", "stock home GET",
                 page_target, 1.0, get_jobs("home"), get_jobs("/")),
        Scenario("evaluation_form", "evaluation form page GET", "stock form page GET",
                 "<= 1.0x stock form page CPU", 1.0, get_jobs("evaluation_form"), get_jobs(STOCK_FORM)),
    ]  # fmt: skip


def run_http(
    database: Database, items: list[Scenario], rounds: int, requests: int, clients_list: list[int]
) -> None:
    project = project_env(database)
    spec = json.loads(
        run([PYTHON, "bench/inproc.py", "discover"], project).strip().splitlines()[-1]
    )
    with (
        gunicorn(f"project-{database.kind}", "cms.wsgi:application", project, "/healthz") as mine,
        gunicorn(
            f"stock-{database.kind}", "bench.stock.wsgi:application", stock_env(database), "/"
        ) as stock,
    ):
        # Warm both: templates compiled, connections open, every worker has served each path.
        for item in items:
            for server, build in ((mine, item.project), (stock, item.stock)):
                load(server, build(server, spec, 4), 2)
        for item in items:
            for clients in clients_list if item.submissions else clients_list[:1]:
                count = max(requests, 2 * clients)
                cell = item.results.setdefault(
                    (database.kind, clients), {"project": [], "stock": []}
                )
                for number in range(rounds):
                    for side, server, build in (
                        ("project", mine, item.project),
                        ("stock", stock, item.stock),
                    ):
                        jobs = build(server, spec, count)
                        result = load(server, jobs, clients)
                        cell[side].append(result)
                        if result.failed:
                            print(
                                f"    {server.name} {item.key}: {result.failed} of {count} requests failed",
                                flush=True,
                            )
                    print(
                        f"  {database.kind} {item.key} c={clients} round {number + 1}: "
                        f"project {cell['project'][-1].cpu_ms_per_request:.1f} ms, "
                        f"stock {cell['stock'][-1].cpu_ms_per_request:.1f} ms CPU/req",
                        flush=True,
                    )


# --- Table -------------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def http_rows(items: list[Scenario]) -> list[list[str]]:
    rows = []
    for item in items:
        for (kind, clients), cell in item.results.items():
            mine = median([r.cpu_ms_per_request for r in cell["project"]])
            theirs = median([r.cpu_ms_per_request for r in cell["stock"]])
            failed = sum(r.failed for r in cell["project"] + cell["stock"])
            ratio = mine / theirs if theirs else float("nan")
            note = f" ({failed} failed)" if failed else ""
            rows.append([
                f"{item.label}, {kind}, {clients} clients, CPU ms/req{note}",
                f"{mine:.1f}", f"{theirs:.1f} ({item.baseline_label})", f"{ratio:.2f}x",
                item.target, "yes" if ratio <= item.target_ratio else "no",
            ])  # fmt: skip
    return rows


def print_table(rows: list[list[str]]) -> str:
    header = ["scenario", "project (median)", "baseline (median)", "ratio", "target", "met"]
    lines = ["| " + " | ".join(header) + " |", "|---|---:|---:|---:|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def query_rows(database: Database) -> list[list[str]]:
    out = run([PYTHON, "bench/inproc.py", "queries"], project_env(database))
    results = json.loads(out.strip().splitlines()[-1])
    rows = []
    for key, value in results.items():
        writes_besides_insert = value["write_transactions"] - 1
        met = value["queries"] <= 12 and writes_besides_insert <= 1
        rows.append([
            f"queries / write transactions per {key.replace('_', ' ')} submission, {database.kind}"
            + ("" if value["status"] in (201, 303) else f" (answered {value['status']})"),
            f"{value['queries']} / {value['write_transactions']}", "-", "-",
            "<= 12 queries; <= 1 write transaction besides the insert's", "yes" if met else "no",
        ])  # fmt: skip
    return rows


def baseline_tree(rev: str) -> dict[str, str]:
    """An older commit's code (`git archive`, under bench/var), for the data part's baseline."""
    if not rev:
        return {}
    commit = run(["git", "rev-parse", "--short", rev], os.environ.copy()).strip()
    target = VAR / f"baseline-{commit}"
    if not (target / "manage.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(  # noqa: S603
            ["git", "archive", commit],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(  # noqa: S603
            ["tar", "-x", "-C", str(target)],  # noqa: S607
            input=archive,
            check=True,
        )
    return {
        "BENCH_BASELINE_ROOT": str(target),
        "BENCH_BASELINE_NAME": f"{commit}, with its own figures' indexes",
    }


def data_rows(
    database: Database, scale: float, quick: bool, data_parts: str, baseline: str = ""
) -> list[list[str]]:
    args = [PYTHON, "bench/bench_data.py", "--scale", str(scale), "--parts", data_parts]
    args += ["--quick"] if quick else []
    env = project_env(database) | {"BENCH_DATA_DIR": str(VAR / "data")} | baseline_tree(baseline)
    out = run(args, env)
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="CI smoke: a few requests, no timing claims"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=60, help="requests per side per round")
    parser.add_argument("--clients", default="8,32")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scenarios", default="", help="comma-separated keys (default: all)")
    parser.add_argument("--only", default="http,queries,data")
    parser.add_argument("--scale", type=float, default=1.0, help="of 1M evaluations / 200k needs")
    parser.add_argument(
        "--data-parts",
        default="exports,figures,workbook",
        help="what the data part measures (e.g. figures,workbook: no exports)",
    )
    parser.add_argument(
        "--plans",
        action="store_true",
        help="also capture the report figures' SQL and query plans (bench/var/data/plans-*.txt)",
    )
    parser.add_argument(
        "--baseline",
        default="",
        metavar="REV",
        help="measure the figures and workbook of this commit's code too (same data, same run)",
    )
    parser.add_argument(
        "--profile",
        default="",
        metavar="KIND",
        help="only print a cProfile of 40 submissions of KIND (api_evaluation, web_need, ...)",
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench databases")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.requests, args.clients = 1, 4, "2"
        args.scale = min(args.scale, 0.002)
    parts = set(args.only.split(","))
    clients_list = [int(c) for c in args.clients.split(",")]
    items = [s for s in scenarios() if not args.scenarios or s.key in args.scenarios.split(",")]
    load_before = os.getloadavg()
    started = time.monotonic()
    print(f"bench: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
          f"{load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f}, {os.cpu_count()} CPUs", flush=True)  # fmt: skip
    rows: list[list[str]] = []
    for kind in args.databases.split(","):
        database = Database(kind)
        prepare(database, args.fresh)
        if args.profile:
            print(run([PYTHON, "bench/inproc.py", "profile", args.profile], project_env(database)))
            continue
        if "http" in parts:
            run_http(database, items, args.rounds, args.requests, clients_list)
        if "queries" in parts:
            rows += query_rows(database)
        if "data" in parts:
            data_parts = args.data_parts + (",plans" if args.plans else "")
            rows += data_rows(database, args.scale, args.quick, data_parts, args.baseline)
    rows = http_rows(items) + rows
    load_after = os.getloadavg()
    print()
    print(
        f"{args.rounds} interleaved rounds of {args.requests} requests per side (at least 2 per "
        f"client); load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
        f"{time.monotonic() - started:.0f} s in all; data scale {args.scale:g}"
    )
    text = print_table(rows)
    if args.json:
        args.json.write_text(
            json.dumps({"rows": rows, "table": text}, ensure_ascii=False, indent=1)
        )
    if args.quick:
        failed = [row[0] for row in rows if "failed" in row[0] or "answered" in row[0]]
        if failed:
            raise SystemExit(f"smoke run: requests failed in {failed}")


if __name__ == "__main__":
    main()
