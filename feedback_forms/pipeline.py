"""One intake pipeline: the guards every submission passes, in one declared order (ADR 27).

The web journey's "Send", its "Continue", the API's POSTs and staff entry on a resident's
behalf all run `run`, which runs the guards of `ORDER` that their `Route` lists, first to
last, and stops at the first that answers. Each channel only binds its form and translates the
answer into its own response (an HTML page with the answers kept, or a JSON `ApiError`), with
the statuses and words it always had. Why the order is what it is:

1. ``RESEND`` (web): a "Send" whose idempotency key already stored a submission from this very
   form gets that submission's confirmation. It looks at nothing the resident typed (the key is
   a random value the page issued), so it may come before counting: a double click or a flaky
   connection never costs an attempt nor shows a refusal for something already stored.
2. ``RATE_LIMIT``: every attempt counts (per address and per person, or per staff member)
   before anything can answer differently, so a 429 depends only on how many attempts were
   made, never on whose personal number was sent (README, "No oracle"; ADR 10).
3. ``HONEYPOT``: the field people never see, filled in by robots.
4. ``TIME_TRAP`` (web): the signed token the form was first shown with: not too fast, not
   expired, not forged. Apps never render our HTML, so the API has none.
5. ``REPLAY`` (API): a retry with the same ``Idempotency-Key`` gets its first result, before
   validation, so a retry always gets it whatever else changed; it compares the personal
   number with the stored one (a key reused for someone else's is refused), which is why it
   comes after counting.
6. ``VALIDATION``: the channel's form (the one validation path, ADR 11). It never looks at
   the beneficiary list or earlier evaluations.
7. ``ELIGIBILITY``, ``DUPLICATE`` and ``STORE`` (`store`, `intake.submit`): the beneficiary
   list decides whether the evaluation is verified or waits (`intake.check_beneficiary_list`),
   an earlier counted evaluation makes it a repeat on the public channels or refuses it for
   staff (`intake.counted_evaluation`); then one transaction spends the page's time-trap token
   (web: two sends of one page race on it), spends the invitation and inserts the row. A lost
   race rolls all three back; the duplicate check runs again and the transaction is retried.
8. ``NOTIFY``: the receipt and the low-rating alert are queued once the transaction commits.

`guard_ran` is sent after each guard a run reached (tests listen to it).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.http import QueryDict
from django.utils.translation import gettext as _

from cms.core.personal_numbers import digest_personal_number
from feedback_forms.intake import (
    DuplicateEvaluation,
    IntakeResult,
    InvitationSpent,
    find_by_idempotency_key,
)
from feedback_forms.models import Evaluation, Need
from feedback_forms.protection import (
    HONEYPOT_FIELD_NAME,
    RateLimitResult,
    TokenCheck,
    check_form_token,
    check_submission_attempt,
    honeypot_triggered,
)

if TYPE_CHECKING:
    from feedback_forms.models.pages import FeedbackFormPage


class Guard(enum.StrEnum):
    """The steps of an intake, declared in the order they run (`ORDER`)."""

    RESEND = "resend"
    RATE_LIMIT = "rate_limit"
    HONEYPOT = "honeypot"
    TIME_TRAP = "time_trap"
    REPLAY = "replay"
    VALIDATION = "validation"
    ELIGIBILITY = "eligibility"
    DUPLICATE = "duplicate"
    STORE = "store"
    NOTIFY = "notify"


#: The one order of the guards; each route runs the ones it lists, in this order.
ORDER: tuple[Guard, ...] = (
    Guard.RESEND,
    Guard.RATE_LIMIT,
    Guard.HONEYPOT,
    Guard.TIME_TRAP,
    Guard.REPLAY,
    Guard.VALIDATION,
    Guard.ELIGIBILITY,
    Guard.DUPLICATE,
    Guard.STORE,
    Guard.NOTIFY,
)
#: Decided inside the store's transaction (`intake.submit` reports them through ``ran``).
IN_STORE = frozenset({Guard.ELIGIBILITY, Guard.DUPLICATE, Guard.NOTIFY})


class Route(enum.StrEnum):
    """Who sends: each route runs a subset of `ORDER`, never another order."""

    WEB = "web"  # the journey's final "Send"
    WEB_REVIEW = "web_review"  # "Continue" (and any step of a preview): checked, not counted
    API = "api"
    STAFF = "staff"


STORING = (Guard.VALIDATION, Guard.ELIGIBILITY, Guard.DUPLICATE, Guard.STORE, Guard.NOTIFY)
GUARDS: Mapping[Route, frozenset[Guard]] = {
    Route.WEB: frozenset(
        {Guard.RESEND, Guard.RATE_LIMIT, Guard.HONEYPOT, Guard.TIME_TRAP, *STORING}
    ),
    Route.WEB_REVIEW: frozenset({Guard.HONEYPOT, Guard.TIME_TRAP, Guard.VALIDATION}),
    Route.API: frozenset({Guard.RATE_LIMIT, Guard.HONEYPOT, Guard.REPLAY, *STORING}),
    # Staff are signed in: no honeypot or time trap; their own limit, per staff member.
    Route.STAFF: frozenset({Guard.RATE_LIMIT, *STORING}),
}


def steps_for(route: Route) -> tuple[Guard, ...]:
    """The guards a route runs, in the declared order."""
    return tuple(guard for guard in ORDER if guard in GUARDS[route])


guard_ran = Signal()  # sender: Route; guard: Guard


class TokenAlreadySpent(Exception):
    """The page's time-trap token already sent a submission (with another retry key)."""


@dataclass(frozen=True)
class Refusal:
    """A guard said no: the channel words it (``message`` is the shared wording, if any)."""

    guard: Guard
    code: str
    status: int
    message: str = ""
    retry_after: int = 0
    limit: RateLimitResult | None = None
    token: TokenCheck | None = None
    errors: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Replayed:
    """A retry: the submission its key already stored, returned instead of a new one."""

    guard: Guard
    submission: Evaluation | Need


@dataclass(frozen=True)
class Stored:
    result: IntakeResult


Answer = Refusal | Replayed | Stored


def _count_attempt(attempt: Attempt) -> RateLimitResult:
    return check_submission_attempt(attempt.ip, attempt.data.get("personal_number"))


def _no_errors() -> Mapping[str, Any]:
    return {}


@dataclass
class Attempt:
    """One submission attempt, as a channel hands it to the pipeline.

    ``validate`` binds and validates the channel's form and returns its errors (none: valid);
    ``store`` stores it (in a transaction of the channel's making, see `Guard.STORE`) and
    passes ``ran`` on to `intake.submit`; ``count`` counts the attempt (default: the public
    limits of `check_submission_attempt`, per address and per person).
    """

    route: Route
    data: Mapping[str, Any]
    ip: str = ""
    page: FeedbackFormPage | None = None
    idempotency_key: str | None = None
    kind: str = ""
    validate: Callable[[], Mapping[str, Any]] = _no_errors
    store: Callable[[Callable[[str], None]], IntakeResult] | None = None
    count: Callable[[Attempt], RateLimitResult] = _count_attempt
    #: Set by RESEND/REPLAY: the key was looked up in this request and stored nothing yet.
    key_is_new: bool = False


# --- The guards: each can be called alone, returns None to go on --------------------------------


def resend(attempt: Attempt) -> Answer | None:
    """A key that already stored a submission from this form: its first result."""
    existing = find_by_idempotency_key(attempt.idempotency_key)
    attempt.key_is_new = existing is None
    page = attempt.page
    if (
        existing is not None
        and page is not None
        and existing.form_page_id == page.canonical_form.pk
    ):
        return Replayed(Guard.RESEND, existing)
    return None


def rate_limit(attempt: Attempt) -> Answer | None:
    limit = attempt.count(attempt)
    if limit.allowed:
        return None
    return Refusal(
        Guard.RATE_LIMIT, "rate_limited", 429, retry_after=limit.retry_after, limit=limit
    )


def honeypot(attempt: Attempt) -> Answer | None:
    """A browser's field may come back blank (autofill); a JSON value must be absent or ""."""
    data = attempt.data
    triggered = honeypot_triggered(data)
    if not isinstance(data, QueryDict):
        triggered = triggered or data.get(HONEYPOT_FIELD_NAME) not in (None, "")
    if not triggered:
        return None
    message = _("The form could not be sent. Please check your answers and send it again.")
    return Refusal(Guard.HONEYPOT, "rejected", 400, message)


def time_trap(attempt: Attempt) -> Answer | None:
    check = check_form_token(attempt.data.get("form_token"))
    if check is TokenCheck.OK:
        return None
    return Refusal(Guard.TIME_TRAP, check.value, 400, token=check)


def same_sender(existing: Evaluation | Need, kind: str, personal_number: object) -> bool:
    """The stored submission is of this kind and from this personal number."""
    try:
        person = digest_personal_number(personal_number)
    except ValidationError:
        return False
    same_kind = isinstance(existing, Evaluation) == (kind == "evaluation")
    return same_kind and (person.digest, person.key_version) == (
        existing.person_digest,
        existing.key_version,
    )


def replay(attempt: Attempt) -> Answer | None:
    """A retried request gets its first result; a key reused for someone else's is refused,
    so guessing a key can never reveal another resident's reference."""
    existing = find_by_idempotency_key(attempt.idempotency_key)
    attempt.key_is_new = existing is None
    if existing is None:
        return None
    if same_sender(existing, attempt.kind, attempt.data.get("personal_number")):
        return Replayed(Guard.REPLAY, existing)
    message = _("This Idempotency-Key was already used for a different submission.")
    return Refusal(Guard.REPLAY, "idempotency_key_reused", 409, message)


def validation(attempt: Attempt) -> Answer | None:
    errors = attempt.validate()
    if not errors:
        return None
    return Refusal(Guard.VALIDATION, "invalid", 422, errors=errors)


def store(attempt: Attempt) -> Answer | None:
    """Eligibility, duplicate, the row and the notification, through the channel's `store`."""
    if attempt.store is None:
        return None

    def ran(step: str) -> None:
        guard_ran.send(attempt.route, guard=Guard(step))

    try:
        result = attempt.store(ran)
    except DuplicateEvaluation:
        return Refusal(Guard.DUPLICATE, "duplicate", 400)
    except InvitationSpent:
        return Refusal(Guard.STORE, "invitation_spent", 400)
    except TokenAlreadySpent:
        return Refusal(Guard.STORE, "token_spent", 400)
    return Stored(result)


GUARD_FUNCTIONS: Mapping[Guard, Callable[[Attempt], Answer | None]] = {
    Guard.RESEND: resend,
    Guard.RATE_LIMIT: rate_limit,
    Guard.HONEYPOT: honeypot,
    Guard.TIME_TRAP: time_trap,
    Guard.REPLAY: replay,
    Guard.VALIDATION: validation,
    Guard.STORE: store,
}


def run(attempt: Attempt) -> Answer | None:
    """Run the route's guards in `ORDER` until one answers; None: every guard let it through
    (a route that stores nothing, such as "Continue")."""
    for guard in steps_for(attempt.route):
        if guard in IN_STORE:
            continue  # reported by the store's transaction as it decides them
        answer = GUARD_FUNCTIONS[guard](attempt)
        if not (isinstance(answer, Refusal) and answer.guard is not guard):
            guard_ran.send(attempt.route, guard=guard)
        if answer is not None:
            return answer
    return None
