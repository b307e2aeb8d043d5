"""Staff screens: a service never crosses into another service's residents (Art. 4.3)."""

import pytest
from django.test import Client
from django.urls import reverse

from cms.core.roles import (
    ANALYSTS,
    CONTENT_EDITORS,
    MAYOR,
    PLATFORM_MANAGERS,
    SERVICE_REPRESENTATIVES,
)
from cms.core.tests.factories import staff_user
from feedback_forms import workflow
from feedback_forms.models import Evaluation, Need, Status, SubmissionLogEntry
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from programs.models import MunicipalService

pytestmark = pytest.mark.django_db


def url(kind: str, view: str, *args) -> str:
    return reverse(f"wagtailsnippets_feedback_forms_{kind}:{view}", args=args)


def bulk_url(kind: str, action: str, ids) -> str:
    query = "&".join(f"id={pk}" for pk in ids)
    return reverse("wagtail_bulk_action", args=("feedback_forms", kind, action)) + "?" + query


@pytest.fixture
def services(reference_data):
    return MunicipalService.objects.get(slug="social"), MunicipalService.objects.get(
        slug="infrastructure"
    )


@pytest.fixture
def needs(services):
    social, infrastructure = services
    return {
        "mine": NeedFactory(title="Social need", service=social, status=Status.ASSIGNED),
        "theirs": NeedFactory(title="Road need", service=infrastructure, status=Status.ASSIGNED),
        "new": NeedFactory(title="Unassigned need"),
    }


@pytest.fixture
def manager(client: Client, reference_data):
    user = staff_user(PLATFORM_MANAGERS, username="manager")
    client.force_login(user)
    return user


@pytest.fixture
def representative(client: Client, services):
    user = staff_user(SERVICE_REPRESENTATIVES, username="nino", email="nino@tskaltubo.gov.ge")
    services[0].representatives.add(user)
    client.force_login(user)
    return user


class TestListingScope:
    def test_managers_see_every_need(self, client, manager, needs) -> None:
        html = client.get(url("need", "list")).content.decode()
        assert all(need.title in html for need in needs.values())

    def test_a_representative_sees_only_their_services_needs(
        self, client, representative, needs
    ) -> None:
        html = client.get(url("need", "list")).content.decode()
        assert "Social need" in html
        assert "Road need" not in html and "Unassigned need" not in html

    def test_filters_cannot_widen_the_scope(self, client, representative, needs, services) -> None:
        html = client.get(url("need", "list"), {"service": services[1].pk}).content.decode()
        assert "Road need" not in html

    def test_filters_and_search(self, client, manager, needs, services) -> None:
        html = client.get(url("need", "list"), {"service": services[1].pk}).content.decode()
        assert "Road need" in html and "Social need" not in html
        html = client.get(url("need", "list"), {"q": "Road"}).content.decode()
        assert "Road need" in html and "Social need" not in html
        html = client.get(url("need", "list"), {"status": "new"}).content.decode()
        assert "Unassigned need" in html and "Road need" not in html

    @pytest.mark.parametrize("role", [MAYOR, ANALYSTS])
    def test_mayor_and_analysts_read_everything_but_change_nothing(
        self, client, needs, role
    ) -> None:
        client.force_login(staff_user(role, username=role.username))
        assert "Road need" in client.get(url("need", "list")).content.decode()
        response = client.post(
            url("need", "edit", needs["theirs"].pk), {"status": Status.IN_REVIEW}
        )
        needs["theirs"].refresh_from_db()
        assert needs["theirs"].status == Status.ASSIGNED
        assert response.status_code in (302, 403, 404)

    def test_content_editors_see_no_submissions(self, client, needs) -> None:
        client.force_login(staff_user(CONTENT_EDITORS, username="editor"))
        response = client.get(url("need", "list"))
        assert response.status_code in (302, 403)


class TestDetail:
    def test_another_services_detail_url_is_not_found(self, client, representative, needs) -> None:
        assert client.get(url("need", "inspect", needs["theirs"].pk)).status_code == 404
        assert client.get(url("need", "history", needs["theirs"].pk)).status_code == 404
        assert client.get(url("need", "edit", needs["theirs"].pk)).status_code == 404
        assert client.get(url("need", "inspect", needs["mine"].pk)).status_code == 200

    def test_another_services_edit_url_is_refused(self, client, representative, needs) -> None:
        response = client.post(
            url("need", "edit", needs["theirs"].pk),
            {"status": Status.IN_REVIEW, "public_answer": ""},
        )
        assert response.status_code in (302, 403, 404)
        needs["theirs"].refresh_from_db()
        assert needs["theirs"].status == Status.ASSIGNED

    def test_viewing_details_is_audited(self, client, manager, needs) -> None:
        need = needs["mine"]
        client.get(url("need", "inspect", need.pk))
        entry = SubmissionLogEntry.objects.for_instance(need).get(action=workflow.LOG_VIEW)
        assert entry.user == manager

    def test_detail_shows_extra_answers_notes_and_history(self, client, manager, needs) -> None:
        need = needs["mine"]
        need.answers = {"ramden_adamians_ekheba": 250}
        need.questions = {"ramden_adamians_ekheba": "რამდენ ადამიანს ეხება?"}
        need.save()
        workflow.add_note(need, "Called back, confirmed.", by=manager)
        html = client.get(url("need", "inspect", need.pk)).content.decode()
        assert "რამდენ ადამიანს ეხება?" in html and "250" in html
        assert "Called back, confirmed." in html
        assert "Internal note added" in html or "შიდა შენიშვნა" in html


class TestWorkflowThroughTheAdmin:
    def test_a_manager_assigns_and_a_representative_answers(
        self, client, reference_data, services, django_capture_on_commit_callbacks
    ) -> None:
        from django.core import mail

        social = services[0]
        manager = staff_user(PLATFORM_MANAGERS, username="manager")
        nino = staff_user(SERVICE_REPRESENTATIVES, username="nino")
        social.representatives.add(nino)
        need = NeedFactory(contact_email="resident@example.ge")
        client.force_login(manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url("need", "edit", need.pk),
                {
                    "service": social.pk,
                    "assignee": nino.pk,
                    "due_date": "",
                    "status": Status.ASSIGNED,
                    "public_answer": "",
                    "internal_note": "Urgent",
                },
            )
        assert response.status_code == 302, response.content.decode()[-3000:]
        need.refresh_from_db()
        assert (need.status, need.service, need.assignee) == (Status.ASSIGNED, social, nino)
        assert need.due_date is not None
        assert need.notes.get().text == "Urgent"

        client.force_login(nino)
        response = client.post(
            url("need", "edit", need.pk),
            {
                "assignee": nino.pk,
                "due_date": need.due_date.isoformat(),
                "status": Status.RESOLVED,
                "public_answer": "",
            },
        )
        assert response.status_code == 200  # refused: no public answer
        need.refresh_from_db()
        assert need.status == Status.ASSIGNED
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url("need", "edit", need.pk),
                {
                    "assignee": nino.pk,
                    "due_date": need.due_date.isoformat(),
                    "status": Status.RESOLVED,
                    "public_answer": "The pothole was filled.",
                },
            )
        assert response.status_code == 302
        need.refresh_from_db()
        assert need.status == Status.RESOLVED and need.answered_at
        actions = list(
            SubmissionLogEntry.objects.for_instance(need).values_list("action", "user__username")
        )
        assert (workflow.LOG_ASSIGN, "manager") in actions
        assert (workflow.LOG_STATUS, "nino") in actions
        # The resident hears of the assignment and the answer; the service of the assignment.
        assert sorted(m.to[0] for m in mail.outbox) == [
            "nino@tskaltubo.gov.ge",
            "resident@example.ge",
            "resident@example.ge",
        ]

    def test_a_representative_cannot_move_a_need_to_another_service(
        self, client, representative, needs, services
    ) -> None:
        need = needs["mine"]
        client.post(
            url("need", "edit", need.pk),
            {"service": services[1].pk, "status": Status.ASSIGNED, "public_answer": ""},
        )
        need.refresh_from_db()
        assert need.service == services[0]


class TestBulkActions:
    def test_bulk_assign_by_a_manager(self, client, manager, needs, services) -> None:
        response = client.post(
            bulk_url("need", "assign", [needs["new"].pk]),
            {"service": services[1].pk, "due_date": ""},
        )
        assert response.status_code == 302
        needs["new"].refresh_from_db()
        assert needs["new"].status == Status.ASSIGNED and needs["new"].service == services[1]

    def test_bulk_spam_acts_only_on_own_service_rows(self, client, representative, needs) -> None:
        ids = [needs["mine"].pk, needs["theirs"].pk]
        client.post(bulk_url("need", "mark_spam", ids), {})
        statuses = dict(Need.objects.filter(pk__in=ids).values_list("title", "status"))
        assert statuses == {"Social need": Status.SPAM, "Road need": Status.ASSIGNED}

    def test_representatives_cannot_bulk_assign(
        self, client, representative, needs, services
    ) -> None:
        client.post(bulk_url("need", "assign", [needs["mine"].pk]), {"service": services[1].pk})
        needs["mine"].refresh_from_db()
        assert needs["mine"].service == services[0]

    def test_nobody_deletes_submissions(self, client, manager, needs) -> None:
        client.post(bulk_url("need", "delete", [needs["new"].pk]), {})
        assert Need.objects.filter(pk=needs["new"].pk).exists()
        assert client.get(url("need", "delete", needs["new"].pk)).status_code in (302, 403)
        assert Need.objects.filter(pk=needs["new"].pk).exists()

    def test_evaluations_can_be_marked_duplicate(self, client, manager, services) -> None:
        evaluation = EvaluationFactory(service=services[0])
        client.post(bulk_url("evaluation", "mark_duplicate", [evaluation.pk]), {})
        evaluation.refresh_from_db()
        assert evaluation.status == Status.DUPLICATE


class TestDashboard:
    def test_manager_sees_the_queues(self, client, manager, needs) -> None:
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "feedback-queues-title" in html

    def test_representative_sees_their_services_queue(self, client, representative, needs) -> None:
        from feedback_forms.dashboard import FeedbackQueuesPanel

        counters = FeedbackQueuesPanel(representative).counters()
        assert counters[0].count == 1  # "mine" only
        assert "feedback-queues-title" in client.get(reverse("wagtailadmin_home")).content.decode()

    def test_low_ratings_are_counted(self, manager, services) -> None:
        from feedback_forms.dashboard import FeedbackQueuesPanel
        from feedback_forms.periods import current_period

        EvaluationFactory(service=services[0], overall_rating=1, reporting_period=current_period())
        EvaluationFactory(service=services[0], overall_rating=5, reporting_period=current_period())
        counters = {str(c.label): c.count for c in FeedbackQueuesPanel(manager).counters()}
        low = next(count for label, count in counters.items() if "1-2" in label)
        assert low == 1
        assert Evaluation.objects.count() == 2


class TestExportButtons:
    def test_the_listing_offers_exports_with_its_filters(self, client, manager, needs) -> None:
        html = client.get(url("need", "list"), {"status": "new"}).content.decode()
        assert "/admin/feedback/exports/export/need/?status=new&amp;format=xlsx" in html
        assert "/admin/feedback/exports/export/need/?status=new&amp;format=csv" in html

    def test_no_export_button_without_the_permission(self, client, needs) -> None:
        client.force_login(staff_user(MAYOR, username="mayor"))
        html = client.get(url("need", "list")).content.decode()
        assert "/admin/feedback/exports/export/" not in html

    def test_a_representative_exports_only_their_service(
        self, client, representative, needs, services
    ) -> None:
        response = client.get(
            reverse("feedback_exports:export", args=["need"]),
            {"format": "csv", "service": services[1].pk},
        )
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "Road need" not in body
        response = client.get(reverse("feedback_exports:export", args=["need"]), {"format": "csv"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "Social need" in body and "Road need" not in body and "Unassigned need" not in body
