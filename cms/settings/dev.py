"""Local development: debug on, a fixed insecure key, a development PERSONAL_NUMBER_KEY."""

import contextlib

from .base import *  # noqa: F403
from .base import PERSONAL_NUMBER_KEY

DEBUG = True
SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"]  # noqa: S104
PERSONAL_NUMBER_KEY = PERSONAL_NUMBER_KEY or "dev-only-personal-number-key"

with contextlib.suppress(ImportError):
    from .local import *  # noqa: F403
