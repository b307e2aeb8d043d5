"""Settings shared by every environment.

Environment-specific modules (dev, test, production) import from here and override.
Values that differ between machines come from the environment, never from code.
"""

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from cms.core.municipality import lazy_site_name, read_data_set

from .observability import logging_config

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

# The municipality the platform serves: a data set (municipality.json and the reference CSVs)
# per code under MUNICIPALITY_DATA_DIR. Changing municipality is changing these, not code.
MUNICIPALITY = os.environ.get("MUNICIPALITY", "tskaltubo")
MUNICIPALITY_DATA_DIR = Path(
    os.environ.get("MUNICIPALITY_DATA_DIR", BASE_DIR / "programs" / "data" / "municipalities")
)
#: The selected data set, for the settings below that need a name before any request.
MUNICIPALITY_DATA = read_data_set(MUNICIPALITY_DATA_DIR / MUNICIPALITY)


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list without empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


INSTALLED_APPS = [
    "corsheaders",
    "cms.core",
    "home",
    "programs",
    "feedback_forms",
    "reports",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "ninja",  # serves the API docs' assets locally instead of from a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.core.security_headers.ContentSecurityPolicyMiddleware",
    "cms.core.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware and anything that can answer early, so preflights get headers.
    "corsheaders.middleware.CorsMiddleware",
    # Answers repeated anonymous GETs of public pages before sessions, CSRF and Wagtail.
    "cms.core.page_cache.PublicPageCacheMiddleware",
    # What the rest of a request reads more than once (reference data, the default locale).
    "cms.core.request_memo.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Fills a kept form page with this visitor's CSRF, time-trap and idempotency values.
    "cms.core.page_cache.FormShellMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.core.admin_language.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cms.core.sessions.StaffSessionTimeoutMiddleware",
    "cms.core.two_factor.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.core.page_editor.PageSaveRaceMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

# Before everything else: probes are answered without host checks or HTTPS redirects, and every
# other request gets its id (for the logs and the X-Request-ID response header) first.
MIDDLEWARE = [
    "cms.core.health.HealthCheckMiddleware",
    "cms.core.logs.RequestIdMiddleware",
    *MIDDLEWARE,
]

ROOT_URLCONF = "cms.urls"
# A refused CSRF check shows the site's own translated page; on a public form it keeps the
# resident's answers (feedback_forms.failure_views.csrf_failure).
CSRF_FAILURE_VIEW = "feedback_forms.failure_views.csrf_failure"
# Widgets render with the project's templates too (three-box date of birth, month and year).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL selects PostgreSQL in production; the embedded default is SQLite in
# an untracked folder. SQLite needs IMMEDIATE transactions, WAL and a busy timeout, otherwise
# two residents submitting at once get "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
}


def database_from_environment() -> dict[str, Any] | dj_database_url.DBConfig:
    """Build the default database: PostgreSQL keeps connections alive and health-checked."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


DATABASES = {"default": database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff sign-in (README "Security"): django-axes counts failures first, then Django checks the
# password; TOTP two-step verification (django-otp) is required where
# STAFF_TWO_FACTOR_REQUIRED is on (production's default).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = f"{MUNICIPALITY_DATA['identity']['place_en']} feedback"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "cms.core.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cms.core.throttling.axes_client_ip"
# Days django-axes' sign-in records (who signed in or failed, from which address and browser)
# are kept: the `purge_sign_in_records` scheduled job deletes older ones (docs/data-protection.md).
SIGN_IN_RECORD_RETENTION_DAYS = int(os.environ.get("SIGN_IN_RECORD_RETENTION_DAYS", "90"))
WAGTAILADMIN_USER_LOGIN_FORM = "cms.core.login_form.LoginForm"
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "cms.core.throttling.ThrottledPasswordResetForm"  # noqa: S105
PASSWORD_RESET_LIMITS = {"email": (3, 3600), "ip": (10, 3600)}
# Staff sessions: signed out after 30 idle minutes and 10 hours after signing in at the latest.
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", str(30 * 60)))
STAFF_SESSION_MAX_SECONDS = int(os.environ.get("STAFF_SESSION_MAX_SECONDS", str(10 * 60 * 60)))
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_SECONDS

# Content-Security-Policy (django-csp 4 format). Public pages: strict, no inline code at all (the
# public site works without JavaScript). The admin: what Wagtail 8 needs, inline code from this
# site only (see cms/core/security_headers.py). Both forbid eval, plugins, other origins, framing.
CSP_SELF, CSP_NONE, CSP_INLINE = "'self'", "'none'", "'unsafe-inline'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
        "frame-src": [CSP_NONE],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
    }
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_INLINE],
        "style-src": [CSP_SELF, CSP_INLINE],
        "img-src": [CSP_SELF, "data:", "blob:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_SELF],  # the page editor's live preview
        "frame-src": [CSP_SELF],
        "worker-src": [CSP_SELF, "blob:"],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
    }
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    name: []
    for name in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: Georgian first, served at "/"; English under "/en/".
LANGUAGE_CODE = "ka"
LANGUAGES = [("ka", _("Georgian")), ("en", _("English"))]
# The project's own strings first, then its Georgian catalogues of Wagtail's and Django's admin
# strings (locale/upstream, built by locale/upstream/build.py): both win over the apps' own.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "upstream"]
TIME_ZONE = "Asia/Tbilisi"
USE_I18N = True
USE_TZ = True
# One format per language for every surface (cms/formats/<lang>/formats.py, cms.core.formatting).
FORMAT_MODULE_PATH = ["cms.formats"]

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Staff work in Tbilisi: one zone, so the account screen offers no list of 400 zone names and
# every time in the admin is Tbilisi time.
WAGTAIL_USER_TIME_ZONES = ["Asia/Tbilisi"]

# Static and media files. site/ is not a Python package: it only holds files.
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
WHITENOISE_ROOT = BASE_DIR / "site" / "public"

PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Exports of residents' submissions: never under MEDIA_URL, served by a checked view.
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Caches: Redis when REDIS_URL is set (shared between gunicorn workers), else local memory.
# `pages` keeps whole public pages for anonymous visitors (cms/core/page_cache.py): it must be
# shared by every worker, since an editor's publish in one must reach them all, so without
# Redis it is the database table `cms_page_cache` (created by `migrate`), never local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
#: Starts every key this site writes to Redis (caches and rate-limit counters), so that two
#: sites, or a test run and a site, can share one Redis server without reading each other's keys.
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "")
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
#: The longest a kept page lives even if no change is noticed (publishing makes it stale at once).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}pages",
            "TIMEOUT": PAGE_CACHE_SECONDS,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cms_page_cache",
            "TIMEOUT": PAGE_CACHE_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

# Background work goes through django.tasks; inline unless production configures a queue.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Days a finished task's result row (django-tasks-db) is kept: `prune_task_results` job.
TASK_RESULT_RETENTION_DAYS = int(os.environ.get("TASK_RESULT_RETENTION_DAYS", "14"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", MUNICIPALITY_DATA["deployment"]["from_email"]
)

# SMS to residents (cms/core/sms.py): console here, the HTTP gateway in production, locmem in tests.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "cms.core.sms.ConsoleBackend")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_USER = os.environ.get("SMS_GATEWAY_USER", "")
SMS_GATEWAY_PASSWORD = os.environ.get("SMS_GATEWAY_PASSWORD", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "10"))
SMS_SENDER = os.environ.get("SMS_SENDER", MUNICIPALITY_DATA["deployment"]["sms_sender"])
#: Seconds before each retry of a failed SMS; one attempt more than delays in all.
SMS_RETRY_DELAYS: tuple[int, ...] = (30, 120, 600, 1800)
#: Days an invitation's code can be used; its contact is erased then (or once it is used).
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "60"))
#: Largest photo a resident may attach to a need.
NEED_PHOTO_MAX_BYTES = 10 * 1024 * 1024

# The personal number is stored only as a keyed HMAC: this key is separate from SECRET_KEY so
# that rotating one never invalidates the other. Production refuses to start without it.
PERSONAL_NUMBER_KEY = os.environ.get("PERSONAL_NUMBER_KEY", "")
PERSONAL_NUMBER_KEY_VERSION = int(os.environ.get("PERSONAL_NUMBER_KEY_VERSION", "1"))

# Public forms: behind a reverse proxy, the number of proxies whose X-Forwarded-For entries are
# trusted to find the resident's address (0 = use REMOTE_ADDR; 1 behind one HTTPS proxy).
FEEDBACK_TRUSTED_PROXY_COUNT = int(os.environ.get("FEEDBACK_TRUSTED_PROXY_COUNT", "0"))

# Wagtail
# Named from the selected data set, translated where it is shown (cms.core.municipality).
WAGTAIL_SITE_NAME = lazy_site_name()
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "xlsx", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No staff e-mail hash goes to an avatar service (and the admin CSP allows no other origin).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# The public site's address (scheme and host, no path): every absolute URL the APIs and e-mails
# give (html_url, tracking and privacy links) starts with it, never with the Site record's
# hostname (README, "Headless front-ends"). Defaults to WAGTAILADMIN_BASE_URL.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")

# Cross-origin front-ends (django-cors-headers): only the origins listed in CORS_ALLOWED_ORIGINS
# (comma-separated, e.g. "https://app.example.gov.ge"), only on the two APIs, never with
# credentials: the APIs need no cookie, and a resident's browser session must not travel.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/v[12]/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "OPTIONS", "POST")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "content-type", "idempotency-key")
CORS_EXPOSE_HEADERS = ("Retry-After", "Content-Language")
CORS_PREFLIGHT_MAX_AGE = 3600

# Logging: plain text here, JSON with request ids in production (LOG_FORMAT overrides).
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "text"))
