"""Contact details are erased after the retention period; the submissions stay."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback_forms.models import Evaluation, Need, Status, SubmissionLogEntry
from feedback_forms.retention import LOG_ANONYMISE
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submissions(reference_data, settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=40)
    old_answer = NeedFactory(
        status=Status.RESOLVED,
        public_answer="x",
        contact_email="a@example.ge",
        created_at=long_ago - datetime.timedelta(days=5),
        answered_at=long_ago,
    )
    fresh_answer = NeedFactory(
        status=Status.RESOLVED,
        public_answer="x",
        contact_email="b@example.ge",
        created_at=timezone.now() - datetime.timedelta(days=5),
        answered_at=timezone.now(),
    )
    still_open = NeedFactory(status=Status.ASSIGNED, contact_phone="599123456")
    Need.objects.filter(pk=still_open.pk).update(created_at=long_ago, updated_at=long_ago)
    old_evaluation = EvaluationFactory(contact_email="c@example.ge")
    Evaluation.objects.filter(pk=old_evaluation.pk).update(created_at=long_ago, updated_at=long_ago)
    return old_answer, fresh_answer, still_open, old_evaluation


def run(*args: str) -> str:
    out = StringIO()
    call_command("erase_expired_contacts", *args, stdout=out)
    return out.getvalue()


def test_dry_run_counts_and_changes_nothing(submissions) -> None:
    assert "1 needs, 1 evaluations" in run("--dry-run")
    assert Need.objects.get(pk=submissions[0].pk).contact_email == "a@example.ge"


def test_erases_only_expired_closed_contacts_and_logs_it(submissions) -> None:
    old_answer, fresh_answer, still_open, old_evaluation = submissions
    assert "1 needs, 1 evaluations" in run()
    old_answer.refresh_from_db()
    assert old_answer.contact_email == "" and old_answer.title  # the need itself stays
    assert Need.objects.get(pk=fresh_answer.pk).contact_email == "b@example.ge"
    assert Need.objects.get(pk=still_open.pk).contact_phone == "599123456"
    assert Evaluation.objects.get(pk=old_evaluation.pk).contact_email == ""
    assert SubmissionLogEntry.objects.for_instance(old_answer).filter(action=LOG_ANONYMISE).exists()
    assert "0 needs, 0 evaluations" in run()
