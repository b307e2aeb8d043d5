"""The public status look-up is limited per address, and says so in the visitor's language."""

import pytest
from django.core.cache import cache
from django.test import Client

from feedback_forms import tracking_views
from feedback_forms.tests.factories import NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_lookups_an_hour(monkeypatch, site_content):
    monkeypatch.setattr(tracking_views, "TRACK_LOOKUPS_PER_HOUR", 2)
    cache.clear()


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("", "ძალიან ბევრი მოთხოვნა"),
        ("/en", "Too many look-ups from here. Please try again later."),
    ],
)
def test_the_third_lookup_in_an_hour_is_refused_with_a_translated_page(
    two_lookups_an_hour, prefix: str, message: str
) -> None:
    need = NeedFactory()
    client = Client(REMOTE_ADDR="203.0.113.9")
    url = f"{prefix}/track/"
    assert [client.get(url, {"reference": need.reference}).status_code for _ in range(2)] == [
        200,
        200,
    ]
    refused = client.get(url, {"reference": need.reference})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert message in html
    assert need.reference not in html.split("<main", 1)[1].split("</main>", 1)[0].replace(
        f'value="{need.reference}"', ""
    )


def test_an_empty_lookup_is_not_counted(two_lookups_an_hour) -> None:
    client = Client(REMOTE_ADDR="203.0.113.10")
    assert {client.get("/track/").status_code for _ in range(4)} == {200}
