"""The dates of the record are true: the database refuses an answer before its submission and
an answer due before the submission's day, the workflow and the forms refuse the same with a
translated message (never a 500), and staff entering a paper form keep the day it came in."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cms.core.roles import PLATFORM_MANAGERS
from cms.core.tests.factories import staff_user
from feedback_forms import workflow
from feedback_forms.intake import received_at
from feedback_forms.models import Evaluation, Need, Status
from feedback_forms.periods import period_bounds, period_for_date, previous_period
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory, need_data
from programs.models import MunicipalService, ProgramCategory, Settlement

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TBILISI = zoneinfo.ZoneInfo("Asia/Tbilisi")


@pytest.fixture
def manager(reference_data):
    return staff_user(PLATFORM_MANAGERS, username="manager")


@pytest.fixture
def social(reference_data):
    return MunicipalService.objects.get(slug="social")


@pytest.mark.parametrize("factory", [NeedFactory, EvaluationFactory])
def test_the_database_refuses_an_answer_before_the_submission(reference_data, factory) -> None:
    submission = factory()
    model = type(submission)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=submission.pk).update(
            answered_at=submission.created_at - datetime.timedelta(seconds=1)
        )
    model.objects.filter(pk=submission.pk).update(answered_at=submission.created_at)


def test_the_due_date_check_uses_the_tbilisi_day_on_every_database(reference_data) -> None:
    """22:30 UTC on 4 March is already 5 March in Tbilisi: due on the 4th is before the day it
    was submitted, whatever time zone the database session uses."""
    created = datetime.datetime(2026, 3, 4, 22, 30, tzinfo=UTC)
    need = NeedFactory(created_at=created, reporting_period="2026-H1")
    assert need.submitted_on == datetime.date(2026, 3, 5) == created.astimezone(TBILISI).date()
    with pytest.raises(IntegrityError), transaction.atomic():
        Need.objects.filter(pk=need.pk).update(due_date=datetime.date(2026, 3, 4))
    Need.objects.filter(pk=need.pk).update(due_date=datetime.date(2026, 3, 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        NeedFactory(created_at=created, due_date=datetime.date(2026, 3, 4))


def test_assigning_refuses_a_due_date_before_the_submission(manager, social) -> None:
    need = NeedFactory(created_at=timezone.now() - datetime.timedelta(days=3))
    yesterday_of_submission = need.submitted_on - datetime.timedelta(days=1)
    for language, words in (("en", "cannot be due before"), ("ka", "ადრე ვერ იქნება")):
        with translation.override(language), pytest.raises(ValidationError, match=words):
            workflow.assign(need, service=social, due_date=yesterday_of_submission, by=manager)
    need.refresh_from_db()
    assert (need.status, need.due_date) == (Status.NEW, None)
    workflow.assign(need, service=social, due_date=need.submitted_on, by=manager)


def test_the_staff_form_refuses_it_with_a_message(client: Client, manager, social) -> None:
    need = NeedFactory(created_at=timezone.now() - datetime.timedelta(days=3))
    client.force_login(manager)
    response = client.post(
        reverse("wagtailsnippets_feedback_forms_need:edit", args=[need.pk]),
        {
            "service": social.pk,
            "assignee": "",
            "due_date": (need.submitted_on - datetime.timedelta(days=1)).isoformat(),
            "status": Status.ASSIGNED,
            "public_answer": "",
            "internal_note": "",
        },
    )
    assert response.status_code == 200
    assert "პასუხის ვადა საჭიროების წარდგენის თარიღზე" in response.content.decode()
    need.refresh_from_db()
    assert need.status == Status.NEW and need.due_date is None


def test_an_answer_is_never_stamped_before_the_submission(manager, social) -> None:
    """A submission dated ahead of the server's clock (a clock that jumped back) cannot be
    answered "before" it arrived: a translated refusal, not a database error."""
    need = NeedFactory(created_at=timezone.now() + datetime.timedelta(hours=2))
    workflow.assign(need, service=social, by=manager)
    with pytest.raises(ValidationError) as refused:
        workflow.change_status(need, Status.RESOLVED, by=manager, public_answer="Done.")
    assert refused.value.code == "answered_before_submitted"
    assert Need.objects.get(pk=need.pk).answered_at is None


def test_received_at_is_never_in_the_future_and_keeps_its_day() -> None:
    today = timezone.localdate()
    assert received_at(today) <= timezone.now()
    earlier = today - datetime.timedelta(days=10)
    moment = received_at(earlier)
    assert timezone.localdate(moment) == earlier and moment < timezone.now()


class TestPaperFormsEnteredLater:
    def post(self, client: Client, needs_form, **extra):
        settlement = Settlement.objects.select_related("unit").first()
        category = ProgramCategory.objects.get(slug="infrastructure")
        return client.post(
            reverse("feedback_staff_entry:form", args=[needs_form.pk]),
            {**need_data(settlement, category), "channel": "paper", **extra},
        )

    def test_the_received_day_decides_the_period_and_the_time(
        self, client: Client, manager, needs_form
    ) -> None:
        today = timezone.localdate()
        received_on = period_bounds(previous_period(period_for_date(today)))[1]
        client.force_login(manager)
        assert self.post(client, needs_form, received_on=received_on.isoformat()).status_code == 302
        need = Need.objects.get()
        assert need.submitted_on == received_on == timezone.localdate(need.created_at)
        assert need.reporting_period == period_for_date(received_on)
        assert need.created_at <= timezone.now() and need.reported_in == ""

    def test_no_day_means_today(self, client: Client, manager, needs_form) -> None:
        client.force_login(manager)
        assert self.post(client, needs_form).status_code == 302
        need = Need.objects.get()
        assert need.submitted_on == timezone.localdate()
        assert abs(need.created_at - timezone.now()) < datetime.timedelta(minutes=1)

    @pytest.mark.parametrize(
        ("days", "message"),
        [(1, "მიღების თარიღი მომავალში ვერ იქნება."), (400, "მიღებული მიმართვების შეტანა")],
    )
    def test_a_future_or_too_old_day_is_refused(
        self, client: Client, manager, needs_form, days, message
    ) -> None:
        client.force_login(manager)
        day = timezone.localdate() + datetime.timedelta(days=days if days == 1 else -days)
        response = self.post(client, needs_form, received_on=day.isoformat())
        assert response.status_code == 200 and message in response.content.decode()
        assert not Need.objects.exists() and not Evaluation.objects.exists()
