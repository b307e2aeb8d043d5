"""The demo gives the scheduled jobs something to send: reminders to the service, a weekly
digest, and "is it fixed?" by e-mail and by SMS (issue 15, "the messages sent in the demo")."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cms.core import sms
from cms.core.roles import PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms.demo.loop import DEMO_RESIDENT_EMAIL, DEMO_RESIDENT_MOBILE, ensure_demo_loop
from feedback_forms.models import Need, Status
from feedback_forms.tests.factories import NeedFactory
from programs.models import MunicipalService

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def demo_like(reference_data, site_content):
    """The demo's accounts and services, open needs of the social service and two needs
    resolved a fortnight ago, all without contacts (as the demo submissions are made)."""
    social = MunicipalService.objects.get(slug="social")
    representative = staff_user(SERVICE_REPRESENTATIVES, username=SERVICE_REPRESENTATIVES.username)
    social.representatives.add(representative)
    staff_user(PLATFORM_MANAGERS, username=PLATFORM_MANAGERS.username)
    open_needs = [
        NeedFactory(
            service=social,
            status=Status.ASSIGNED,
            created_at=days_ago(20),
            due_date=timezone.localdate() + datetime.timedelta(days=40),
        )
        for _ in range(3)
    ]
    NeedFactory(
        service=MunicipalService.objects.get(slug="infrastructure"),
        status=Status.ASSIGNED,
        created_at=days_ago(3),
        due_date=timezone.localdate() + datetime.timedelta(days=5),  # in the week's digest
    )
    resolved = [
        NeedFactory(
            service=social,
            status=Status.RESOLVED,
            public_answer="გაკეთდა.",
            created_at=days_ago(40),
            answered_at=days_ago(16 + index),
            language=language,
        )
        for index, language in enumerate(("ka", "en"))
    ]
    return {"open": open_needs, "resolved": resolved}


def test_the_scheduled_jobs_have_a_message_of_each_kind_to_send(
    demo_like, django_capture_on_commit_callbacks
) -> None:
    sms.outbox.clear()
    assert ensure_demo_loop() == {"due": 2, "digest readers": 1, "contacts": 2}
    with django_capture_on_commit_callbacks(execute=True):  # the SMS is delivered after commit
        call_command("run_scheduled_jobs", stdout=StringIO(), stderr=StringIO())
    subjects = [message.subject for message in mail.outbox]
    today = timezone.localdate()
    due_soon = (today + datetime.timedelta(days=2)).strftime("%d.%m.%Y")
    assert any("შეხსენება" in subject and due_soon in subject for subject in subjects), subjects
    assert any("ვადაგადაცილება" in subject for subject in subjects), subjects
    assert any(message.to == ["manager@tskaltubo.gov.ge"] for message in mail.outbox), subjects
    asked_by_email = [m for m in mail.outbox if m.to == [DEMO_RESIDENT_EMAIL]]
    assert len(asked_by_email) == 1
    assert [message.to for message in sms.outbox] == [DEMO_RESIDENT_MOBILE]


def test_loading_it_again_changes_nothing_and_sends_nothing_twice(demo_like) -> None:
    ensure_demo_loop()
    call_command("run_scheduled_jobs", stdout=StringIO(), stderr=StringIO())
    before = (
        len(mail.outbox),
        list(Need.objects.order_by("pk").values_list("due_date", "contact_email", "contact_phone")),
    )
    ensure_demo_loop()
    call_command("run_scheduled_jobs", stdout=StringIO(), stderr=StringIO())
    after = (
        len(mail.outbox),
        list(Need.objects.order_by("pk").values_list("due_date", "contact_email", "contact_phone")),
    )
    assert after == before
