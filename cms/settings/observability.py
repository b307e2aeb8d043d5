"""Logging and error tracking, configured from the environment by the settings modules.

Kept apart from the settings themselves so that production and the other environments build
the same logging tree, and so that Sentry is imported only when a DSN is configured.
"""

import os

QUIET_LOGGERS = ("django_tasks", "wagtail", "modelsearch", "axes")


def logging_config(log_format: str = "text", level: str | None = None) -> dict:
    """`json`: one JSON object per line with the request id (production); `text` otherwise.

    In JSON mode the per-request access line of `cms.request` is on, and gunicorn's own access
    log is off (site/docker/gunicorn.conf.py), so every line of the container is JSON.
    """
    json_logs = log_format == "json"
    formatter = (
        {"()": "cms.core.logs.JsonFormatter"}
        if json_logs
        else {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "cms.core.logs.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "default",
            }
        },
        "root": {"handlers": ["console"], "level": level or os.environ.get("LOG_LEVEL", "INFO")},
        # Task and page-publishing chatter drowns what matters in the console.
        "loggers": {
            **{name: {"level": "WARNING"} for name in QUIET_LOGGERS},
            "cms.request": {"level": "INFO" if json_logs else "WARNING"},
        },
    }


def init_sentry(dsn: str) -> None:
    """Report errors to Sentry (or a compatible tracker) without residents' data.

    No request bodies (forms carry personal numbers), no cookies or user details, no local
    variables of stack frames; only the error, its stack and the request's path and headers.
    """
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
    )
