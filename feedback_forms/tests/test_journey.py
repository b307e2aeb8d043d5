"""The resident's journey on the web: questions, check answers, confirmation, tracking."""

import re
from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from cms.core.personal_numbers import digest_personal_number
from feedback_forms.models import Evaluation, Need, Status
from feedback_forms.tests.factories import evaluation_data, need_data
from feedback_forms.tests.journey import hidden_fields, review, send, start
from programs.models import BeneficiaryRecord, ProgramCategory, Settlement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_forms")]

EVAL_URL = "/programs/rural-roads/evaluation/"
EVAL_URL_EN = "/en/programs/rural-roads/evaluation/"
EXTRA = {"ramdenad_martivi_iqo": "5"}


def reference_from(response) -> str:
    match = re.search(r"/done/([0-9A-Z]{4}-[0-9A-Z]{4})/$", response["Location"])
    assert match, response["Location"]
    return match.group(1)


class TestEvaluationJourney:
    def test_the_form_asks_the_system_and_the_editors_questions(
        self, client: Client, evaluation_form
    ) -> None:
        html = client.get(EVAL_URL).content.decode()
        for name in (
            "citizen",
            "birth_date_day",
            "birth_date_month",
            "birth_date_year",
            "personal_number",
            "used_program",
            "used_on_month",
            "overall_rating",
            "consent",
            "contact_email",
        ):
            assert f'name="{name}"' in html, name
        assert (
            'name="ramdenad_martivi_iqo"' in html
        )  # the editor's rating, with a transliterated name
        assert 'name="ra_unda_gaumjobesdes"' in html
        assert 'name="website"' in html  # the honeypot

    def test_program_page_links_to_its_evaluation(self, client: Client, evaluation_form) -> None:
        html = client.get("/programs/rural-roads/").content.decode()
        assert f'href="{EVAL_URL}"' in html
        assert "შეაფასეთ პროგრამა" in html

    def test_check_answers_shows_the_answers_and_stores_nothing(
        self, client: Client, evaluation_form
    ) -> None:
        response = review(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Check your answers before sending" in html
        assert "•••••••••45" in html
        assert "01001012345" not in re.sub(r'<input type="hidden"[^>]*>', "", html)
        assert 'value="change:birth_date"' in html
        assert not Evaluation.objects.exists()

    def test_sending_stores_one_evaluation_without_the_personal_number(
        self, client: Client, evaluation_form, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = send(
                client, EVAL_URL_EN, evaluation_data(**EXTRA, contact_email="nino@example.ge")
            )
        assert response.status_code == 303
        reference = reference_from(response)
        evaluation = Evaluation.objects.get()
        assert evaluation.reference == reference
        assert evaluation.person_digest == digest_personal_number("01001012345").digest
        assert "01001012345" not in str(Evaluation.objects.values().get())
        assert (
            evaluation.birth_year == evaluation_data()["birth_date_year"]
            and False
            or evaluation.birth_year == int(evaluation_data()["birth_date_year"])
        )
        assert evaluation.program.slug == "rural-roads"
        assert evaluation.program.locale.language_code == "ka"  # the canonical program
        assert evaluation.program_title == "სოფლის გზების რეაბილიტაცია"
        assert evaluation.category.slug == "infrastructure"
        assert evaluation.service.slug == "infrastructure"
        assert evaluation.overall_rating == 4
        assert evaluation.answers == {"ramdenad_martivi_iqo": 5}
        assert evaluation.channel == "online" and evaluation.language == "en"
        assert evaluation.reporting_period.endswith(("-H1", "-H2"))
        assert evaluation.verified is False
        done = client.get(response["Location"])
        assert reference in done.content.decode()
        assert "What happens next" in done.content.decode()
        assert len(mail.outbox) == 1 and reference in mail.outbox[0].body

    def test_change_link_returns_to_the_questions_with_the_answers_kept(
        self, client: Client, evaluation_form
    ) -> None:
        checked = review(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        fields = hidden_fields(checked.content.decode())
        response = client.post(
            EVAL_URL_EN, {**evaluation_data(**EXTRA), **fields, "action": "change:overall_rating"}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert 'value="4" required id="id_overall_rating_1" checked' in html or (
            'value="4"' in html and "checked" in html
        )
        assert "There is a problem" not in html
        assert "autofocus" in html

    def test_errors_are_summarised_and_linked_to_their_fields(
        self, client: Client, evaluation_form
    ) -> None:
        response = review(client, EVAL_URL_EN, {"personal_number": "123"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in html
        assert 'href="#id_personal_number"' in html
        assert 'href="#id_birth_date_0"' in html
        assert "The personal number must be exactly 11 digits." in html
        assert not Evaluation.objects.exists()

    def test_errors_are_in_georgian_on_the_georgian_form(
        self, client: Client, evaluation_form
    ) -> None:
        html = review(client, EVAL_URL, {"personal_number": "123"}).content.decode()
        assert "პირადი ნომერი უნდა შედგებოდეს ზუსტად 11 ციფრისგან." in html

    def test_a_second_evaluation_in_the_same_period_is_kept_as_a_repeat(
        self, client: Client, evaluation_form
    ) -> None:
        first = send(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        checked = review(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        assert "already evaluated" not in checked.content.decode()  # nothing before consent
        response = send(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        assert response.status_code == 303
        html = client.get(response["Location"]).content.decode()
        assert "You had already evaluated this program in this half of the year." in html
        assert "The first evaluation is the one that counts" in html
        original = Evaluation.objects.get(reference=reference_from(first))
        repeat = Evaluation.objects.get(reference=reference_from(response))
        assert (repeat.repeat_of, repeat.status) == (original, Status.DUPLICATE)
        assert list(Evaluation.objects.visible()) == [original]

    def test_a_retried_send_returns_the_first_result(self, client: Client, evaluation_form) -> None:
        checked = review(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        resend = {
            **evaluation_data(**EXTRA),
            **hidden_fields(checked.content.decode()),
            "action": "submit",
        }
        first = client.post(EVAL_URL_EN, resend)
        second = client.post(EVAL_URL_EN, resend)
        assert first.status_code == second.status_code == 303
        assert first["Location"] == second["Location"]
        assert Evaluation.objects.count() == 1

    def test_a_listed_beneficiary_is_verified(self, client: Client, evaluation_form) -> None:
        person = digest_personal_number("01001012345")
        program = evaluation_form.get_parent().specific
        BeneficiaryRecord.objects.create(
            program=program,
            person_digest=person.digest,
            key_version=person.key_version,
            served_on="2026-03-01",
        )
        send(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        assert Evaluation.objects.get().verified is True

    def test_a_program_can_require_the_beneficiary_list(
        self, client: Client, evaluation_form
    ) -> None:
        evaluation_form.requires_verification = True
        evaluation_form.save_revision().publish()
        checked = review(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        assert checked.status_code == 200  # the list is not consulted before "Send"
        response = send(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        assert response.status_code == 303
        html = client.get(response["Location"]).content.decode()
        assert "your personal number was not found on it" in html
        assert "awaiting verification" in html
        evaluation = Evaluation.objects.get()
        assert (evaluation.verified, evaluation.status) == (False, Status.NOT_ELIGIBLE)

    def test_deleting_the_pages_keeps_the_evaluation(self, client: Client, evaluation_form) -> None:
        send(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        evaluation_form.get_parent().delete()
        evaluation = Evaluation.objects.get()
        assert evaluation.program is None and evaluation.form_page is None
        assert evaluation.program_title == "სოფლის გზების რეაბილიტაცია"

    def test_a_mail_failure_does_not_lose_the_submission(
        self, client: Client, evaluation_form, django_capture_on_commit_callbacks
    ) -> None:
        with (
            mock.patch(
                "feedback_forms.tasks.send_mail", side_effect=ConnectionRefusedError
            ) as sender,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = send(
                client, EVAL_URL_EN, evaluation_data(**EXTRA, contact_email="nino@example.ge")
            )
        assert sender.called
        assert response.status_code == 303
        assert Evaluation.objects.count() == 1
        assert client.get(response["Location"]).status_code == 200


class TestAbuse:
    def test_honeypot_refuses_and_keeps_the_answers(self, client: Client, evaluation_form) -> None:
        response = review(
            client, EVAL_URL_EN, evaluation_data(**EXTRA, website="http://spam.example")
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "The form could not be sent" in html
        assert 'value="01001012345"' in html
        assert not Evaluation.objects.exists()

    def test_too_fast_is_refused_and_keeps_the_answers(
        self, client: Client, evaluation_form, settings
    ) -> None:
        settings.FEEDBACK_MIN_FILL_SECONDS = 60
        response = review(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        assert response.status_code == 400
        assert "Please check your answers and send the form again." in response.content.decode()
        assert 'value="01001012345"' in response.content.decode()

    def test_a_forged_token_is_refused(self, client: Client, evaluation_form) -> None:
        journey = {**start(client, EVAL_URL_EN), "form_token": "1700000000"}
        response = review(client, EVAL_URL_EN, evaluation_data(**EXTRA), journey)
        assert response.status_code == 400
        response = client.post(
            EVAL_URL_EN, {**evaluation_data(**EXTRA), **journey, "action": "submit"}
        )
        assert response.status_code == 400
        assert not Evaluation.objects.exists()

    def test_rate_limit_per_person(
        self, client: Client, evaluation_form, needs_form, settings
    ) -> None:
        settings.FEEDBACK_RATE_LIMITS = {"ip": (100, 3600), "person": (1, 86400)}
        settlement = Settlement.objects.first()
        category = ProgramCategory.objects.first()
        assert (
            send(client, "/en/report-a-need/", need_data(settlement, category)).status_code == 303
        )
        response = send(client, EVAL_URL_EN, evaluation_data(**EXTRA))
        assert response.status_code == 429
        assert "Too many forms were sent from here" in response.content.decode()
        assert 'name="personal_number" value="01001012345"' in response.content.decode()
        assert not Evaluation.objects.exists()

    def test_rate_limit_per_ip(self, client: Client, needs_form, settings) -> None:
        settings.FEEDBACK_RATE_LIMITS = {"ip": (2, 3600), "person": (100, 86400)}
        settlement, category = Settlement.objects.first(), ProgramCategory.objects.first()
        statuses = [
            send(
                client,
                "/en/report-a-need/",
                need_data(settlement, category, personal_number=f"0100101234{n}"),
            ).status_code
            for n in range(3)
        ]
        assert statuses == [303, 303, 429]
        assert Need.objects.count() == 2

    def test_html_is_shown_escaped(self, client: Client, needs_form) -> None:
        settlement, category = Settlement.objects.first(), ProgramCategory.objects.first()
        evil = '<script>alert("x")</script>'
        checked = review(
            client,
            "/en/report-a-need/",
            need_data(settlement, category, title=evil, description=evil),
        )
        assert "<script>alert" not in checked.content.decode()
        response = send(
            client,
            "/en/report-a-need/",
            need_data(settlement, category, title=evil, description=evil),
        )
        tracked = client.get("/en/track/", {"reference": reference_from(response)})
        assert "<script>alert" not in tracked.content.decode()
        assert "&lt;script&gt;" in tracked.content.decode()

    def test_very_long_input_gets_a_message_not_an_error(self, client: Client, needs_form) -> None:
        settlement, category = Settlement.objects.first(), ProgramCategory.objects.first()
        response = review(
            client,
            "/en/report-a-need/",
            need_data(
                settlement,
                category,
                title="ა" * 10_000,
                description="ბ" * 100_000,
                personal_number="1" * 5000,
            ),
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ensure this value has at most 200 characters" in html
        assert not Need.objects.exists()

    def test_csrf_is_required(self, evaluation_form) -> None:
        strict = Client(enforce_csrf_checks=True)
        response = strict.post(EVAL_URL_EN, evaluation_data(**EXTRA))
        assert response.status_code == 403


class TestNeedJourney:
    def test_a_resident_records_a_need(self, client: Client, needs_form) -> None:
        settlement = Settlement.objects.get(name_en="Tskaltubo")
        category = ProgramCategory.objects.get(slug="infrastructure")
        response = send(
            client,
            "/en/report-a-need/",
            need_data(
                settlement,
                category,
                rao_denad_adamianis_exeba="250",
                **{"ramden_adamians_ekheba": "250"},
            ),
        )
        assert response.status_code == 303
        need = Need.objects.get()
        assert (need.settlement, need.administrative_unit, need.category) == (
            settlement,
            settlement.unit,
            category,
        )
        assert need.title == "ქუჩის განათება"
        assert need.status == Status.NEW
        assert need.answers == {"ramden_adamians_ekheba": 250}

    def test_the_settlement_list_is_drawn_only_for_a_page_that_shows_it(
        self, client: Client, needs_form, instant_forms
    ) -> None:
        """A stored "Send" redirects: its form's settlement list is never drawn (issue 13)."""
        from feedback_forms import fields

        url = "/en/report-a-need/"
        settlement = Settlement.objects.get(name_en="Tskaltubo")
        data = need_data(settlement, ProgramCategory.objects.get(slug="infrastructure"))
        data["ramden_adamians_ekheba"] = "250"
        draw = fields.grouped_settlement_choices
        with mock.patch.object(fields, "grouped_settlement_choices", wraps=draw) as drawn:
            shown = client.get(url)
            assert drawn.called  # shown (twice drawn is once read: the request memo)
            assert 'optgroup label="Tskaltubo' in shown.content.decode()
            assert f'value="{settlement.pk}"' in shown.content.decode()
            checked = client.post(url, {**data, **hidden_fields(shown.content.decode())})
            assert checked.status_code == 200
            drawn.reset_mock()
            stored = client.post(
                url, {**data, **hidden_fields(checked.content.decode()), "action": "submit"}
            )
        assert stored.status_code == 303
        assert drawn.call_count == 0
        assert Need.objects.get().settlement == settlement

    def test_the_settlement_must_be_in_the_unit(self, client: Client, needs_form) -> None:
        settlement = Settlement.objects.get(name_en="Tskaltubo")
        other_unit = Settlement.objects.exclude(unit=settlement.unit).first().unit
        data = need_data(
            settlement, ProgramCategory.objects.first(), administrative_unit=other_unit.code
        )
        html = review(client, "/en/report-a-need/", data).content.decode()
        assert "is not in the administrative unit" in html
        assert not Need.objects.exists()


class TestTracking:
    def test_a_reference_shows_status_dates_and_public_answer(
        self, client: Client, needs_form
    ) -> None:
        settlement, category = Settlement.objects.first(), ProgramCategory.objects.first()
        reference = reference_from(
            send(client, "/en/report-a-need/", need_data(settlement, category))
        )
        Need.objects.filter(reference=reference).update(
            status=Status.PLANNED, public_answer="Lights go up in spring."
        )
        html = client.get(
            "/en/track/", {"reference": reference.lower().replace("-", "")}
        ).content.decode()
        assert "Answered: the work is planned" in html
        assert "Lights go up in spring." in html
        assert "01001012345" not in html

    def test_unknown_and_malformed_references(self, client: Client, site_content) -> None:
        response = client.get("/en/track/", {"reference": "ZZZZ-ZZZZ"})
        assert response.status_code == 404
        assert "We found nothing with this reference" in response.content.decode()
        response = client.get("/en/track/", {"reference": "' OR 1=1 --"})
        assert response.status_code == 200
        assert "A reference has 8 letters and digits" in response.content.decode()

    def test_tracking_page_is_georgian_at_root(self, client: Client, site_content) -> None:
        assert client.get("/track/").status_code == 200
