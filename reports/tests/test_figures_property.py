"""Property-based: on any set of submissions, every figure the SQL aggregation produces equals a
plain Python recount of the same definition (`reports.tests.recount`).

Hypothesis generates needs and evaluations over the report's period, the one before it (whose
report may already be sent) and others, with every status, answers at any delay (or, for an
open need, an answer kept from before it was reopened), due dates on both sides of "today",
programs with extra rating questions, and submissions already counted by a report or not. The
suite runs on SQLite and PostgreSQL (CI runs both), so both databases are held to the recount.
"""

import datetime

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from feedback_forms.models import Evaluation, Need, Status
from feedback_forms.periods import period_bounds
from feedback_forms.tests.factories import EvaluationFormFieldFactory, EvaluationFormPageFactory
from home.demo import load_site_content
from programs.tests.factories import (
    AdministrativeUnitFactory,
    MunicipalServiceFactory,
    ProgramCategoryFactory,
    ProgramIndexPageFactory,
    ProgramPageFactory,
    SettlementFactory,
)
from reports.aggregation import compute_figures
from reports.models import ReportingPeriod, ResultsReport
from reports.tests.recount import assert_figures_agree, recount

CODE = "2026-H2"
PERIODS = ["2026-H2", "2026-H1", "2025-H2", "2027-H1"]
TODAY = datetime.date(2026, 11, 20)
#: Lowercase ASCII titles: "the smallest title" is the same in every collation.
TITLES = st.text(alphabet="abc", min_size=1, max_size=3)

moments = st.tuples(
    st.sampled_from([CODE, CODE, CODE, *PERIODS]),  # mostly the report's own period
    st.integers(min_value=0, max_value=180 * 24 * 60 - 1),  # minutes into the period
    st.integers(min_value=0, max_value=59_999_999),  # microseconds, for exact durations
)
needs = st.lists(
    st.fixed_dictionaries(
        {
            "moment": moments,
            "status": st.sampled_from([Status.NEW, Status.ASSIGNED, *Status.values]),
            "answer_after": st.one_of(
                st.none(), st.integers(min_value=0, max_value=90 * 24 * 3600 * 10**6)
            ),
            # Around "today", so "overdue" (due before today) is tested at its boundary.
            "due_from_today": st.one_of(st.none(), st.integers(min_value=-2, max_value=2)),
            "category": st.integers(0, 2),
            "settlement": st.integers(0, 3),
            "title": TITLES,
            "reported_in": st.sampled_from(["", "", CODE, "2026-H1", "2027-H1"]),
        }
    ),
    max_size=25,
)
evaluations = st.lists(
    st.fixed_dictionaries(
        {
            "moment": moments,
            "status": st.sampled_from([Status.NEW, Status.IN_REVIEW, *Status.values[-3:]]),
            "program": st.sampled_from([0, 1, 2, None]),
            "rating": st.integers(1, 5),
            "extra": st.one_of(st.none(), st.integers(1, 5)),
            "verified": st.booleans(),
            "reported_in": st.sampled_from(["", "", CODE, "2026-H1"]),
        }
    ),
    max_size=25,
)


def created_at(moment: tuple) -> datetime.datetime:
    code, minutes, micros = moment
    start = timezone.make_aware(datetime.datetime.combine(period_bounds(code)[0], datetime.time()))
    return start + datetime.timedelta(minutes=minutes, microseconds=micros)


def period_of(moment: datetime.datetime) -> str:
    day = timezone.localdate(moment)
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


class FiguresEqualTheirRecount(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        homes = load_site_content()
        index = ProgramIndexPageFactory(parent=homes["ka"])
        cls.categories = [ProgramCategoryFactory(slug=f"topic-{n}") for n in range(3)]
        cls.services = [MunicipalServiceFactory(slug=f"office-{n}") for n in range(2)]
        units = [AdministrativeUnitFactory(code=f"{60 + n}") for n in range(2)]
        cls.settlements = [SettlementFactory(unit=units[n % 2]) for n in range(4)]
        cls.programs = [
            ProgramPageFactory(
                parent=index,
                slug=f"program-{n}",
                category=cls.categories[n],
                responsible_service=cls.services[n % 2],
            )
            for n in range(3)
        ]
        form = EvaluationFormPageFactory(parent=cls.programs[0])
        cls.question = EvaluationFormFieldFactory(page=form, label="რამდენად?", field_type="rating")
        cls.question.refresh_from_db()
        for year in (2025, 2026, 2027):
            ReportingPeriod.objects.ensure_year(year)

    def store(self, need_rows: list[dict], evaluation_rows: list[dict]) -> None:
        stored_needs = []
        for index, row in enumerate(need_rows):
            created = created_at(row["moment"])
            settlement = self.settlements[row["settlement"]]
            answered = (
                created + datetime.timedelta(microseconds=row["answer_after"])
                if row["answer_after"] is not None
                else None
            )
            stored_needs.append(
                Need(
                    reference=f"N{index:03d}-PROP",
                    title=row["title"],
                    description="x",
                    category=self.categories[row["category"]],
                    administrative_unit=settlement.unit,
                    settlement=settlement,
                    status=row["status"],
                    public_answer="answer" if answered else "",
                    answered_at=answered,
                    due_date=max(
                        timezone.localdate(created),
                        TODAY + datetime.timedelta(days=row["due_from_today"]),
                    )
                    if row["due_from_today"] is not None
                    else None,
                    reporting_period=period_of(created),
                    reported_in=row["reported_in"],
                    budget_year=created.year,
                    person_digest=f"{index:064x}",
                    key_version=1,
                    birth_year=1980,
                    is_adult=True,
                    created_at=created,
                    submitted_on=timezone.localdate(created),
                )
            )
        Need.objects.bulk_create(stored_needs)
        stored_evaluations = []
        for index, row in enumerate(evaluation_rows):
            created = created_at(row["moment"])
            program = self.programs[row["program"]] if row["program"] is not None else None
            stored_evaluations.append(
                Evaluation(
                    reference=f"E{index:03d}-PROP",
                    program=program,
                    program_title=program.title if program else "deleted program",
                    category=program.category if program else None,
                    service=program.responsible_service if program else None,
                    overall_rating=row["rating"],
                    answers={self.question.clean_name: row["extra"]}
                    if row["extra"] is not None
                    else {},
                    used_on=timezone.localdate(created),
                    verified=row["verified"],
                    status=row["status"],
                    reporting_period=period_of(created),
                    reported_in=row["reported_in"],
                    budget_year=created.year,
                    person_digest=f"{index + 1000:064x}",
                    key_version=1,
                    birth_year=1980,
                    is_adult=True,
                    created_at=created,
                    submitted_on=timezone.localdate(created),
                )
            )
        Evaluation.objects.bulk_create(stored_evaluations)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(need_rows=needs, evaluation_rows=evaluations, previous_sent=st.booleans())
    def test_every_figure_equals_the_recount(
        self, need_rows: list[dict], evaluation_rows: list[dict], previous_sent: bool
    ) -> None:
        if previous_sent:
            ResultsReport.objects.create(
                period=ReportingPeriod.objects.get(code="2026-H1"),
                status=ResultsReport.Status.SENT,
                sent_on=datetime.date(2026, 7, 20),
            )
        self.store(need_rows, evaluation_rows)
        figures = compute_figures(CODE, today=TODAY)
        assert_figures_agree(figures, recount(CODE, TODAY))
        median = figures["response_times"]["median_days"]
        assert median is None or median >= 0
