"""Realistic data behind `fixtures/figures_v1.json`: the figures of a report frozen in the first
(unversioned) shape, as `compute_figures` produced them before the figures had a schema.

The fixture was generated once from this data with the code of that time
(`generate_v1_fixture.py`); the test of old reports (`test_frozen_schema.py`) builds the same
data again, so a fresh compute must show the same figures.
Every field that reaches a figure is given explicitly (no factory sequences), so the data is the
same whatever ran before. Primary keys differ between runs: `v1_fixture()` maps the fixture's
program and service ids onto this run's by title and slug.
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.utils import timezone

from feedback_forms.models import Channel, Evaluation, EvaluationFormField, FixCheck, Need, Status
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from programs.models import (
    AdministrativeUnit,
    Invitation,
    MunicipalService,
    ProgramCategory,
    ProgramPage,
    Settlement,
)
from programs.tests.factories import ProgramPageFactory

CODE = "2026-H1"
PREVIOUS = "2025-H2"
TODAY = datetime.date(2026, 7, 10)
CREATED = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))
FIXTURE = Path(__file__).parent / "fixtures" / "figures_v1.json"
OTHER_PLACE = "ზედა ფარცხანაყანევი"


def build_world(evaluation_form: Any) -> dict[str, Any]:
    """Two programs rated in this and the previous half-year (an extra rating question, an
    invitation, a paper form, spam), needs in two units, an unlisted place, late arrivals,
    overdue and answered needs for two services and one not routed, and "is it fixed?" answers."""
    roads = evaluation_form.get_parent().specific
    infrastructure = MunicipalService.objects.get(slug="infrastructure")
    social = MunicipalService.objects.get(slug="social")
    water = ProgramPageFactory(
        parent=roads.get_parent(),
        slug="water",
        title="სასმელი წყლის მიწოდება",
        category=ProgramCategory.objects.get(slug="water"),
        responsible_service=social,
    )
    question = EvaluationFormField.objects.get(page=evaluation_form, field_type="rating")
    invitation = Invitation.objects.create(
        program=roads,
        person_digest="a" * 64,
        key_version=1,
        served_on=datetime.date(2026, 2, 1),
        sent_on=datetime.date(2026, 2, 2),
    )
    Invitation.objects.create(
        program=roads,
        person_digest="b" * 64,
        key_version=1,
        served_on=datetime.date(2026, 2, 3),
        sent_on=datetime.date(2026, 2, 4),
    )
    counter = iter(range(1, 1000))

    def evaluate(program: ProgramPage, rating: int, period: str = CODE, **extra: Any) -> None:
        number = next(counter)
        EvaluationFactory(
            reference=f"E{number:03d}-FRZ",
            person_digest=f"{number + 5000:064x}",
            program=program,
            program_title=program.title,
            category=program.category,
            service=program.responsible_service,
            overall_rating=rating,
            reporting_period=period,
            budget_year=int(period[:4]),
            used_on=datetime.date(int(period[:4]), 3 if period.endswith("H1") else 9, 1),
            **extra,
        )

    name = question.clean_name
    labels = {name: question.label}
    evaluate(roads, 5, verified=True, answers={name: 5}, questions=labels)
    evaluate(roads, 4, verified=True, answers={name: 4}, questions=labels, invitation=invitation)
    evaluate(roads, 4, answers={name: 2}, questions=labels)
    evaluate(roads, 3, channel=Channel.PAPER)
    evaluate(roads, 2, answers={name: 1}, questions=labels)
    evaluate(roads, 1)
    evaluate(roads, 5, status=Status.SPAM)  # hidden: in no figure
    evaluate(water, 5, verified=True)
    evaluate(water, 4)
    evaluate(water, 2, channel=Channel.VISIT)
    evaluate(roads, 3, period=PREVIOUS)
    evaluate(roads, 2, period=PREVIOUS)
    evaluate(water, 4, period=PREVIOUS)

    city = Settlement.objects.get(name_en="Tskaltubo")
    village = Settlement.objects.exclude(unit=city.unit).order_by("unit__code", "name_ka").first()
    assert village is not None
    unlisted_unit = AdministrativeUnit.objects.exclude(pk=city.unit_id).order_by("-code").first()
    roads_category = ProgramCategory.objects.get(slug="infrastructure")
    water_category = ProgramCategory.objects.get(slug="water")
    social_category = ProgramCategory.objects.get(slug="social")

    def need(
        settlement: Settlement | None,
        category: ProgramCategory,
        service: MunicipalService | None,
        status: str = Status.NEW,
        *,
        title: str = "ქუჩის განათება",
        answered_after: float | None = None,
        due: datetime.date | None = None,
        period: str = CODE,
        **extra: Any,
    ) -> Need:
        number = next(counter)
        unit = settlement.unit if settlement else unlisted_unit
        answered_at = (
            CREATED + datetime.timedelta(days=answered_after)
            if answered_after is not None
            else None
        )
        item = NeedFactory(
            reference=f"N{number:03d}-FRZ",
            person_digest=f"{number:064x}",
            title=title,
            settlement=settlement,
            other_place="" if settlement else OTHER_PLACE,
            administrative_unit=unit,
            category=category,
            service=service,
            status=status,
            due_date=due,
            reporting_period=period,
            budget_year=int(period[:4]),
            public_answer="პასუხი" if answered_after is not None else "",
            created_at=CREATED,
            answered_at=answered_at,
            **extra,
        )
        return item

    fixed = need(city, roads_category, infrastructure, Status.RESOLVED, answered_after=12)
    broken = need(
        city, roads_category, infrastructure, Status.RESOLVED, answered_after=30.5, title="ორმო"
    )
    need(city, roads_category, infrastructure, Status.PLANNED, answered_after=4, title="ორმო")
    need(city, roads_category, infrastructure, Status.ASSIGNED, due=datetime.date(2026, 5, 1))
    need(city, roads_category, infrastructure, Status.IN_REVIEW, due=datetime.date(2026, 9, 1))
    need(city, roads_category, infrastructure, Status.NEW, channel=Channel.PHONE, title="ორმო")
    need(village, water_category, social, Status.RESOLVED, answered_after=6, title="წყალი არ არის")
    need(village, water_category, social, Status.NEW, title="წყალი არ არის")
    need(village, social_category, social, Status.DECLINED, answered_after=2, title="დახმარება")
    need(None, roads_category, None, Status.NEW, title="ხიდი")  # unlisted place, not routed
    need(city, roads_category, infrastructure, Status.DUPLICATE, answered_after=1)  # hidden
    need(
        village, water_category, infrastructure, Status.RESOLVED, answered_after=9, period=PREVIOUS
    )
    need(city, roads_category, infrastructure, Status.NEW, period=PREVIOUS)
    # Received after the previous report: made for the previous half-year, counted here.
    need(city, roads_category, infrastructure, Status.NEW, period=PREVIOUS, reported_in=CODE)
    need(village, water_category, social, Status.SPAM, period=PREVIOUS, reported_in=CODE)
    Evaluation.objects.filter(program=water, reporting_period=PREVIOUS).update(reported_in=CODE)

    expires = timezone.make_aware(datetime.datetime(2026, 8, 1))
    for number, (item, answer) in enumerate(
        ((fixed, FixCheck.Answer.FIXED), (broken, FixCheck.Answer.NOT_FIXED), (broken, ""))
    ):
        FixCheck.objects.create(
            need=item,
            trigger=f"resolved-{number}",
            token_hash=f"{number:064x}",
            expires_at=expires,
            answer=answer,
            used_at=expires - datetime.timedelta(days=20) if answer else None,
        )
    return {"roads": roads, "water": water, "services": (infrastructure, social)}


def remapped(value: Any, programs: dict[str, int], services: dict[str, int]) -> Any:
    """The fixture's program and service ids replaced by this run's (same title, same slug)."""
    if isinstance(value, list):
        return [remapped(item, programs, services) for item in value]
    if not isinstance(value, dict):
        return value
    row = {key: remapped(item, programs, services) for key, item in value.items()}
    if row.get("program_id") is not None:
        row["program_id"] = programs[row["title"]]
    if row.get("service_id") is not None:
        row["service_id"] = services[row["slug"]]
    return row


def v1_fixture() -> dict[str, Any]:
    """The stored v1 figures with this database's ids."""
    figures = json.loads(FIXTURE.read_text(encoding="utf-8"))
    programs = dict(
        ProgramPage.objects.filter(locale__language_code="ka").values_list("title", "pk")
    )
    services = dict(MunicipalService.objects.values_list("slug", "pk"))
    return remapped(figures, programs, services)
