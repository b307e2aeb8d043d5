"""Content-Security-Policy and Permissions-Policy on every response.

Public pages get the strict policy of `CONTENT_SECURITY_POLICY` (django-csp): everything from
this site, no inline script or style, no plugins, no framing; the public site uses no
JavaScript at all, so nothing needs a nonce there. The Wagtail admin gets
`CONTENT_SECURITY_POLICY_ADMIN`: Wagtail 8 still writes small inline initialisers for some
widgets (date pickers, inline panels) and sets inline styles, so its script-src and style-src
allow inline code from this site only, never eval, never another origin. Permissions-Policy
switches off the browser features the platform never uses (camera, microphone, geolocation...).
"""

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse


def is_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith(reverse("wagtailadmin_home"))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy under /admin/."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        admin_policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None)
        if not report_only and parts.config is None and admin_policy and is_admin(request):
            parts.config = admin_policy["DIRECTIVES"]
        return parts


def permissions_policy_header(features: dict[str, list[str]]) -> str:
    """{"camera": []} -> 'camera=()'; {"fullscreen": ["self"]} -> 'fullscreen=(self)'."""
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        features = getattr(settings, "PERMISSIONS_POLICY", {})
        if features and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy_header(features)
        return response
