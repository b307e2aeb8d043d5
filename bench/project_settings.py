"""The project's production settings as the benchmark serves them (bench only).

Production settings (DEBUG off, manifest static files, JSON logs, every protection on) with what
a load test needs: no minimum fill time (the bench sends at once), rate limits high enough for
thousands of submissions from 127.0.0.1 (every limit is still counted: the upserts are part of
the cost measured), mail kept in memory, background tasks run at once.
"""

import os

# Production refuses to start without a named e-mail backend; the bench keeps mail in memory.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from cms.settings.production import *  # noqa: E402, F403

FEEDBACK_MIN_FILL_SECONDS = 0
FEEDBACK_RATE_LIMITS = {"ip": (10**9, 3600), "person": (10**9, 86400)}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
