"""Production: every secret comes from the environment and the site refuses to start without it."""

import logging
import os

from django.core.exceptions import ImproperlyConfigured

from cms.core.personal_numbers import key_problem

from .base import *  # noqa: F403
from .base import env_bool, env_list
from .observability import init_sentry, logging_config
from .storage import media_origin, storages_from_environment


def required_env(name: str) -> str:
    """Return an environment variable or stop the process with a message naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


DEBUG = False
SECRET_KEY = required_env("SECRET_KEY")
PERSONAL_NUMBER_KEY = required_env("PERSONAL_NUMBER_KEY")
if problem := key_problem(PERSONAL_NUMBER_KEY, SECRET_KEY):
    raise ImproperlyConfigured(problem)
ALLOWED_HOSTS = env_list(required_env("ALLOWED_HOSTS") and "ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list(required_env("CSRF_TRUSTED_ORIGINS") and "CSRF_TRUSTED_ORIGINS")

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Media and private files: the filesystem (shared volumes) or S3-compatible object storage.
STORAGES = storages_from_environment(STORAGES, MEDIA_ROOT, PRIVATE_ROOT)  # noqa: F405
if MEDIA_ORIGIN := media_origin():
    # Editors' images come from the media bucket: the pages' policies must allow it.
    for policy in (CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_ADMIN):  # noqa: F405
        policy["DIRECTIVES"]["img-src"] = [*policy["DIRECTIVES"]["img-src"], MEDIA_ORIGIN]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Every staff member signs in with a code from their phone as well (README "Security").
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", True)

# Background tasks run from a database-backed queue in production (a worker process drains it).
if os.environ.get("TASKS_BACKEND", "database") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# E-mail: the backend must be named. Without EMAIL_BACKEND, base.py's console backend would write
# every e-mail, residents' and staff members' addresses included, into the container log.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "").strip()
if not EMAIL_BACKEND:
    raise ImproperlyConfigured(
        "The environment variable EMAIL_BACKEND must be set in production, e.g. "
        "django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST (prod.env.example): "
        "without it every e-mail, addresses included, would be written to the log. To send no "
        "e-mail at all, set EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend."
    )

# SMTP for EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"

# SMS through the municipality's HTTP gateway (README "Configuration"; cms/core/sms.py).
# Without SMS_GATEWAY_URL no SMS is sent (never printed: the log would hold phone numbers).
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND",
    "cms.core.sms.HttpGatewayBackend" if SMS_GATEWAY_URL else "cms.core.sms.DisabledBackend",  # noqa: F405
)
if SMS_BACKEND.endswith("HttpGatewayBackend") and not SMS_GATEWAY_URL:  # noqa: F405
    raise ImproperlyConfigured("SMS_GATEWAY_URL must be set for the SMS gateway backend.")

# Commands that must never touch a real site by accident (load_demo_data) check this.
PRODUCTION = True

# One JSON object per log line, with the request id (LOG_FORMAT=text for plain lines).
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "json"))
logging.captureWarnings(True)  # Python's warnings become log records (JSON) too

# Error tracking only when configured: without SENTRY_DSN nothing is imported or sent.
if SENTRY_DSN := os.environ.get("SENTRY_DSN", "").strip():
    init_sentry(SENTRY_DSN)
