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

from feedback_forms.models import Evaluation, FixCheck, Need, Status
from feedback_forms.periods import period_bounds
from feedback_forms.tests.factories import EvaluationFormFieldFactory, EvaluationFormPageFactory
from home.demo import load_site_content
from programs.models import Invitation
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
            # 4 and 5: a place not in the list, named by the resident, in unit 0 or 1.
            "settlement": st.integers(0, 5),
            "title": TITLES,
            "reported_in": st.sampled_from(["", "", CODE, "2026-H1", "2027-H1"]),
            "service": st.sampled_from([None, 0, 1]),
            # "Is it fixed?" questions about this need: none, unanswered, yes, no (a need
            # resolved again after a reopening is asked again).
            "fix_checks": st.lists(st.sampled_from(["", "fixed", "not_fixed"]), max_size=2),
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
            #: Made with an invitation's code (sent at this moment, in this or another period).
            "invited": st.one_of(st.none(), moments),
        }
    ),
    max_size=25,
)
#: Invitations nobody answered (yet): sent in some period, or never sent.
unanswered_invitations = st.lists(
    st.tuples(st.sampled_from([0, 1, 2]), st.one_of(st.none(), moments)), max_size=10
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
            listed = row["settlement"] < len(self.settlements)
            place = self.settlements[row["settlement"] % len(self.settlements)]
            settlement = place if listed else None
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
                    administrative_unit=place.unit,
                    settlement=settlement,
                    other_place="" if listed else f"unlisted {row['title']}",
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
                    service=self.services[row["service"]] if row["service"] is not None else None,
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
        checks = []
        for index, (need, row) in enumerate(zip(stored_needs, need_rows, strict=True)):
            need = Need.objects.get(reference=need.reference)
            for number, answer in enumerate(row["fix_checks"]):
                checks.append(
                    FixCheck(
                        need=need,
                        trigger=f"resolved:{number}",
                        token_hash=f"{index:032x}{number:032x}",
                        expires_at=need.created_at,
                        used_at=need.created_at if answer else None,
                        answer=answer,
                    )
                )
        FixCheck.objects.bulk_create(checks)
        stored_evaluations = []
        for index, row in enumerate(evaluation_rows):
            created = created_at(row["moment"])
            program = self.programs[row["program"]] if row["program"] is not None else None
            invitation = None
            if row["invited"] is not None and program is not None:
                invitation = self.invite(program, row["invited"], f"{index + 1000:064x}")
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
                    invitation=invitation,
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

    def invite(self, program, moment, digest: str) -> Invitation:
        sent = created_at(moment) if moment is not None else None
        return Invitation.objects.create(
            program=program,
            person_digest=digest,
            key_version=1,
            served_on=datetime.date(2025, 1, 1),
            sent_at=sent,
            sent_on=timezone.localdate(sent) if sent else None,
            used_at=sent,
        )

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        need_rows=needs,
        evaluation_rows=evaluations,
        previous_sent=st.booleans(),
        unanswered=unanswered_invitations,
    )
    def test_every_figure_equals_the_recount(
        self,
        need_rows: list[dict],
        evaluation_rows: list[dict],
        previous_sent: bool,
        unanswered: list[tuple],
    ) -> None:
        if previous_sent:
            ResultsReport.objects.create(
                period=ReportingPeriod.objects.get(code="2026-H1"),
                status=ResultsReport.Status.SENT,
                sent_on=datetime.date(2026, 7, 20),
            )
        self.store(need_rows, evaluation_rows)
        for index, (program, moment) in enumerate(unanswered):
            self.invite(self.programs[program], moment, f"{index + 5000:064x}")
        figures = compute_figures(CODE, today=TODAY)
        assert_figures_agree(figures, recount(CODE, TODAY))
        median = figures["response_times"]["median_days"]
        assert median is None or median >= 0
