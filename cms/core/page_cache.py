"""Whole public pages kept for anonymous visitors until something they show changes.

Why: a program page or the program index costs 20+ queries and a StreamField render per view,
while what a resident reads only changes when an editor publishes or a report is published.

How it decides, in one place:

- **Which requests**: GET without a query string, from a visitor with no session or messages
  cookie and no Authorization header (`cacheable_request`). A signed-in editor, a resident whose
  session remembers a reference and anyone with a one-time message always get a fresh page. A
  CSRF cookie alone does not matter: the cached page types carry no form that posts.
- **Which pages**: only page types that say `cache_for_visitors = True` (home, program index,
  program, standard pages), only when no view restriction covers them, only a 200 that sets no
  cookie, did not ask for a CSRF token, is not streamed and says nothing against caching.
- **Languages**: the key is scheme, host and path; Georgian lives at `/` and English under
  `/en/`, and the language comes from the path alone (`prefix_default_language=False`), so the
  two are never mixed. The stored response keeps its own `Content-Language` and `Vary`, plus
  `Vary: Cookie` (a visitor with a session gets another answer).
- **Until when**: every entry carries the generation that was current when its request
  started; `invalidate()` sets a new random generation, so every entry becomes stale at once.
  Editors' actions call it (publish, unpublish, move, delete, draft saves of any page, view
  restrictions, sites, locales, images, documents, the footer's contacts; each app adds the
  data its pages show: `programs` its taxonomy, `reports` the reports and periods). It runs
  immediately and again after the transaction commits, so a request that read the data just
  before the commit cannot keep it. `PAGE_CACHE_SECONDS` bounds any entry's life anyway.

**Form pages** (evaluation and needs forms) carry three values of their own: the visitor's CSRF
token, the signed time-trap token and the idempotency key. Their first anonymous GET of the day
is rendered as usual and kept with those three values cut out (`form_shell`); a later GET gets
the kept page with fresh values filled in by `FormShellMiddleware`, which sits right after
Django's CSRF middleware so that `get_token()` sets the CSRF cookie exactly as a rendered page
would. Every POST (check answers, send, and every check they make) goes through the view.

The cache is the `pages` alias (`cms/settings/base.py`): the database table `cms_page_cache`
by default, shared by every worker and container without anything else to run; Redis when
`REDIS_URL` is set. Each lookup is one round trip (the generation and the entry together).
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any, TypeGuard

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

ALIAS = "pages"
GENERATION_KEY = "generation"
#: Set on the request by the `before_serve_page` hook when the page may be kept.
ALLOWED_ATTRIBUTE = "page_cache_allowed"
#: Set by a form page's view when its questions step may be kept as a shell.
FORM_ATTRIBUTE = "page_cache_form"
#: The kept shell of a form page, handed by the outer middleware to `FormShellMiddleware`.
SHELL_ATTRIBUTE = "page_cache_shell"

PAGE, FORM = "page", "form"
#: What a form page carries of its own: hidden input name -> placeholder in the kept shell.
FORM_VALUES = {
    "csrfmiddlewaretoken": "\ue000csrf\ue000",
    "form_token": "\ue000form_token\ue000",
    "idempotency_key": "\ue000idempotency_key\ue000",
}
#: How each value is made for a visitor; the forms app registers its own (`register_form_value`).
FORM_VALUE_MAKERS: dict[str, Callable[[HttpRequest], str]] = {"csrfmiddlewaretoken": get_token}
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')
#: Entries are plain tuples (never a class that a new release could change under pickle):
#: (FORMAT, generation, kind, status, headers, body).
FORMAT = "page-cache-1"
Entry = tuple[str, str, str, int, list[tuple[str, str]], str]


def register_form_value(name: str, make: Callable[[HttpRequest], str]) -> None:
    FORM_VALUE_MAKERS[name] = make


def valid_entry(entry: Any, generation: str | None) -> TypeGuard[Entry]:
    return (
        generation is not None
        and isinstance(entry, tuple)
        and len(entry) == 6
        and entry[0] == FORMAT
        and entry[1] == generation
    )


def page_cache() -> BaseCache:
    return caches[ALIAS]


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", True))


def timeout() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 600))


def private_cookies() -> tuple[str, ...]:
    """Cookies that mean the visitor may see something of their own."""
    return (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)


def cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and "HTTP_AUTHORIZATION" not in request.META
        and not any(name in request.COOKIES for name in private_cookies())
    )


def cache_key(request: HttpRequest) -> str:
    scheme = "https" if request.is_secure() else "http"
    address = f"{scheme}://{request.META.get('HTTP_HOST', '')}{request.path}"
    return "page:" + hashlib.sha256(address.encode()).hexdigest()


def allow(page: Any, request: HttpRequest) -> None:
    """Called before Wagtail serves a page: mark the request when this page may be kept."""
    if getattr(page, "cache_for_visitors", False) and not page.get_view_restrictions().exists():
        setattr(request, ALLOWED_ATTRIBUTE, True)


def allow_form_shell(page: Any, request: HttpRequest) -> None:
    """Called by a form page's view for an unbound questions step (no invitation code)."""
    if not page.get_view_restrictions().exists():
        setattr(request, FORM_ATTRIBUTE, True)


def refuses_caching(response: HttpResponseBase) -> bool:
    cache_control = response.get("Cache-Control", "").lower()
    return any(word in cache_control for word in ("private", "no-store", "no-cache"))


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page that asked for a CSRF token has the visitor's token in its HTML.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not refuses_caching(response)
    )


def form_shell(request: HttpRequest, response: HttpResponseBase) -> str | None:
    """The form page with its three own values replaced by placeholders, or None when the
    response is anything but a plain questions step (another cookie, other hidden values)."""
    if (
        response.status_code != 200
        or not isinstance(response, HttpResponse)
        or set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        or (getattr(request, "session", None) is not None and request.session.modified)
        or set(FORM_VALUES) != set(FORM_VALUE_MAKERS)
    ):
        return None
    body = response.content.decode(response.charset)
    found: dict[str, str] = {}
    for name, value in HIDDEN_INPUT.findall(body):
        if name in FORM_VALUES:
            if name in found or not value:
                return None
            found[name] = value
    if set(found) != set(FORM_VALUES):
        return None
    for name, value in found.items():
        body = body.replace(value, FORM_VALUES[name])
    if any(body.count(placeholder) != 1 for placeholder in FORM_VALUES.values()):
        return None
    return body


def new_generation() -> str:
    return uuid.uuid4().hex


def set_new_generation() -> None:
    try:
        page_cache().set(GENERATION_KEY, new_generation(), None)
    except Exception as error:  # an editor's publish must not fail with the cache
        logger.error(
            "The kept public pages could not be made stale (%s): they may show the old "
            "content for up to PAGE_CACHE_SECONDS.",
            type(error).__name__,
        )


def invalidate() -> None:
    """Make every kept page stale: now (inside the editor's transaction) and after commit."""
    if not enabled():
        return
    set_new_generation()
    transaction.on_commit(set_new_generation)


def invalidate_on_signal(sender: Any, **kwargs: Any) -> None:
    """A signal receiver for any change that a kept page may show."""
    invalidate()


def rebuilt(entry: Entry, body: str) -> HttpResponse:
    _format, _generation, _kind, status, headers, _body = entry
    response = HttpResponse(body, status=status)
    for name, value in headers:
        if name.lower() != "content-length":
            response[name] = value
    response["Content-Length"] = str(len(response.content))
    return response


class PublicPageCacheMiddleware:
    """Answers a repeated anonymous GET of a kept page before sessions, CSRF and Wagtail.

    Sits after the security headers, WhiteNoise and CORS (they still apply to every answer)
    and before sessions, so everything inside it, X-Frame-Options and Content-Language
    included, is stored with the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def fresh(self, request: HttpRequest) -> HttpResponseBase:
        """The page rendered for this request, never kept."""
        response = self.get_response(request)
        if getattr(request, ALLOWED_ATTRIBUTE, False):
            patch_vary_headers(response, ("Cookie",))
        return response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not enabled() or not cacheable_request(request):
            return self.fresh(request)
        cache = page_cache()
        # Form shells hold today's date choices (years, months): one per day.
        key = cache_key(request)
        form_key = f"{key}:{timezone.localdate().isoformat()}"
        try:
            found = cache.get_many([GENERATION_KEY, key, form_key])
        except Exception as error:
            # The cache is down or its table missing (a database not migrated yet): serve the
            # page as if nothing were kept, never an error.
            logger.warning("The page cache could not be read (%s).", type(error).__name__)
            return self.fresh(request)
        generation: str | None = found.get(GENERATION_KEY)
        for entry in (found.get(key), found.get(form_key)):
            if valid_entry(entry, generation):
                if entry[2] == PAGE:
                    return rebuilt(entry, entry[5])
                setattr(request, SHELL_ATTRIBUTE, entry)
        response = self.get_response(request)
        if getattr(request, SHELL_ATTRIBUTE, None) is not None:
            return response
        if getattr(request, ALLOWED_ATTRIBUTE, False):
            patch_vary_headers(response, ("Cookie",))
            if storable(request, response) and isinstance(response, HttpResponse):
                body = response.content.decode(response.charset)
                self.store(key, generation, PAGE, response, body)
        elif getattr(request, FORM_ATTRIBUTE, False) and (shell := form_shell(request, response)):
            self.store(form_key, generation, FORM, response, shell)
        return response

    def _store(
        self,
        key: str,
        generation: str | None,
        kind: str,
        response: HttpResponseBase,
        body: str,
    ) -> None:
        """Keep the answer under the generation its request started with (so an edit that
        committed meanwhile makes it stale at once)."""
        cache = page_cache()
        if generation is None:
            # No generation yet (first request, or the cache lost it): start one, unless another
            # request or an invalidation got there first.
            generation = new_generation()
            if not cache.add(GENERATION_KEY, generation, None):
                return
        headers = [(name, value) for name, value in response.items()]
        entry: Entry = (FORMAT, generation, kind, response.status_code, headers, body)
        cache.set(key, entry, timeout())

    def store(self, *args: Any) -> None:
        """`_store`, but a cache that is down only means the page is not kept."""
        try:
            self._store(*args)
        except Exception as error:
            logger.warning("A page could not be kept (%s).", type(error).__name__)


class FormShellMiddleware:
    """Fills a kept form page with the visitor's own CSRF token, a fresh time-trap token and a
    fresh idempotency key. Right after `CsrfViewMiddleware`, which then sets the CSRF cookie
    (and `Vary: Cookie`) as for a rendered page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        entry: Entry | None = getattr(request, SHELL_ATTRIBUTE, None)
        if entry is None:
            return self.get_response(request)
        body = entry[5]
        for name, placeholder in FORM_VALUES.items():
            body = body.replace(placeholder, FORM_VALUE_MAKERS[name](request))
        return rebuilt(entry, body)
