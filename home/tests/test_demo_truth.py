"""The demo's own figures are true: on any day it loads, every date is in the past and in order,
no duration is negative, every published figure equals a recount from the database, no public
text promises more than its commitment's status, and no submission falls outside every report.
"""

import datetime
import statistics

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback_forms.demo import (
    ensure_demo_late_entries,
    ensure_demo_submissions,
    ensure_evaluation_forms,
    ensure_needs_form,
)
from feedback_forms.models import Evaluation, Need, NeedUpdate, Status
from feedback_forms.periods import period_bounds, period_for_date, previous_period
from reports.dashboard import compliance
from reports.figures import figures_for
from reports.models import BudgetCommitment, CommitmentNeed, ResultsReport
from reports.tests.recount import assert_figures_agree, recount
from reports.workflow import NEED_STATUS_FOR, commitment_answer

pytestmark = pytest.mark.django_db

HIDDEN = {Status.SPAM, Status.DUPLICATE, Status.NOT_ELIGIBLE}
ANSWERED = {Status.PLANNED, Status.RESOLVED, Status.DECLINED}


def status_at(need: Need, moment: datetime.datetime) -> str:
    """A need's status at a moment, read from its public timeline."""
    steps = [update for update in need.updates.all() if update.at <= moment]
    return steps[-1].status if steps else Status.NEW


def assert_sent_report_is_its_recount(report: ResultsReport) -> None:
    """A sent report's figures are those of the submissions it counted, as they stood when its
    figures were frozen."""
    code, frozen_at, figures = report.period.code, report.frozen_at, figures_for(report)
    counted = Need.objects.filter(reporting_period=code, reported_in=code)
    states = {need.pk: status_at(need, frozen_at) for need in counted.prefetch_related("updates")}
    visible = [need for need in counted if states[need.pk] not in HIDDEN]
    answered = [
        need
        for need in visible
        if states[need.pk] in ANSWERED and need.answered_at and need.answered_at <= frozen_at
    ]
    days = sorted((need.answered_at - need.created_at).total_seconds() for need in answered)
    evaluations = Evaluation.objects.filter(reporting_period=code, reported_in=code).exclude(
        status__in=HIDDEN
    )
    times = figures["response_times"]
    assert figures["totals"]["needs"] == len(visible)
    assert figures["totals"]["evaluations"] == evaluations.count()
    assert times["answered"] == len(answered)
    assert times["median_days"] == (round(statistics.median(days) / 86400, 1) if days else None)


def assert_the_demo_is_true(now: datetime.datetime) -> None:
    real_now = timezone.now()
    for model in (Need, Evaluation):
        for submission in model.objects.all():
            assert submission.created_at <= now
            assert submission.submitted_on == timezone.localdate(submission.created_at)
            first, last = period_bounds(submission.reporting_period)
            assert first <= submission.submitted_on <= last
            if submission.answered_at:
                assert submission.created_at <= submission.answered_at <= real_now
            if submission.due_date:
                assert submission.due_date >= submission.submitted_on
    for update in NeedUpdate.objects.select_related("need"):
        assert update.need.created_at <= update.at <= real_now
    days = {timezone.localdate(need.created_at) for need in Need.objects.all()}
    assert len(days) >= min(20, (timezone.localdate(now) - min(days)).days)  # spread out

    published = ResultsReport.objects.get(status=ResultsReport.Status.PUBLISHED)
    period = published.period
    assert not published.is_interim and published.sent_on > period.ends_on
    assert published.sent_on <= published.meeting_on <= timezone.localdate(now)
    assert period.ends_on < timezone.localdate(published.frozen_at)
    assert published.published_at <= now
    assert_sent_report_is_its_recount(published)
    for report in ResultsReport.objects.filter(status=ResultsReport.Status.DRAFT):
        today = timezone.localdate()
        assert_figures_agree(figures_for(report), recount(report.period.code, today))
    for report in ResultsReport.objects.all():
        median = figures_for(report)["response_times"]["median_days"]
        assert median is None or median >= 0

    # No public text promises more than its commitment's status.
    for link in CommitmentNeed.objects.select_related("commitment", "need"):
        need, commitment = link.need, link.commitment
        if commitment.status == BudgetCommitment.Status.DROPPED:
            assert (need.status, need.public_answer) == (link.status_before, link.answer_before)
        else:
            assert need.status == NEED_STATUS_FOR[commitment.status]
            assert need.public_answer == commitment_answer(commitment, need.language)
    state = compliance(timezone.localdate(now))
    in_draft = BudgetCommitment.objects.filter(
        budget_year=state["next_year"], status__in=["in_draft_budget", "adopted", "implemented"]
    )
    assert state["commitments"] == in_draft.count()

    # Every submission is counted by a sent report, or by the draft that will count it.
    sent = dict(ResultsReport.objects.frozen().values_list("period__code", "frozen_at"))
    drafts = set(
        ResultsReport.objects.filter(status="draft").values_list("period__code", flat=True)
    )
    for model in (Need, Evaluation):
        for code, counted_in in model.objects.values_list("reporting_period", "reported_in"):
            later_draft = any(draft > code for draft in drafts)
            assert counted_in in sent or code in drafts or (code in sent and later_draft)


def test_load_demo_data_is_true_today() -> None:
    call_command("load_demo_data", "--no-users", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_the_demo_is_true(timezone.now())
    current = ResultsReport.objects.get(status="draft")
    late = figures_for(current)["late_arrivals"]["by_period"]
    assert [row["period"] for row in late] == [previous_period(current.period.code)]
    assert Need.objects.filter(language="en").exists()


def moments_to_try() -> list[datetime.datetime]:
    """Days the demo could be loaded on, at the awkward edges of a half-year."""
    now = timezone.now()
    current = period_for_date(timezone.localdate(now))
    start = timezone.make_aware(
        datetime.datetime.combine(period_bounds(current)[0], datetime.time.min)
    )
    previous_start = timezone.make_aware(
        datetime.datetime.combine(period_bounds(previous_period(current))[0], datetime.time.min)
    )
    return [
        min(now, start + datetime.timedelta(minutes=30)),  # half an hour into a half-year
        start - datetime.timedelta(minutes=10),  # ten minutes before a half-year ends
        previous_start + datetime.timedelta(days=1, hours=12),  # early in a half-year
    ]


@pytest.mark.parametrize("which", range(3))
def test_the_demo_is_true_whenever_it_loads(demo_programs, site_content, which) -> None:
    from reports.demo import demo_cycle, ensure_results_demo

    now = moments_to_try()[which]
    ensure_evaluation_forms()
    ensure_needs_form(site_content)
    cycle = demo_cycle(now)
    assert ensure_demo_submissions(now=now, answered_by={cycle.period: cycle.sent_at}) > 0
    ensure_results_demo(site_content, now=now)
    ensure_demo_late_entries(now=now)
    assert_the_demo_is_true(now)
