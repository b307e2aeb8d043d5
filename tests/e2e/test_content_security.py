"""With the site's Content-Security-Policy on, the public pages and the admin raise no CSP
violation in a real browser (issue 10, finding 5); 2FA enrolment and verification included."""

import pytest
from django.urls import reverse

from tests.e2e.waiting import expect

pytestmark = pytest.mark.e2e

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ` +
    `${event.sourceFile || location.href}:${event.lineNumber}`
  );
});
"""


def watch(page) -> list[str]:
    """Console messages about CSP, plus the page's own securitypolicyviolation events."""
    messages: list[str] = []
    page.add_init_script(COLLECT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            messages.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return messages


def visit(page, url: str, messages: list[str], problems: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    assert response.headers.get("content-security-policy"), url
    page.wait_for_load_state("networkidle")
    events = page.evaluate("window.__cspViolations || []")
    problems.extend(f"{url}: {text}" for text in [*messages, *events])
    messages.clear()


@pytest.fixture
def results_published(demo_site):
    from reports.tests.factories import ResultsReportFactory

    return ResultsReportFactory()


def test_public_pages_raise_no_csp_violation(live_server, demo_site, page) -> None:
    from programs.models import ProgramPage

    program = ProgramPage.objects.live().filter(locale__language_code="ka").first()
    messages, problems = watch(page), []
    paths = ["/", "/en/", "/programs/", program.url, "/track/", "/track/?reference=AAAA-BBBB"]
    paths += ["/api/v1/docs", "/this-page-does-not-exist/"]
    for form in program.get_children().live():
        paths.append(form.url)
    for path in paths:
        visit(page, live_server.url + path, messages, problems)
    assert not problems, "\n".join(problems)


def test_the_admin_raises_no_csp_violation(live_server, demo_site, page, settings) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cms.core.tests.factories import UserFactory
    from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
    from programs.models import ProgramPage
    from reports.tests.factories import ResultsReportFactory

    settings.STAFF_TWO_FACTOR_REQUIRED = True
    UserFactory(username="root", is_superuser=True)
    need = NeedFactory(title="Street lights")
    evaluation = EvaluationFactory()
    report = ResultsReportFactory()
    program = ProgramPage.objects.filter(locale__language_code="ka").first()
    messages, problems = watch(page), []

    visit(page, live_server.url + "/admin/login/", messages, problems)
    page.locator("input[name=username]").fill("root")
    page.locator("input[name=password]").fill("staff-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/two-factor/enrol/**")
    page.wait_for_load_state("networkidle")
    expect(page.locator("figure.two-factor-qr svg")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="root")
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.locator("input[name=code]").fill(f"{token:06d}")
    page.locator("button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("ul.recovery-codes li").count() == 10
    problems.extend(page.evaluate("window.__cspViolations || []"))

    admin_pages = [
        reverse("wagtailadmin_home"),
        reverse("wagtailsnippets_feedback_forms_need:list"),
        reverse("wagtailsnippets_feedback_forms_need:edit", args=[need.pk]),
        reverse("wagtailsnippets_feedback_forms_need:inspect", args=[need.pk]),
        reverse("wagtailsnippets_feedback_forms_evaluation:list"),
        reverse("wagtailsnippets_feedback_forms_evaluation:inspect", args=[evaluation.pk]),
        reverse("wagtailadmin_explore", args=[program.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[program.pk]),
        reverse("wagtailadmin_reports:site_history"),
        reverse("feedback_staff_entry:index"),
        reverse("programs_beneficiaries:index"),
        reverse("reports_resultsreport:index"),
        reverse("reports_resultsreport:inspect", args=[report.pk]),
        reverse("reports_admin:print", args=[report.pk]),
        reverse("wagtailusers_users:index"),
        reverse("wagtailadmin_account"),
        reverse("core_two_factor:recovery_codes"),
        reverse("wagtailsnippets_programs_settlement:list"),
    ]
    for path in admin_pages:
        visit(page, live_server.url + path, messages, problems)

    # A chooser modal (loaded and run by the admin's JavaScript) and a date picker.
    page.goto(live_server.url + reverse("wagtailsnippets_feedback_forms_need:edit", args=[need.pk]))
    page.locator("input[name=due_date]").click()
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[program.pk]))
    page.wait_for_load_state("networkidle")
    chooser = page.locator("[data-chooser-action-choose]:visible").first
    if chooser.count():
        chooser.click()
        page.wait_for_selector(".modal-content", timeout=10_000)
        page.wait_for_load_state("networkidle")
    problems.extend(page.evaluate("window.__cspViolations || []"))
    problems.extend(messages)
    assert not problems, "\n".join(problems)
