"""Values people read in the admin and the exports (issue 11, item 3): booleans and empty values
in words, due dates as dates (never "0 minutes ago"), moments in Tbilisi time, one format for
dates on the listing, the inspect view, the CSV and the XLSX, in Georgian and in English."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from cms.core import formatting
from cms.core.roles import ANALYSTS, PLATFORM_MANAGERS
from cms.core.tests.factories import staff_user
from feedback_forms.models import Evaluation, Need
from feedback_forms.tests.test_exports import (
    export_url,
    make_evaluation,
    make_need,
    read_csv,
    read_xlsx,
)
from programs.models import MunicipalService

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
#: 05:47 UTC is 09:47 in Tbilisi (UTC+4, no daylight saving); ten days ago, so an answer due
#: two days ago is overdue and still after the day it was submitted.
SUBMITTED = datetime.datetime.combine(
    datetime.date.today() - datetime.timedelta(days=10), datetime.time(5, 47), tzinfo=UTC
)
DUE = datetime.date.today() + datetime.timedelta(days=21)
RELATIVE = re.compile(r"წინ\b|\bago\b|ახლახან|[Jj]ust now|a\.m\.|p\.m\.")


@pytest.fixture
def service(reference_data) -> MunicipalService:
    return MunicipalService.objects.get(slug="social")


def sign_in(client: Client, language: str, role=PLATFORM_MANAGERS):
    user = staff_user(role, username=f"reader-{language}")
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})
    client.force_login(user)
    return user


def rows_of(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in html.split("<tr")[1:]]


@pytest.mark.parametrize("language", ["ka", "en"])
def test_the_needs_listing_writes_due_dates_as_dates_and_marks_the_overdue(
    client: Client, service, language: str
) -> None:
    today = timezone.localdate()
    on = SUBMITTED.date()
    ahead = make_need(service, SUBMITTED, submitted_on=on, due_date=today + datetime.timedelta(21))
    late = make_need(service, SUBMITTED, submitted_on=on, due_date=today - datetime.timedelta(2))
    answered = make_need(service, SUBMITTED, submitted_on=on, due_date=late.due_date)
    Need.objects.filter(pk=answered.pk).update(
        answered_at=SUBMITTED + datetime.timedelta(days=1), public_answer="პასუხი"
    )
    sign_in(client, language)
    html = client.get(reverse("wagtailsnippets_feedback_forms_need:list")).content.decode()
    rows = {need.reference: row for need in (ahead, late, answered) for row in rows_of(html)
            if need.reference in row}  # fmt: skip
    with translation.override(language):
        overdue = str(translation.gettext("Overdue"))
        due_ahead = formatting.format_date(ahead.due_date)
        submitted = formatting.format_datetime(SUBMITTED)
    assert due_ahead in rows[ahead.reference] and overdue not in rows[ahead.reference]
    assert overdue in rows[late.reference]
    assert overdue not in rows[answered.reference]  # answered: not overdue any more
    assert submitted.endswith("09:47") and submitted in rows[ahead.reference]
    assert not RELATIVE.search(" ".join(rows.values()))


@pytest.mark.parametrize("language", ["ka", "en"])
def test_the_inspect_view_writes_booleans_empties_and_tbilisi_times_in_words(
    client: Client, service, language: str
) -> None:
    evaluation = make_evaluation(service, created_at=SUBMITTED, verified=True, entered_by=None)
    sign_in(client, language)
    url = reverse("wagtailsnippets_feedback_forms_evaluation:inspect", args=[evaluation.pk])
    html = client.get(url).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    with translation.override(language):
        yes = translation.gettext("Yes")
        submitted = formatting.format_datetime(SUBMITTED)
        used_on = formatting.format_date(evaluation.used_on)
    assert yes in text and submitted in text and used_on in text
    for raw in (" True ", " False ", " None ", "05:47"):
        assert raw not in text


def test_the_evaluations_listing_says_yes_and_no(client: Client, service) -> None:
    make_evaluation(service, verified=True)
    make_evaluation(service, verified=False)
    sign_in(client, "ka")
    html = client.get(reverse("wagtailsnippets_feedback_forms_evaluation:list")).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert re.search(r"\bდიახ\b", text) and re.search(r"\bარა\b", text)
    assert not re.search(r"\b(True|False)\b", text)


@pytest.mark.parametrize("language", ["ka", "en"])
def test_csv_and_xlsx_write_the_same_tbilisi_dates(client: Client, service, language) -> None:
    need = make_need(service, SUBMITTED, due_date=DUE)
    sign_in(client, language, ANALYSTS)
    rows = read_csv(client.get(export_url("need", format="csv")))
    header, row = rows[0], rows[1]
    with translation.override(language):
        created = str(Need._meta.get_field("created_at").verbose_name)
        due = str(Need._meta.get_field("due_date").verbose_name)
    created_cell = row[[h.lower() for h in header].index(created.lower())]
    due_cell = row[[h.lower() for h in header].index(due.lower())]
    assert created_cell == SUBMITTED.strftime("%d.%m.%Y 09:47")  # Tbilisi, as on the screens
    assert due_cell == DUE.strftime("%d.%m.%Y")
    assert need.reference in row

    response = client.get(export_url("need", format="xlsx"))
    book_rows = read_xlsx(response)
    assert SUBMITTED.replace(hour=9, tzinfo=None) in book_rows[1]
    assert datetime.datetime.combine(DUE, datetime.time()) in book_rows[1]


def test_the_xlsx_cells_carry_the_day_month_year_format(client: Client, service) -> None:
    import io

    import openpyxl

    make_need(service, SUBMITTED, due_date=DUE)
    sign_in(client, "ka", ANALYSTS)
    response = client.get(export_url("need", format="xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    formats = {cell.number_format for cell in book.active[2] if cell.is_date}
    assert formats == {formatting.XLSX_DATETIME_FORMAT, formatting.XLSX_DATE_FORMAT}


def test_no_export_header_or_sheet_name_has_mtavruli(client: Client, service) -> None:
    from cms.core.georgian import has_mtavruli

    make_need(service)
    make_evaluation(service)
    sign_in(client, "ka", ANALYSTS)
    for kind in ("need", "evaluation"):
        header = read_csv(client.get(export_url(kind, format="csv")))[0]
        assert header and not any(has_mtavruli(cell) for cell in header)
        assert header[0] == "საცნობარო ნომერი"
        rows = read_xlsx(client.get(export_url(kind, format="xlsx")))
        assert not any(has_mtavruli(str(cell)) for cell in rows[0])
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ka", "საჭიროება „{ref}“ განახლდა."), ("en", "Need '{ref}' updated.")],
)
def test_the_message_after_saving_a_need_is_in_one_language(
    client: Client, service, language: str, expected: str
) -> None:
    """Was "Საჭიროება 'X' updated.": English around a Mtavruli-capitalised Georgian name."""
    from django.contrib.messages import get_messages

    need = make_need(service)
    sign_in(client, language)
    url = reverse("wagtailsnippets_feedback_forms_need:edit", args=[need.pk])
    response = client.post(
        url,
        {"service": service.pk, "assignee": "", "due_date": "", "status": need.status,
         "public_answer": "", "internal_note": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    messages = [html.unescape(str(m)) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith(expected.format(ref=need.reference)) for m in messages), messages
