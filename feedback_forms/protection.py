"""Abuse protection for the public forms and the submission API, without an external CAPTCHA.

Three cheap, independent layers (DESIGN.md, "Privacy and security"):

- a signed time-trap token: bots post instantly or replay an old page, residents do neither;
- a honeypot field that people never see and naive bots fill in;
- fixed-window rate limits per IP address and per person, stored in the database by default
  and in Redis when ``REDIS_URL`` is set (shared between workers and containers).

Nothing here stores an IP address or a personal number: counter keys are keyed hashes.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import ipaddress
import logging
import math
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

import redis
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from redis.backoff import NoBackoff
from redis.retry import Retry

from cms.core.client_address import hash_key
from cms.core.personal_numbers import digest_personal_number
from feedback_forms.models import RateLimitCounter, UsedFormToken

logger = logging.getLogger(__name__)

# --- Signed time-trap token -------------------------------------------------------------------

TIME_TRAP_SALT = "feedback_forms.time-trap"
DEFAULT_MIN_FILL_SECONDS = 3
DEFAULT_FORM_MAX_AGE_SECONDS = 6 * 3600
# A real token is ~60 characters; anything much longer is rejected before any hashing.
MAX_TOKEN_LENGTH = 256


class TokenCheck(enum.Enum):
    """Outcome of checking a time-trap token; only ``OK`` lets a submission through."""

    OK = "ok"
    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    INVALID = "invalid"


class _TimeTrapSigner(signing.TimestampSigner):
    """A TimestampSigner whose issue time can be set (see `issue_form_token`)."""

    def __init__(self, *, issued_at: float | None = None) -> None:
        super().__init__(salt=TIME_TRAP_SALT)
        self.issued_at = issued_at

    def timestamp(self) -> str:
        if self.issued_at is None:
            return super().timestamp()
        return signing.b62_encode(int(self.issued_at))


def _time_trap_signer(issued_at: float | None = None) -> _TimeTrapSigner:
    # Built per call so SECRET_KEY (and its fallbacks, for key rotation) are read at use time.
    return _TimeTrapSigner(issued_at=issued_at)


def min_fill_seconds() -> int:
    return getattr(settings, "FEEDBACK_MIN_FILL_SECONDS", DEFAULT_MIN_FILL_SECONDS)


def form_max_age_seconds() -> int:
    return getattr(settings, "FEEDBACK_FORM_MAX_AGE_SECONDS", DEFAULT_FORM_MAX_AGE_SECONDS)


def issue_form_token(*, proven: bool = False) -> str:
    """Return a token to put in a hidden field when the form is first shown.

    It is signed (a bot cannot forge an old issue time) and carries a random nonce, so two
    tokens are never equal and a token says nothing about the resident. The journey carries
    the same token through every step ("Change" included), so the time trap measures the
    time since the form was first shown and never restarts.

    ``proven`` issues a token that is already old enough: for a request that has shown it is
    a person's (it passed the trap with a valid token) and must get a new one, e.g. because
    its token expired while the page stayed open. Its next click is never "too fast".
    """
    issued_at = time.time() - min_fill_seconds() - 1 if proven else None
    return _time_trap_signer(issued_at).sign(secrets.token_urlsafe(16))


def _issued_at(token: str) -> int:
    """Verify the signature and return the issue time (whole seconds since the epoch).

    ``TimestampSigner.unsign`` measures age against the real clock and cannot say "too
    young", so the plain ``Signer`` check is used and the timestamp read here instead.
    """
    signer = _time_trap_signer()
    value = signing.Signer.unsign(signer, token)  # raises BadSignature
    _nonce, timestamp = value.rsplit(signer.sep, 1)
    return signing.b62_decode(timestamp)


def check_form_token(token: str | None, *, now: float | None = None) -> TokenCheck:
    """Classify a submitted token; never raises, whatever the client sent.

    The issue time has whole-second resolution, so the effective minimum fill time lies
    between ``FEEDBACK_MIN_FILL_SECONDS - 1`` and ``FEEDBACK_MIN_FILL_SECONDS``.
    """
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return TokenCheck.INVALID
    try:
        issued_at = _issued_at(token)
    except (signing.BadSignature, ValueError):  # ValueError covers unencodable text
        return TokenCheck.INVALID
    age = (time.time() if now is None else now) - issued_at
    if age < min_fill_seconds():
        return TokenCheck.TOO_FAST
    if age > form_max_age_seconds():
        return TokenCheck.EXPIRED
    return TokenCheck.OK


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def spend_form_token(token: str, *, savepoint: bool = True) -> bool:
    """Mark a (valid) token as spent on a final submission; False if it was spent already.

    One token sends one submission: a bot that waits once cannot replay the same page. The
    unique hash makes two concurrent sends with one token race safely: one insert wins.
    ``savepoint=False``: the caller's transaction is rolled back whenever this returns False,
    so it needs no savepoint to go on after the refused insert (two statements fewer).
    """
    try:
        with transaction.atomic(savepoint=savepoint):
            UsedFormToken.objects.create(token_hash=_token_hash(token))
    except IntegrityError:
        return False
    return True


def purge_used_tokens(*, dry_run: bool = False, now: float | None = None) -> int:
    """Delete (or count) spent tokens too old to pass the trap again anyway."""
    cutoff = (time.time() if now is None else now) - form_max_age_seconds() - 60
    old = UsedFormToken.objects.filter(used_at__lt=datetime.fromtimestamp(cutoff, tz=UTC))
    if dry_run:
        return old.count()
    deleted, _per_model = old.delete()
    return deleted


# --- Honeypot ---------------------------------------------------------------------------------

HONEYPOT_FIELD_NAME = "website"


def honeypot_triggered(data: Mapping[str, Any]) -> bool:
    """True when the hidden ``website`` field came back filled in (by a bot, not a person).

    Accepts a ``QueryDict`` (every repeated value is checked) or a parsed JSON body.
    """
    if HONEYPOT_FIELD_NAME not in data:
        return False
    getlist = getattr(data, "getlist", None)
    values = getlist(HONEYPOT_FIELD_NAME) if callable(getlist) else [data[HONEYPOT_FIELD_NAME]]
    return any(value is not None and str(value).strip() for value in values)


# --- Rate limits ------------------------------------------------------------------------------

DEFAULT_RATE_LIMITS: dict[str, tuple[int, int]] = {"ip": (30, 3600), "person": (10, 86400)}
REDIS_KEY_PREFIX = "ratelimit:"


@dataclass(frozen=True)
class RateLimitResult:
    """One hit's verdict; ``retry_after`` (seconds) is 0 when allowed, for a Retry-After header."""

    allowed: bool
    retry_after: int
    count: int
    limit: int


class RateLimiter(Protocol):
    """Counts hits per key in fixed windows aligned to the epoch."""

    def hit(
        self, key: str, limit: int, window_seconds: int, *, now: float | None = None
    ) -> RateLimitResult:
        """Record one hit for ``key`` and say whether it is within ``limit`` for the window."""
        ...


def _window(window_seconds: int, now: float | None) -> tuple[int, int]:
    """Return (window start, seconds until the window ends, at least 1)."""
    current = time.time() if now is None else now
    start = int(current // window_seconds) * window_seconds
    return start, max(1, math.ceil(start + window_seconds - current))


def retry_after_minutes(limit: RateLimitResult) -> int:
    """Whole minutes to tell a person to wait, rounded up: "try again in 10 minutes" is true at 9:01."""
    return max(1, math.ceil(limit.retry_after / 60))


def _verdict(count: int, limit: int, seconds_left: int) -> RateLimitResult:
    allowed = count <= limit
    return RateLimitResult(
        allowed=allowed, retry_after=0 if allowed else seconds_left, count=count, limit=limit
    )


class DatabaseRateLimiter:
    """Counters in ``RateLimitCounter``: needs nothing beyond the database, one row per window.

    Call it outside the submission's own transaction: otherwise a failed submission rolls the
    hit back, and the counter row stays locked until the whole request ends. `hit_all` counts
    every counter of a request in one statement (one write transaction, one fsync on SQLite).
    """

    def hit(
        self, key: str, limit: int, window_seconds: int, *, now: float | None = None
    ) -> RateLimitResult:
        return self.hit_all([(key, limit, window_seconds)], now=now)[0]

    def hit_all(
        self, hits: Sequence[tuple[str, int, int]], *, now: float | None = None
    ) -> list[RateLimitResult]:
        """Count one hit on each (key, limit, window) at once; the verdicts in the same order."""
        windows = [_window(window_seconds, now) for _key, _limit, window_seconds in hits]
        rows = [
            (hash_key(key), datetime.fromtimestamp(start, tz=UTC))
            for (key, _limit, _window_seconds), (start, _left) in zip(hits, windows, strict=True)
        ]
        counts = _count_hits(rows)
        return [
            _verdict(counts[row[0]], limit, seconds_left)
            for row, (_key, limit, _window_seconds), (_start, seconds_left) in zip(
                rows, hits, windows, strict=True
            )
        ]

    def take_back(self, key: str, window_seconds: int, *, now: float | None = None) -> None:
        """Undo one hit on the key's current window (a hit counted that should not have been)."""
        start, _seconds_left = _window(window_seconds, now)
        RateLimitCounter.objects.filter(
            key=hash_key(key), window_start=datetime.fromtimestamp(start, tz=UTC), count__gt=0
        ).update(count=F("count") - 1)


def _count_hits(rows: Sequence[tuple[str, datetime]]) -> dict[str, int]:
    """One statement (SQLite >= 3.35 and PostgreSQL): insert each window's row with 1, or add
    1 to it, and return the new counts by key (the keys are distinct). Atomic on both, so two
    racing first hits both count."""
    if len({key for key, _start in rows}) != len(rows):
        raise ValueError("Each key is counted once per statement.")
    meta = RateLimitCounter._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    start_field = RateLimitCounter.window_start.field
    key_column, start_column, count_column = (
        quote(str(field.column))
        for field in (RateLimitCounter.key.field, start_field, RateLimitCounter.count.field)
    )
    values = ", ".join(["(%s, %s, 1)"] * len(rows))
    # Identifiers from the model, quoted; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({key_column}, {start_column}, {count_column}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({key_column}, {start_column}) "
        f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 "
        f"RETURNING {key_column}, {count_column}"
    )
    params = [
        value
        for key, start in rows
        for value in (key, start_field.get_db_prep_value(start, connection))
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key: int(count) for key, count in cursor.fetchall()}


class RedisRateLimiter:
    """Counters in Redis (INCR + EXPIRE), shared by every worker; fails open when Redis is down.

    Failing open is deliberate: losing a resident's evaluation because the cache is down is
    worse than briefly running without rate limits (the other layers still apply).
    """

    def __init__(self, url: str, *, prefix: str = REDIS_KEY_PREFIX) -> None:
        self.prefix = prefix
        # Short timeouts and one immediate retry: a dead Redis must not stall a form post
        # (redis-py's default retries three times with exponential backoff).
        self.client = redis.Redis.from_url(
            url,
            socket_connect_timeout=1,
            socket_timeout=1,
            retry=Retry(NoBackoff(), 1),
        )

    def hit(
        self, key: str, limit: int, window_seconds: int, *, now: float | None = None
    ) -> RateLimitResult:
        start, seconds_left = _window(window_seconds, now)
        redis_key = f"{self.prefix}{hash_key(key)}:{start}"
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.incr(redis_key)
                # Relative expiry (not EXPIREAT): clock skew with Redis cannot drop a live key.
                pipe.expire(redis_key, window_seconds)
                count, _ = pipe.execute()
        except redis.RedisError as error:
            logger.warning("Rate limiting skipped, Redis is unavailable: %s", error)
            return RateLimitResult(allowed=True, retry_after=0, count=0, limit=limit)
        return _verdict(int(count), limit, seconds_left)


@functools.cache
def _limiter_for(redis_url: str, site_prefix: str) -> RateLimiter:
    if not redis_url:
        return DatabaseRateLimiter()
    return RedisRateLimiter(redis_url, prefix=f"{site_prefix}{REDIS_KEY_PREFIX}")


def get_rate_limiter() -> RateLimiter:
    """Redis when ``settings.REDIS_URL`` is set, else the database; one instance per URL.

    Redis keys start with ``settings.CACHE_KEY_PREFIX``, so sites sharing a Redis server keep
    separate counters.
    """
    return _limiter_for(
        getattr(settings, "REDIS_URL", "") or "", getattr(settings, "CACHE_KEY_PREFIX", "") or ""
    )


def _ip_bucket(ip: str) -> str:
    """IPv6 clients get a whole /64, so they are limited per /64, not per address."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip  # "unknown" shares one bucket
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def check_submission_rate(
    ip: str, person_digest: str | None, *, now: float | None = None
) -> RateLimitResult:
    """Count one submission attempt against ``FEEDBACK_RATE_LIMITS`` and return the verdict.

    Scopes are checked in order (IP, then person) and the first refusal is returned without
    counting the later scopes, so a shared IP that is throttled does not also use up a
    resident's own allowance. When all allow, the result closest to its limit is returned.
    """
    limits: Mapping[str, tuple[int, int]] = getattr(
        settings, "FEEDBACK_RATE_LIMITS", DEFAULT_RATE_LIMITS
    )
    keys = {"ip": f"ip:{_ip_bucket(ip)}"}
    if person_digest:
        keys["person"] = f"person:{person_digest}"
    scoped = [(key, *limits[scope]) for scope, key in keys.items() if scope in limits]
    limiter = get_rate_limiter()
    if isinstance(limiter, DatabaseRateLimiter):
        results = _hit_in_one_statement(limiter, scoped, now)
    else:
        results = []
        for key, limit, window_seconds in scoped:
            result = limiter.hit(key, limit, window_seconds, now=now)
            results.append(result)
            if not result.allowed:
                break
    refused = next((result for result in results if not result.allowed), None)
    if refused is not None:
        return refused
    if not results:
        return RateLimitResult(allowed=True, retry_after=0, count=0, limit=0)
    return min(results, key=lambda result: result.limit - result.count)


def _hit_in_one_statement(
    limiter: DatabaseRateLimiter, scoped: list[tuple[str, int, int]], now: float | None
) -> list[RateLimitResult]:
    """Every scope counted by one upsert; the scopes after the first refusal are taken back, so
    they count as if never reached (the refusal path is rare; the allowed one is one write)."""
    if not scoped:
        return []
    results = limiter.hit_all(scoped, now=now)
    for position, result in enumerate(results):
        if not result.allowed:
            for key, _limit, window_seconds in scoped[position + 1 :]:
                limiter.take_back(key, window_seconds, now=now)
            return results[: position + 1]
    return results


def check_submission_attempt(
    ip: str, personal_number: object, *, now: float | None = None
) -> RateLimitResult:
    """Count one attempt to submit, whatever its outcome, before anything about it is decided.

    Every final "Send" on the web and every submission POST to the API comes here first, with
    the personal number exactly as sent: it counts against the IP's limit and, when it is a
    well-formed number, against that person's, before the form is validated and before the
    beneficiary list or earlier evaluations are looked at. So the count (and any 429) depends
    only on how many attempts were made, never on who the number belongs to.
    """
    try:
        person = digest_personal_number(personal_number).digest
    except ValidationError:
        person = None
    return check_submission_rate(ip, person, now=now)


def purge_expired_counters(older_than_seconds: int = 2 * 86400, *, dry_run: bool = False) -> int:
    """Delete (or with ``dry_run`` only count) counter rows whose window started long ago.

    The cut-off is never shorter than the longest configured window, so a purge cannot
    reset a counter that is still in use.
    """
    limits = getattr(settings, "FEEDBACK_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    longest_window = max((window for _limit, window in limits.values()), default=0)
    cutoff = time.time() - max(older_than_seconds, longest_window)
    old = RateLimitCounter.objects.filter(window_start__lt=datetime.fromtimestamp(cutoff, tz=UTC))
    if dry_run:
        return old.count()
    deleted, _per_model = old.delete()
    return deleted


class PurgedRecords(NamedTuple):
    counters: int
    tokens: int


def purge_protection_records(
    older_than_seconds: int = 2 * 86400, *, dry_run: bool = False
) -> PurgedRecords:
    """Old rate-limit counters and spent form tokens: what `purge_rate_limits` deletes.

    The management command and the scheduled job of that name both call this, so the job
    run every few minutes cannot forget the tokens the command deletes.
    """
    return PurgedRecords(
        counters=purge_expired_counters(older_than_seconds, dry_run=dry_run),
        tokens=purge_used_tokens(dry_run=dry_run),
    )
