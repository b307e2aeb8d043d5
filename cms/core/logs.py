"""Structured logs: one JSON object per line in production, each with the request's id.

The id comes from the reverse proxy's `X-Request-ID` when it is a plausible token (so the proxy's
access log and ours can be joined), otherwise it is generated; it is returned in the response's
`X-Request-ID`, so a resident or staff member can quote it when reporting a problem. Every log
record made while the request is handled carries it (`request_id`), including Django's own
error records; work outside a request (tasks, scheduled jobs) logs `request_id: null`.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
ACCEPTED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{8,128}$")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
request_logger = logging.getLogger("cms.request")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (a filter on the handler, so every logger gets it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line: time, level, logger, message, request id, and any extras."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)


def incoming_request_id(request: HttpRequest) -> str:
    candidate = request.headers.get(REQUEST_ID_HEADER, "")
    return candidate if ACCEPTED_REQUEST_ID.match(candidate) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request id for the request's log records and response; logs one access line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        current = incoming_request_id(request)
        # Cleared on `request_finished`, not here: Django logs a 4xx/5xx response after the
        # middleware chain has returned, and that record must carry the id too.
        request_id.set(current)
        request.request_id = current  # type: ignore[attr-defined]  # our own attribute on the request
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = current
        # The path only: query strings can carry a resident's reference or search terms.
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


@receiver(request_finished, dispatch_uid="cms.core.logs.clear_request_id")
def clear_request_id(**kwargs: Any) -> None:
    request_id.set(None)
