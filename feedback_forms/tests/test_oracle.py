"""No oracle (README, "No oracle"): nothing the public sees before a consented submission is
stored depends on whether a personal number is on the program's beneficiary list or has
evaluated the program this half-year.

Four people probe the same program, which requires the beneficiary list: on the list or not,
evaluated already or not. Each probes from an address of its own, so each has the same rate
limits to spend. Every answer they get, on the web form and on the API, must be the same once
the parts that are theirs by construction are masked (their own number, their tokens): the
same status, the same page or JSON body, the same point at which the rate limit stops them.
After a consented "Send" all four get the same status and body shape; only then are they told
how their evaluation counts.
"""

import json
import re
import time
from dataclasses import dataclass

import pytest
from django.test import Client

from cms.core.personal_numbers import digest_personal_number
from feedback_forms import protection
from feedback_forms.eligibility import today_in_tbilisi
from feedback_forms.intake import Outcome
from feedback_forms.models import Evaluation
from feedback_forms.periods import period_for_date
from feedback_forms.tests.factories import evaluation_data
from feedback_forms.tests.journey import hidden_fields, review, start
from feedback_forms.tests.test_api import evaluation_body
from programs.models import BeneficiaryRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_forms")]

EVAL_URL = "/en/programs/rural-roads/evaluation/"
EXTRA = {"ramdenad_martivi_iqo": "5"}
API_ANSWERS = {"ramdenad_martivi_iqo": 5}
ATTEMPTS = 5
PERSON_LIMIT = 3


@dataclass(frozen=True)
class Person:
    name: str
    personal_number: str
    listed: bool
    evaluated: bool
    address: str


# Same last two digits, so even the masked "•••••••••45" on the check-answers page is alike.
PEOPLE = [
    Person("listed, not evaluated", "01001012345", True, False, "10.0.0.1"),
    Person("not listed, not evaluated", "01001019945", False, False, "10.0.0.2"),
    Person("listed, evaluated", "01001017745", True, True, "10.0.0.3"),
    Person("not listed, evaluated", "01001018845", False, True, "10.0.0.4"),
]


@pytest.fixture
def probed_program(evaluation_form, settings, monkeypatch):
    """The program requires its list; two people are on it, two evaluated it already.

    The rate-limit windows' clock stands still while the four are probed: "try again in N
    minutes" must be the same for everyone, not one less for whoever comes after a minute ticks.
    """
    frozen_at = time.time()
    window = protection._window
    monkeypatch.setattr(
        protection,
        "_window",
        lambda seconds, now=None: window(seconds, frozen_at if now is None else now),
    )
    settings.FEEDBACK_RATE_LIMITS = {"ip": (100, 3600), "person": (PERSON_LIMIT, 86400)}
    evaluation_form.requires_verification = True
    evaluation_form.save_revision().publish()
    program = evaluation_form.get_parent().specific
    for person in PEOPLE:
        digest = digest_personal_number(person.personal_number)
        if person.listed:
            BeneficiaryRecord.objects.create(
                program=program,
                person_digest=digest.digest,
                key_version=digest.key_version,
                served_on="2026-01-15",
            )
        if person.evaluated:
            Evaluation.objects.create(
                reference=f"EV{person.address[-1]}X-AAAA",
                program=program,
                program_title=program.title,
                person_digest=digest.digest,
                key_version=digest.key_version,
                reporting_period=period_for_date(today_in_tbilisi()),
                budget_year=2026,
                birth_year=1990,
                is_adult=True,
                overall_rating=3,
                used_on="2026-01-01",
                verified=person.listed,
            )
    return program


def masked(html: str, person: Person) -> str:
    """The page without what differs by construction: the person's own number and tokens."""
    html = html.replace(person.personal_number, "<personal number>")
    return re.sub(
        r'(name="(?:csrfmiddlewaretoken|form_token|idempotency_key)" value=")[^"]*"',
        r'\1…"',
        html,
    )


def web_probe(person: Person) -> list[tuple[int, str]]:
    """Every step a prober can take without consenting, then attempts until throttled."""
    client = Client(REMOTE_ADDR=person.address)
    data = evaluation_data(personal_number=person.personal_number, **EXTRA)
    no_consent = {key: value for key, value in data.items() if key != "consent"}
    seen = []
    response = review(client, EVAL_URL, no_consent)  # "Continue" without consent
    seen.append((response.status_code, masked(response.content.decode(), person)))
    checked = review(client, EVAL_URL, data)  # "Continue" with every answer
    seen.append((checked.status_code, masked(checked.content.decode(), person)))
    journey = hidden_fields(checked.content.decode())
    for _attempt in range(ATTEMPTS):  # "Send" with consent taken off the page
        response = client.post(EVAL_URL, {**no_consent, **journey, "action": "submit"})
        seen.append((response.status_code, masked(response.content.decode(), person)))
    assert Evaluation.objects.filter(
        person_digest=digest_personal_number(person.personal_number).digest
    ).count() == int(person.evaluated)
    return seen


def api_probe(person: Person, program_id: int) -> list[tuple[int, dict, str | None]]:
    client = Client(REMOTE_ADDR=person.address, HTTP_ACCEPT_LANGUAGE="en")
    seen = []
    for consent in [False] * ATTEMPTS:
        body = evaluation_body(
            program_id,
            personal_number=person.personal_number,
            consent=consent,
            answers=API_ANSWERS,
        )
        response = client.post(
            "/api/v1/evaluations", data=json.dumps(body), content_type="application/json"
        )
        seen.append(
            (response.status_code, response.json(), response.get("Retry-After") is not None)
        )
    return seen


def test_the_web_form_answers_everyone_alike_before_consent(probed_program) -> None:
    probes = {person.name: web_probe(person) for person in PEOPLE}
    reference = probes[PEOPLE[0].name]
    statuses = [status for status, _html in reference]
    # Continue (error), Continue (check answers), then Send until the person limit stops it.
    assert statuses == [200, 200, *[200] * PERSON_LIMIT, *[429] * (ATTEMPTS - PERSON_LIMIT)]
    for name, seen in probes.items():
        assert [status for status, _html in seen] == statuses, name
        for step, ((_s, html), (_r, expected)) in enumerate(zip(seen, reference, strict=True)):
            assert html == expected, f"{name}: step {step} differs"


def test_the_api_answers_everyone_alike_before_consent(probed_program) -> None:
    probes = {person.name: api_probe(person, probed_program.pk) for person in PEOPLE}
    reference = probes[PEOPLE[0].name]
    assert [status for status, _body, _retry in reference] == [
        *[422] * PERSON_LIMIT,
        *[429] * (ATTEMPTS - PERSON_LIMIT),
    ]
    assert reference[0][1]["errors"] == {
        "consent": ["To submit, you must agree to the processing of your answers."]
    }
    assert [retry for _s, _b, retry in reference] == [False] * PERSON_LIMIT + [True] * (
        ATTEMPTS - PERSON_LIMIT
    )
    for name, seen in probes.items():
        assert seen == reference, name


def test_a_consented_send_is_stored_for_everyone_and_only_then_tells(probed_program) -> None:
    """Same status and body shape for all four; the outcome is told after it is stored."""
    expected = {
        PEOPLE[0].name: Outcome.COUNTED,
        PEOPLE[1].name: Outcome.AWAITING_VERIFICATION,
        PEOPLE[2].name: Outcome.REPEAT,
        PEOPLE[3].name: Outcome.REPEAT,
    }
    web_locations, api_shapes = set(), set()
    for person in PEOPLE:
        client = Client(REMOTE_ADDR=person.address, HTTP_ACCEPT_LANGUAGE="en")
        data = evaluation_data(personal_number=person.personal_number, **EXTRA)
        checked = review(client, EVAL_URL, data, start(client, EVAL_URL))
        sent = client.post(
            EVAL_URL, {**data, **hidden_fields(checked.content.decode()), "action": "submit"}
        )
        assert sent.status_code == 303, person.name
        web_locations.add(re.sub(r"/done/[0-9A-Z]{4}-[0-9A-Z]{4}/$", "/done/…/", sent["Location"]))
        response = client.post(
            "/api/v1/evaluations",
            data=json.dumps(
                evaluation_body(
                    probed_program.pk, personal_number=person.personal_number, answers=API_ANSWERS
                )
            ),
            content_type="application/json",
        )
        assert response.status_code == 201, person.name
        api_shapes.add(tuple(sorted(response.json())))
        # The web submission came first, so the API one is a repeat for everyone: the API
        # answer above says so; the web's outcome is on the sender's confirmation page.
        assert response.json()["outcome"] == Outcome.REPEAT
        page = client.get(sent["Location"]).content.decode()
        assert {
            Outcome.COUNTED: "Thank you, your evaluation was received",
            Outcome.REPEAT: "You had already evaluated this program",
            Outcome.AWAITING_VERIFICATION: "awaiting verification",
        }[expected[person.name]] in page
    assert len(web_locations) == 1
    assert len(api_shapes) == 1
