"""Tests: fast hashing, in-memory mail, deterministic keys."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PERSONAL_NUMBER_KEY = "test-only-personal-number-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
PUBLIC_BASE_URL = WAGTAILADMIN_BASE_URL
# Failed-login counting is switched on by the tests that check it (cms/core/tests).
AXES_ENABLED = False

# Tests of real concurrency need several connections at once, which SQLite's shared in-memory
# test database cannot give ("database table is locked"): they run again in a subprocess on an
# SQLite file, as the embedded default runs (feedback_forms/tests/test_concurrent_retries.py).
if (test_file := os.environ.get("TEST_SQLITE_FILE")) and DATABASES["default"]["ENGINE"].endswith(  # noqa: F405
    "sqlite3"
):
    DATABASES["default"]["TEST"] = {"NAME": test_file}  # noqa: F405
SMS_BACKEND = "cms.core.sms.LocmemBackend"
SMS_RETRY_DELAYS = (0, 0, 0)
SMS_GATEWAY_TIMEOUT = 2.0
