"""Fixtures shared by every app's tests."""

import pytest


def load_baseline() -> None:
    """What nearly every test stands on: reference data, locales, home and content pages.

    Loaded once per test database (per xdist worker) instead of once per test: each test runs
    in a transaction rolled back at its end, so the rows stay as loaded. The loaders are
    idempotent, so the `reference_data` and `site_content` fixtures below still call them (and
    get the existing rows back in a few queries).
    """
    from home.demo import load_site_content
    from programs.reference_data import load_reference_data

    load_reference_data()
    load_site_content()


#: Set once this process's test database holds the baseline (so nothing runs before it exists).
_BASELINE = {"loaded": False}


def baseline_present() -> bool:
    from wagtail.models import Locale, Page

    return Locale.objects.exists() and Page.objects.filter(depth=1).exists()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_baseline()
    _BASELINE["loaded"] = True


def flushes_the_database(request) -> bool:
    """A transactional test (live server, real concurrency) empties every table at its end."""
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language, whatever an earlier test's request activated
    in this thread (a request leaves its language active after it; the order tests run in
    under xdist must not change what a message reads)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _baseline_after_a_flush(request, django_db_blocker):
    """Put the baseline back after a transactional test that asked for `transactional_db` by
    name (a live server) flushed it. A `django_db(transaction=True)` marker's flush comes after
    this teardown (pytest-django's own autouse fixture is set up first, so torn down last):
    `pytest_runtest_setup` below puts the baseline back before the next test then."""
    yield
    if flushes_the_database(request):
        with django_db_blocker.unblock():
            load_baseline()


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


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures (so outside its transaction): put the baseline back if an
    earlier test on this worker left the database without it: a test marked
    `django_db(transaction=True)` is flushed by pytest-django after every fixture of ours has
    been torn down (`feedback_forms/tests/test_query_budget.py` shows it in one process)."""
    uses_database = item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(getattr(item, "fixturenames", ()))
    )
    if _BASELINE["loaded"] and uses_database:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            if not baseline_present():
                load_baseline()
    skip_postgresql_only_on_sqlite(item)


def skip_postgresql_only_on_sqlite(item) -> None:
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

    from feedback_forms.models import ExportJob, NeedPhoto
    from reports.models import ResultsReport

    for model, name in ((ExportJob, "file"), (ResultsReport, "workbook"), (NeedPhoto, "file")):
        monkeypatch.setattr(model._meta.get_field(name), "storage", storages["exports"])


class SmsGatewayProcess:
    """The local gateway (tests/sms_gateway.py) running as a subprocess on a free port."""

    def __init__(self, process, port: int) -> None:
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def get(self, path: str):
        import json
        import urllib.request

        with urllib.request.urlopen(self.url + path, timeout=5) as response:  # noqa: S310
            return json.loads(response.read())

    def control(self, **data) -> None:
        import json
        import urllib.request

        request = urllib.request.Request(  # noqa: S310
            self.url + "/control",
            data=json.dumps(data).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=5).close()  # noqa: S310

    def messages(self) -> list[dict]:
        return self.get("/messages")

    def requests(self) -> list[dict]:
        return self.get("/requests")


@pytest.fixture(scope="session")
def sms_gateway_process():
    """One gateway process per test worker (pytest-xdist workers each start their own)."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent / "tests" / "sms_gateway.py"
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, str(script), "--port", "0", "--delay", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().strip()
    if not line.startswith("PORT "):
        process.kill()
        raise RuntimeError(f"The SMS gateway did not start: {line!r}")
    gateway = SmsGatewayProcess(process, int(line.split()[1]))
    yield gateway
    process.terminate()
    process.wait(timeout=5)


@pytest.fixture
def sms_gateway(sms_gateway_process, settings):
    """SMS through the real HTTP backend to the local gateway, reset for each test."""
    sms_gateway_process.control(reset=True, fail_first=0, fail_mode="500")
    settings.SMS_BACKEND = "cms.core.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = sms_gateway_process.url + "/send"
    settings.SMS_GATEWAY_TOKEN = "test-gateway-token"  # noqa: S105
    settings.SMS_GATEWAY_TIMEOUT = 1.0
    return sms_gateway_process


@pytest.fixture
def sms_outbox():
    from cms.core import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
