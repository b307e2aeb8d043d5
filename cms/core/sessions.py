"""Staff sessions end after `STAFF_SESSION_IDLE_SECONDS` without a request, and in any case
`STAFF_SESSION_MAX_SECONDS` after signing in (a shared office computer left signed in is the
risk). Residents have no accounts, so only authenticated sessions are timed.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "staff_last_seen"
SIGNED_IN_KEY = "staff_signed_in"
#: The session is written at most once a minute just to move "last seen".
TOUCH_EVERY_SECONDS = 60


def idle_limit() -> int:
    return int(getattr(settings, "STAFF_SESSION_IDLE_SECONDS", 30 * 60))


def absolute_limit() -> int:
    return int(getattr(settings, "STAFF_SESSION_MAX_SECONDS", 10 * 60 * 60))


class StaffSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        session = request.session
        last_seen = session.get(LAST_SEEN_KEY, now)
        signed_in = session.get(SIGNED_IN_KEY, now)
        if now - last_seen > idle_limit() or now - signed_in > absolute_limit():
            logout(request)
            messages.info(request, _("You were signed out because your session expired."))
            login_url = reverse("wagtailadmin_login")
            return HttpResponseRedirect(f"{login_url}?next={request.path}")
        if SIGNED_IN_KEY not in session:
            session[SIGNED_IN_KEY] = now
        if now - last_seen >= TOUCH_EVERY_SECONDS or LAST_SEEN_KEY not in session:
            session[LAST_SEEN_KEY] = now
        return self.get_response(request)
