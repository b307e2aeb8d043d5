"""What a linked need's author is told follows the commitment's status, in their language,
and never promises more: the whole status matrix against the tracking page and the e-mail."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from cms.core.roles import MAYOR, PLATFORM_MANAGERS
from cms.core.tests.factories import staff_user
from feedback_forms import workflow as needs_workflow
from feedback_forms.models import Need, Status, SubmissionLogEntry
from feedback_forms.tests.factories import NeedFactory
from programs.models import MunicipalService
from reports import workflow
from reports.models import BudgetCommitment

pytestmark = pytest.mark.django_db

TITLES = {"ka": "ქუჩის განათება", "en": "Street lighting"}
REASONS = {"ka": "სამუშაოს რეგიონული პროგრამა აფინანსებს.", "en": "A regional program pays."}
#: What each step promises, weakest first, in each language. The year is the commitment's.
PROMISES = {
    "en": [
        "Under consideration for the 2027 draft budget",
        "In the 2027 draft budget",
        "In the adopted 2027 budget",
        "was carried out with the 2027 budget",
    ],
    "ka": [
        "განიხილება 2027 წლის ბიუჯეტის პროექტისთვის",
        "შეტანილია 2027 წლის ბიუჯეტის პროექტში",
        "დამტკიცებულ 2027 წლის ბიუჯეტშია",
        "2027 წლის ბიუჯეტით შესრულდა",
    ],
}
STEPS = ["proposed", "in_draft_budget", "adopted", "implemented"]
NEED_STATUS = [Status.IN_REVIEW, Status.PLANNED, Status.PLANNED, Status.RESOLVED]
DROPPED = {"ka": "მერმა „ქუჩის განათება“ მოხსნა", "en": "The mayor dropped “Street lighting”"}


@pytest.fixture
def mayor(reference_data):
    return staff_user(MAYOR, username="mayor")


@pytest.fixture
def manager(reference_data):
    return staff_user(PLATFORM_MANAGERS, username="manager")


@pytest.fixture
def social(reference_data):
    return MunicipalService.objects.get(slug="social")


def make_need(language: str, social, **extra) -> Need:
    values = {
        "status": Status.ASSIGNED,
        "service": social,
        "language": language,
        "contact_email": f"{language}@example.ge",
        "created_at": timezone.now() - datetime.timedelta(days=20),
        **extra,
    }
    return NeedFactory(**values)


def commitment_for(social) -> BudgetCommitment:
    return BudgetCommitment.objects.create(
        title_ka=TITLES["ka"], title_en=TITLES["en"], service=social, budget_year=2027
    )


def tracking_text(client: Client, need: Need) -> str:
    """The tracking page in the resident's own language, as text."""
    prefix = "/en" if need.language == "en" else ""
    html = client.get(f"{prefix}/track/", {"reference": need.reference}).content.decode()
    section = html[html.index('class="track-result"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)).replace("&#x27;", "'")


def answer_text(client: Client, need: Need) -> str:
    prefix = "/en" if need.language == "en" else ""
    html = client.get(f"{prefix}/track/", {"reference": need.reference}).content.decode()
    match = re.search(r'<div class="public-answer"[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def last_mail_to(need: Need) -> str:
    bodies = [message.body for message in mail.outbox if need.contact_email in message.to]
    return bodies[-1] if bodies else ""


def move(commitment, steps: list[str], mayor) -> None:
    for step in steps:
        workflow.change_commitment_status(commitment, step, by=mayor)


@pytest.mark.parametrize("language", ["ka", "en"])
@pytest.mark.parametrize("reached", range(len(STEPS)))
def test_each_status_is_told_truthfully_in_the_residents_language(
    client: Client, mayor, social, language, reached, django_capture_on_commit_callbacks
) -> None:
    need = make_need(language, social)
    commitment = commitment_for(social)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.link_needs(commitment, [need], by=mayor)
        move(commitment, STEPS[1 : reached + 1], mayor)
    need.refresh_from_db()
    promise = PROMISES[language][reached]
    other = "en" if language == "ka" else "ka"
    assert need.status == NEED_STATUS[reached]
    assert promise in need.public_answer and TITLES[language] in need.public_answer
    assert TITLES[other] not in need.public_answer
    page, answer, body = tracking_text(client, need), answer_text(client, need), last_mail_to(need)
    assert promise in answer and promise in body and TITLES[language] in body
    for stronger in PROMISES[language][reached + 1 :]:
        assert stronger not in page and stronger not in body  # never more than the status
    for earlier in PROMISES[language][: reached + 1]:
        assert earlier in page  # the timeline shows every step, not only the last
    assert (need.answered_at is not None) == (NEED_STATUS[reached] != Status.IN_REVIEW)
    assert len([m for m in mail.outbox if need.contact_email in m.to]) == reached + 1


@pytest.mark.parametrize("language", ["ka", "en"])
@pytest.mark.parametrize("reached", range(3))  # dropped while proposed, in draft, adopted
def test_a_dropped_commitment_returns_the_need_with_the_mayors_reason(
    client: Client, mayor, social, language, reached, django_capture_on_commit_callbacks
) -> None:
    before_answer = {"ka": "სამსახური სწავლობს.", "en": "The service is looking into it."}
    need = make_need(language, social, status=Status.DECLINED, public_answer="x")
    answered_at = need.created_at + datetime.timedelta(days=3)
    Need.objects.filter(pk=need.pk).update(
        public_answer=before_answer[language], answered_at=answered_at
    )
    need.refresh_from_db()
    commitment = commitment_for(social)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.link_needs(commitment, [need], by=mayor)
        move(commitment, STEPS[1 : reached + 1], mayor)
        workflow.change_commitment_status(
            commitment, "dropped", by=mayor, reason_ka=REASONS["ka"], reason_en=REASONS["en"]
        )
    need.refresh_from_db()
    assert (need.status, need.public_answer, need.answered_at) == (
        Status.DECLINED,
        before_answer[language],
        answered_at,
    )
    page, body = tracking_text(client, need), last_mail_to(need)
    assert answer_text(client, need) == before_answer[language]
    for text in (page, body):
        assert DROPPED[language] in text and REASONS[language] in text
    assert PROMISES[language][reached] in page  # the earlier step stays in the history
    actions = list(
        SubmissionLogEntry.objects.for_instance(need)
        .filter(action=needs_workflow.LOG_PUBLIC_STATE)
        .order_by("timestamp", "pk")
        .values_list("data__restored", flat=True)
    )
    assert actions == [False] * (reached + 1) + [True]
    assert commitment.dropped_reason_ka == REASONS["ka"]


def test_an_open_need_returns_to_open_and_is_no_longer_answered(mayor, social) -> None:
    need = make_need("ka", social)
    commitment = commitment_for(social)
    workflow.link_needs(commitment, [need], by=mayor)
    move(commitment, ["in_draft_budget"], mayor)
    need.refresh_from_db()
    assert need.status == Status.PLANNED and need.answered_at
    workflow.change_commitment_status(commitment, "dropped", by=mayor, reason_ka="მიზეზი")
    need.refresh_from_db()
    assert (need.status, need.public_answer, need.answered_at) == (Status.ASSIGNED, "", None)


def test_a_services_later_answer_is_not_undone_by_a_drop(client: Client, mayor, social) -> None:
    need = make_need("en", social)
    commitment = commitment_for(social)
    workflow.link_needs(commitment, [need], by=mayor)
    needs_workflow.change_status(need, Status.RESOLVED, by=mayor, public_answer="Fixed in May.")
    workflow.change_commitment_status(commitment, "dropped", by=mayor, reason_ka="მიზეზი")
    need.refresh_from_db()
    assert (need.status, need.public_answer) == (Status.RESOLVED, "Fixed in May.")
    assert "The mayor dropped" in tracking_text(client, need)


def test_a_need_of_two_commitments_follows_the_one_still_standing(mayor, social) -> None:
    need = make_need("en", social)
    first, second = commitment_for(social), commitment_for(social)
    workflow.link_needs(first, [need], by=mayor)
    move(first, ["in_draft_budget"], mayor)
    workflow.link_needs(second, [need], by=mayor)
    workflow.change_commitment_status(first, "dropped", by=mayor, reason_ka="მიზეზი")
    need.refresh_from_db()
    assert need.status == Status.IN_REVIEW and "Under consideration" in need.public_answer
    workflow.change_commitment_status(second, "dropped", by=mayor, reason_ka="მიზეზი")
    need.refresh_from_db()
    assert (need.status, need.public_answer) == (Status.ASSIGNED, "")


@pytest.fixture
def in_english():
    """The refusals below are matched in English: the test's language, not the previous test's."""
    with translation.override("en"):
        yield


def test_only_the_mayor_changes_the_status_and_only_along_the_budget(
    mayor, manager, social, in_english
) -> None:
    commitment = commitment_for(social)
    with pytest.raises(PermissionDenied):
        workflow.change_commitment_status(commitment, "in_draft_budget", by=manager)
    with pytest.raises(ValidationError, match="cannot become"):
        workflow.change_commitment_status(commitment, "implemented", by=mayor)
    with pytest.raises(ValidationError, match="reason"):
        workflow.change_commitment_status(commitment, "dropped", by=mayor)
    move(commitment, ["in_draft_budget", "adopted", "implemented"], mayor)
    with pytest.raises(ValidationError):
        workflow.change_commitment_status(commitment, "dropped", by=mayor, reason_ka="x")
    logged = ModelLogEntry.objects.for_instance(commitment).filter(
        action=workflow.LOG_COMMITMENT_STATUS
    )
    assert [(e.data["from"], e.data["to"], e.user.username) for e in logged.order_by("pk")] == [
        ("proposed", "in_draft_budget", "mayor"),
        ("in_draft_budget", "adopted", "mayor"),
        ("adopted", "implemented", "mayor"),
    ]


def test_hidden_needs_and_dropped_commitments_cannot_be_linked(mayor, social, in_english) -> None:
    commitment = commitment_for(social)
    with pytest.raises(ValidationError, match="spam"):
        workflow.link_needs(commitment, [make_need("en", social, status=Status.SPAM)], by=mayor)
    workflow.change_commitment_status(commitment, "dropped", by=mayor, reason_ka="x")
    with pytest.raises(ValidationError):
        workflow.link_needs(commitment, [make_need("en", social)], by=mayor)


class TestTheAdminForm:
    def data(self, social, need, **overrides) -> dict:
        return {
            "title_ka": TITLES["ka"],
            "title_en": TITLES["en"],
            "description_ka": "",
            "description_en": "",
            "report": "",
            "service": social.pk,
            "budget_year": 2027,
            "estimated_cost": "",
            "status": "proposed",
            "evaluation_findings": "",
            "need_references": need.reference,
            "progress_ka": "",
            "progress_en": "",
            "reason_ka": "",
            "reason_en": "",
            **overrides,
        }

    def test_the_mayor_puts_it_in_the_draft_then_drops_it_with_a_reason(
        self, client: Client, mayor, social
    ) -> None:
        need = make_need("en", social)
        client.force_login(mayor)
        response = client.post(
            reverse("reports_budgetcommitment:add"),
            self.data(social, need, status="in_draft_budget"),
        )
        assert response.status_code == 302
        commitment = BudgetCommitment.objects.get()
        need.refresh_from_db()
        assert commitment.status == "in_draft_budget" and need.status == Status.PLANNED
        edit = reverse("reports_budgetcommitment:edit", args=[commitment.pk])
        response = client.post(edit, self.data(social, need, status="dropped"))
        assert response.status_code == 200  # no reason: refused, translated, nothing changed
        assert "reason" in response.content.decode()
        assert BudgetCommitment.objects.get().status == "in_draft_budget"
        response = client.post(
            edit, self.data(social, need, status="dropped", reason_ka="მიზეზი", reason_en="Why")
        )
        assert response.status_code == 302
        need.refresh_from_db()
        assert (need.status, need.public_answer) == (Status.ASSIGNED, "")
        assert BudgetCommitment.objects.get().dropped_reason_en == "Why"

    def test_a_manager_records_a_proposal_but_cannot_change_its_status(
        self, client: Client, manager, social
    ) -> None:
        need = make_need("ka", social)
        client.force_login(manager)
        response = client.post(
            reverse("reports_budgetcommitment:add"),
            self.data(social, need, status="in_draft_budget"),
        )
        assert response.status_code == 302
        assert BudgetCommitment.objects.get().status == "proposed"  # the field is disabled

    def test_removing_a_need_from_the_commitment_returns_it(
        self, client: Client, mayor, social
    ) -> None:
        need, kept = make_need("en", social), make_need("en", social)
        client.force_login(mayor)
        references = f"{need.reference}, {kept.reference}"
        client.post(
            reverse("reports_budgetcommitment:add"),
            self.data(social, need, need_references=references),
        )
        commitment = BudgetCommitment.objects.get()
        client.post(
            reverse("reports_budgetcommitment:edit", args=[commitment.pk]),
            self.data(social, kept),
        )
        need.refresh_from_db()
        assert (need.status, need.public_answer) == (Status.ASSIGNED, "")
        assert need.updates.last().message.startswith("This need is no longer part")
        assert list(commitment.needs.all()) == [kept]

    def test_a_hidden_need_is_refused_with_a_message(self, client: Client, mayor, social) -> None:
        spam = make_need("ka", social, status=Status.SPAM)
        client.force_login(mayor)
        response = client.post(reverse("reports_budgetcommitment:add"), self.data(social, spam))
        assert response.status_code == 200 and spam.reference in response.content.decode()
        assert not BudgetCommitment.objects.exists()


def test_the_accountability_page_and_open_data_show_the_reason(
    client: Client, mayor, social, site_content
) -> None:
    from reports.tests.factories import results_pages

    results_pages(site_content)
    commitment = commitment_for(social)
    workflow.link_needs(commitment, [make_need("en", social)], by=mayor)
    workflow.change_commitment_status(
        commitment, "dropped", by=mayor, reason_ka=REASONS["ka"], reason_en=REASONS["en"]
    )
    english = client.get("/en/accountability/").content.decode()
    georgian = client.get("/accountability/").content.decode()
    assert REASONS["en"] in english and REASONS["ka"] in georgian
    (item,) = client.get("/api/v1/commitments").json()
    assert (item["status"], item["dropped_reason_en"]) == ("dropped", REASONS["en"])
