"""The report's count of staff-entered submissions, against a plain recount (issue 10, #6)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback_forms.models import HIDDEN_STATUSES, Channel, Evaluation, Need, Status
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from reports.aggregation import compute_figures

pytestmark = pytest.mark.django_db

CODE = "2026-H1"
submissions = st.lists(
    st.tuples(
        st.sampled_from(["need", "evaluation"]),
        st.sampled_from(Channel.values),
        st.sampled_from([Status.NEW, Status.IN_REVIEW, Status.SPAM, Status.DUPLICATE]),
        st.sampled_from([CODE, "2025-H2"]),
    ),
    max_size=12,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=submissions)
def test_staff_entered_counts_match_a_recount(reference_data, rows) -> None:
    Need.objects.all().delete()
    Evaluation.objects.all().delete()
    for kind, channel, status, period in rows:
        factory = NeedFactory if kind == "need" else EvaluationFactory
        factory(channel=channel, status=status, reporting_period=period)
    entered = compute_figures(CODE)["totals"]["staff_entered"]
    expected = {c: 0 for c in Channel.values if c != Channel.ONLINE}
    for _kind, channel, status, period in rows:
        if period == CODE and status not in HIDDEN_STATUSES and channel != Channel.ONLINE:
            expected[channel] += 1
    assert entered == {"total": sum(expected.values()), **expected}


def test_the_print_view_and_the_public_report_show_the_line(client, reference_data) -> None:
    from cms.core.roles import PLATFORM_MANAGERS
    from cms.core.tests.factories import staff_user
    from reports.publication import public_totals
    from reports.tests.factories import ResultsReportFactory

    NeedFactory(channel=Channel.PHONE, reporting_period=CODE)
    EvaluationFactory(channel=Channel.PAPER, reporting_period=CODE)
    NeedFactory(channel=Channel.ONLINE, reporting_period=CODE)
    figures = compute_figures(CODE)
    assert public_totals(figures)["staff_entered"]["total"] == 2
    report = ResultsReportFactory()
    client.force_login(staff_user(PLATFORM_MANAGERS, username="manager"))
    from django.urls import reverse

    html = client.get(reverse("reports_admin:print", args=[report.pk]) + "?lang=en").content
    assert b"Entered by staff on a resident" in html or "შეიყვანა".encode() in html
