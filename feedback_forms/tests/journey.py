"""Drive the resident's journey with Django's test client, as a browser without JavaScript."""

import re

from django.test import Client


def hidden_fields(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'<input type="hidden" name="(idempotency_key|form_token)" value="([^"]*)"', html
        )
    )


def start(client: Client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    return hidden_fields(response.content.decode())


def review(client: Client, url: str, data: dict, journey: dict | None = None):
    journey = journey or start(client, url)
    return client.post(url, {**data, **journey, "action": "review"})


def send(client: Client, url: str, data: dict, journey: dict | None = None):
    """Questions, then check answers, then send: returns the final response."""
    journey = journey or start(client, url)
    checked = client.post(url, {**data, **journey, "action": "review"})
    assert checked.status_code == 200, checked.content.decode()[:2000]
    fields = hidden_fields(checked.content.decode())
    return client.post(url, {**data, **fields, "action": "submit"})
