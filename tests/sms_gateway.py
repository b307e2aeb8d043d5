"""A local HTTP server that plays the SMS gateway, for tests (stdlib only).

    python tests/sms_gateway.py [--port 0] [--fail-first N] [--fail-mode 500|timeout]
                                [--delay SECONDS]

It prints `PORT <n>` on its first line once it listens on 127.0.0.1. Endpoints:

- `POST /send`: a message (JSON: to, text, sender, idempotency_key; the `Idempotency-Key`
  header wins). The first N requests fail: 500, or (timeout mode) the message is recorded as
  delivered and the answer is held for `--delay` seconds, longer than the client waits, the way
  a real gateway that sent the SMS but whose answer was lost behaves. A message whose key was
  already delivered is answered 200 with the same id and not delivered again.
- `GET /messages`: the delivered messages (one per key), `GET /requests`: every request's key
  and the status it got.
- `POST /control`: JSON {"fail_first": N, "fail_mode": "...", "reset": true} changes behaviour.
"""

import argparse
import contextlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Gateway:
    def __init__(self, fail_first: int, fail_mode: str, delay: float) -> None:
        self.lock = threading.Lock()
        self.fail_first = fail_first
        self.fail_mode = fail_mode
        self.delay = delay
        self.reset()

    def reset(self) -> None:
        self.delivered: dict[str, dict] = {}
        self.requests: list[dict] = []


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeSmsGateway/1"

    @property
    def gateway(self) -> Gateway:
        return self.server.gateway  # type: ignore[attr-defined]

    def log_message(self, format: str, *args) -> None:  # noqa: A002 -- quiet
        return

    def reply(self, status: int, payload) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def read_json(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return {}

    def do_GET(self) -> None:
        with self.gateway.lock:
            if self.path == "/messages":
                return self.reply(200, list(self.gateway.delivered.values()))
            if self.path == "/requests":
                return self.reply(200, list(self.gateway.requests))
        self.reply(404, {"error": "not found"})

    def do_POST(self) -> None:
        if self.path == "/control":
            data = self.read_json()
            with self.gateway.lock:
                if data.get("reset"):
                    self.gateway.reset()
                if "fail_first" in data:
                    self.gateway.fail_first = int(data["fail_first"])
                if "fail_mode" in data:
                    self.gateway.fail_mode = str(data["fail_mode"])
            return self.reply(200, {"ok": True})
        if self.path != "/send":
            return self.reply(404, {"error": "not found"})
        data = self.read_json()
        key = self.headers.get("Idempotency-Key") or data.get("idempotency_key") or ""
        auth = self.headers.get("Authorization", "")
        if not key or not data.get("to") or not data.get("text"):
            return self.reply(400, {"error": "to, text and an idempotency key are required"})
        with self.gateway.lock:
            failing = self.gateway.fail_first > 0
            if failing:
                self.gateway.fail_first -= 1
            mode = self.gateway.fail_mode
            known = self.gateway.delivered.get(key)
            if known is None and not (failing and mode == "500"):
                known = {
                    "id": f"gw-{len(self.gateway.delivered) + 1}",
                    "to": data["to"],
                    "text": data["text"],
                    "sender": data.get("sender", ""),
                    "idempotency_key": key,
                    "authorization": auth,
                }
                self.gateway.delivered[key] = known
            status = 500 if failing and mode == "500" else 200
            self.gateway.requests.append({"idempotency_key": key, "status": status})
        if failing and mode == "timeout":
            time.sleep(self.gateway.delay)
        if status == 500:
            return self.reply(500, {"error": "gateway failure"})
        self.reply(200, {"id": known["id"], "status": "accepted"})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--fail-mode", choices=["500", "timeout"], default="500")
    parser.add_argument("--delay", type=float, default=5.0)
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.gateway = Gateway(args.fail_first, args.fail_mode, args.delay)  # type: ignore[attr-defined]
    sys.stdout.write(f"PORT {server.server_address[1]}\n")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
