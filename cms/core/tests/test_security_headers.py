"""Content-Security-Policy and Permissions-Policy (issue 10, finding 5), and what production
switches on. The browser side (no violation on any page) is tests/e2e/test_content_security.py;
a gunicorn run with production settings is in README "Production deployment"."""

import pytest
from django.test import Client

from cms.core.tests.test_settings import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_public_pages_get_the_strict_policy(client: Client, site_content) -> None:
    for path in ("/", "/en/", "/track/", "/no-such-page/"):
        response = client.get(path)
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
        assert "unsafe" not in response["Content-Security-Policy"]
        assert "http" not in response["Content-Security-Policy"]


def test_the_admin_gets_its_own_policy_without_eval_or_other_origins(client: Client) -> None:
    response = client.get("/admin/login/")
    header = response["Content-Security-Policy"]
    policy = directives(header)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-eval'" not in header and "http" not in header and "*" not in header
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]


def test_a_permissions_policy_switches_off_what_the_site_never_uses(client: Client) -> None:
    for path in ("/", "/admin/login/", "/api/v1/openapi.json"):
        header = Client().get(path)["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in header, (path, feature)


def test_the_policy_can_be_changed_in_settings(client: Client, settings, site_content) -> None:
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}
    }
    policy = directives(client.get("/")["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'"]


def test_production_requires_two_factor_and_sends_the_headers() -> None:
    script = (
        "from django.conf import settings as s;"
        "print(s.STAFF_TWO_FACTOR_REQUIRED);"
        "print('cms.core.security_headers.ContentSecurityPolicyMiddleware' in s.MIDDLEWARE);"
        "print('cms.core.two_factor.StaffTwoFactorMiddleware' in s.MIDDLEWARE);"
        "print(s.AXES_ENABLED if hasattr(s, 'AXES_ENABLED') else True);"
        "print(s.SESSION_COOKIE_AGE <= 12 * 3600)"
    )
    result = run_manage("shell", "--no-imports", "-c", script, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"] * 5


@pytest.mark.parametrize(
    ("storage_env", "origin"),
    [
        ({}, None),
        (
            {"STORAGE_ENDPOINT_URL": "https://objects.example.ge:9000/"},
            "https://objects.example.ge:9000",
        ),
        ({"STORAGE_MEDIA_CUSTOM_DOMAIN": "media.example.ge"}, "https://media.example.ge"),
    ],
)
def test_media_in_a_bucket_are_allowed_by_the_image_policy(storage_env, origin) -> None:
    """Editors' images served from object storage must not be blocked by the strict policy."""
    env = {**PRODUCTION_ENV}
    if storage_env:
        env.update(
            STORAGE_BACKEND="s3",
            STORAGE_MEDIA_BUCKET="media",
            STORAGE_PRIVATE_BUCKET="private",
            **storage_env,
        )
    script = (
        "from django.conf import settings as s;"
        "print(' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']));"
        "print(' '.join(s.CONTENT_SECURITY_POLICY_ADMIN['DIRECTIVES']['img-src']))"
    )
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    public, admin = result.stdout.strip().splitlines()
    for policy in (public, admin):
        assert ("'self'" in policy.split()) and ((origin in policy.split()) if origin else True)
        if origin is None:
            assert not any(word.startswith("https://") for word in policy.split())
