"""Issue 15's journey: a need is assigned -> the service's reminder e-mail (from the scheduled
jobs) -> answered from a template -> the resident's "is it fixed?" link -> "no" reopens it.

Every message goes through the production task backend (django-tasks' database backend and
its `db_worker`) into Django's mail outbox; the test prints the subjects the demo sent.
"""

import datetime
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from cms.core.roles import PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from feedback_forms.models import AnswerTemplate, FixCheck, Need, Status
from feedback_forms.tests.loop_support import DATABASE_TASKS, run_jobs, run_worker
from tests.e2e.waiting import expect

pytestmark = pytest.mark.e2e
LINK = re.compile(r"https?://[^/\s]+(/(?:en/)?is-it-fixed/[^/\s]+/)")


@pytest.fixture
def people(demo_site):
    from cms.core.tests.factories import staff_user
    from programs.models import MunicipalService

    manager = staff_user(PLATFORM_MANAGERS, username="manager", email="manager@city.example")
    nino = staff_user(SERVICE_REPRESENTATIVES, username="nino", email="nino@city.example")
    roads = MunicipalService.objects.get(slug="infrastructure")
    roads.representatives.add(nino)
    return manager, nino, roads


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("staff-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_assigned_reminded_answered_from_a_template_asked_and_reopened(
    live_server, people, browser, settings
) -> None:
    from feedback_forms.tests.factories import NeedFactory

    settings.FEEDBACK_REMINDER_DAYS_BEFORE_DUE = 3
    settings.FEEDBACK_FIX_CHECK_AFTER_DAYS = 14
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    manager, nino, roads = people
    need = NeedFactory(
        title="ქუჩის ნათურა არ ანთია",
        contact_email="resident@example.com",
        created_at=timezone.now() - datetime.timedelta(days=20),
    )
    AnswerTemplate.objects.create(
        title_ka="ნათურა შეიცვალა",
        title_en="Lamp replaced",
        text_ka="ნათურა შეიცვალა, ქუჩა განათებულია.",
        text_en="The lamp was replaced.",
        category=need.category,
        service=roads,
    )
    edit_url = f"{live_server.url}/admin/snippets/feedback_forms/need/edit/{need.pk}/"
    due = timezone.localdate() + datetime.timedelta(days=2)

    with override_settings(TASKS=DATABASE_TASKS):
        # 1. The manager assigns the need to the roads service, answer due in two days.
        context = browser.new_context(locale="ka-GE")
        page = context.new_page()
        log_in(page, live_server, "manager")
        page.goto(edit_url)
        page.locator("select[name=service]").select_option(str(roads.pk))
        page.locator("input[name=due_date]").fill(due.isoformat())
        page.locator("select[name=status]").select_option(Status.ASSIGNED)
        page.locator("button.action-save").click()
        page.wait_for_url("**/admin/snippets/feedback_forms/need/**")
        context.close()
        need.refresh_from_db()
        assert need.status == Status.ASSIGNED and need.due_date == due
        run_worker()
        assigned = [m for m in mail.outbox if m.to == ["nino@city.example"]]
        assert [m.subject for m in assigned] == [
            f"ახალი საჭიროება {need.reference} გადაეცა თქვენს სამსახურს"
        ]

        # 2. The scheduled jobs remind the service (twice run: one reminder).
        run_jobs("service_reminders")
        run_worker()
        run_jobs("service_reminders")
        run_worker()
        reminders = [m for m in mail.outbox if "შეხსენება" in m.subject]
        assert len(reminders) == 1 and reminders[0].to == ["nino@city.example"]
        assert need.reference in reminders[0].subject

        # 3. Nino answers from the template (the script fills the text) and edits it.
        context = browser.new_context(locale="ka-GE")
        page = context.new_page()
        log_in(page, live_server, "nino")
        page.goto(edit_url)
        page.locator("select[name=answer_template]").select_option(label="ნათურა შეიცვალა")
        answer = page.locator("textarea[name=public_answer]")
        assert answer.input_value() == "ნათურა შეიცვალა, ქუჩა განათებულია."
        answer.fill(answer.input_value() + " მადლობა შეტყობინებისთვის.")
        page.locator("select[name=status]").select_option(Status.RESOLVED)
        page.locator("button.action-save").click()
        page.wait_for_url("**/admin/snippets/feedback_forms/need/**")
        context.close()
        need.refresh_from_db()
        assert need.status == Status.RESOLVED
        assert need.public_answer.endswith("მადლობა შეტყობინებისთვის.")
        run_worker()  # the resident's status e-mail

        # 4. Fifteen days later the scheduled jobs ask the resident "is it fixed?".
        Need.objects.filter(pk=need.pk).update(
            answered_at=timezone.now() - datetime.timedelta(days=15)
        )
        run_jobs("fix_checks")
        run_worker()
        (question,) = [m for m in mail.outbox if "is-it-fixed" in m.body]
        assert question.to == ["resident@example.com"]
        path = LINK.search(question.body).group(1)

        # 5. The resident answers "no, and why" without signing in: the need is reopened.
        resident = browser.new_context(locale="ka-GE").new_page()
        resident.goto(live_server.url + path)
        assert need.reference in resident.content()
        resident.get_by_label("არა, არ მოგვარებულა").check()
        resident.locator("textarea[name=reason]").fill("ნათურა ორ დღეში ისევ ჩაქრა.")
        resident.get_by_role("button", name="პასუხის გაგზავნა").click()
        expect(resident.get_by_text("საჭიროება თქვენი სიტყვებით დაუბრუნდა")).to_be_visible()
        run_worker()
        need.refresh_from_db()
        assert need.status == Status.IN_REVIEW
        assert FixCheck.objects.get(need=need).answer == FixCheck.Answer.NOT_FIXED
        resident.goto(f"{live_server.url}/track/?reference={need.reference}")
        assert "ნათურა ორ დღეში ისევ ჩაქრა." in resident.locator(".track-result").inner_text()

        # The link worked once.
        response = resident.goto(live_server.url + path)
        assert response.status == 410
        expect(resident.get_by_text("ეს ბმული უკვე გამოყენებულია")).to_be_visible()

        reopened = [m for m in mail.outbox if "ხელახლა გაიხსნა" in m.subject]
        assert len(reopened) == 1 and reopened[0].to == ["nino@city.example"]
        assert "ნათურა ორ დღეში ისევ ჩაქრა." in reopened[0].body

    print("\nMessages sent in the journey:")
    for message in mail.outbox:
        print(f"  to {', '.join(message.to)}: {message.subject}")
