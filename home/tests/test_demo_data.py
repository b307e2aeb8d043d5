"""The demo-data command: complete, idempotent, and honest about the demo password."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from feedback_forms.models import Evaluation, EvaluationFormPage, Need, NeedsFormPage
from home.models import HomePage, PrivacyNoticePage
from programs.models import (
    AdministrativeUnit,
    MunicipalService,
    ProgramCategory,
    ProgramPage,
    Settlement,
)

pytestmark = pytest.mark.django_db

ROLE_USERNAMES = {"editor", "manager", "service", "mayor", "analyst"}


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {
        "units": AdministrativeUnit.objects.count(),
        "settlements": Settlement.objects.count(),
        "categories": ProgramCategory.objects.count(),
        "services": MunicipalService.objects.count(),
        "pages": Page.objects.count(),
        "users": get_user_model().objects.count(),
        "evaluations": Evaluation.objects.count(),
        "needs": Need.objects.count(),
    }


def test_loads_the_reference_data_from_the_data_files() -> None:
    run_command()
    assert AdministrativeUnit.objects.count() == 17
    assert Settlement.objects.count() == 50
    assert Settlement.objects.filter(kind="city").count() == 1
    city = Settlement.objects.get(kind="city")
    assert (city.name_ka, city.name_en, city.unit.code) == ("წყალტუბო", "Tskaltubo", "01")
    assert ProgramCategory.objects.filter(slug="social").exists()
    assert MunicipalService.objects.filter(slug="social").exists()


def test_running_twice_adds_nothing() -> None:
    run_command()
    first = table_counts()
    run_command()
    assert table_counts() == first


def test_keeps_staff_corrections_to_pages() -> None:
    run_command()
    home = HomePage.objects.get(locale__language_code="ka")
    home.title = "შესწორებული სათაური"
    home.save_revision().publish()
    run_command()
    assert HomePage.objects.get(pk=home.pk).title == "შესწორებული სათაური"


def test_home_page_is_the_default_site_root_with_an_english_translation() -> None:
    run_command()
    site = Site.objects.get(is_default_site=True)
    home = HomePage.objects.get(locale__language_code="ka")
    assert site.root_page_id == home.pk
    english = home.get_translation(home.get_translations().get().locale)
    assert english.locale.language_code == "en"
    assert PrivacyNoticePage.objects.filter(slug="privacy").live().count() == 2


def test_creates_one_account_per_role_with_demo_password(monkeypatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    output = run_command()
    users = get_user_model().objects.filter(username__in=ROLE_USERNAMES)
    assert set(users.values_list("username", flat=True)) == ROLE_USERNAMES
    for user in users:
        assert user.check_password("demo-pass-123")
        assert user.has_perm("wagtailadmin.access_admin")
        assert not user.is_superuser
    assert "demo-pass-123" not in output


def test_generates_and_prints_a_password_without_demo_password(monkeypatch) -> None:
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    output = run_command()
    password = output.rsplit(":", 1)[1].strip()
    assert len(password) >= 12
    assert get_user_model().objects.get(username="editor").check_password(password)


def test_no_users_option_leaves_accounts_alone() -> None:
    run_command("--no-users")
    assert not get_user_model().objects.exists()


def test_every_program_carries_an_evaluation_form_and_there_are_submissions() -> None:
    run_command()
    georgian_programs = ProgramPage.objects.filter(locale__language_code="ka")
    assert georgian_programs.count() == 8
    for program in georgian_programs:
        form = program.get_children().type(EvaluationFormPage).get().specific
        assert form.live and form.form_fields.count() >= 2
    assert NeedsFormPage.objects.count() == 2  # Georgian and English
    assert Evaluation.objects.count() >= 100 and Need.objects.count() >= 100
    assert (
        set(Evaluation.objects.values_list("reporting_period", flat=True).distinct()).__len__() == 2
    )
    assert Need.objects.values("administrative_unit").distinct().count() >= 10
    assert Need.objects.values("status").distinct().count() >= 6


def test_the_results_cycle_has_a_published_report_and_two_commitments() -> None:
    from reports.models import AccountabilityPage, BudgetCommitment, ResultsPage, ResultsReport

    run_command()
    published = ResultsReport.objects.get(status="published")
    assert published.figures["totals"]["evaluations"] > 0
    budget_year = published.meeting_on.year + 1
    in_draft = BudgetCommitment.objects.in_draft_budget_or_beyond(budget_year)
    assert in_draft.count() == 2
    assert all(c.needs.filter(status="planned").exists() for c in in_draft)
    others = BudgetCommitment.objects.exclude(pk__in=in_draft)
    assert set(others.values_list("status", flat=True)) == {"proposed", "dropped"}
    assert not others.filter(needs__status="planned").exists()
    assert ResultsPage.objects.count() == 2 and AccountabilityPage.objects.count() == 2
    assert ResultsReport.objects.filter(status="draft").count() == 1
