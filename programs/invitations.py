"""Invitations to evaluate a program: made from the contacts of an imported beneficiary list,
sent by staff, each with a one-time code (stored hashed) that verifies the evaluation made
with it without the resident typing their personal number (feedback_forms.intake).

Retention: a contact serves only its invitation. It is erased as soon as the code is used, and
for unused invitations once the code expires (INVITATION_VALID_DAYS after sending) or, for
invitations never sent, the same number of days after the import (`erase_spent_contacts`).
"""

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.core.municipality import current_names
from cms.core.sms import send_sms
from programs.models import BeneficiaryImport, Invitation, ProgramPage

#: No 0/O, 1/I/L: a code is typed from a phone's screen. 32 symbols, 8 of them: 40 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
SEND_ACTION = "programs.invitations.send"


def valid_days() -> int:
    return int(getattr(settings, "INVITATION_VALID_DAYS", 60))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value: str) -> str:
    return "".join(char for char in (value or "").upper() if char.isalnum())[: CODE_LENGTH * 2]


def code_digest(code: str) -> str:
    """Keyed hash of a code: a database copy alone cannot be turned into working codes."""
    key = (settings.SECRET_KEY + ":invitation-code").encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def create_invitations(batch: BeneficiaryImport, contacts: Mapping[tuple, tuple[str, str]]) -> int:
    """One invitation per imported row that came with a contact; a beneficiary already invited
    for the same service keeps their invitation."""
    invitations = [
        Invitation(
            program_id=batch.program_id,
            batch=batch,
            person_digest=digest,
            key_version=version,
            served_on=served_on,
            contact_phone=phone,
            contact_email=email,
        )
        for (digest, version, served_on), (phone, email) in contacts.items()
    ]
    created = Invitation.objects.bulk_create(invitations, ignore_conflicts=True, batch_size=1000)
    return len(created)


def unsent(program: ProgramPage) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        program=program.canonical_program, sent_at__isnull=True, contact_erased_at__isnull=True
    ).exclude(contact_phone="", contact_email="")


@dataclass(frozen=True)
class InvitationCounts:
    to_send: int
    sent: int
    used: int


def counts(program: ProgramPage) -> InvitationCounts:
    everyone = Invitation.objects.filter(program=program.canonical_program)
    return InvitationCounts(
        to_send=unsent(program).count(),
        sent=everyone.filter(sent_at__isnull=False).count(),
        used=everyone.filter(used_at__isnull=False).count(),
    )


def invitation_url(code: str) -> str:
    return reverse("invitation", args=[code])


def site_host() -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return parts.netloc or parts.path


def sms_text(code: str) -> str:
    """Within one SMS segment (Georgian: 70 characters) on the municipality's address."""
    with translation.override("ka"):
        return _("Evaluate the City Hall program: %(url)s") % {
            "url": site_host() + invitation_url(code)
        }


def email_message(program: ProgramPage, code: str) -> tuple[str, str]:
    with translation.override("ka"):
        subject = _("Please evaluate the program “%(program)s”") % {"program": program.title}
        body = _(
            "Hello,\n\nYou used the %(city_hall_of)s program “%(program)s”. Please tell us "
            "how it went: the evaluation takes two minutes and is anonymous in the reports.\n\n"
            "%(url)s\n\nYour personal code: %(code)s (it works once, until %(until)s). You will "
            "not need to enter your personal number.\n\n%(city_hall)s"
        ) % {
            **current_names(),
            "program": program.title,
            "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + invitation_url(code),
            "code": code,
            "until": timezone.localdate(
                timezone.now() + datetime.timedelta(days=valid_days())
            ).strftime("%d.%m.%Y"),
        }
    return subject, body


@dataclass(frozen=True)
class SendOutcome:
    sms: int
    email: int


def send_invitations(program: ProgramPage, user: User) -> SendOutcome:
    """Send every not yet invited beneficiary of the program their personal code, once.

    The SMS goes through the SMS channel's outbox (cms.core.sms, delivered after commit, at
    most once); an e-mail is sent after commit. Each invitation is claimed in the transaction
    that gives it its code, so two staff members pressing "Send" at once send it once.
    """
    program = program.canonical_program
    now = timezone.now()
    counts = {"sms": 0, "email": 0}
    emails: list[tuple[str, str, str]] = []
    with transaction.atomic():
        for invitation in unsent(program).select_for_update():
            code = new_code()
            claimed = Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
                code_digest=code_digest(code),
                sent_at=now,
                sent_on=timezone.localdate(now),
                sent_by=user,
                expires_at=now + datetime.timedelta(days=valid_days()),
            )
            if not claimed:
                continue
            if invitation.contact_phone:
                send_sms(
                    invitation.contact_phone,
                    sms_text(code),
                    key=f"invitation:{invitation.pk}",
                    purpose="invitation",
                )
                counts["sms"] += 1
            else:
                subject, body = email_message(program, code)
                emails.append((subject, body, invitation.contact_email))
                counts["email"] += 1
        log(instance=program, action=SEND_ACTION, user=user, data=dict(counts))

        def mail() -> None:
            for subject, body, address in emails:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)

        transaction.on_commit(mail)
    return SendOutcome(**counts)


def usable(code: str, program: ProgramPage | None = None) -> Invitation | None:
    """The sent, unused, unexpired invitation a code belongs to (for the program, if given)."""
    if not code or len(normalise_code(code)) != CODE_LENGTH:
        return None
    found = Invitation.objects.filter(
        code_digest=code_digest(code), used_at__isnull=True, expires_at__gt=timezone.now()
    )
    if program is not None:
        found = found.filter(program=program.canonical_program)
    return found.select_related("program").first()


def mark_used(invitation: Invitation) -> bool:
    """Spend a code; False if it was spent meanwhile. The contact is erased at once."""
    now = timezone.now()
    return bool(
        Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=now, contact_phone="", contact_email="", contact_erased_at=now
        )
    )


def erase_spent_contacts(now: datetime.datetime | None = None) -> int:
    """Retention: contacts of expired invitations, and of ones never sent within the validity."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(days=valid_days())
    expired = Q(sent_at__isnull=False, expires_at__lte=now) | Q(
        sent_at__isnull=True, created_at__lte=stale
    )
    return (
        Invitation.objects.filter(expired, contact_erased_at__isnull=True)
        .exclude(contact_phone="", contact_email="")
        .update(contact_phone="", contact_email="", contact_erased_at=now)
    )
