"""`/healthz` and `/readyz` for load balancers and container orchestrators.

Answered by the first middleware, before host validation, the HTTPS redirect, sessions and
the URL resolver: a probe comes over plain HTTP with the container's address as its host, and
must neither be redirected nor refused. `/healthz` says the process is alive and touches
nothing; `/readyz` checks what a request needs (database, cache, media and private storage).
Neither says more than a check's name, its outcome and the class of a failure: no host names,
no settings, no error messages (which may carry addresses or credentials).
"""

import os
import time
import uuid
from collections.abc import Callable

from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

PROBE_NAME = "readyz-probe"


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    cache = caches["default"]
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise LookupError("the cache did not return what was stored")
    cache.delete(key)


def check_storage(alias: str) -> Callable[[], None]:
    def check() -> None:
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            # Local folders are created on the first upload: writable is what matters.
            os.makedirs(storage.location, exist_ok=True)
            if not os.access(storage.location, os.W_OK):
                raise PermissionError("the storage folder is not writable")
        else:
            storage.exists(PROBE_NAME)  # a HEAD request to an object store

    return check


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "media_storage": check_storage("default"),
    "private_storage": check_storage("exports"),
}


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def liveness() -> HttpResponse:
    return no_store(JsonResponse({"status": "ok"}))


def readiness() -> HttpResponse:
    results = {}
    for name, check in READINESS_CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 -- any failure means "not ready", never a 500
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    ready = all(result["ok"] for result in results.values())
    body = {"status": "ok" if ready else "unavailable", "checks": results}
    return no_store(JsonResponse(body, status=200 if ready else 503))


ENDPOINTS: dict[str, Callable[[], HttpResponse]] = {"/healthz": liveness, "/readyz": readiness}


class HealthCheckMiddleware:
    """First in MIDDLEWARE: answers the two probe paths, passes everything else on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        endpoint = ENDPOINTS.get(request.path_info.rstrip("/") or "/")
        if endpoint is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"status": "method not allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return endpoint()
