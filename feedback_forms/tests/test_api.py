"""The JSON API (/api/v1/): form schemas, submissions through the web forms' validation,
idempotent retries, abuse protection, malformed requests and tracking."""

import dataclasses
import datetime
import json
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cms.core.personal_numbers import digest_personal_number
from feedback_forms import intake
from feedback_forms.api import EvaluationIn, NeedIn, StatusCode
from feedback_forms.form_classes import form_class_for
from feedback_forms.intake import find_by_idempotency_key
from feedback_forms.models import Evaluation, Need, Status
from feedback_forms.tests.factories import NeedsFormPageFactory, adult_birth_date
from programs.models import ProgramCategory, ProgramPage, Settlement

pytestmark = pytest.mark.django_db

API = "/api/v1"
PERSONAL_NUMBER = "01001012345"
ELEVEN_DIGITS_KA = "პირადი ნომერი უნდა შედგებოდეს ზუსტად 11 ციფრისგან."
ELEVEN_DIGITS_EN = "The personal number must be exactly 11 digits."
EVALUATION_ANSWERS = {"ramdenad_martivi_iqo": 5, "ra_unda_gaumjobesdes": "მეტი ინფორმაცია"}
NEED_EXTRA = "ramden_adamians_ekheba"


def post_json(client: Client, path: str, body: Any, **headers: str):
    return client.post(
        f"{API}{path}", data=json.dumps(body), content_type="application/json", headers=headers
    )


def evaluation_body(program_id: int, **overrides: Any) -> dict[str, Any]:
    body = {
        "program": program_id,
        "citizen": True,
        "birth_date": adult_birth_date().isoformat(),
        "personal_number": PERSONAL_NUMBER,
        "used_program": True,
        "used_on": datetime.date.today().replace(day=1).isoformat(),
        "consent": True,
        "overall_rating": 4,
        "answers": dict(EVALUATION_ANSWERS),
    }
    body.update(overrides)
    return body


def need_body(**overrides: Any) -> dict[str, Any]:
    settlement = Settlement.objects.with_unit().get(name_en="Gubistskali")
    body = {
        "citizen": True,
        "birth_date": adult_birth_date().isoformat(),
        "personal_number": PERSONAL_NUMBER,
        "registered_resident": True,
        "administrative_unit": settlement.unit.code,
        "settlement": settlement.pk,
        "category": "infrastructure",
        "title": "ქუჩის განათება",
        "description": "რუსთაველის ქუჩაზე საღამოს ბნელა.",
        "consent": True,
        "answers": {NEED_EXTRA: 120},
    }
    body.update(overrides)
    return body


@pytest.fixture
def program_id(evaluation_form) -> int:
    return evaluation_form.get_parent().pk


@pytest.fixture
def english_program_id(evaluation_form) -> int:
    return evaluation_form.get_parent().get_translations().get(locale__language_code="en").pk


def evaluate(client: Client, program_id: int, **overrides: Any):
    headers = overrides.pop("headers", {})
    return post_json(client, "/evaluations", evaluation_body(program_id, **overrides), **headers)


def nothing_stored() -> bool:
    return not Evaluation.objects.exists() and not Need.objects.exists()


class TestFormSchemas:
    def test_evaluation_form_lists_system_and_editor_questions_in_order(
        self, client: Client, program_id: int
    ) -> None:
        response = client.get(f"{API}/programs/{program_id}/evaluation-form")
        assert response.status_code == 200
        assert response["Content-Language"] == "ka"
        data = response.json()
        assert data["kind"] == "evaluation" and data["program"]["id"] == program_id
        questions = {question["name"]: question for question in data["questions"]}
        assert list(questions) == [
            "citizen",
            "birth_date",
            "personal_number",
            "used_program",
            "used_on",
            "overall_rating",
            "ramdenad_martivi_iqo",
            "ra_unda_gaumjobesdes",
            "contact_email",
            "contact_phone",
            "consent",
        ]
        assert questions["citizen"]["label"] == "ვარ საქართველოს მოქალაქე"
        assert questions["citizen"] | {"label": ""} == {
            "name": "citizen",
            "label": "",
            "type": "boolean",
            "required": True,
            "help_text": "",
            "in_answers": False,
            "max_length": None,
            "choices": None,
        }
        assert questions["birth_date"]["type"] == questions["used_on"]["type"] == "date"
        assert questions["personal_number"]["type"] == "string"
        assert questions["contact_email"]["type"] == "email"
        assert not questions["contact_email"]["required"]
        assert {choice["value"] for choice in questions["overall_rating"]["choices"]} == {
            1,
            2,
            3,
            4,
            5,
        }
        extra = questions["ramdenad_martivi_iqo"]
        assert extra["type"] == "rating" and extra["in_answers"] and extra["required"]
        assert extra["label"] == "რამდენად მარტივი იყო?"
        assert questions["ra_unda_gaumjobesdes"]["type"] == "text"
        assert not questions["ra_unda_gaumjobesdes"]["required"]

    def test_labels_follow_accept_language(
        self, client: Client, program_id: int, english_program_id: int
    ) -> None:
        english = client.get(
            f"{API}/programs/{program_id}/evaluation-form", headers={"Accept-Language": "en-GB"}
        )
        assert english["Content-Language"] == "en"
        assert "Accept-Language" in english["Vary"]
        labels = {q["name"]: q["label"] for q in english.json()["questions"]}
        assert labels["citizen"] == "I am a citizen of Georgia"
        assert labels["overall_rating"] == "Overall, how satisfied are you with the program?"
        assert english.json()["language"] == "en"
        # The English page id works too; without an English Accept-Language it is Georgian.
        georgian = client.get(f"{API}/programs/{english_program_id}/evaluation-form")
        assert georgian.json()["questions"][0]["label"] == "ვარ საქართველოს მოქალაქე"
        unsupported = client.get(
            f"{API}/programs/{program_id}/evaluation-form", headers={"Accept-Language": "fr, de"}
        )
        assert unsupported["Content-Language"] == "ka"

    def test_needs_form_offers_units_settlements_and_categories(
        self, client: Client, needs_form
    ) -> None:
        response = client.get(f"{API}/needs-form", headers={"Accept-Language": "en"})
        assert response.status_code == 200
        data = response.json()
        assert data["kind"] == "need" and data["program"] is None
        questions = {question["name"]: question for question in data["questions"]}
        units = {
            choice["value"]: choice["label"]
            for choice in questions["administrative_unit"]["choices"]
        }
        assert units["01"] == "Tskaltubo (city)"
        gubistskali = Settlement.objects.get(name_en="Gubistskali")
        settlements = {choice["value"]: choice for choice in questions["settlement"]["choices"]}
        assert settlements[gubistskali.pk] == {
            "value": gubistskali.pk,
            "label": "Gubistskali",
            "unit": gubistskali.unit.code,
        }
        categories = {choice["value"] for choice in questions["category"]["choices"]}
        assert categories == set(ProgramCategory.objects.values_list("slug", flat=True))
        assert questions["description"]["type"] == "text"
        assert questions["title"]["max_length"] == 200
        assert questions[NEED_EXTRA]["type"] == "number" and questions[NEED_EXTRA]["in_answers"]

    def test_a_program_without_a_live_evaluation_form_is_a_json_404(
        self, client: Client, evaluation_form, program_id: int
    ) -> None:
        for page_id in (999_999, 10**30, evaluation_form.pk):
            response = client.get(f"{API}/programs/{page_id}/evaluation-form")
            assert response.status_code == 404, page_id
            assert response.json()["code"] == "not_found"
        evaluation_form.unpublish()
        assert client.get(f"{API}/programs/{program_id}/evaluation-form").status_code == 404

    def test_a_page_id_that_is_not_a_number_is_a_json_422(self, client: Client) -> None:
        response = client.get(
            f"{API}/programs/abc/evaluation-form", headers={"Accept-Language": "en"}
        )
        assert response.status_code == 422
        assert response.json()["errors"] == {"page_id": ["Enter a whole number."]}

    def test_no_needs_form_is_a_json_404(self, client: Client, site_content) -> None:
        response = client.get(f"{API}/needs-form")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")


class TestEvaluations:
    def test_a_valid_evaluation_is_stored_with_the_digest_only(
        self, client: Client, program_id: int, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = evaluate(client, program_id, contact_email="nino@example.ge")
        assert response.status_code == 201, response.content
        data = response.json()
        evaluation = Evaluation.objects.get()
        assert data == {
            "reference": evaluation.reference,
            "status": "new",
            "status_text": "მიღებულია",
            "tracking_url": f"http://testserver/track/?reference={evaluation.reference}",
            "outcome": "counted",
            "message": "გმადლობთ, თქვენი შეფასება მიღებულია",
        }
        assert (
            response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
        )
        assert evaluation.person_digest == digest_personal_number(PERSONAL_NUMBER).digest
        assert PERSONAL_NUMBER not in str(Evaluation.objects.values().get())
        assert evaluation.channel == "online" and evaluation.language == "ka"
        assert evaluation.program_id == program_id
        assert evaluation.overall_rating == 4
        assert evaluation.answers == EVALUATION_ANSWERS
        assert evaluation.idempotency_key is None
        assert len(mail.outbox) == 1 and evaluation.reference in mail.outbox[0].body

    def test_the_english_program_id_evaluates_the_canonical_program_in_english(
        self, client: Client, program_id: int, english_program_id: int
    ) -> None:
        response = evaluate(client, english_program_id, headers={"Accept-Language": "en"})
        assert response.status_code == 201, response.content
        assert response.json()["status_text"] == "Received"
        assert "/en/track/?reference=" in response.json()["tracking_url"]
        evaluation = Evaluation.objects.get()
        assert evaluation.program_id == program_id and evaluation.language == "en"

    def test_errors_are_per_field_and_in_georgian_by_default(
        self, client: Client, program_id: int
    ) -> None:
        response = evaluate(client, program_id, personal_number="123", consent=False)
        assert response.status_code == 422
        data = response.json()
        assert response["Content-Language"] == "ka"
        assert data["code"] == "invalid" and data["message"]
        assert data["errors"]["personal_number"] == [ELEVEN_DIGITS_KA]
        assert data["errors"]["consent"] == [
            "გასაგზავნად საჭიროა დაეთანხმოთ თქვენი პასუხების დამუშავებას."
        ]
        assert nothing_stored()

    def test_errors_are_in_english_with_accept_language_en(
        self, client: Client, program_id: int
    ) -> None:
        response = evaluate(
            client,
            program_id,
            personal_number="123",
            answers={},
            headers={"Accept-Language": "en-US,en;q=0.9,ka;q=0.5"},
        )
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert errors["personal_number"] == [ELEVEN_DIGITS_EN]
        assert errors["answers.ramdenad_martivi_iqo"] == ["Choose a rating from 1 to 5."]

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"birth_date": "2015-01-01"}, "birth_date", "You must be 18 or older to take part."),
            ({"birth_date": "2999-01-01"}, "birth_date", "Your date of birth must be in the past."),
            ({"birth_date": "1850-01-01"}, "birth_date", "Enter a real date of birth."),
            ({"birth_date": "15.01.1990"}, "birth_date", "Enter a date as YYYY-MM-DD."),
            ({"personal_number": "0100101234"}, "personal_number", ELEVEN_DIGITS_EN),
            ({"personal_number": "010010123456"}, "personal_number", ELEVEN_DIGITS_EN),
            (
                {"used_on": "2999-01-01"},
                "used_on",
                "The date you used the program cannot be in the future.",
            ),
            (
                {"citizen": False},
                "citizen",
                "Only citizens of Georgia can take part. Tick the box to confirm you are one.",
            ),
            (
                {"used_program": False},
                "used_program",
                "Only people who used the program can evaluate it.",
            ),
            ({"overall_rating": 6}, "overall_rating", None),
        ],
    )
    def test_eligibility_is_checked_by_the_web_forms_rules(
        self, client: Client, program_id: int, overrides, field, message
    ) -> None:
        response = evaluate(client, program_id, headers={"Accept-Language": "en"}, **overrides)
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert list(errors) == [field]
        if message:
            assert errors[field] == [message]
        assert nothing_stored()

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"citizen": "yes"}, "citizen", "Enter true or false."),
            ({"consent": 1}, "consent", "Enter true or false."),
            ({"overall_rating": "abc"}, "overall_rating", "Choose a rating from 1 to 5."),
            ({"overall_rating": "4"}, "overall_rating", "Choose a rating from 1 to 5."),
            ({"overall_rating": True}, "overall_rating", "Choose a rating from 1 to 5."),
            ({"personal_number": 1001012345}, "personal_number", "Enter text."),
            ({"birth_date": 19900115}, "birth_date", "Enter a date as YYYY-MM-DD."),
            ({"contact_email": ["a@b.ge"]}, "contact_email", None),
            ({"answers": []}, "answers", None),
            (
                {"answers": {"ramdenad_martivi_iqo": "5"}},
                "answers.ramdenad_martivi_iqo",
                "Choose a rating from 1 to 5.",
            ),
            (
                {"answers": {**EVALUATION_ANSWERS, "ra_unda_gaumjobesdes": {"a": 1}}},
                "answers.ra_unda_gaumjobesdes",
                "Enter text.",
            ),
        ],
    )
    def test_wrong_json_types_are_refused_per_field(
        self, client: Client, program_id: int, overrides, field, message
    ) -> None:
        response = evaluate(client, program_id, headers={"Accept-Language": "en"}, **overrides)
        assert response.status_code == 422, response.content
        errors = response.json()["errors"]
        assert field in errors
        if message:
            assert errors[field] == [message]
        assert nothing_stored()

    @pytest.mark.parametrize(
        ("program", "message"),
        [
            (None, "This field is required."),
            ("12", "Enter a whole number."),
            (999_999, "Choose a program that has a published evaluation form."),
        ],
    )
    def test_the_program_must_have_a_live_evaluation_form(
        self, client: Client, program_id: int, program, message
    ) -> None:
        response = evaluate(client, program_id, program=program, headers={"Accept-Language": "en"})
        assert response.status_code == 422
        assert response.json()["errors"] == {"program": [message]}

    def test_unknown_top_level_fields_are_refused_by_name(
        self, client: Client, program_id: int
    ) -> None:
        response = evaluate(
            client, program_id, rating=5, is_admin=True, headers={"Accept-Language": "en"}
        )
        assert response.status_code == 422
        data = response.json()
        assert data["code"] == "unknown_fields"
        assert "rating" in data["message"] and "is_admin" in data["message"]
        assert data["errors"] == {"rating": ["Unknown field."], "is_admin": ["Unknown field."]}
        assert nothing_stored()

    def test_unknown_answers_are_refused_by_name(self, client: Client, program_id: int) -> None:
        response = evaluate(
            client,
            program_id,
            answers={**EVALUATION_ANSWERS, "citizen": True, "extra": "x"},
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 422
        assert response.json()["errors"] == {
            "answers.citizen": ["Unknown field."],
            "answers.extra": ["Unknown field."],
        }
        assert nothing_stored()

    def test_a_second_evaluation_in_the_same_period_is_kept_as_a_repeat(
        self, client: Client, program_id: int
    ) -> None:
        first = evaluate(client, program_id)
        assert first.status_code == 201
        response = evaluate(client, program_id, headers={"Accept-Language": "en"})
        assert response.status_code == 201  # the same status as a first evaluation
        data = response.json()
        assert set(data) == set(first.json())
        assert data["outcome"] == "repeat" and data["status"] == "duplicate"
        assert data["message"].startswith(
            "You had already evaluated this program in this half of the year."
        )
        original = Evaluation.objects.get(reference=first.json()["reference"])
        repeat = Evaluation.objects.get(reference=data["reference"])
        assert (repeat.repeat_of, repeat.status) == (original, Status.DUPLICATE)
        assert (original.repeat_of, original.status) == (None, Status.NEW)
        assert list(Evaluation.objects.visible()) == [original]

    def test_a_repeat_lost_in_a_race_is_kept_too(self, client: Client, program_id: int) -> None:
        """Two first evaluations at once: the unique constraint makes the loser a repeat."""
        assert evaluate(client, program_id).status_code == 201
        real = intake.evaluation_facts

        def racing(*args):  # the other request stores between our check and our insert
            return dataclasses.replace(real(*args), counted_id=None)

        with mock.patch("feedback_forms.intake.evaluation_facts", side_effect=racing):
            response = evaluate(client, program_id)
        assert response.status_code == 201, response.content
        assert response.json()["outcome"] == "repeat"
        assert Evaluation.objects.visible().count() == 1
        repeat = Evaluation.objects.get(reference=response.json()["reference"])
        assert repeat.repeat_of == Evaluation.objects.visible().get()

    def test_a_program_requiring_the_beneficiary_list_keeps_unlisted_people_awaiting(
        self, client: Client, evaluation_form, program_id: int
    ) -> None:
        evaluation_form.requires_verification = True
        evaluation_form.save_revision().publish()
        response = evaluate(client, program_id, headers={"Accept-Language": "en"})
        assert response.status_code == 201
        data = response.json()
        assert (data["outcome"], data["status"]) == ("awaiting_verification", "not_eligible")
        assert "was not found on it" in data["message"]
        evaluation = Evaluation.objects.get()
        assert (evaluation.verified, evaluation.status) == (False, Status.NOT_ELIGIBLE)
        assert not Evaluation.objects.visible().exists()  # never in a rating unchecked

    def test_the_api_takes_only_the_canonical_eleven_ascii_digits(
        self, client: Client, program_id: int, settings
    ) -> None:
        """Finding 7: 12 spellings of one number were 12 people. The website turns other
        scripts into ASCII digits (cms/core/tests/test_personal_numbers.py); the API refuses
        anything but what its schema publishes, ^[0-9]{11}$."""
        settings.FEEDBACK_RATE_LIMITS = {"ip": (100, 3600), "person": (100, 86400)}
        zeros = ["٠", "۰", "०", "০", "੦", "૦", "୦", "௦", "౦", "೦", "０"]
        spellings = [
            "".join(chr(ord(zero) + int(digit)) for digit in PERSONAL_NUMBER) for zero in zeros
        ]
        for typed in [*spellings, "0100 101 2345", "01001-012345", f" {PERSONAL_NUMBER}"]:
            response = evaluate(
                client, program_id, personal_number=typed, headers={"Accept-Language": "en"}
            )
            assert response.status_code == 422, typed
            assert response.json()["errors"]["personal_number"] == [ELEVEN_DIGITS_EN]
        assert evaluate(client, program_id).status_code == 201
        assert Evaluation.objects.count() == 1

    def test_one_number_in_twelve_scripts_is_one_person_on_the_web(
        self, client: Client, evaluation_form, instant_forms, settings
    ) -> None:
        from feedback_forms.tests.factories import evaluation_data
        from feedback_forms.tests.journey import send

        settings.FEEDBACK_RATE_LIMITS = {"ip": (100, 3600), "person": (100, 86400)}
        zeros = ["0", "٠", "۰", "०", "০", "੦", "૦", "୦", "௦", "౦", "೦", "０"]
        for zero in zeros:
            typed = "".join(chr(ord(zero) + int(digit)) for digit in PERSONAL_NUMBER)
            data = evaluation_data(personal_number=typed, ramdenad_martivi_iqo="5")
            assert send(client, "/en/programs/rural-roads/evaluation/", data).status_code == 303
        digests = set(Evaluation.objects.values_list("person_digest", flat=True))
        assert digests == {digest_personal_number(PERSONAL_NUMBER).digest}
        assert Evaluation.objects.visible().count() == 1
        assert Evaluation.objects.filter(repeat_of__isnull=False).count() == len(zeros) - 1

    @pytest.mark.parametrize("number", ["00000000000", "11111111111", "99999999999"])
    def test_a_number_of_one_repeated_digit_is_refused(
        self, client: Client, program_id: int, number: str
    ) -> None:
        response = evaluate(
            client, program_id, personal_number=number, headers={"Accept-Language": "en"}
        )
        assert response.status_code == 422
        assert response.json()["errors"]["personal_number"] == [
            "This is not a real personal number. Enter the 11 digits on your ID card."
        ]
        assert nothing_stored()


class TestNeeds:
    def test_a_valid_need_is_stored_with_the_digest_only(self, client: Client, needs_form) -> None:
        response = post_json(client, "/needs", need_body(contact_phone="+995599123456"))
        assert response.status_code == 201, response.content
        need = Need.objects.get()
        assert response.json()["reference"] == need.reference
        assert need.person_digest == digest_personal_number(PERSONAL_NUMBER).digest
        assert PERSONAL_NUMBER not in str(Need.objects.values().get())
        assert need.settlement.name_en == "Gubistskali"
        assert need.category.slug == "infrastructure"
        assert need.answers == {NEED_EXTRA: 120}
        assert need.program is None and need.channel == "online"
        assert need.form_page_id == needs_form.pk

    def test_a_programs_own_needs_form_is_used_when_named(
        self, client: Client, needs_form, program_id: int
    ) -> None:
        program = ProgramPage.objects.get(pk=program_id)
        own = NeedsFormPageFactory(parent=program, slug="program-need")
        response = post_json(client, "/needs", need_body(program=program_id, answers={}))
        assert response.status_code == 201, response.content
        need = Need.objects.get()
        assert need.program_id == program_id and need.form_page_id == own.pk
        schema = client.get(f"{API}/programs/{program_id}/needs-form").json()
        assert schema["form_id"] == own.pk

    def test_no_needs_form_is_a_json_404(
        self, client: Client, site_content, reference_data
    ) -> None:
        response = post_json(client, "/needs", need_body(), **{"Accept-Language": "en"})
        assert response.status_code == 404
        assert response.json()["message"] == "This form is not published."
        assert nothing_stored()

    def test_a_settlement_outside_the_unit_is_refused(self, client: Client, needs_form) -> None:
        response = post_json(
            client, "/needs", need_body(administrative_unit="01"), **{"Accept-Language": "en"}
        )
        assert response.status_code == 422
        assert response.json()["errors"] == {
            "settlement": ["Gubistskali is not in the administrative unit Tskaltubo (city)."]
        }

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"settlement": "abc"}, "settlement"),
            ({"settlement": 10**30}, "settlement"),
            ({"administrative_unit": 5}, "administrative_unit"),
            ({"category": "nonsense"}, "category"),
            ({"answers": {NEED_EXTRA: "many"}}, f"answers.{NEED_EXTRA}"),
            ({"title": "x" * 201}, "title"),
            ({"registered_resident": False}, "registered_resident"),
        ],
    )
    def test_bad_values_are_refused_per_field(
        self, client: Client, needs_form, overrides, field
    ) -> None:
        response = post_json(client, "/needs", need_body(**overrides))
        assert response.status_code == 422, response.content
        assert list(response.json()["errors"]) == [field]
        assert nothing_stored()

    def test_html_is_stored_as_given_and_returned_json_escaped(
        self, client: Client, needs_form
    ) -> None:
        title = '<script>alert("x")</script> & <b>ბნელა</b>'
        response = post_json(client, "/needs", need_body(title=title))
        assert response.status_code == 201, response.content
        assert Need.objects.get().title == title
        tracked = client.get(f"{API}/submissions/{response.json()['reference']}")
        assert tracked["Content-Type"] == "application/json; charset=utf-8"
        raw = tracked.content.decode()
        assert "<script>" not in raw and "<b>" not in raw and "&" not in raw
        assert "\\u003cscript\\u003e" in raw and "ბნელა" in raw
        assert tracked.json()["title"] == title


class TestIdempotency:
    def test_a_retry_with_the_same_key_returns_the_first_result(
        self, client: Client, program_id: int
    ) -> None:
        headers = {"Idempotency-Key": "retry-7f3a_1"}
        first = evaluate(client, program_id, headers=headers)
        second = evaluate(client, program_id, headers=headers)
        assert first.status_code == 201 and second.status_code == 200
        assert first.json() == second.json()
        evaluation = Evaluation.objects.get()
        assert evaluation.idempotency_key.startswith("api:")
        assert len(evaluation.idempotency_key) <= 64

    def test_the_key_is_namespaced_apart_from_the_web_journeys(
        self, client: Client, program_id: int
    ) -> None:
        key = "0123456789abcdef0123456789abcdef"  # what a web journey key looks like
        assert evaluate(client, program_id, headers={"Idempotency-Key": key}).status_code == 201
        assert find_by_idempotency_key(key) is None
        assert Evaluation.objects.get().idempotency_key != key

    def test_a_key_reused_for_someone_else_reveals_nothing(
        self, client: Client, program_id: int, needs_form
    ) -> None:
        headers = {"Idempotency-Key": "shared-key", "Accept-Language": "en"}
        first = evaluate(client, program_id, headers=headers)
        assert first.status_code == 201
        other_person = evaluate(client, program_id, personal_number="01001099999", headers=headers)
        other_kind = post_json(client, "/needs", need_body(), **headers)
        for response in (other_person, other_kind):
            assert response.status_code == 409  # the key conflicts with a stored submission
            assert response.json()["code"] == "idempotency_key_reused"
            assert first.json()["reference"] not in response.content.decode()
        assert Evaluation.objects.count() == 1 and not Need.objects.exists()

    @pytest.mark.parametrize("key", ["", "x" * 65, "has space", "semi;colon", "ключ"])
    def test_a_malformed_key_is_a_422(self, client: Client, program_id: int, key: str) -> None:
        response = evaluate(
            client, program_id, headers={"Idempotency-Key": key, "Accept-Language": "en"}
        )
        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["Idempotency-Key"]
        assert nothing_stored()


class TestProtection:
    def test_too_many_submissions_get_429_with_retry_after(
        self, client: Client, program_id: int, needs_form, settings
    ) -> None:
        settings.FEEDBACK_RATE_LIMITS = {"ip": (1, 3600), "person": (10, 86400)}
        assert post_json(client, "/needs", need_body()).status_code == 201
        response = evaluate(client, program_id, headers={"Accept-Language": "en"})
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        data = response.json()
        assert data["code"] == "rate_limited" and "Too many submissions" in data["message"]
        assert not Evaluation.objects.exists()

    def test_the_person_limit_applies_too(self, client: Client, needs_form, settings) -> None:
        settings.FEEDBACK_RATE_LIMITS = {"ip": (100, 3600), "person": (1, 86400)}
        assert post_json(client, "/needs", need_body()).status_code == 201
        assert post_json(client, "/needs", need_body(title="სხვა")).status_code == 429
        assert Need.objects.count() == 1

    @pytest.mark.parametrize("website", ["http://spam.example", " x ", 0])
    def test_a_filled_honeypot_stores_nothing(
        self, client: Client, program_id: int, website
    ) -> None:
        response = evaluate(client, program_id, website=website, headers={"Accept-Language": "en"})
        assert response.status_code == 400
        assert response.json() == {
            "message": "The form could not be sent. Please check your answers and send it again.",
            "code": "rejected",
            "errors": {},
        }
        assert nothing_stored()

    @pytest.mark.parametrize("website", ["", None])
    def test_an_empty_honeypot_is_fine(self, client: Client, program_id: int, website) -> None:
        assert evaluate(client, program_id, website=website).status_code == 201

    def test_a_csrf_enforcing_client_can_post(self, program_id: int, needs_form) -> None:
        client = Client(enforce_csrf_checks=True)
        assert evaluate(client, program_id).status_code == 201
        assert post_json(client, "/needs", need_body()).status_code == 201


class TestMalformedRequests:
    @pytest.mark.parametrize(
        ("body", "content_type", "status"),
        [
            (b"{", "application/json", 400),
            (b"\xff\xfe{}", "application/json", 400),
            (b'{"overall_rating": NaN}', "application/json", 400),
            (b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
            (b"[" * 200_000 + b"]" * 200_000, "application/json", 413),
            (b'{"a": ' + b"1" * 5000 + b"}", "application/json", 400),
            (b"[]", "application/json", 400),
            (b'[{"citizen": true}]', "application/json", 400),
            (b'"citizen"', "application/json", 400),
            (b"42", "application/json", 400),
            (b"null", "application/json", 400),
            (b'{"citizen": true}', "text/plain", 415),
            (b"citizen=on&consent=on", "application/x-www-form-urlencoded", 415),
            (b'{"title": "' + b"x" * (1024 * 1024) + b'"}', "application/json", 413),
        ],
    )
    @pytest.mark.parametrize("path", ["/evaluations", "/needs"])
    def test_bad_bodies_are_4xx_json_never_500(
        self, client: Client, path: str, body: bytes, content_type: str, status: int
    ) -> None:
        response = client.post(f"{API}{path}", data=body, content_type=content_type)
        assert response.status_code == status, response.content[:300]
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["message"]
        assert nothing_stored()

    @pytest.mark.parametrize(
        "where",
        [
            "title",
            "description",
            "personal_number",
            "contact_email",
            "category",
            "birth_date",
            "website",
            "a key",
            "an answer",
            "an answer's key",
        ],
    )
    def test_a_lone_surrogate_anywhere_is_a_translated_400(
        self, client: Client, needs_form, where: str
    ) -> None:
        """Finding 10: "\\ud800" is valid JSON syntax but no character; it gave a 500."""
        body = need_body()
        surrogate = ["\\ud800", "\\udfff", "\\uDBFF"][len(where) % 3]  # high, low, any case
        text = f"a{surrogate}b"
        if where == "a key":
            raw = json.dumps(body)[:-1] + f', "{text}": 1}}'
        elif where == "an answer":
            raw = json.dumps({**body, "answers": {NEED_EXTRA: "HERE"}}).replace("HERE", text)
        elif where == "an answer's key":
            raw = json.dumps({**body, "answers": {"HERE": 1}}).replace("HERE", text)
        else:
            raw = json.dumps({**body, where: "HERE"}).replace("HERE", text)
        response = client.post(
            f"{API}/needs", data=raw, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400, response.content[:300]
        assert response.json()["code"] == "invalid_json"
        assert "not valid Unicode" in response.json()["message"]
        georgian = client.post(f"{API}/needs", data=raw, content_type="application/json")
        assert georgian.status_code == 400 and "Unicode" in georgian.json()["message"]
        assert nothing_stored()

    def test_a_null_character_is_a_field_error(self, client: Client, needs_form) -> None:
        response = post_json(client, "/needs", need_body(title="a\x00b", category="x\x00"))
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"title", "category"}
        assert nothing_stored()

    def test_an_empty_body_is_a_400(self, client: Client) -> None:
        # The test client leaves CONTENT_TYPE out for an empty body; apps send it.
        response = client.generic("POST", f"{API}/needs", b"", CONTENT_TYPE="application/json")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_json"

    def test_a_get_on_a_post_endpoint_is_405(self, client: Client) -> None:
        assert client.get(f"{API}/evaluations").status_code == 405


class TestTracking:
    def test_the_status_is_public_and_nothing_personal(
        self, client: Client, program_id: int
    ) -> None:
        created = evaluate(
            client,
            program_id,
            contact_email="nino@example.ge",
            contact_phone="599123456",
            answers={**EVALUATION_ANSWERS, "ra_unda_gaumjobesdes": "საიდუმლო პასუხი"},
        ).json()
        evaluation = Evaluation.objects.get()
        evaluation.status = Status.RESOLVED
        evaluation.public_answer = "გზა შეკეთდა."
        evaluation.save()
        typed = created["reference"].lower().replace("-", " ")
        response = client.get(f"{API}/submissions/{typed}", headers={"Accept-Language": "en"})
        assert response.status_code == 200
        data = response.json()
        assert data == {
            "kind": "evaluation",
            "reference": evaluation.reference,
            "status": "resolved",
            "status_text": "Answered: resolved",
            "submitted": timezone.localdate(evaluation.created_at).isoformat(),
            "updated": timezone.localdate(evaluation.updated_at).isoformat(),
            "answered": None,
            "public_answer": "გზა შეკეთდა.",
            "program": "სოფლის გზების რეაბილიტაცია",
            "title": None,
            "category": {"slug": "infrastructure", "name": "Infrastructure and roads"},
            "administrative_unit": None,
            "settlement": None,
            "timeline": [],
        }
        raw = response.content.decode()
        for secret in (
            evaluation.person_digest,
            PERSONAL_NUMBER,
            "nino@example.ge",
            "599123456",
            "საიდუმლო",
            str(evaluation.birth_year),
        ):
            assert secret not in raw

    def test_a_need_shows_its_title_category_and_place(self, client: Client, needs_form) -> None:
        reference = post_json(client, "/needs", need_body(contact_email="a@b.ge")).json()[
            "reference"
        ]
        data = client.get(f"{API}/submissions/{reference}").json()
        assert data["kind"] == "need" and data["title"] == "ქუჩის განათება"
        assert data["settlement"]["name"] == "გუბისწყალი"
        assert data["administrative_unit"]["code"] == data["settlement"]["unit"]
        assert data["category"]["slug"] == "infrastructure" and data["program"] is None
        assert "a@b.ge" not in json.dumps(data)

    @pytest.mark.parametrize("reference", ["nonsense", "K7QM-4XPA", "A" * 500, "%00"])
    def test_unknown_or_malformed_references_are_a_json_404(
        self, client: Client, reference: str
    ) -> None:
        response = client.get(f"{API}/submissions/{reference}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


class TestOpenAPI:
    def test_the_schema_documents_every_endpoint(self, client: Client) -> None:
        response = client.get(f"{API}/openapi.json")
        assert response.status_code == 200
        schema = response.json()
        assert schema["info"]["title"] == "Tskaltubo citizens' feedback API"
        assert schema["info"]["version"] == "1"
        paths = schema["paths"]
        assert set(paths) == {
            "/api/v1/programs/{page_id}/evaluation-form",
            "/api/v1/programs/{page_id}/needs-form",
            "/api/v1/needs-form",
            "/api/v1/evaluations",
            "/api/v1/needs",
            "/api/v1/submissions/{reference}",
            "/api/v1/commitments",
            "/api/v1/reports",
            "/api/v1/programs/{page_id}/ratings",
        }
        for path in ("/api/v1/evaluations", "/api/v1/needs"):
            post = paths[path]["post"]
            assert {"200", "201", "422", "429"} <= set(post["responses"])
            assert "Retry-After" in post["responses"]["429"]["headers"]
            body = post["requestBody"]["content"]["application/json"]["schema"]
            # One exact body per live form; a single form is the body itself (its own anyOf
            # lists the allowed unit/settlement pairs).
            variants = [body] if "properties" in body else body["anyOf"]
            assert all(variant["additionalProperties"] is False for variant in variants)
            assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
        assert client.get(f"{API}/docs").status_code == 200

    @pytest.mark.parametrize(("kind", "model"), [("evaluation", EvaluationIn), ("need", NeedIn)])
    def test_the_documented_bodies_match_the_forms(self, kind: str, model) -> None:
        page = mock.Mock(form_kind=kind, get_form_fields=list)
        form_class = form_class_for(page, api=True)
        documented = set(model.model_fields)
        assert documented == {*form_class.base_fields, "answers", "program", "website"}

    def test_the_documented_statuses_match_the_model(self) -> None:
        assert set(StatusCode.__args__) == set(Status.values)
