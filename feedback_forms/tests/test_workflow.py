"""The needs workflow: every move validated, logged with who and when, the resident told."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cms.core.roles import PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms import workflow
from feedback_forms.models import Status, SubmissionLogEntry
from feedback_forms.tests.factories import NeedFactory
from programs.models import MunicipalService

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(reference_data):
    return staff_user(PLATFORM_MANAGERS, username="manager")


@pytest.fixture
def social():
    return MunicipalService.objects.get(slug="social")


@pytest.fixture
def representative(social):
    user = staff_user(SERVICE_REPRESENTATIVES, username="nino")
    social.representatives.add(user)
    return user


def test_assigning_sets_service_representative_and_default_due_date(
    manager, social, representative, settings
) -> None:
    settings.FEEDBACK_ANSWER_DUE_DAYS = 30
    need = NeedFactory()
    workflow.assign(need, service=social, assignee=representative, by=manager)
    need.refresh_from_db()
    assert (need.status, need.service, need.assignee) == (Status.ASSIGNED, social, representative)
    assert need.due_date == timezone.localdate() + datetime.timedelta(days=30)
    entry = SubmissionLogEntry.objects.for_instance(need).get(action=workflow.LOG_ASSIGN)
    assert entry.user == manager and entry.timestamp is not None


def test_only_a_representative_of_the_service_can_be_assigned(manager, social) -> None:
    outsider = staff_user(SERVICE_REPRESENTATIVES, username="outsider")
    with pytest.raises(ValidationError):
        workflow.assign(NeedFactory(), service=social, assignee=outsider, by=manager)


def test_no_answered_status_without_a_public_answer(manager, social) -> None:
    need = NeedFactory()
    workflow.assign(need, service=social, by=manager)
    for status in (Status.RESOLVED, Status.PLANNED, Status.DECLINED):
        with translation.override("en"), pytest.raises(ValidationError, match="public answer"):
            workflow.change_status(need, status, by=manager)
    workflow.change_status(need, Status.RESOLVED, by=manager, public_answer="Fixed in May.")
    need.refresh_from_db()
    assert need.status == Status.RESOLVED and need.answered_at is not None


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.NEW, Status.RESOLVED),
        (Status.NEW, Status.IN_REVIEW),
        (Status.RESOLVED, Status.SPAM),
        (Status.SPAM, Status.PLANNED),
    ],
)
def test_moves_the_workflow_does_not_allow_are_refused(manager, start, target) -> None:
    need = NeedFactory(status=start, public_answer="x")
    with pytest.raises(ValidationError):
        workflow.change_status(need, target, by=manager, public_answer="answer")
    need.refresh_from_db()
    assert need.status == start


def test_spam_can_be_undone(manager) -> None:
    need = NeedFactory()
    workflow.change_status(need, Status.SPAM, by=manager)
    workflow.change_status(need, Status.NEW, by=manager)
    assert need.status == Status.NEW
    assert (
        SubmissionLogEntry.objects.for_instance(need).filter(action=workflow.LOG_STATUS).count()
        == 2
    )


def test_the_resident_is_told_when_they_left_an_address(
    manager, social, django_capture_on_commit_callbacks
) -> None:
    need = NeedFactory(contact_email="resident@example.ge", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(need, service=social, by=manager)
        workflow.change_status(need, Status.IN_REVIEW, by=manager)
        workflow.change_status(
            need, Status.PLANNED, by=manager, public_answer="In next year's budget."
        )
    assert len(mail.outbox) == 2  # assigned, answered; "in review" is internal
    assert "In next year's budget." in mail.outbox[1].body
    assert need.reference in mail.outbox[1].subject


def test_no_mail_without_an_address_and_a_mail_failure_keeps_the_change(
    manager, social, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    need = NeedFactory(contact_email="resident@example.ge")
    monkeypatch.setattr(
        "feedback_forms.tasks.send_mail",
        lambda *a, **k: (_ for _ in ()).throw(OSError("smtp down")),
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(need, service=social, by=manager)
    need.refresh_from_db()
    assert need.status == Status.ASSIGNED


def test_internal_notes_are_logged_but_never_public(client, manager) -> None:
    need = NeedFactory()
    workflow.add_note(need, "Called the resident, pothole confirmed.", by=manager)
    assert need.notes.get().author == manager
    html = client.get("/en/track/", {"reference": need.reference}).content.decode()
    assert "pothole confirmed" not in html


def test_low_ratings_alert_the_programs_service(
    client, evaluation_form, instant_forms, django_capture_on_commit_callbacks
) -> None:
    from feedback_forms.tests.factories import evaluation_data
    from feedback_forms.tests.journey import send

    service = evaluation_form.get_parent().specific.responsible_service
    service.email = "infra@tskaltubo.gov.ge"
    service.save()
    with django_capture_on_commit_callbacks(execute=True):
        send(
            client,
            "/programs/rural-roads/evaluation/",
            evaluation_data(overall_rating="1", ramdenad_martivi_iqo="1"),
        )
    assert [message.to for message in mail.outbox] == [["infra@tskaltubo.gov.ge"]]
    assert "1/5" in mail.outbox[0].subject
