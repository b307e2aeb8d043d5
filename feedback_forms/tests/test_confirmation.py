"""The confirmation page `…/done/<reference>/` never prints a contact detail, and shows its
details only to the browser session that sent the submission (issue 10, finding 2)."""

import pytest
from django.test import Client

from feedback_forms.models import Need
from feedback_forms.tests.factories import evaluation_data, need_data
from feedback_forms.tests.journey import send
from feedback_forms.tracking_views import mask_email
from programs.models import ProgramCategory, Settlement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_forms")]

EMAIL = "giorgi.beridze@gmail.com"
NEEDS_URL = "/en/report-a-need/"


@pytest.fixture
def sent(client: Client, needs_form):
    data = need_data(
        Settlement.objects.first(), ProgramCategory.objects.first(), contact_email=EMAIL
    )
    response = send(client, NEEDS_URL, data)
    assert response.status_code == 303
    return response["Location"]


def test_the_sender_sees_the_reference_and_a_mask_of_the_address(client: Client, sent) -> None:
    response = client.get(sent)
    html = response.content.decode()
    reference = Need.objects.get().reference
    assert response.status_code == 200
    assert reference in html
    assert "We will also send the reference to g•••@gmail.com." in html
    assert EMAIL not in html and "giorgi" not in html
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.parametrize("language", ["", "/en"])
def test_anyone_else_with_the_reference_gets_the_tracking_page(sent, language: str) -> None:
    stranger = Client()
    url = sent.removeprefix("/en") if not language else sent
    response = stranger.get(url)
    reference = Need.objects.get().reference
    assert response.status_code == 303
    assert response["Location"] == f"{language}/track/?reference={reference}"
    tracked = stranger.get(response["Location"])
    html = tracked.content.decode()
    assert tracked.status_code == 200
    assert reference in html
    assert EMAIL not in html and "g•••" not in html and "gmail" not in html


def test_a_made_up_reference_reveals_nothing_either(client: Client, needs_form) -> None:
    response = client.get(f"{NEEDS_URL}done/ZZZZ-ZZZZ/")
    assert response.status_code == 303
    assert client.get(response["Location"]).status_code == 404


def test_the_sender_of_an_evaluation_is_told_nothing_more_than_a_mask(
    client: Client, evaluation_form
) -> None:
    url = "/en/programs/rural-roads/evaluation/"
    data = evaluation_data(ramdenad_martivi_iqo="5", contact_email="n@example.ge")
    html = client.get(send(client, url, data)["Location"]).content.decode()
    assert "n•••@example.ge" in html and "n@example.ge" not in html


@pytest.mark.parametrize(
    ("address", "mask"),
    [
        ("giorgi@gmail.com", "g•••@gmail.com"),
        ("a@b.ge", "a•••@b.ge"),
        ("ნინო@მაგალითი.გე", "ნ•••@მაგალითი.გე"),
        ("broken", "•••"),
    ],
)
def test_mask_email(address: str, mask: str) -> None:
    assert mask_email(address) == mask
