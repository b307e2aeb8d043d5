"""“Is it fixed?”: some days after a need is answered as resolved (by its service, or by the
mayor's budget commitment being implemented, which resolves its linked needs), the resident who
left an e-mail or a mobile is asked once (e-mail, SMS or both), by a link that works without
signing in and only once.

The link carries a random token; only its SHA-256 is stored (`FixCheck.token_hash`), so the
database alone cannot answer for anyone. "No, and why" reopens the need to its service through
the workflow (a public timeline entry with the resident's words); "yes" records confirmation.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from feedback_forms.models import FixCheck, Need

#: Days after the resolution the resident is asked (FEEDBACK_FIX_CHECK_AFTER_DAYS).
DEFAULT_AFTER_DAYS = 14
#: Days the link stays valid (FEEDBACK_FIX_CHECK_VALID_DAYS).
DEFAULT_VALID_DAYS = 30
#: Resolutions older than the asking day by more than this are not asked about any more.
ASK_WINDOW_DAYS = 60


def after_days() -> int:
    return int(getattr(settings, "FEEDBACK_FIX_CHECK_AFTER_DAYS", DEFAULT_AFTER_DAYS))


def valid_days() -> int:
    return int(getattr(settings, "FEEDBACK_FIX_CHECK_VALID_DAYS", DEFAULT_VALID_DAYS))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()


def trigger_for(need: Need) -> str:
    """One question per resolution: the answer's moment names it."""
    if need.answered_at is None:  # only answered (resolved) needs are asked
        raise ValueError(f"Need {need.pk} has no answer to ask about")
    return f"resolved:{int(need.answered_at.timestamp())}"


def checks_due(now: datetime.datetime | None = None) -> list[tuple[int, str]]:
    """(need, trigger) of every resolved need whose resident is owed the question now."""
    now = now or timezone.now()
    latest = now - datetime.timedelta(days=after_days())
    earliest = latest - datetime.timedelta(days=ASK_WINDOW_DAYS)
    needs = list(Need.objects.resolved_between(earliest, latest).order_by("answered_at", "pk"))
    asked = set(FixCheck.objects.filter(need__in=needs).values_list("need_id", "trigger"))
    return [
        (need.pk, trigger_for(need)) for need in needs if (need.pk, trigger_for(need)) not in asked
    ]


def link_for(need: Need, token: str, *, route: str = "is_it_fixed") -> str:
    with translation.override(need.language if need.language in {"ka", "en"} else "ka"):
        path = reverse(route, kwargs={"token": token})
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def send_check(need_id: int, trigger: str) -> bool:
    """Create the check and e-mail its link, in one transaction: sent once, or not at all."""
    from feedback_forms.notifications import notify_resident
    from feedback_forms.sms_messages import fix_check_text, queue_sms

    need = Need.objects.filter(pk=need_id).first()
    if need is None or not (need.contact_email or need.contact_phone):
        return False
    # 96 random bits: short enough for a one-segment SMS, stored only as a hash, single use.
    token = secrets.token_urlsafe(12)
    language = need.language if need.language in {"ka", "en"} else "ka"
    try:
        with transaction.atomic():
            check = FixCheck.objects.create(
                need=need,
                trigger=trigger,
                token_hash=token_hash(token),
                expires_at=timezone.now() + datetime.timedelta(days=valid_days()),
            )
            with translation.override(language):
                context = {"need": need, "check": check, "url": link_for(need, token)}
                subject = render_to_string(
                    "feedback_forms/email/fix_check_subject.txt", context
                ).strip()
                body = render_to_string("feedback_forms/email/fix_check.txt", context)
            notify_resident(need, subject, body)
            if need.contact_phone:
                queue_sms(
                    need.contact_phone,
                    fix_check_text(need, token),
                    key=f"fix_check:{need.pk}:{trigger}",
                    purpose="fix_check",
                )
    except IntegrityError:
        return False  # asked before
    return True


class CheckProblem(Exception):
    """Why a link cannot be answered: `unknown`, `expired` or `used`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def find_check(token: str) -> FixCheck:
    """The check a link's token opens, or CheckProblem saying why not."""
    check = (
        FixCheck.objects.select_related("need").filter(token_hash=token_hash(token)).first()
        if 16 <= len(token) <= 100
        else None
    )
    if check is None:
        raise CheckProblem("unknown")
    if check.used_at is not None:
        raise CheckProblem("used")
    if check.expires_at <= timezone.now():
        raise CheckProblem("expired")
    return check


@dataclass(frozen=True)
class Outcome:
    check: FixCheck
    reopened: bool


@transaction.atomic
def answer(token: str, fixed: bool, reason: str = "") -> Outcome:
    """Record the resident's answer once; "no" reopens the need with their words."""
    from feedback_forms import workflow
    from feedback_forms.tasks import notify_reopened

    check = find_check(token)
    check = FixCheck.objects.select_for_update().get(pk=check.pk)
    if check.used_at is not None:  # a second click that raced the first
        raise CheckProblem("used")
    check.used_at = timezone.now()
    check.answer = FixCheck.Answer.FIXED if fixed else FixCheck.Answer.NOT_FIXED
    check.reason = "" if fixed else reason.strip()
    check.save(update_fields=["used_at", "answer", "reason"])
    need = Need.objects.select_for_update().get(pk=check.need_id)
    if fixed:
        workflow.record_fix_confirmed(need, check)
        return Outcome(check, reopened=False)
    reopened = workflow.reopen_after_follow_up(need, check.reason, check=check)
    transaction.on_commit(lambda: notify_reopened.enqueue(check.pk))
    return Outcome(check, reopened=reopened)
