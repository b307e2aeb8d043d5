"""After "Send" the browser, not a server-side session, remembers what it sent (issue 13): a
signed cookie of references, which nobody can extend with a reference of their own; and the
insert still records the submission in Wagtail's reference index."""

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client, RequestFactory
from wagtail.models import ReferenceIndex

from feedback_forms.models import Evaluation, Need
from feedback_forms.sent_by_browser import COOKIE_NAME, SEPARATOR, sent_references
from feedback_forms.tests.factories import evaluation_data, need_data
from feedback_forms.tests.journey import send
from programs.models import ProgramCategory, Settlement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_forms")]

NEEDS_URL = "/en/report-a-need/"


def send_need(client: Client, number: int = 0):
    data = need_data(Settlement.objects.first(), ProgramCategory.objects.first())
    data["personal_number"] = f"0100102{number:04d}"
    response = send(client, NEEDS_URL, data)
    assert response.status_code == 303
    return response


def test_a_send_keeps_no_session_row_and_sets_a_private_cookie(needs_form) -> None:
    client = Client()
    response = send_need(client)
    cookie = response.cookies[COOKIE_NAME]
    assert Session.objects.count() == 0
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"]
    assert client.get(response["Location"]).status_code == 200


def test_the_cookie_keeps_every_reference_the_browser_sent_in_order(needs_form) -> None:
    client = Client()
    for number in range(3):
        send_need(client, number)
    references = list(Need.objects.order_by("created_at").values_list("reference", flat=True))
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE_NAME] = client.cookies[COOKIE_NAME].value
    assert sent_references(request) == references


@pytest.mark.parametrize("tamper", ["unsigned", "resigned_elsewhere", "appended"])
def test_a_forged_cookie_shows_no_details(needs_form, tamper: str) -> None:
    sender = Client()
    location = send_need(sender)["Location"]
    reference = Need.objects.get().reference
    stranger = Client()
    genuine = sender.cookies[COOKIE_NAME].value
    forged = {
        "unsigned": reference,
        "resigned_elsewhere": signing.get_cookie_signer(salt="other").sign(reference),
        "appended": f"{genuine}{SEPARATOR}{reference}",
    }[tamper]
    stranger.cookies[COOKIE_NAME] = forged
    response = stranger.get(location)
    assert response.status_code == 303
    assert "/track/?reference=" in response["Location"]


def test_an_evaluation_is_recorded_in_the_reference_index(client: Client, evaluation_form) -> None:
    data = evaluation_data(
        personal_number="01001020001",
        ramdenad_martivi_iqo="5",
        ra_unda_gaumjobesdes="მეტი ინფორმაცია",
    )
    response = send(client, "/programs/rural-roads/evaluation/", data)
    assert response.status_code == 303
    evaluation = Evaluation.objects.get()
    program = evaluation.program
    referring = ReferenceIndex.get_references_to(program).values_list("object_id", flat=True)
    assert str(evaluation.pk) in set(referring)


def test_a_need_is_recorded_in_the_reference_index(needs_form) -> None:
    send_need(Client())
    need = Need.objects.get()
    for target in (need.settlement, need.category):
        referring = ReferenceIndex.get_references_to(target).values_list("object_id", flat=True)
        assert str(need.pk) in set(referring)
