"""Types for annotations: the request of a view that only a signed-in staff member reaches.

Wagtail's admin wraps its views in `require_admin_access` and the 2FA screens are admin URLs,
so `request.user` there is a real user, never `AnonymousUser`; annotating such a view with
`AuthenticatedRequest` tells mypy so without a runtime check.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedRequest(HttpRequest):
    """Only for annotations; Django builds the requests."""

    user: User
