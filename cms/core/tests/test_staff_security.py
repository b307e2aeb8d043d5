"""Staff sign-in hardening (issue 10, finding 4): TOTP two-step verification with recovery
codes, a superuser's reset, login lockout, a password-reset mail budget, session timeouts."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from cms.core import sessions, two_factor
from cms.core.roles import ANALYSTS, PLATFORM_MANAGERS, ROLES
from cms.core.tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db
ADMIN = "/admin/"


def code(device: TOTPDevice, ahead: int = 0) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    return f"{value:06d}"


@pytest.fixture
def required(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    return settings


def enrol(client: Client, user) -> tuple[TOTPDevice, list[str]]:
    client.get(reverse("core_two_factor:enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = client.post(reverse("core_two_factor:enrol"), {"code": code(device)})
    assert response.status_code == 200
    return device, list(response.context["codes"])


class TestTwoStepVerification:
    @pytest.mark.parametrize("role", ROLES, ids=lambda role: role.username)
    def test_every_staff_role_must_enrol_first(self, client, required, role) -> None:
        client.force_login(staff_user(role, username=role.username))
        response = client.get(ADMIN)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core_two_factor:enrol"))
        assert client.get(reverse("wagtailsnippets_feedback_forms_need:list")).status_code == 302

    def test_off_unless_required(self, client, settings) -> None:
        settings.STAFF_TWO_FACTOR_REQUIRED = False
        client.force_login(staff_user(ANALYSTS, username="analyst"))
        assert client.get(ADMIN).status_code == 200

    def test_enrolment_shows_a_qr_code_drawn_here_and_confirms_with_a_code(
        self, client, required
    ) -> None:
        user = staff_user(PLATFORM_MANAGERS, username="manager")
        client.force_login(user)
        page = client.get(reverse("core_two_factor:enrol"))
        html = page.content.decode()
        assert "<svg" in html and "otpauth" not in html.split("<svg", 1)[0]
        assert "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
            "http://www.w3.org/2000/svg", ""
        )  # no image from any service
        assert "no-store" in page["Cache-Control"]
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        secret = two_factor.secret_for_display(device).replace(" ", "")
        assert secret in html.replace(" ", "")
        wrong = client.post(reverse("core_two_factor:enrol"), {"code": "000000"})
        assert wrong.status_code == 400 and not two_factor.is_enrolled(user)
        device, codes = enrol(client, user)
        assert len(codes) == two_factor.RECOVERY_CODE_COUNT == len(set(codes))
        assert two_factor.is_enrolled(user)
        assert client.get(ADMIN).status_code == 200  # verified in this session
        assert ModelLogEntry.objects.filter(action=two_factor.LOG_ENROLLED).exists()

    def test_a_new_session_must_verify(self, client, required) -> None:
        user = staff_user(PLATFORM_MANAGERS, username="manager")
        client.force_login(user)
        device, _codes = enrol(client, user)
        other = Client()
        other.force_login(user)
        response = other.get(ADMIN)
        assert response["Location"].startswith(reverse("core_two_factor:verify"))
        refused = other.post(reverse("core_two_factor:verify"), {"code": "123456", "next": ADMIN})
        assert refused.status_code == 400 and other.get(ADMIN).status_code == 302
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        response = other.post(
            reverse("core_two_factor:verify"), {"code": code(device, ahead=1), "next": ADMIN}
        )
        assert response.status_code == 302 and response["Location"] == ADMIN
        assert other.get(ADMIN).status_code == 200

    def test_a_recovery_code_works_once(self, client, required) -> None:
        user = staff_user(PLATFORM_MANAGERS, username="manager")
        client.force_login(user)
        _device, codes = enrol(client, user)
        first, second = Client(), Client()
        first.force_login(user)
        first.post(reverse("core_two_factor:verify"), {"code": codes[0]})
        assert first.get(ADMIN).status_code == 200
        second.force_login(user)
        second.post(reverse("core_two_factor:verify"), {"code": codes[0]})
        assert second.get(ADMIN).status_code == 302  # used up
        StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
        second.post(reverse("core_two_factor:verify"), {"code": codes[1]})
        assert second.get(ADMIN).status_code == 200
        assert StaticToken.objects.filter(device__user=user).count() == len(codes) - 2

    def test_wrong_codes_are_throttled(self, client, required) -> None:
        user = staff_user(PLATFORM_MANAGERS, username="manager")
        client.force_login(user)
        device, _codes = enrol(client, user)
        other = Client()
        other.force_login(user)
        for _attempt in range(3):
            other.post(reverse("core_two_factor:verify"), {"code": "000000"})
        # Even the right code is refused while the device is throttled.
        other.post(reverse("core_two_factor:verify"), {"code": code(device, ahead=1)})
        assert other.get(ADMIN).status_code == 302

    def test_a_superuser_resets_a_lost_phone(self, client, required) -> None:
        user = staff_user(PLATFORM_MANAGERS, username="manager")
        client.force_login(user)
        enrol(client, user)
        root = UserFactory(username="root", is_superuser=True)
        admin = Client()
        admin.force_login(root)
        root_device, _codes = enrol(admin, root)
        listing = admin.get(reverse("wagtailusers_users:index")).content.decode()
        reset_url = reverse("core_two_factor:reset", args=[user.pk])
        assert reset_url in listing
        assert admin.post(reset_url).status_code == 302
        assert not TOTPDevice.objects.filter(user=user).exists()
        assert not StaticDevice.objects.filter(user=user).exists()
        entry = ModelLogEntry.objects.get(action=two_factor.LOG_RESET)
        assert entry.user == root and entry.object_id == str(user.pk)
        client.force_login(user)
        assert client.get(ADMIN)["Location"].startswith(reverse("core_two_factor:enrol"))

    def test_only_a_superuser_may_reset(self, client, required) -> None:
        user = staff_user(PLATFORM_MANAGERS, username="manager")
        client.force_login(user)
        enrol(client, user)
        victim = staff_user(ANALYSTS, username="analyst")
        TOTPDevice.objects.create(user=victim, name="x", confirmed=True)
        assert client.post(reverse("core_two_factor:reset", args=[victim.pk])).status_code in (
            302,
            403,
        )
        assert TOTPDevice.objects.filter(user=victim).exists()

    def test_the_reset_command(self, required) -> None:
        user = staff_user(ANALYSTS, username="analyst")
        TOTPDevice.objects.create(user=user, name="x", confirmed=True)
        call_command("reset_two_factor", "analyst")
        assert not TOTPDevice.objects.filter(user=user).exists()


class TestLoginLockout:
    def test_after_the_limit_even_the_right_password_is_refused(self, client, settings) -> None:
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 5
        staff_user(ANALYSTS, username="analyst")  # password "staff-password"
        login = reverse("wagtailadmin_login")
        for _attempt in range(5):
            response = client.post(login, {"username": "analyst", "password": "wrong"})
        assert response.status_code == 429
        response = client.post(login, {"username": "analyst", "password": "staff-password"})
        assert response.status_code == 429
        assert SESSION_KEY not in client.session
        html = response.content.decode()
        assert "ძალიან ბევრი მცდელობა" in html  # Georgian, the default language

    def test_the_lockout_page_is_translated(self, client, settings) -> None:
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 1
        staff_user(ANALYSTS, username="analyst")
        response = client.post(
            reverse("wagtailadmin_login"),
            {"username": "analyst", "password": "wrong"},
            HTTP_ACCEPT_LANGUAGE="ka",
        )
        assert response.status_code == 429
        html = response.content.decode()
        assert "Too many attempts" not in html and "ძალიან ბევრი მცდელობა" in html
        english = Client().post(
            reverse("wagtailadmin_login"),
            {"username": "analyst", "password": "wrong"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert english.status_code == 429

    def test_below_the_limit_the_right_password_signs_in(self, client, settings) -> None:
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 5
        staff_user(ANALYSTS, username="analyst")
        login = reverse("wagtailadmin_login")
        for _attempt in range(3):
            client.post(login, {"username": "analyst", "password": "wrong"})
        client.post(login, {"username": "analyst", "password": "staff-password"})
        assert SESSION_KEY in client.session


def test_password_reset_mails_are_limited_per_address(client, settings) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.PASSWORD_RESET_LIMITS = {"email": (3, 3600), "ip": (50, 3600)}
    staff_user(ANALYSTS, username="analyst", email="analyst@tskaltubo.gov.ge")
    url = reverse("wagtailadmin_password_reset")
    responses = [client.post(url, {"email": "analyst@tskaltubo.gov.ge"}) for _ in range(6)]
    assert len(mail.outbox) == 3
    assert {r.status_code for r in responses} == {302}  # the same answer every time
    client.post(url, {"email": "someone-else@tskaltubo.gov.ge"})
    assert len(mail.outbox) == 3


def test_the_reset_budget_keeps_neither_the_address_nor_the_ip_in_the_cache(
    client, settings
) -> None:
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if not isinstance(cache, LocMemCache):
        pytest.skip("reads the keys of the in-memory cache")
    cache.clear()
    settings.PASSWORD_RESET_LIMITS = {"email": (3, 3600), "ip": (2, 3600)}
    ip = "203.0.113.77"
    addresses = [f"staff{n}@tskaltubo.gov.ge" for n in range(3)]
    for n, address in enumerate(addresses):
        staff_user(ANALYSTS, username=f"staff{n}", email=address)
    url = reverse("wagtailadmin_password_reset")
    for address in addresses:
        client.post(url, {"email": address.upper()}, REMOTE_ADDR=ip)

    assert len(mail.outbox) == 2  # the client's budget still counts, per address
    keys = [str(key) for key in cache._cache]
    assert len([key for key in keys if "password-reset:" in key]) == 4  # 3 addresses, 1 client
    for key in keys:
        assert ip not in key and "203.0.113" not in key, key
        assert "tskaltubo" not in key.lower() and "staff" not in key.lower(), key


class TestSessionTimeouts:
    def test_an_idle_staff_session_ends(self, client, settings) -> None:
        settings.STAFF_SESSION_IDLE_SECONDS = 1800
        client.force_login(staff_user(ANALYSTS, username="analyst"))
        assert client.get(ADMIN).status_code == 200
        session = client.session
        session[sessions.LAST_SEEN_KEY] = int(time.time()) - 1801
        session.save()
        response = client.get(ADMIN)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
        assert SESSION_KEY not in client.session

    def test_activity_keeps_it_alive_until_the_absolute_limit(self, client, settings) -> None:
        settings.STAFF_SESSION_IDLE_SECONDS = 1800
        settings.STAFF_SESSION_MAX_SECONDS = 36000
        client.force_login(staff_user(ANALYSTS, username="analyst"))
        client.get(ADMIN)
        session = client.session
        session[sessions.LAST_SEEN_KEY] = int(time.time()) - 600
        session[sessions.SIGNED_IN_KEY] = int(time.time()) - 30000
        session.save()
        assert client.get(ADMIN).status_code == 200
        session = client.session
        session[sessions.SIGNED_IN_KEY] = int(time.time()) - 36001
        session.save()
        assert client.get(ADMIN).status_code == 302
