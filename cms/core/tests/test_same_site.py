"""A redirect target a client names is followed only when it is this site."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from cms.core.same_site import same_site_url


@pytest.mark.parametrize(
    ("candidates", "secure", "expected"),
    [
        (("/admin/pages/3/",), False, "/admin/pages/3/"),
        (("http://testserver/admin/",), False, "http://testserver/admin/"),
        (("https://evil.example/admin/",), False, ""),
        (("//evil.example/",), False, ""),
        (("javascript:alert(1)",), False, ""),
        ((None, "", "https://evil.example/", "/admin/reports/"), False, "/admin/reports/"),
        (("http://testserver/admin/",), True, ""),
        (("https://testserver/admin/",), True, "https://testserver/admin/"),
        ((), False, ""),
    ],
)
def test_only_this_sites_urls_are_followed(candidates, secure, expected) -> None:
    request = RequestFactory().get("/", secure=secure)
    assert same_site_url(request, *candidates) == expected
