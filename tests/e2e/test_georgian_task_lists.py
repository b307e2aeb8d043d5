"""Every demo role completes its task list in the Georgian admin without meeting English
(issue 11, item 6).

One demo load (the crawl's `demo` fixture), then, in a browser that asks for English (a staff
member who chose no language gets Georgian): the editor publishes a program's new summary, the
PR division's manager filters the needs, assigns one to a service with a due date and sends the
half-year's report to the mayor as an interim report, the service representative answers a
need publicly, the mayor records the review and puts a proposed commitment into the draft
budget, and the analyst downloads the evaluations as Excel. Buttons and fields are found by
their Georgian names (the project's own catalogue, checked to hold no English word), and after
every step the screen is read as the crawl reads it: an English word outside the allow-list or
a Mtavruli letter fails the test, naming the step, the page and the words.
"""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from cms.core.testing.georgian_text import english_words, mtavruli
from feedback_forms.models import Need, Status
from tests.e2e.test_georgian_admin import CATALOGUE_LOADED, PASSWORD, READ_SCREEN, demo  # noqa: F401

pytestmark = pytest.mark.e2e

#: Where a saved need leads: back to the listing (an edit form that comes back has an error).
LISTING = re.compile(r"/admin/snippets/feedback_forms/need/(\?.*)?$")


def ka(msgid: str, context: str | None = None) -> str:
    """The Georgian a staff member reads for an interface string; English here is a bug."""
    with translation.override("ka"):
        text = pgettext(context, msgid) if context else gettext(msgid)
    assert not english_words(text), f"{msgid!r} has no Georgian translation: {text!r}"
    return text


def check(page, step: str, allowed: frozenset[str]) -> None:
    """Fail on English words outside the allow-list and on Mtavruli, naming the screen."""
    page.wait_for_load_state("networkidle")
    screen = page.evaluate(READ_SCREEN)
    lines = [
        line for line in "\n".join(screen["texts"]).splitlines() if english_words(line, allowed)
    ]
    if (
        lines
        and page.locator("script[src*=jsi18n]").count()
        and not page.evaluate(CATALOGUE_LOADED)
    ):
        page.wait_for_function(CATALOGUE_LOADED, timeout=10_000)
        screen = page.evaluate(READ_SCREEN)
        lines = [
            line for line in "\n".join(screen["texts"]).splitlines() if english_words(line, allowed)
        ]
    text = "\n".join(screen["texts"])
    assert not lines, f"{step} ({page.url}): English {sorted(set(lines))[:8]}"
    assert not (found := mtavruli(text)), f"{step} ({page.url}): Mtavruli {found[:5]}"


def signed_in(browser, base: str, username: str, allowed: frozenset[str]):
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/admin/login/")
    assert page.locator("html").get_attribute("lang") == "ka"
    check(page, f"{username}: login", allowed)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=ka("Sign in")).click()
    page.wait_for_url(base + "/admin/")
    check(page, f"{username}: dashboard", allowed)
    return context, page


def success_message(page) -> str:
    return page.locator(".messages .success, .messages [class*=success]").first.inner_text()


def arrived(page, pattern: str, step: str) -> None:
    """Wait for the redirect after a form; if the form came back instead, say why."""
    try:
        page.wait_for_url(pattern, timeout=10_000)
    except Exception:
        errors = page.locator(".error-message, .w-field__errors, .help-critical, .messages").all()
        shown = [e.inner_text().strip() for e in errors if e.inner_text().strip()]
        raise AssertionError(f"{step}: still on {page.url}, errors {shown}") from None


def filter_by_status(page, status: Status) -> None:
    """The listing's filter drawer: Status, then the status's Georgian name."""
    page.get_by_role("button", name=ka("Show filters")).click()
    page.locator(".w-drilldown__toggle", has_text=ka("Status")).click()
    page.locator("#drilldown-id_status").get_by_label(ka("Status")).select_option(
        label=ka(str(status.label))
    )
    page.wait_for_function(f"() => location.search.includes('status={status.value}')")
    page.wait_for_load_state("networkidle")


def open_first_row(page) -> Need:
    """Open the first need of the listing (its reference links to the edit view)."""
    link = page.locator("#listing-results tbody tr").first.locator("a[href*='/edit/']").first
    pk = int(link.get_attribute("href").rstrip("/").split("/")[-1])
    link.click()
    page.wait_for_url(f"**/admin/snippets/feedback_forms/need/edit/{pk}/")
    return Need.objects.get(pk=pk)


def editor_publishes_a_new_summary(browser, base: str, allowed: frozenset[str]) -> None:
    from programs.models import ProgramPage

    program = ProgramPage.objects.live().filter(locale__language_code="ka").first()
    context, page = signed_in(browser, base, "editor", allowed)
    page.goto(f"{base}/admin/pages/{program.pk}/edit/")
    check(page, "editor: page editor", allowed)
    summary = "განახლებული მოკლე აღწერა: პროგრამა გრძელდება მომავალ წელსაც."
    page.get_by_role("textbox", name=ka("summary")).fill(summary)
    check(page, "editor: summary changed", allowed)
    page.get_by_role("button", name=ka("More actions")).last.click()
    page.get_by_role("button", name=ka("Publish")).click()
    page.wait_for_url(f"**/admin/pages/{program.get_parent().pk}/")
    check(page, "editor: published", allowed)
    assert program.title in success_message(page)
    program.refresh_from_db()
    assert program.summary == summary and not program.has_unpublished_changes
    context.close()


def manager_assigns_a_need_and_sends_the_report(browser, base, allowed) -> None:
    from programs.models import MunicipalService
    from reports.models import ResultsReport

    context, page = signed_in(browser, base, "manager", allowed)
    page.goto(base + "/admin/snippets/feedback_forms/need/")
    check(page, "manager: needs", allowed)
    filter_by_status(page, Status.NEW)
    check(page, "manager: needs filtered", allowed)
    need = open_first_row(page)
    assert need.status == Status.NEW
    check(page, "manager: need", allowed)
    service = MunicipalService.objects.get(slug="infrastructure")
    due = datetime.date.today() + datetime.timedelta(days=20)
    page.get_by_role("combobox", name=ka("responsible service"), exact=True).select_option(
        label=service.name_ka
    )
    page.get_by_label(ka("answer due")).fill(due.isoformat())
    page.get_by_role("combobox", name=ka("status")).select_option(
        label=ka(str(Status.ASSIGNED.label))
    )
    check(page, "manager: need routed", allowed)
    page.get_by_role("button", name=ka("Save")).click()
    arrived(page, LISTING, "need saved")
    check(page, "manager: need saved", allowed)
    need.refresh_from_db()
    assert need.service == service and need.due_date == due and need.status == Status.ASSIGNED

    report = ResultsReport.objects.filter(status=ResultsReport.Status.DRAFT).first()
    assert report is not None, "the demo has no draft report to send"
    page.goto(base + "/admin/results/reports/")
    check(page, "manager: reports", allowed)
    page.locator(f"#listing-results a[href$='/reports/edit/{report.pk}/']").first.click()
    check(page, "manager: report editor", allowed)
    page.get_by_role("textbox", name=ka("analysis (Georgian)")).fill(
        "ნახევარწლის ანალიზი: ყველაზე ხშირად გზებსა და წყალმომარაგებაზე წერენ."
    )
    page.get_by_role("button", name=ka("Save")).click()
    arrived(page, re.compile(r"/admin/results/reports/(\?.*)?$"), "manager: report saved")
    check(page, "manager: report compiled", allowed)
    page.goto(f"{base}/admin/results/reports/inspect/{report.pk}/")
    check(page, "manager: draft report", allowed)
    page.get_by_role("link", name=ka("Send to the mayor")).click()
    check(page, "manager: send form", allowed)
    page.get_by_label(ka("Send as an interim report")).check()
    page.get_by_role("button", name=ka("Send to the mayor")).click()
    arrived(page, f"**/admin/results/reports/inspect/{report.pk}/", "step sent")
    check(page, "manager: report sent", allowed)
    report.refresh_from_db()
    assert report.status == ResultsReport.Status.SENT and report.is_interim
    context.close()
    return report


def service_answers_a_need(browser, base, allowed) -> None:
    from django.contrib.auth import get_user_model

    representative = get_user_model().objects.get(username="service")
    context, page = signed_in(browser, base, "service", allowed)
    page.goto(base + "/admin/snippets/feedback_forms/need/")
    check(page, "service: needs", allowed)
    filter_by_status(page, Status.ASSIGNED)
    check(page, "service: needs filtered", allowed)
    need = open_first_row(page)
    assert need.status == Status.ASSIGNED
    assert need.service.representatives.filter(pk=representative.pk).exists()
    check(page, "service: need", allowed)
    answer = "საჭიროება შეტანილია მომავალი წლის ბიუჯეტის პროექტში."
    page.get_by_role("combobox", name=ka("status")).select_option(
        label=ka(str(Status.PLANNED.label))
    )
    page.get_by_role("textbox", name=ka("public answer")).fill(answer)
    page.get_by_role("button", name=ka("Save")).click()
    arrived(page, LISTING, "need saved")
    check(page, "service: answer saved", allowed)
    need.refresh_from_db()
    assert need.status == Status.PLANNED and need.public_answer == answer
    context.close()


def mayor_records_the_review(browser, base, allowed, report) -> None:
    from reports.models import BudgetCommitment, ResultsReport

    context, page = signed_in(browser, base, "mayor", allowed)
    page.goto(f"{base}/admin/results/reports/inspect/{report.pk}/")
    check(page, "mayor: sent report", allowed)
    page.get_by_role("link", name=ka("Record the mayor's review")).click()
    check(page, "mayor: review form", allowed)
    page.get_by_label(ka("Review meeting on")).fill(datetime.date.today().isoformat())
    page.locator("input[name=services]").first.check()
    page.get_by_role("textbox", name=ka("Minutes")).fill(
        "ოქმი: ორი საკითხი შედის ბიუჯეტის პროექტში."
    )
    page.get_by_role("button", name=ka("Record the mayor's review")).click()
    arrived(page, f"**/admin/results/reports/inspect/{report.pk}/", "step sent")
    check(page, "mayor: review recorded", allowed)
    report.refresh_from_db()
    assert report.status == ResultsReport.Status.REVIEWED

    # A budget decision: the proposed commitment goes into the draft budget.
    commitment = BudgetCommitment.objects.filter(status=BudgetCommitment.Status.PROPOSED).first()
    page.goto(base + "/admin/results/commitments/")
    check(page, "mayor: commitments", allowed)
    page.locator(f"#listing-results a[href$='/commitments/edit/{commitment.pk}/']").first.click()
    check(page, "mayor: commitment", allowed)
    page.get_by_role("combobox", name=ka("status")).select_option(
        label=ka(str(BudgetCommitment.Status.IN_DRAFT_BUDGET.label))
    )
    page.get_by_role("button", name=ka("Save")).click()
    arrived(page, re.compile(r"/admin/results/commitments/(\?.*)?$"), "mayor: decision saved")
    check(page, "mayor: decision saved", allowed)
    commitment.refresh_from_db()
    assert commitment.status == BudgetCommitment.Status.IN_DRAFT_BUDGET
    context.close()


def analyst_downloads_evaluations(browser, base, allowed) -> None:
    from openpyxl import load_workbook

    context, page = signed_in(browser, base, "analyst", allowed)
    page.goto(base + "/admin/snippets/feedback_forms/evaluation/")
    check(page, "analyst: evaluations", allowed)
    page.get_by_role("button", name=ka("Actions"), exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=ka("Export to Excel")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    content = Path(download.path()).read_bytes()
    assert content[:4] == b"PK\x03\x04"
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].values)
    assert len(rows) > 1, "the export holds no evaluation"
    headers = " ".join(str(cell) for cell in rows[0] if cell)
    assert not english_words(headers, allowed), f"export headers in English: {headers}"
    cells = " ".join(str(cell) for row in rows for cell in row if isinstance(cell, str))
    assert not (found := mtavruli(cells)), f"Mtavruli in the export: {found[:5]}"
    check(page, "analyst: after the download", allowed)
    context.close()


@pytest.mark.usefixtures("demo")
def test_each_role_completes_its_task_list_in_georgian(live_server, browser) -> None:
    from feedback_forms.tests.test_admin_georgian import data_words

    allowed = data_words()
    base = live_server.url
    editor_publishes_a_new_summary(browser, base, allowed)
    report = manager_assigns_a_need_and_sends_the_report(browser, base, allowed)
    service_answers_a_need(browser, base, allowed)
    mayor_records_the_review(browser, base, allowed, report)
    analyst_downloads_evaluations(browser, base, allowed)

    # The same reading fails on a screen in English: the checks above could have failed.
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(base + "/en/")
    with pytest.raises(AssertionError, match="English"):
        check(page, "the English public site", allowed)
    context.close()
