"""Issue 15 item 2: "is it fixed?" after a resolution, by a one-time link, and "no" reopens.

The question goes through the scheduled job and the database task backend; the link is taken
from the e-mail in Django's outbox, as a resident would click it.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from cms.core.roles import MAYOR, PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms import workflow
from feedback_forms.followup import token_hash
from feedback_forms.models import FixCheck, Need, NeedUpdate, SentNotification, Status
from feedback_forms.tests.factories import NeedFactory
from feedback_forms.tests.loop_support import run_jobs, run_worker
from programs.models import MunicipalService

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+/is-it-fixed/([^/\s]+)/")


@pytest.fixture
def roads(reference_data):
    service = MunicipalService.objects.get(slug="infrastructure")
    rep = staff_user(SERVICE_REPRESENTATIVES, username="nino", email="nino@city.example")
    service.representatives.add(rep)
    return service


@pytest.fixture
def manager(db):
    return staff_user(PLATFORM_MANAGERS, username="manager")


def resolved_need(roads, manager, *, days_ago: int, language: str = "ka", **kwargs) -> Need:
    need = NeedFactory(
        contact_email="resident@example.com",
        language=language,
        created_at=timezone.now() - datetime.timedelta(days=days_ago + 5),
        **kwargs,
    )
    workflow.assign(need, service=roads, by=manager)
    workflow.change_status(
        need, Status.RESOLVED, by=manager, public_answer="The lamp was replaced."
    )
    Need.objects.filter(pk=need.pk).update(
        answered_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    need.refresh_from_db()
    return need


def asked_link(address: str = "resident@example.com") -> str:
    (message,) = [m for m in mail.outbox if address in m.to and "is-it-fixed" in m.body]
    return LINK.search(message.body).group(0).split("://", 1)[1].split("/", 1)[1]


def test_the_resident_is_asked_once_after_the_days_and_yes_is_recorded(
    client, database_tasks, roads, manager, settings
) -> None:
    settings.FEEDBACK_FIX_CHECK_AFTER_DAYS = 14
    due = resolved_need(roads, manager, days_ago=15, language="en")
    early = resolved_need(roads, manager, days_ago=3)
    mail.outbox.clear()
    run_jobs("fix_checks")
    run_worker()
    run_jobs("fix_checks")
    run_worker()
    (message,) = mail.outbox
    assert message.to == ["resident@example.com"]
    assert message.subject == f"Is it fixed? Your need {due.reference} — Tskaltubo Municipality"
    assert FixCheck.objects.filter(need=early).count() == 0
    path = "/" + asked_link()
    assert path.startswith("/en/is-it-fixed/")
    token = path.rstrip("/").rsplit("/", 1)[1]
    check = FixCheck.objects.get(need=due)
    assert check.token_hash == token_hash(token) and token not in check.token_hash

    page = client.get(path)
    assert page.status_code == 200 and due.reference in page.content.decode()
    response = client.post(path, {"answer": "yes"})
    assert response.status_code == 200
    assert "recorded that the problem is fixed" in response.content.decode()
    check.refresh_from_db()
    assert check.answer == FixCheck.Answer.FIXED and check.used_at
    due.refresh_from_db()
    assert due.status == Status.RESOLVED
    assert due.updates.last().message == "The resident confirmed that the problem is fixed."

    again = client.get(path)
    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert client.post(path, {"answer": "no", "reason": "x"}).status_code == 410
    check.refresh_from_db()
    assert check.answer == FixCheck.Answer.FIXED


def test_no_reopens_the_need_to_its_service_with_the_residents_words(
    client, database_tasks, django_capture_on_commit_callbacks, roads, manager, settings
) -> None:
    settings.FEEDBACK_FIX_CHECK_AFTER_DAYS = 14
    need = resolved_need(roads, manager, days_ago=20)
    run_jobs("fix_checks")
    run_worker()
    path = "/" + asked_link()
    assert path.startswith("/is-it-fixed/")  # Georgian: no prefix

    empty = client.post(path, {"answer": "no", "reason": "  "})
    assert empty.status_code == 400
    assert "რა არის" in empty.content.decode()  # the translated "tell us what is still wrong"
    assert FixCheck.objects.get(need=need).used_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"answer": "no", "reason": "ნათურა ისევ არ ანათებს."})
    assert response.status_code == 200
    run_worker()
    need.refresh_from_db()
    assert need.status == Status.IN_REVIEW
    assert need.due_date > timezone.localdate()
    step = need.updates.order_by("at", "pk").last()
    assert step.status == Status.IN_REVIEW and "ნათურა ისევ არ ანათებს." in step.message
    (notice,) = [
        m
        for m in mail.outbox
        if "nino@city.example" in m.to and need.reference in m.subject and "ნათურა" in m.body
    ]
    assert SentNotification.objects.filter(kind="reopened", need=need).count() == 1
    track = client.get(f"/track/?reference={need.reference}").content.decode()
    assert "ნათურა ისევ არ ანათებს." in track
    assert client.get(path).status_code == 410


def test_an_implemented_commitment_asks_the_linked_needs_residents(
    database_tasks, roads, manager, settings
) -> None:
    from reports.models import BudgetCommitment
    from reports.tests.factories import BudgetCommitmentFactory
    from reports.workflow import change_commitment_status, link_needs

    settings.FEEDBACK_FIX_CHECK_AFTER_DAYS = 0
    mayor = staff_user(MAYOR, username="mayor")
    need = NeedFactory(contact_email="village@example.com")
    workflow.assign(need, service=roads, by=manager)
    commitment = BudgetCommitmentFactory(service=roads, status=BudgetCommitment.Status.ADOPTED)
    link_needs(commitment, [need], by=mayor)
    change_commitment_status(commitment, BudgetCommitment.Status.IMPLEMENTED, by=mayor)
    need.refresh_from_db()
    assert need.status == Status.RESOLVED
    mail.outbox.clear()
    run_jobs("fix_checks")
    run_worker()
    assert asked_link("village@example.com")
    assert FixCheck.objects.filter(need=need).count() == 1


@pytest.mark.parametrize("token", ["x", "A" * 43, "../../admin", "%00", "ა" * 30, "A" * 300])
def test_a_bad_link_is_a_translated_404_never_a_500(client, reference_data, token) -> None:
    client.raise_request_exception = False
    for prefix, text in (("", "ბმული არასწორია"), ("/en", "This link is not valid")):
        response = client.get(f"{prefix}/is-it-fixed/{token}/")
        assert response.status_code == 404, token
        if "/" not in token:  # a slash never reaches the view: the site's own 404 page
            assert text in response.content.decode()


def test_an_expired_link_is_gone(client, roads, manager, settings) -> None:
    from feedback_forms.followup import send_check, trigger_for

    need = resolved_need(roads, manager, days_ago=20)
    send_check(need.pk, trigger_for(need))
    path = "/" + asked_link()
    FixCheck.objects.filter(need=need).update(expires_at=timezone.now())
    response = client.get(path)
    assert response.status_code == 410
    assert "ვადა" in response.content.decode()
    assert client.post(path, {"answer": "yes"}).status_code == 410
    assert FixCheck.objects.get(need=need).used_at is None
    assert not NeedUpdate.objects.filter(need=need, message__icontains="confirmed").exists()


def test_a_need_moved_on_meanwhile_keeps_its_state(client, roads, manager) -> None:
    from feedback_forms.followup import send_check, trigger_for

    need = resolved_need(roads, manager, days_ago=20)
    send_check(need.pk, trigger_for(need))
    path = "/" + asked_link()
    workflow.change_status(need, Status.IN_REVIEW, by=manager)
    response = client.post(path, {"answer": "no", "reason": "still dark"})
    assert response.status_code == 200
    need.refresh_from_db()
    assert need.status == Status.IN_REVIEW
    assert FixCheck.objects.get(need=need).reason == "still dark"


@pytest.mark.parametrize(
    ("language", "prefix"),
    [("ka", "/f/"), ("en", "/en/f/")],
)
def test_a_resident_with_only_a_mobile_is_asked_by_one_sms_with_a_short_link(
    client, database_tasks, roads, manager, settings, language, prefix
) -> None:
    """Issue 15 item 5: "is it fixed?" reaches residents without e-mail (villages) by SMS."""
    from cms.core.models import SmsMessage
    from cms.core.sms import segments

    settings.FEEDBACK_FIX_CHECK_AFTER_DAYS = 14
    settings.SMS_BACKEND = "cms.core.sms.LocmemBackend"
    settings.WAGTAILADMIN_BASE_URL = "https://feedback.tskaltubo.gov.ge"  # the production host
    need = resolved_need(roads, manager, days_ago=15, language=language)
    Need.objects.filter(pk=need.pk).update(contact_email="", contact_phone="+995555123456")
    mail.outbox.clear()
    run_jobs("fix_checks")
    run_worker()
    run_jobs("fix_checks")
    run_worker()
    assert mail.outbox == []  # no e-mail to ask by
    (sms,) = SmsMessage.objects.filter(purpose="fix_check")
    assert sms.to == "+995555123456"
    assert need.reference in sms.text
    assert segments(sms.text).segments == 1, (sms.text, segments(sms.text))
    path = sms.text[sms.text.index(prefix) :]
    assert FixCheck.objects.get(need=need).token_hash == token_hash(
        path.rstrip("/").rsplit("/")[-1]
    )
    page = client.get(path)
    assert page.status_code == 200 and need.reference in page.content.decode()
    assert client.post(path, {"answer": "yes"}).status_code == 200
    assert client.get(path).status_code == 410  # once only
