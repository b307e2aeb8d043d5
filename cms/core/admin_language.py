"""The admin speaks Georgian unless a staff member chose otherwise.

/admin/ is outside `i18n_patterns`, so Django's LocaleMiddleware picks its language from the
browser's Accept-Language: a Georgian staff member with an English browser got an English admin
(and an English sign-in page). Wagtail uses the profile's "preferred language" when one is set,
and otherwise the active language; this middleware makes that fallback the site's language
(LANGUAGE_CODE, Georgian) for every admin URL, sign-in and password reset included. Choosing
English in Account -> Preferred language still gives English.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

ADMIN_PREFIX = "/admin/"


class AdminLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(ADMIN_PREFIX):
            language = settings.LANGUAGE_CODE
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                profile = getattr(user, "wagtail_userprofile", None)
                language = (profile and profile.preferred_language) or language
            translation.activate(language)
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
            return response
        return self.get_response(request)
