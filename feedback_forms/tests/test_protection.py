"""Abuse protection of the public forms: time-trap token, honeypot, rate limits, client IP."""

import hashlib
import logging
import math
import os
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from io import StringIO

import pytest
import redis
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cms.core.client_address import client_ip
from feedback_forms import protection
from feedback_forms.models import RateLimitCounter
from feedback_forms.protection import (
    HONEYPOT_FIELD_NAME,
    REDIS_KEY_PREFIX,
    DatabaseRateLimiter,
    RateLimitResult,
    RedisRateLimiter,
    TokenCheck,
    check_form_token,
    check_submission_rate,
    get_rate_limiter,
    hash_key,
    honeypot_triggered,
    issue_form_token,
    purge_expired_counters,
    retry_after_minutes,
)

TEST_REDIS_URL = "redis://127.0.0.1:6379/15"
UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"
# The middle of a 60 s window aligned to the epoch: 44.5 s of it remain.
NOW = 30_000_000 * 60 + 15.5


@pytest.fixture
def database_limits(settings):
    """Rate limits in the database, whatever REDIS_URL the environment sets."""
    settings.REDIS_URL = ""
    return settings


# --- Time-trap token -----------------------------------------------------------------------


def test_token_is_ok_after_the_minimum_fill_time():
    token = issue_form_token()
    assert check_form_token(token, now=time.time() + 10) is TokenCheck.OK


def test_tokens_are_unique():
    assert issue_form_token() != issue_form_token()


def test_token_submitted_at_once_is_too_fast():
    assert check_form_token(issue_form_token()) is TokenCheck.TOO_FAST


def test_minimum_fill_time_comes_from_settings(settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 60
    token = issue_form_token()
    assert check_form_token(token, now=time.time() + 30) is TokenCheck.TOO_FAST
    assert check_form_token(token, now=time.time() + 61) is TokenCheck.OK


def test_token_from_the_future_is_too_fast():
    token = issue_form_token()
    assert check_form_token(token, now=time.time() - 3600) is TokenCheck.TOO_FAST


def test_old_token_is_expired(settings):
    token = issue_form_token()
    six_hours = 6 * 3600
    assert check_form_token(token, now=time.time() + six_hours - 10) is TokenCheck.OK
    assert check_form_token(token, now=time.time() + six_hours + 10) is TokenCheck.EXPIRED
    settings.FEEDBACK_FORM_MAX_AGE_SECONDS = 60
    assert check_form_token(token, now=time.time() + 70) is TokenCheck.EXPIRED


def tampered_tokens() -> list[str]:
    token = issue_form_token()
    nonce, timestamp, signature = token.split(":")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    older = signing.b62_encode(signing.b62_decode(timestamp) - 3600)
    return [
        f"{nonce}:{timestamp}:{flipped}",
        f"x{nonce}:{timestamp}:{signature}",
        f"{nonce}:{older}:{signature}",  # backdated to pass the time trap
        f"{nonce}:{timestamp}",
        token + ":",
        token[:-1],
    ]


@pytest.mark.parametrize("index", range(6))
def test_tampered_token_is_invalid(index):
    assert check_form_token(tampered_tokens()[index], now=time.time() + 10) is TokenCheck.INVALID


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        " ",
        ":",
        "::",
        "not a token",
        "a:b:c",
        "ტოკენი:თარიღი:ხელმოწერა",
        "\x00:\x00:\x00",
        "x" * 100_000,
        ("a:" * 50_000) + "b",
        bytes(range(256)).decode("latin-1"),
        bytes(range(256)).decode("utf-8", "surrogateescape"),
        "\ud800:\udfff:abc",
        42,
        b"bytes:are:not-text",
    ],
    ids=repr,
)
def test_garbage_token_is_invalid(token):
    assert check_form_token(token, now=time.time() + 10) is TokenCheck.INVALID


def test_random_text_never_raises():
    rng = random.Random(20260501)
    alphabet = "abcXYZ019-_:=. \t\n\x00ა🙂" + "\ud800"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        assert check_form_token(text, now=time.time() + 10) is TokenCheck.INVALID


def test_token_signed_with_another_salt_is_invalid():
    other = signing.TimestampSigner(salt="feedback_forms.something-else").sign("nonce")
    assert check_form_token(other, now=time.time() + 10) is TokenCheck.INVALID


def test_token_signed_without_timestamp_is_invalid():
    plain = signing.Signer(salt=protection.TIME_TRAP_SALT).sign("nonce")
    assert check_form_token(plain, now=time.time() + 10) is TokenCheck.INVALID


def test_token_signed_with_another_secret_is_invalid(settings):
    token = issue_form_token()
    settings.SECRET_KEY = "another-secret-key"
    assert check_form_token(token, now=time.time() + 10) is TokenCheck.INVALID


def test_token_survives_secret_rotation_through_fallbacks(settings):
    token = issue_form_token()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-secret-key"
    assert check_form_token(token, now=time.time() + 10) is TokenCheck.OK


# --- Honeypot ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "triggered"),
    [
        ({}, False),
        ({"name": "Nino"}, False),
        ({HONEYPOT_FIELD_NAME: ""}, False),
        ({HONEYPOT_FIELD_NAME: "  \t\n"}, False),
        ({HONEYPOT_FIELD_NAME: None}, False),
        ({HONEYPOT_FIELD_NAME: "https://spam.example"}, True),
        ({HONEYPOT_FIELD_NAME: 0}, True),
        (QueryDict("name=Nino"), False),
        (QueryDict("website="), False),
        (QueryDict("website=http%3A%2F%2Fspam.example"), True),
        (QueryDict("website=spam&website="), True),
        (QueryDict("website=&website=spam"), True),
    ],
)
def test_honeypot(data, triggered):
    assert honeypot_triggered(data) is triggered


def test_honeypot_field_name():
    assert HONEYPOT_FIELD_NAME == "website"


# --- Database rate limiter -----------------------------------------------------------------


@pytest.mark.django_db
def test_database_limiter_allows_up_to_the_limit_then_refuses():
    limiter = DatabaseRateLimiter()
    results = [limiter.hit("ip:203.0.113.7", 3, 60, now=NOW) for _ in range(5)]
    assert [result.count for result in results] == [1, 2, 3, 4, 5]
    assert [result.allowed for result in results] == [True, True, True, False, False]
    assert {result.limit for result in results} == {3}
    assert results[0].retry_after == 0
    assert results[3].retry_after == 45  # 44.5 s left in the window, rounded up
    assert limiter.hit("ip:203.0.113.7", 3, 60, now=NOW + 44).retry_after == 1


@pytest.mark.django_db
def test_database_limiter_counts_per_key_and_per_window():
    limiter = DatabaseRateLimiter()
    assert limiter.hit("ip:203.0.113.7", 1, 60, now=NOW).allowed
    assert not limiter.hit("ip:203.0.113.7", 1, 60, now=NOW).allowed
    other_key = limiter.hit("ip:203.0.113.8", 1, 60, now=NOW)
    assert other_key.allowed
    assert other_key.count == 1
    next_window = limiter.hit("ip:203.0.113.7", 1, 60, now=NOW + 60)
    assert next_window.allowed
    assert next_window.count == 1
    assert RateLimitCounter.objects.count() == 3


@pytest.mark.django_db
def test_database_limiter_stores_only_keyed_hashes():
    raw = "ip:203.0.113.7"
    DatabaseRateLimiter().hit(raw, 5, 60, now=NOW)
    DatabaseRateLimiter().hit("person:" + "ab" * 32, 5, 60, now=NOW)
    keys = list(RateLimitCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2
    for key in keys:
        assert len(key) == 64
        int(key, 16)
        assert "203.0.113.7" not in key
        assert "ab" * 32 not in key
    assert hash_key(raw) in keys
    assert hashlib.sha256(raw.encode()).hexdigest() not in keys  # keyed, not a plain hash
    assert not any("203.0.113.7" in str(row) for row in RateLimitCounter.objects.all())


@pytest.mark.django_db
def test_database_limiter_adds_to_a_row_another_request_created_in_one_statement():
    """The window's row exists already (another request's first hit): one upsert statement
    adds this hit to it, so no UPDATE-miss-then-INSERT race is left to recover from."""
    limiter = DatabaseRateLimiter()
    limiter.hit("ip:203.0.113.7", 5, 60, now=NOW)
    with CaptureQueriesContext(connection) as queries:
        result = limiter.hit("ip:203.0.113.7", 5, 60, now=NOW)
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
    assert result.count == 2
    assert RateLimitCounter.objects.get().count == 2


@pytest.mark.django_db(transaction=True)
def test_database_limiter_is_race_safe_under_concurrency():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; real concurrency is checked on PostgreSQL")
    threads, hits_per_thread, limit = 8, 5, 20
    barrier = threading.Barrier(threads, timeout=10)
    key = "ip:198.51.100.1"

    def hammer() -> list[int]:
        try:
            barrier.wait()
            limiter = DatabaseRateLimiter()
            return [limiter.hit(key, limit, 60, now=NOW).count for _ in range(hits_per_thread)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(hammer) for _ in range(threads)]
        counts = sorted(count for future in futures for count in future.result(timeout=30))
    total = threads * hits_per_thread
    assert counts == list(range(1, total + 1))  # no hit lost, none counted twice
    assert RateLimitCounter.objects.get().count == total


@pytest.mark.django_db
def test_purge_removes_only_old_counters():
    limiter = DatabaseRateLimiter()
    limiter.hit("ip:203.0.113.7", 5, 3600, now=time.time() - 3 * 86400)
    limiter.hit("ip:203.0.113.8", 5, 3600, now=time.time() - 3 * 86400)
    limiter.hit("ip:203.0.113.7", 5, 3600)
    assert purge_expired_counters(dry_run=True) == 2
    assert RateLimitCounter.objects.count() == 3
    assert purge_expired_counters() == 2
    assert RateLimitCounter.objects.count() == 1
    assert purge_expired_counters() == 0


@pytest.mark.django_db
def test_purge_never_cuts_into_the_longest_configured_window(settings):
    settings.FEEDBACK_RATE_LIMITS = {"ip": (30, 3600), "person": (10, 7 * 86400)}
    DatabaseRateLimiter().hit("ip:203.0.113.7", 5, 3600, now=time.time() - 3 * 86400)
    assert purge_expired_counters(older_than_seconds=0) == 0
    assert RateLimitCounter.objects.count() == 1


@pytest.mark.django_db
def test_purge_command():
    DatabaseRateLimiter().hit("ip:203.0.113.7", 5, 3600, now=time.time() - 3 * 86400)
    out = StringIO()
    call_command("purge_rate_limits", "--dry-run", stdout=out)
    assert "1 rate-limit counters would be deleted" in out.getvalue()
    assert RateLimitCounter.objects.count() == 1
    out = StringIO()
    call_command("purge_rate_limits", stdout=out)
    assert "Deleted 1 rate-limit counters" in out.getvalue()
    assert not RateLimitCounter.objects.exists()


# --- Client IP -----------------------------------------------------------------------------


def request_with(**meta):
    request = RequestFactory().post("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)
    return request


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "203.0.113.7"}, "203.0.113.7"),
        ({"REMOTE_ADDR": "2001:DB8::0001"}, "2001:db8::1"),
        ({"REMOTE_ADDR": "::ffff:203.0.113.7"}, "203.0.113.7"),
        ({"REMOTE_ADDR": " 203.0.113.7 "}, "203.0.113.7"),
        ({}, "unknown"),
        ({"REMOTE_ADDR": ""}, "unknown"),
        ({"REMOTE_ADDR": "garbage"}, "unknown"),
        ({"REMOTE_ADDR": "203.0.113.999"}, "unknown"),
        ({"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "203.0.113.7"),
    ],
)
def test_client_ip_without_trusted_proxies(settings, meta, expected):
    settings.FEEDBACK_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with(**meta)) == expected


def test_client_ip_ignores_the_header_by_default():
    request = request_with(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.2"


@pytest.mark.parametrize(
    ("trusted", "header", "expected"),
    [
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "1.2.3.4, 198.51.100.9", "198.51.100.9"),  # the client forged the first entry
        (2, "1.2.3.4, 198.51.100.9, 10.0.0.5", "198.51.100.9"),
        (2, "198.51.100.9,10.0.0.5", "198.51.100.9"),
        (1, "1.2.3.4, 2001:db8::9", "2001:db8::9"),
        (1, None, "unknown"),
        (1, "", "unknown"),
        (1, "1.2.3.4, garbage", "unknown"),
        (1, "1.2.3.4, ", "unknown"),
        (1, "<script>", "unknown"),
        (1, "1.2.3.4:8080", "unknown"),
        (1, "x" * 100_000, "unknown"),
        (3, "1.2.3.4, 198.51.100.9", "unknown"),  # fewer hops than trusted proxies
    ],
)
def test_client_ip_behind_trusted_proxies(settings, trusted, header, expected):
    settings.FEEDBACK_TRUSTED_PROXY_COUNT = trusted
    meta = {"REMOTE_ADDR": "10.0.0.1"}
    if header is not None:
        meta["HTTP_X_FORWARDED_FOR"] = header
    assert client_ip(request_with(**meta)) == expected


# --- check_submission_rate -----------------------------------------------------------------


@pytest.mark.django_db
def test_submission_rate_refuses_by_ip(database_limits):
    database_limits.FEEDBACK_RATE_LIMITS = {"ip": (2, 3600), "person": (100, 86400)}
    results = [check_submission_rate("203.0.113.7", f"person-{n}", now=NOW) for n in range(3)]
    assert [result.allowed for result in results] == [True, True, False]
    assert results[2].limit == 2
    assert 0 < results[2].retry_after <= 3600
    assert check_submission_rate("203.0.113.8", "person-0", now=NOW).allowed


@pytest.mark.django_db
def test_submission_rate_refuses_by_person(database_limits):
    database_limits.FEEDBACK_RATE_LIMITS = {"ip": (100, 3600), "person": (2, 86400)}
    results = [check_submission_rate(f"203.0.113.{n}", "person-a", now=NOW) for n in range(3)]
    assert [result.allowed for result in results] == [True, True, False]
    assert results[2].limit == 2
    assert 0 < results[2].retry_after <= 86400
    assert check_submission_rate("203.0.113.1", "person-b", now=NOW).allowed


@pytest.mark.django_db
def test_submission_rate_refused_by_ip_does_not_use_up_the_person(database_limits):
    database_limits.FEEDBACK_RATE_LIMITS = {"ip": (1, 3600), "person": (2, 86400)}
    assert check_submission_rate("203.0.113.7", "person-a", now=NOW).allowed
    assert not check_submission_rate("203.0.113.7", "person-a", now=NOW).allowed
    assert check_submission_rate("203.0.113.8", "person-a", now=NOW).allowed


@pytest.mark.django_db
def test_submission_rate_without_person_limits_by_ip_only(database_limits):
    database_limits.FEEDBACK_RATE_LIMITS = {"ip": (1, 3600), "person": (1, 86400)}
    assert check_submission_rate("203.0.113.7", None, now=NOW).allowed
    assert check_submission_rate("203.0.113.8", None, now=NOW).allowed
    assert not check_submission_rate("203.0.113.7", None, now=NOW).allowed


@pytest.mark.django_db
def test_submission_rate_defaults_and_tightest_result(database_limits):
    del database_limits.FEEDBACK_RATE_LIMITS
    result = check_submission_rate("203.0.113.7", "person-a", now=NOW)
    assert result.allowed
    assert (result.count, result.limit) == (1, 10)  # the person limit is the closer one


@pytest.mark.django_db
def test_ipv6_clients_are_limited_per_64(database_limits):
    database_limits.FEEDBACK_RATE_LIMITS = {"ip": (1, 3600)}
    assert check_submission_rate("2001:db8:1:2::1", None, now=NOW).allowed
    assert not check_submission_rate("2001:db8:1:2::ffff", None, now=NOW).allowed
    assert check_submission_rate("2001:db8:1:3::1", None, now=NOW).allowed


# --- Redis rate limiter --------------------------------------------------------------------


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no Redis at {TEST_REDIS_URL}")
    yield client
    client.close()


@pytest.fixture
def redis_limiter(redis_client):
    """A limiter on the test database with a prefix of its own, removed afterwards."""
    prefix = f"{REDIS_KEY_PREFIX}test-{uuid.uuid4().hex}:"
    yield RedisRateLimiter(TEST_REDIS_URL, prefix=prefix)
    for key in redis_client.scan_iter(match=f"{prefix}*"):
        redis_client.delete(key)


def test_redis_limiter_allows_up_to_the_limit_then_refuses(redis_limiter, redis_client):
    results = [redis_limiter.hit("ip:203.0.113.7", 3, 60, now=NOW) for _ in range(5)]
    assert [result.count for result in results] == [1, 2, 3, 4, 5]
    assert [result.allowed for result in results] == [True, True, True, False, False]
    assert results[3].retry_after == 45
    assert redis_limiter.hit("ip:203.0.113.8", 3, 60, now=NOW).count == 1
    assert redis_limiter.hit("ip:203.0.113.7", 3, 60, now=NOW + 60).count == 1
    keys = [key.decode() for key in redis_client.scan_iter(match=f"{redis_limiter.prefix}*")]
    assert len(keys) == 3
    assert not any("203.0.113" in key for key in keys)
    assert f"{redis_limiter.prefix}{hash_key('ip:203.0.113.7')}:{int(NOW // 60) * 60}" in keys
    assert all(0 < redis_client.ttl(key) <= 60 for key in keys)


def test_redis_limiter_fails_open_when_redis_is_unreachable(caplog):
    limiter = RedisRateLimiter(UNREACHABLE_REDIS_URL)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="feedback_forms.protection"):
        results = [limiter.hit("ip:203.0.113.7", 1, 60) for _ in range(3)]
    assert time.monotonic() - started < 5
    assert all(result.allowed and result.retry_after == 0 for result in results)
    assert "Redis is unavailable" in caplog.text


def test_get_rate_limiter_picks_redis_when_configured(settings):
    settings.REDIS_URL = TEST_REDIS_URL
    limiter = get_rate_limiter()
    assert isinstance(limiter, RedisRateLimiter)
    assert get_rate_limiter() is limiter
    settings.REDIS_URL = UNREACHABLE_REDIS_URL
    assert get_rate_limiter() is not limiter
    settings.REDIS_URL = ""
    assert isinstance(get_rate_limiter(), DatabaseRateLimiter)
    del settings.REDIS_URL
    assert isinstance(get_rate_limiter(), DatabaseRateLimiter)


def test_submission_rate_through_redis(settings, redis_client):
    settings.REDIS_URL = TEST_REDIS_URL
    settings.FEEDBACK_RATE_LIMITS = {"ip": (1, 3600)}
    ip = f"198.18.{random.randint(0, 255)}.{random.randint(0, 255)}"
    key = f"{REDIS_KEY_PREFIX}{hash_key(f'ip:{ip}')}:{int(NOW // 3600) * 3600}"
    try:
        assert check_submission_rate(ip, None, now=NOW).allowed
        refused = check_submission_rate(ip, None, now=NOW)
        assert not refused.allowed
        assert refused.retry_after > 0
    finally:
        redis_client.delete(key)


def test_sites_sharing_a_redis_server_keep_separate_counters(settings, redis_client):
    """Two sites on one Redis (or a test run and a site) must not spend each other's limits."""
    settings.REDIS_URL = TEST_REDIS_URL
    settings.FEEDBACK_RATE_LIMITS = {"ip": (1, 3600)}
    ip = f"198.18.{random.randint(0, 255)}.{random.randint(0, 255)}"
    prefixes = [f"site-{uuid.uuid4().hex}:", f"site-{uuid.uuid4().hex}:"]
    try:
        for prefix in prefixes:
            settings.CACHE_KEY_PREFIX = prefix
            assert check_submission_rate(ip, None, now=NOW).allowed
            assert not check_submission_rate(ip, None, now=NOW).allowed
            keys = list(redis_client.scan_iter(match=f"{prefix}{REDIS_KEY_PREFIX}*"))
            assert len(keys) == 1
    finally:
        for prefix in prefixes:
            for key in redis_client.scan_iter(match=f"{prefix}*"):
                redis_client.delete(key)


@pytest.mark.parametrize(
    ("seconds_left", "minutes"), [(1, 1), (59, 1), (60, 1), (61, 2), (541, 10), (3600, 60)]
)
def test_the_minutes_a_person_is_told_to_wait_are_never_fewer_than_remain(
    seconds_left: int, minutes: int
) -> None:
    """The web page and the API round alike, upwards: "try again in 9 minutes" at 9:01 is false."""
    limit = RateLimitResult(allowed=False, retry_after=seconds_left, count=4, limit=3)
    assert retry_after_minutes(limit) == minutes


# --- Both scopes in one statement, against a plain recount -----------------------------------

ATTEMPTS = st.lists(
    st.tuples(
        st.sampled_from(["203.0.113.1", "2001:db8::1", "2001:db8::2"]),
        st.sampled_from([None, "person-a", "person-b"]),
        st.integers(min_value=0, max_value=130),
    ),
    max_size=20,
)


def recounted(attempts, limits):
    """What the rule says, one scope after the other: IP first; a refused scope ends the count."""
    counts: dict[tuple[str, int], int] = {}
    verdicts = []
    for ip, person, offset in attempts:
        now = NOW + offset
        scopes = [("ip", f"ip:{protection._ip_bucket(ip)}")]
        if person:
            scopes.append(("person", f"person:{person}"))
        results = []
        for scope, key in scopes:
            limit, window = limits[scope]
            start = int(now // window) * window
            counts[(key, start)] = counts.get((key, start), 0) + 1
            count = counts[(key, start)]
            left = max(1, math.ceil(start + window - now))
            results.append((count <= limit, count, limit, 0 if count <= limit else left))
            if count > limit:
                break
        refused = [result for result in results if not result[0]]
        verdicts.append(refused[0] if refused else min(results, key=lambda r: r[2] - r[1]))
    stored = {
        (hash_key(key), datetime.fromtimestamp(start, tz=UTC)): count
        for (key, start), count in counts.items()
    }
    return verdicts, stored


@pytest.mark.django_db
@given(attempts=ATTEMPTS)
@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_submission_rate_counted_in_one_statement_matches_a_recount(database_limits, attempts):
    database_limits.FEEDBACK_RATE_LIMITS = {"ip": (2, 60), "person": (3, 120)}
    RateLimitCounter.objects.all().delete()
    expected, stored_counts = recounted(attempts, database_limits.FEEDBACK_RATE_LIMITS)
    verdicts = []
    for ip, person, offset in attempts:
        with CaptureQueriesContext(connection) as queries:
            result = check_submission_rate(ip, person, now=NOW + offset)
        verdicts.append((result.allowed, result.count, result.limit, result.retry_after))
        if result.allowed:  # the common path is one write
            assert len(queries.captured_queries) == 1
    assert verdicts == expected
    stored = RateLimitCounter.objects.exclude(count=0).values_list("key", "window_start", "count")
    assert {(key, start): count for key, start, count in stored} == stored_counts


@pytest.mark.django_db
def test_one_statement_counts_each_key_once():
    window = datetime.fromtimestamp(NOW, tz=UTC)
    with pytest.raises(ValueError, match="once"):
        protection._count_hits([("a", window), ("a", window)])
