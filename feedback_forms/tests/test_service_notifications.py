"""Issue 15 item 1: the service hears about its needs, through the real task queue, once.

The tasks go through django-tasks' database backend and its `db_worker` (as in production);
the e-mails land in Django's mail outbox. Running the scheduled jobs twice sends nothing new.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.users.models import UserProfile

from cms.core.roles import PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms import workflow
from feedback_forms.models import NotificationPreference, SentNotification, Status
from feedback_forms.tests.factories import NeedFactory
from feedback_forms.tests.loop_support import run_jobs, run_worker
from programs.models import MunicipalService

pytestmark = pytest.mark.django_db


@pytest.fixture
def roads(reference_data):
    return MunicipalService.objects.get(slug="infrastructure")


@pytest.fixture
def people(roads):
    manager = staff_user(PLATFORM_MANAGERS, username="manager", email="manager@city.example")
    nino = staff_user(SERVICE_REPRESENTATIVES, username="nino", email="nino@city.example")
    john = staff_user(SERVICE_REPRESENTATIVES, username="john", email="john@city.example")
    dato = staff_user(SERVICE_REPRESENTATIVES, username="dato", email="dato@city.example")
    roads.representatives.add(nino, john, dato)
    profile = UserProfile.get_for_user(john)
    profile.preferred_language = "en"
    profile.save()
    NotificationPreference.objects.create(user=dato, mode=NotificationPreference.Mode.DIGEST)
    return {"manager": manager, "nino": nino, "john": john, "dato": dato}


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_assignment_reaches_the_immediate_representatives_in_their_language(
    database_tasks, django_capture_on_commit_callbacks, roads, people
) -> None:
    need = NeedFactory(title="Broken bridge", contact_email="resident@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(need, service=roads, by=people["manager"])
    assert not mails_to("nino@city.example")  # queued, not sent inline
    assert DBTaskResult.objects.filter(task_path__endswith="notify_assignment").exists()
    run_worker()
    (georgian,) = mails_to("nino@city.example")
    (english,) = mails_to("john@city.example")
    assert need.reference in georgian.subject and "თქვენს სამსახურს" in georgian.subject
    assert english.subject == f"New need {need.reference} assigned to your service"
    assert "Broken bridge" in english.body and f"/need/edit/{need.pk}/" in english.body
    assert not mails_to("dato@city.example")  # chose the digest
    assert not mails_to("manager@city.example")  # not a representative
    run_worker()
    assert len(mails_to("nino@city.example")) == 1


def test_reminders_before_due_and_when_overdue_are_sent_once(
    database_tasks, roads, people, settings
) -> None:
    settings.FEEDBACK_REMINDER_DAYS_BEFORE_DUE = 3
    today = timezone.localdate()
    created = timezone.now() - datetime.timedelta(days=40)
    soon = NeedFactory(
        service=roads,
        status=Status.ASSIGNED,
        due_date=today + datetime.timedelta(days=3),
        created_at=created,
    )
    later = NeedFactory(
        service=roads,
        status=Status.ASSIGNED,
        due_date=today + datetime.timedelta(days=4),
        created_at=created,
    )
    late = NeedFactory(
        service=roads,
        status=Status.IN_REVIEW,
        due_date=today - datetime.timedelta(days=1),
        created_at=created,
    )
    answered = NeedFactory(
        service=roads,
        status=Status.RESOLVED,
        due_date=today,
        public_answer="Done",
        created_at=created,
    )
    run_jobs("service_reminders")
    run_worker()
    subjects = [message.subject for message in mails_to("john@city.example")]
    assert sorted(subjects) == sorted(
        [
            f"Reminder: the answer to {soon.reference} is due on {soon.due_date:%d.%m.%Y}",
            f"Overdue: the answer to {late.reference} is late",
        ]
    )
    assert len(mails_to("nino@city.example")) == 2
    assert not any(later.reference in s or answered.reference in s for s in subjects)
    assert not mails_to("dato@city.example")
    sent = len(mail.outbox)
    assert SentNotification.objects.count() == sent == 4

    run_jobs("service_reminders")
    run_worker()
    run_jobs("service_reminders")
    run_worker()
    assert len(mail.outbox) == sent  # idempotent: a second run sends nothing


def test_two_queued_copies_of_one_reminder_send_it_once(database_tasks, roads, people) -> None:
    """Two scheduler runs before the worker wakes queue the same key twice: one e-mail."""
    from feedback_forms.notifications import reminders_due
    from feedback_forms.tasks import send_staff_notification

    today = timezone.localdate()
    NeedFactory(service=roads, status=Status.ASSIGNED, due_date=today)
    owed = reminders_due(today)
    for due in [*owed, *owed]:
        send_staff_notification.enqueue(due.kind, due.key, due.user_id, need_id=due.need_id)
    run_worker()
    assert len(mail.outbox) == len(owed) == 2


def test_the_weekly_digest_lists_new_due_and_overdue_for_digest_readers(
    database_tasks, django_capture_on_commit_callbacks, roads, people, settings
) -> None:
    settings.FEEDBACK_DIGEST_WEEKDAY = 0
    today = timezone.localdate()
    created = timezone.now() - datetime.timedelta(days=40)
    fresh = NeedFactory(title="New pothole")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(fresh, service=roads, by=people["manager"])
    due = NeedFactory(
        title="Due lamp",
        service=roads,
        status=Status.ASSIGNED,
        created_at=created,
        due_date=today + datetime.timedelta(days=5),
    )
    overdue = NeedFactory(
        title="Late drain",
        service=roads,
        status=Status.IN_REVIEW,
        created_at=created,
        due_date=today - datetime.timedelta(days=20),
    )
    other = NeedFactory(
        title="Other service",
        service=MunicipalService.objects.get(slug="social"),
        status=Status.ASSIGNED,
        due_date=today,
        created_at=created,
    )
    run_jobs("service_digests")
    run_worker()
    (digest,) = mails_to("dato@city.example")
    assert "ყოველკვირეული" in digest.subject
    for need in (fresh, due, overdue):
        assert need.reference in digest.body
    assert other.reference not in digest.body
    assert not any("ყოველკვირეული" in m.subject for m in mails_to("nino@city.example"))
    run_jobs("service_digests")
    run_worker()
    assert len(mails_to("dato@city.example")) == 1


def test_the_representative_chooses_immediate_or_digest_in_account_settings(
    client, roads, people
) -> None:
    nino = people["nino"]
    client.force_login(nino)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    assert 'name="service_notifications-mode"' in page
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "service_notifications-mode": "digest",
            "name_email-first_name": "Nino",
            "name_email-last_name": "B",
            "name_email-email": "nino@city.example",
            "locale-preferred_language": "ka",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert NotificationPreference.objects.get(user=nino).mode == "digest"

    client.force_login(people["manager"])  # not a representative: no such panel
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    assert "service_notifications-mode" not in page
