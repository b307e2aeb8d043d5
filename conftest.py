"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture
def site_content(db):
    """Locales, the Georgian home page with its English translation, and the content pages."""
    from home.demo import load_site_content

    return load_site_content()


@pytest.fixture
def reference_data(db):
    from programs.reference_data import load_reference_data

    return load_reference_data()


@pytest.fixture
def program_index(site_content):
    """A published program index under the Georgian home page."""
    from programs.tests.factories import ProgramIndexPageFactory

    return ProgramIndexPageFactory(parent=site_content["ka"])


@pytest.fixture
def demo_programs(reference_data, site_content):
    """The eight demo programs in Georgian and English (deterministic content)."""
    from programs.demo import ensure_demo_programs
    from programs.models import ProgramPage

    ensure_demo_programs(site_content)
    return ProgramPage.objects.filter(locale__language_code="ka").order_by("path")


def publish_translation(page, language_code: str = "en"):
    """Translate a page (and its untranslated parents) the way an editor would, and publish."""
    from wagtail.models import Locale

    translation = page.copy_for_translation(
        Locale.objects.get(language_code=language_code), copy_parents=True
    )
    for ancestor in translation.get_ancestors().filter(live=False).specific():
        ancestor.save_revision().publish()
    translation.save_revision().publish()
    return translation


@pytest.fixture
def evaluation_form(program_index, reference_data):
    """A published program with an evaluation form carrying one extra rating question."""
    from feedback_forms.tests.factories import EvaluationFormFieldFactory, EvaluationFormPageFactory
    from programs.models import MunicipalService, ProgramCategory
    from programs.tests.factories import ProgramPageFactory

    program = ProgramPageFactory(
        parent=program_index,
        slug="rural-roads",
        title="სოფლის გზების რეაბილიტაცია",
        category=ProgramCategory.objects.get(slug="infrastructure"),
        responsible_service=MunicipalService.objects.get(slug="infrastructure"),
    )
    form = EvaluationFormPageFactory(parent=program)
    EvaluationFormFieldFactory(
        page=form, label="რამდენად მარტივი იყო?", field_type="rating", required=True
    )
    EvaluationFormFieldFactory(page=form, label="რა უნდა გაუმჯობესდეს?", field_type="multiline")
    publish_translation(form)
    return form


@pytest.fixture
def needs_form(site_content, reference_data):
    from feedback_forms.tests.factories import NeedsFormFieldFactory, NeedsFormPageFactory

    form = NeedsFormPageFactory(parent=site_content["ka"])
    NeedsFormFieldFactory(page=form, label="რამდენ ადამიანს ეხება?", field_type="number")
    publish_translation(form)
    return form


@pytest.fixture
def instant_forms(settings):
    """Residents in tests fill forms in no time: switch the time trap's minimum off."""
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    return settings


def pytest_runtest_setup(item):
    """`@pytest.mark.postgresql`: skipped on SQLite runs, run in CI's PostgreSQL run."""
    if item.get_closest_marker("postgresql") is None:
        return
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("PostgreSQL only: runs with DATABASE_URL=postgres://... (CI's PostgreSQL run)")


@pytest.fixture
def private_file_fields(monkeypatch):
    """Point the private file fields at the configured `exports` storage, as at start-up.

    File fields take their storage when the models load; a test that changed STORAGES earlier
    leaves the storage handler with a new instance, so code that reads `storages["exports"]`
    (backups, readiness) would no longer see what the fields write.
    """
    from django.core.files.storage import storages

    from feedback_forms.models import ExportJob
    from reports.models import ResultsReport

    for model, name in ((ExportJob, "file"), (ResultsReport, "workbook")):
        monkeypatch.setattr(model._meta.get_field(name), "storage", storages["exports"])
